"""Outside check 20: one organisation's service in two areas, and the directory's own CSV.

The directory holds what a team signposts to; one organisation often runs the same service in
two places ("Citizens Advice — Drop-in" in Leith and in Portobello), and Add resource… and the
directory keep both, each with its own area, address and phone. docs/casework-api.md: the
export writes "the same columns import reads", and an import updates "an existing resource
with the same organisation + service".

A worker exports the directory, puts Portobello's new phone number in with a spreadsheet and
imports the file back. Refused: "Same organisation and service as row 2" (the file LinksDesk
wrote). With only Leith's row in the file, the import wrote Leith's area, address and phone
over whichever of the two it met last (Portobello): a branch's details went, unasked, and
the directory held Leith twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from screens_kit import resource, settle
from shell_kit import call_casework
from test_screen_resources import watched_view

from linksdesk.casework.resources import list_resources
from linksdesk.ui.views.resources import ResourcesView

pytestmark = pytest.mark.gui

ORG, SERVICE = "Citizens Advice (invented)", "Drop-in"
LEITH = {"area": "Leith", "address": "1 Shore Road", "phone": "0131 496 0001"}
PORTOBELLO = {"area": "Portobello", "address": "2 Promenade", "phone": "0131 496 0002"}
NEW_PHONE = "0131 496 0999"
NEW_LEITH = "0131 496 0888"


def phones(qtbot: Any, session: Any) -> dict[str | None, str | None]:
    return {r.area: r.phone for r in call_casework(qtbot, session, list_resources)}


def test_the_directorys_own_export_imports_back_and_updates_the_right_branch(
    qtbot: Any, unlocked: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    resource(qtbot, unlocked, ORG, SERVICE, **LEITH)
    resource(qtbot, unlocked, ORG, SERVICE, **PORTOBELLO)
    view, reports = watched_view(qtbot, unlocked, monkeypatch)

    out = tmp_path / "directory.csv"
    monkeypatch.setattr(ResourcesView, "ask_export_path", classmethod(lambda cls, p: out))
    view.export_button.click()
    settle(qtbot, unlocked)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    # the spreadsheet: Portobello's new number, the file saved as it was
    out.write_text(
        "\n".join(line.replace(PORTOBELLO["phone"], NEW_PHONE) for line in lines) + "\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(ResourcesView, "ask_import_path", classmethod(lambda cls, p: out))
    view.import_button.click()
    settle(qtbot, unlocked)
    assert reports[-1].ok, [p.reason for p in reports[-1].problems]
    assert (reports[-1].added, reports[-1].updated) == (0, 1)

    assert phones(qtbot, unlocked) == {"Leith": LEITH["phone"], "Portobello": NEW_PHONE}

    # a file of Leith's row alone, with its new number, updates Leith, never Portobello
    only = tmp_path / "leith.csv"
    leith = next(line for line in lines if "Leith" in line)
    only.write_text(
        lines[0] + "\n" + leith.replace(LEITH["phone"], NEW_LEITH) + "\n", encoding="utf-8"
    )
    monkeypatch.setattr(ResourcesView, "ask_import_path", classmethod(lambda cls, p: only))
    view.import_button.click()
    settle(qtbot, unlocked)
    assert reports[-1].ok and (reports[-1].added, reports[-1].updated) == (0, 1)
    assert phones(qtbot, unlocked) == {"Leith": NEW_LEITH, "Portobello": NEW_PHONE}
    held = call_casework(qtbot, unlocked, list_resources)
    assert sorted((r.area, r.address) for r in held) == [
        ("Leith", LEITH["address"]),
        ("Portobello", PORTOBELLO["address"]),
    ]
