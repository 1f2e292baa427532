"""A supervisor names the workers they know: the dashboard and internal reports show the
names, a board's copy never does, and a mistaken name can be taken back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from team_kit import PERIOD, TODAY

from linksdesk.casework import supervision
from linksdesk.core.errors import ValidationError
from linksdesk.reports.build import resolve_workers
from linksdesk.reports.scope import Period, Scope

SCOPE = Scope(Period.parse(PERIOD), None)


def caseload_rows(cb: Any, audience: str) -> list[str]:
    board = supervision.dashboard(cb, SCOPE, audience=audience, today=TODAY)
    caseload = next(s for s in board.report.sections if s.key == "caseload")
    table = caseload.table(caseload.chart.table)  # type: ignore[union-attr]
    return [str(row[0]) for row in table.rows]


def test_named_workers_show_in_supervision_and_never_in_a_board_report(
    team: tuple[Any, Any], tmp_path: Path
) -> None:
    supervisor, ledger = team
    first, second = ledger.workers[0], ledger.workers[1]
    before = {w.worker_id: w for w in supervision.worker_names(supervisor)}
    assert set(before) >= set(ledger.workers)
    assert all(
        w.name is None and w.shown_as == f"Worker {w.worker_id[-6:]}" for w in before.values()
    )

    named = supervision.name_workers(supervisor, {first: "  Ailsa  ", second: "Bram T"})
    by_id = {w.worker_id: w for w in named}
    assert by_id[first].name == "Ailsa" and by_id[second].shown_as == "Bram T"
    assert by_id[first].id_label == f"Worker {first[-6:]}"

    # the dashboard's worker filter and its per-worker rows use the names
    board = supervision.dashboard(supervisor, SCOPE, today=TODAY)
    assert ("Ailsa" in dict(board.workers).values()) and dict(board.workers)[second] == "Bram T"
    assert {"Ailsa", "Bram T"} <= set(caseload_rows(supervisor, "internal"))
    # what a board sees: ids only, on screen and in the file
    external = caseload_rows(supervisor, "external")
    assert f"Worker {first[-6:]}" in external and "Ailsa" not in external
    out = tmp_path / "board.csv"
    supervision.write_report(supervisor, SCOPE, "csv", out, audience="external")
    text = out.read_text(encoding="utf-8")
    assert "Ailsa" not in text and "Bram T" not in text
    assert f"Worker {first[-6:]}" in text
    # an internal file is the supervisor's own: the names are there
    own = tmp_path / "own.csv"
    supervision.write_report(supervisor, SCOPE, "csv", own, audience="internal")
    assert "Ailsa" in own.read_text(encoding="utf-8")
    # the command line's --worker takes the name too
    assert resolve_workers(supervisor.store, ["ailsa"]) == frozenset({first})

    # a blank name takes it back; the other stays
    again = {w.worker_id: w for w in supervision.name_workers(supervisor, {first: " "})}
    assert again[first].name is None and again[second].name == "Bram T"
    assert "Ailsa" not in caseload_rows(supervisor, "internal")


@pytest.mark.parametrize(
    ("names", "said"),
    [
        (lambda w: {w[0]: "Sam", w[1]: "sam"}, "same name"),
        (lambda w: {w[0]: "x" * (supervision.WORKER_NAME_MAX + 1)}, "too long"),
        (lambda w: {"not-a-worker-of-this-vault": "Sam"}, "not known"),
        (lambda w: {w[0]: "Sa\x00m"}, "null character"),
    ],
)
def test_a_mistaken_name_is_refused_and_changes_nothing(
    team: tuple[Any, Any], names: Any, said: str
) -> None:
    supervisor, ledger = team
    before = supervision.worker_names(supervisor)
    with pytest.raises(ValidationError, match=said):
        supervision.name_workers(supervisor, names(ledger.workers))
    assert supervision.worker_names(supervisor) == before
