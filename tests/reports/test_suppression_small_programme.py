"""A small programme's external report: fewer than ten people with any concern in the period
made the suppression fail on the concerns table ("People with any concern" is a count of
people, not a sum of the rows above it), so the command stopped on "an unexpected problem (a
bug)" and no external report could be made at all. Through the real command line, every
format, with the small counts hidden in the file."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from small_team import sharing_person, supervisor_with
from test_cli import PASSPHRASE, linksdesk

from linksdesk.casework import concerns
from linksdesk.casework.casebook import Casebook
from linksdesk.core.vocab import ConcernStage
from linksdesk.reports.model import SUPPRESSED_MARK


def _three_with_a_concern(laptop: Casebook) -> None:
    for n in range(3):
        pid = sharing_person(laptop, n)
        concerns.add_concern(laptop, pid, "Isolation", stage=ConcernStage.AT_REFERRAL,
                             identified_on=dt.date(2026, 3, 1))  # fmt: skip


def _csv_table(path: Path, title: str) -> list[list[str]]:
    with path.open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    start = rows.index([title]) + 1
    end = next(i for i in range(start, len(rows)) if not rows[i])
    return rows[start:end]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_a_few_people_with_concerns_still_make_an_external_report(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"board.{fmt}"
    with supervisor_with(tmp_path, _three_with_a_concern):
        pass  # the vault is written; the command line opens it on its own
    done = linksdesk(tmp_path / "home", "report", "--vault", str(tmp_path / "sup.vault"),
                     "--period", "2026-03", "--format", fmt, "--out", str(out),
                     passphrase=PASSPHRASE)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "bug" not in done.stderr and "Traceback" not in done.stderr
    assert out.stat().st_size > 0
    if fmt == "csv":
        table = _csv_table(out, "Concerns by prevalence")
        header = table[0]
        rows = {r[0]: dict(zip(header, r, strict=True)) for r in table[1:] if len(r) == len(header)}
        assert header[:4] == ["Concern", "At referral", "Surfaced later", "People"]
        assert rows["Isolation"]["At referral"] == SUPPRESSED_MARK  # 3
        assert rows["Isolation"]["People"] == SUPPRESSED_MARK
        assert rows["People with any concern"]["People"] == SUPPRESSED_MARK
        with out.open(encoding="utf-8-sig") as f:
            cells = [c for row in csv.reader(f) for c in row]
        assert "3" not in cells  # the small count is nowhere in the file
