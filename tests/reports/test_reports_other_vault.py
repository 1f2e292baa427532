"""External reports written from two supervisors' vaults (two supervisors of one programme, or
a programme manager on a second computer): each vault remembers only what it wrote, so two
overlapping reports, or one scope written again after late records, would give small counts
away by subtraction. Each external file carries its publication record (scope and a salted
digest of its figures, never a figure); the second vault takes the files in and compares its
own reports with them as with its own. Real vaults and a real bundle; synthetic data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from small_team import laptop_and_supervisors
from test_cli import PASSPHRASE, linksdesk
from test_reports_overlap import H1, write
from test_reports_republished import referred_in_march

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.supervision import take_in_published
from linksdesk.core.errors import (
    ChangedSinceEarlierReportError,
    OverlapsEarlierReportError,
    UserError,
)
from linksdesk.reports.export import export_report
from linksdesk.reports.scope import Period, Scope


@dataclass
class TwoVaults:
    """One worker's laptop, twelve people referred in March carried into two supervisors'
    vaults; ``carry()`` carries the laptop's bundle as it is now into both again."""

    laptop: Casebook
    first: Casebook
    second: Casebook
    carry: Callable[[], None]


@pytest.fixture
def two(tmp_path: Path) -> Iterator[TwoVaults]:
    with laptop_and_supervisors(tmp_path, 2) as (laptop, (first, second), carry):
        referred_in_march(laptop, range(12))
        carry()
        yield TwoVaults(laptop, first, second, carry)


def test_a_report_from_another_vault_is_compared_once_its_file_is_taken_in(
    tmp_path: Path, two: TwoVaults
) -> None:
    first, second = two.first, two.second
    h1 = write(first, tmp_path / "h1.csv", Scope(H1))
    assert "Publication record,LDPUB1." in h1.read_text(encoding="utf-8-sig")
    assert take_in_published(second, [h1]) == ["January to June 2026, all workers"]
    # the second vault now stops a report that overlaps the first vault's
    may = tmp_path / "jan-may.csv"
    with pytest.raises(OverlapsEarlierReportError) as stopped:
        write(second, may, Scope(Period.parse("2026-01..2026-05")))
    said = str(stopped.value)
    assert "January to June 2026, all workers was written from another supervisor's" in said
    assert not may.exists()
    # the same scope with the same figures: nothing to subtract, written without a word
    write(second, tmp_path / "h1-second.xlsx", Scope(H1))
    # a late record reaches both vaults: the same scope again is asked about
    referred_in_march(two.laptop, range(12, 13))
    two.carry()
    with pytest.raises(ChangedSinceEarlierReportError):
        write(second, tmp_path / "h1-late.csv", Scope(H1))


def test_xlsx_and_pdf_carry_the_record_and_the_command_line_takes_them_in(
    tmp_path: Path, two: TwoVaults
) -> None:
    first, second = two.first, two.second
    q3, q4 = Period.parse("2026-07..2026-09"), Period.parse("2026-10..2026-12")
    xlsx, pdf = tmp_path / "q3.xlsx", tmp_path / "q4.pdf"
    export_report(first.store, Scope(q3), "xlsx", xlsx)
    export_report(first.store, Scope(q4), "pdf", pdf)
    internal = tmp_path / "internal.csv"
    export_report(first.store, Scope(H1), "csv", internal, audience="internal")
    # an internal report carries none: it is never published, never compared
    with pytest.raises(UserError, match="holds no publication record"):
        take_in_published(second, [internal])
    # a file whose record was cut short: refused, nothing taken in
    q1 = write(first, tmp_path / "q1.csv", Scope(Period.parse("2027-01..2027-03")))
    record = q1.read_text(encoding="utf-8-sig")
    damaged = tmp_path / "damaged.csv"
    damaged.write_text(record[: record.index("LDPUB1.") + 30], encoding="utf-8")
    with pytest.raises(UserError, match="publication record is damaged"):
        take_in_published(second, [damaged])
    # the second vault had already given out December: taking the fourth quarter in says so
    write(second, tmp_path / "dec.csv", Scope(Period.parse("2026-12")))
    second.lock()
    done = linksdesk(tmp_path, "published", "--vault", str(tmp_path / "sup-1.vault"),
                     str(xlsx), str(pdf), passphrase=PASSPHRASE)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "report of July to September 2026, all workers.\n" in done.stdout
    assert ("report of October to December 2026, all workers (it overlaps the report for "
            "December 2026, all workers, written from this vault on ") in done.stdout  # fmt: skip
    over = linksdesk(tmp_path, "report", "--vault", str(tmp_path / "sup-1.vault"),
                     "--period", "2026-08..2026-11", "--format", "csv",
                     "--out", str(tmp_path / "aug-nov.csv"), passphrase=PASSPHRASE)  # fmt: skip
    assert over.returncode != 0 and "--overlap-ok" in over.stderr
    assert "July to September 2026, all workers" in over.stderr
    assert not (tmp_path / "aug-nov.csv").exists()
    # what was refused was not taken in: a report of its period is written freely
    again = linksdesk(tmp_path, "report", "--vault", str(tmp_path / "sup-1.vault"),
                      "--period", "2027-01..2027-03", "--format", "csv",
                      "--out", str(tmp_path / "q1-b.csv"), passphrase=PASSPHRASE)  # fmt: skip
    assert again.returncode == 0, again.stderr
