"""The very same scope as an external report written before, written again after late records
arrived: each version is safe alone, but one subtracted from the other gives the counts of
the late records. The vault keeps a keyed digest of each version's published cells (never a
figure) and asks, as it does for an overlap."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from small_team import laptop_and_supervisor, sharing_person
from test_reports_overlap import H1, write

from linksdesk.casework import referrals
from linksdesk.casework.casebook import Casebook
from linksdesk.core.errors import ChangedSinceEarlierReportError, OverlapsEarlierReportError
from linksdesk.core.vocab import ReferralSource
from linksdesk.reports.scope import Scope
from linksdesk.storage.published import PUBLISHED_KEY
from linksdesk.storage.tables import LocalSetting

WRITTEN = dt.date(2026, 12, 5)


def referred_in_march(laptop: Casebook, people: range) -> None:
    for n in people:
        pid = sharing_person(laptop, n)
        referrals.record_referral(
            laptop, pid, source=ReferralSource.GP, received_on=dt.date(2026, 3, 2)
        )


def test_the_same_scope_with_late_records_is_stopped_then_written_when_chosen(
    tmp_path: Path,
) -> None:
    with laptop_and_supervisor(tmp_path) as (laptop, sup, carry):
        referred_in_march(laptop, range(12))
        carry()
        write(sup, tmp_path / "h1.csv", Scope(H1), today=WRITTEN)
        # nothing new, a month later: without a word (how old each worker's newest data is
        # grows with the day, not with the records)
        write(sup, tmp_path / "h1-again.xlsx", Scope(H1), today=dt.date(2027, 1, 5))

        referred_in_march(laptop, range(12, 13))  # one late referral, back in March
        carry()
        later = tmp_path / "h1-late.csv"
        with pytest.raises(ChangedSinceEarlierReportError) as stopped:
            write(sup, later, Scope(H1), today=WRITTEN)
        # the dashboard's "Write this report anyway?" and the command line's --overlap-ok
        assert isinstance(stopped.value, OverlapsEarlierReportError)
        said = str(stopped.value)
        assert "January to June 2026, all workers" in said
        assert "with different figures" in said and "Nothing was written" in said
        assert not later.exists() and not later.with_name(later.name + ".part").exists()

        # the supervisor was told and chose to: written, and this version remembered too
        assert write(sup, later, Scope(H1), overlap_ok=True, today=WRITTEN).exists()
        write(sup, tmp_path / "h1-late-again.pdf", Scope(H1), today=WRITTEN)  # already out
        with sup.store.read() as s:
            kept = s.get(LocalSetting, PUBLISHED_KEY)
            assert kept is not None
            (entry,) = kept.value
        assert sorted(entry) == ["digests", "first", "last", "team", "workers", "written_on"]
        assert len(entry["digests"]) == 2  # two versions, as keyed digests: no figure kept
        assert all(len(d) == 64 and int(d, 16) >= 0 for d in entry["digests"])
