"""No definition in the app that nothing uses, and no code after a return (issue 10: "remove
the definitions nothing uses"). A function left behind by a change reads to a newcomer as
part of the design: ``sealing.keep_clear`` still described a withdrawal path that had moved
to ``server/sync/consent.py``, and a signal's ``emit()`` sat unreachable after a return in
``ui/session.py``, so a lock whose drafts could not be kept never said the vault closed.

vulture reads the code as text, as a reader would. Its use is counted across the app, its
migrations, the tests, the benchmarks and the scripts (an API the tests call is used); only
the app's own definitions are reported. Names called by a framework, never by our code, are
named below with the framework that calls them."""

from __future__ import annotations

from pathlib import Path

import vulture

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "linksdesk"

# called by the framework they are registered with, never by name in our code
CALLED_BY_A_FRAMEWORK = {
    "decorators": [
        "@event.listens_for",  # SQLAlchemy events
        "@*.exception_handler",  # FastAPI
        "@field_validator",  # pydantic
        "@field_serializer",
    ],
    "names": [
        "formatException",  # logging.Formatter overrides
        "formatStack",
        "highlightBlock",  # QSyntaxHighlighter override
        "__getattr__",  # a module's own attribute look-up (PEP 562)
        "app_from_environment",  # uvicorn's factory, named as a string
    ],
}
DEFINITIONS = {"function", "method", "class", "property", "unreachable_code"}


def test_every_definition_in_the_app_is_used() -> None:
    found = vulture.Vulture(
        ignore_decorators=CALLED_BY_A_FRAMEWORK["decorators"],
        ignore_names=CALLED_BY_A_FRAMEWORK["names"],
    )
    found.scavenge([str(ROOT / part) for part in ("linksdesk", "tests", "benchmarks", "scripts")])
    unused = [
        f"{Path(item.filename).relative_to(ROOT)}:{item.first_lineno} {item.typ} {item.name}"
        for item in found.get_unused_code(min_confidence=60)
        if item.typ in DEFINITIONS
        and Path(item.filename).is_relative_to(APP)
        and "migrations" not in Path(item.filename).parts
    ]
    assert unused == [], "\n".join(unused)
