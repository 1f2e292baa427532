"""The command line's shape: every verb in the parser runs through a ``cmd_`` of its module."""

from __future__ import annotations

import argparse
import inspect

from linksdesk import app
from linksdesk.app.parser import VERB_MODULES


def _verbs(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_verb_in_the_parser_has_its_handler_in_a_verb_module() -> None:
    verbs = _verbs(app.build_parser())
    assert {"open", "new", "check", "sync", "backup", "restore", "report"} <= set(verbs)
    modules = {m.__name__ for m in VERB_MODULES}
    for verb in verbs:
        handler = app.handler(verb)
        assert handler.__name__ == f"cmd_{verb.replace('-', '_')}", verb
        assert handler.__module__ in modules, verb
        assert list(inspect.signature(handler).parameters) == ["args"], verb


def test_every_verb_that_reads_a_passphrase_takes_it_from_a_file_too() -> None:
    for verb, parser in _verbs(app.build_parser()).items():
        options = {o for a in parser._actions for o in a.option_strings}
        if verb == "open":
            assert "--passphrase-file" not in options  # the window asks for it itself
        else:
            assert {"--vault", "--passphrase-file"} <= options, verb


def test_the_parser_holds_the_verbs_the_table_declares_in_its_order() -> None:
    from linksdesk.app.parser import verb_table
    from linksdesk.app.passphrase import DEMO_PASSPHRASE

    verbs = _verbs(app.build_parser())
    assert list(verbs) == [v["name"] for v in verb_table()]
    helps = {a.dest: a.help for a in verbs["demo"]._actions}
    assert (
        helps["demo_passphrase"] == f'passphrase for the demo vault (default: "{DEMO_PASSPHRASE}")'
    )
    assert "exit codes:" in verbs["demo"].format_help()  # the table's epilog = true
    assert "more than 30% of" in verbs["sync"].format_help()  # argparse's %% in the table
