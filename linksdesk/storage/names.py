"""Names compared as a person would read them: "Zoe O'Brien" is "Zoë O’Brien".

A name pasted from a GP letter has its accents and a curly apostrophe; the same name typed
on a laptop keyboard often has neither. SQLite's LIKE and lower() fold only ASCII letters,
so the caseload's quick filter and the already-on-record question compare names folded
(``core.folding``) inside SQL, through the ``ld_fold`` function every vault connection has.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, or_

from linksdesk.core.folding import NOT_IN_A_NAME_KEY, fold_name, name_key

FOLD_FUNCTION = "ld_fold"

# a name holding a space, an apostrophe, a hyphen or anything outside printable ASCII (the
# only names LIKE may miss: "mcdonald" is in "Mc Donald" too): every character but those
# from "!" to "&", from "(" to "," and from "." to "~" (the space before them, the apostrophe
# and the hyphen between them)
_NOT_PLAIN = "*[^!-&(-,.-~]*"


def _sql_fold(value: object) -> object:
    return fold_name(value) if isinstance(value, str) else value


def register(conn: Any) -> None:
    """Give a DB-API connection the ``ld_fold`` SQL function."""
    conn.create_function(FOLD_FUNCTION, 1, _sql_fold, deterministic=True)


def folded(column: Any) -> Any:
    """``column`` folded in SQL (one call of Python a row: keep it to few rows)."""
    return getattr(func, FOLD_FUNCTION)(column)


def same_name(column: Any, name: str) -> Any:
    """Where ``column`` is ``name`` as ``core.folding.name_key`` compares them: folded, and
    its dashes and spaces dropped in C (one call of Python a row, as ``folded``)."""
    key = folded(column)
    for ch in NOT_IN_A_NAME_KEY:
        key = func.replace(key, ch, "")
    return key == name_key(name)


def contains(column: Any, text: str) -> Any:
    """Where ``column`` holds ``text``, as ``fold_name`` compares them, a hyphen in either or a
    space in the name aside ("smithjones", typed in a hurry, is in "Smith-Jones", "mcdonald"
    in "Mc Donald"). A plain-ASCII name of one word without an apostrophe or a hyphen is
    left to LIKE, which ignores ASCII case in C; only the others are folded in Python."""
    wanted = fold_name(text)
    joined = wanted.replace("-", "") or wanted
    return or_(
        column.contains(wanted, autoescape=True),
        and_(
            column.op("GLOB")(_NOT_PLAIN),
            func.replace(func.replace(folded(column), "-", ""), " ", "").contains(
                joined, autoescape=True
            ),
        ),
    )
