"""External reports that overlap one written before are stopped and asked about: each is
safe alone, but one subtracted from the other gives counts that both hide."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_cli import PASSPHRASE, assert_one_plain_line, linksdesk

from linksdesk.casework import bundles
from linksdesk.casework.casebook import Casebook
from linksdesk.core.errors import OverlapsEarlierReportError
from linksdesk.reports.export import export_report
from linksdesk.reports.scope import Period, Scope

H1 = Period.parse("2026-01..2026-06")


@pytest.fixture
def sup(tmp_path: Path) -> Iterator[Casebook]:
    cb, _ = bundles.create_vault(tmp_path / "sup.vault", PASSPHRASE, supervisor=True)
    yield cb
    cb.lock()


def write(cb: Casebook, out: Path, scope: Scope, **kw: Any) -> Path:
    export_report(cb.store, scope, "csv", out, **kw)
    return out


def test_a_shorter_period_inside_one_published_is_stopped_with_both_named(
    sup: Casebook, tmp_path: Path
) -> None:
    write(sup, tmp_path / "h1.csv", Scope(H1))
    later = tmp_path / "jan-may.csv"
    with pytest.raises(OverlapsEarlierReportError) as stopped:
        write(sup, later, Scope(Period.parse("2026-01..2026-05")))
    said = str(stopped.value)
    assert "January to June 2026, all workers" in said
    assert "January to May 2026, all workers" in said
    assert "Nothing was written" in said
    assert not later.exists() and not later.with_name(later.name + ".part").exists()

    # the supervisor was told and chose to: written, and remembered like any other
    assert write(sup, later, Scope(Period.parse("2026-01..2026-05")), overlap_ok=True).exists()
    with pytest.raises(OverlapsEarlierReportError):
        write(sup, tmp_path / "feb-may.csv", Scope(Period.parse("2026-02..2026-05")))


def test_fixed_periods_and_the_same_scope_again_are_written_without_a_word(
    sup: Casebook, tmp_path: Path
) -> None:
    write(sup, tmp_path / "h1.csv", Scope(H1))
    write(sup, tmp_path / "h2.csv", Scope(Period.parse("2026-07..2026-12")))
    write(sup, tmp_path / "h1-again.pdf", Scope(H1))  # the same figures: nothing to subtract
    # internal reports stay on the supervisor's desk: exact, and never compared
    write(sup, tmp_path / "mar.csv", Scope(Period.parse("2026-03")), audience="internal")
    with pytest.raises(OverlapsEarlierReportError):  # a year over both halves
        write(sup, tmp_path / "year.csv", Scope(Period.parse("2026-01..2026-12")))


def test_workers_overlap_as_periods_do(sup: Casebook, tmp_path: Path) -> None:
    write(sup, tmp_path / "a.csv", Scope(H1, frozenset({"worker-a"}), "North team"))
    write(sup, tmp_path / "b.csv", Scope(H1, frozenset({"worker-b"})))  # nobody in common
    with pytest.raises(OverlapsEarlierReportError) as stopped:  # all workers less worker A
        write(sup, tmp_path / "all.csv", Scope(H1))
    assert "January to June 2026, North team" in str(stopped.value)
    with pytest.raises(OverlapsEarlierReportError) as stopped:
        write(sup, tmp_path / "ab.csv", Scope(H1, frozenset({"worker-a", "worker-b"})))
    assert "January to June 2026, 2 workers" in str(stopped.value)


def test_what_was_published_is_kept_in_the_vault_across_a_lock(tmp_path: Path) -> None:
    path = tmp_path / "sup.vault"
    cb, _ = bundles.create_vault(path, PASSPHRASE, supervisor=True)
    write(cb, tmp_path / "h1.csv", Scope(H1))
    cb.lock()
    again = Casebook.unlock(path, PASSPHRASE)
    try:
        with pytest.raises(OverlapsEarlierReportError):
            write(again, tmp_path / "q2.csv", Scope(Period.parse("2026-04..2026-06")))
    finally:
        again.lock()


def test_the_command_line_says_how_to_write_it_anyway(tmp_path: Path) -> None:
    vault = tmp_path / "sup.vault"
    made = linksdesk(tmp_path, "new", "--supervisor", "--vault", str(vault), passphrase=PASSPHRASE)
    assert made.returncode == 0, made.stderr

    def report(period: str, out: str, *extra: str) -> Any:
        return linksdesk(
            tmp_path, "report", "--vault", str(vault), "--period", period, "--format", "csv",
            "--out", str(tmp_path / out), *extra, passphrase=PASSPHRASE,
        )  # fmt: skip

    assert report("2026-01..2026-06", "h1.csv").returncode == 0
    refused = report("2026-04..2026-09", "q2q3.csv")
    assert refused.returncode != 0
    line = assert_one_plain_line(refused)
    assert "overlaps it" in line and "--overlap-ok" in line and "April to September 2026" in line
    assert not (tmp_path / "q2q3.csv").exists()
    done = report("2026-04..2026-09", "q2q3.csv", "--overlap-ok")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "q2q3.csv").exists()
