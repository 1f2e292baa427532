"""The words people read: counted in plain English and in the field's language.

Every string literal in the package that a person may read is checked: docstrings and log lines
(for administrators reading code or logs) are left out.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from linksdesk.core.item_words import ITEM_WORDS, counted, named

PACKAGE = Path(__file__).resolve().parents[1] / "linksdesk"
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.add(id(value))
    return found


def _logged(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in LOG_METHODS
        ):
            found |= {id(n) for arg in node.args for n in ast.walk(arg)}
    return found


def shown_strings() -> Iterator[tuple[str, int, str]]:
    """(file, line, text) for each string a person may be shown."""
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        left_out = _docstrings(tree) | _logged(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in left_out
            ):
                yield path.relative_to(PACKAGE).as_posix(), node.lineno, node.value


def test_counts_are_said_in_words_never_as_item_s() -> None:
    hedged = re.compile(r"\w\(s\)")
    found = [f"{f}:{line}" for f, line, text in shown_strings() if hedged.search(text)]
    assert found == [], "say '1 record' or '2 records' (core.item_words.counted): " + str(found)


@pytest.mark.parametrize("word", ["client", "patient", "service user"])
def test_people_are_participants_in_what_is_shown(word: str) -> None:
    jargon = re.compile(rf"\b{word}s?\b", re.IGNORECASE)
    found = [f"{f}:{line}" for f, line, text in shown_strings() if jargon.search(text)]
    assert found == []


def test_every_kind_counts_one_and_many_differently() -> None:
    for kind, (one, many) in ITEM_WORDS.items():
        assert one != many, kind
        assert counted(kind, 1) == f"1 {one}"
        assert counted(kind, 0) == f"0 {many}"
        assert named(kind, 2) == many


def test_the_checker_sees_a_hedged_count_and_passes_over_a_log_line() -> None:
    tree = ast.parse(
        'def f():\n    """2 item(s) in a docstring."""\n'
        '    log.warning("%d page(s)", 2)\n    return "3 record(s)"\n'
    )
    left_out = _docstrings(tree) | _logged(tree)
    shown = [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in left_out
    ]
    assert shown == ["3 record(s)"]
