"""Wellbeing change is paired: a fixture where the unpaired difference says the opposite."""

from __future__ import annotations

import datetime as dt
import statistics
from pathlib import Path
from typing import Any

from team_kit import PASSPHRASE, bring_in, outbox_changes

from linksdesk.casework import consent, contacts, measures, participants
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.gp_summary import gp_summary
from linksdesk.core.vocab import ConsentScope, ContactKind, MeasureContext, MeasureKind
from linksdesk.reports.build import report_from_store
from linksdesk.reports.model import Report, Table
from linksdesk.reports.scope import Period, Scope
from linksdesk.reports.stats import t_critical


def wemwbs(total: int) -> list[int]:
    items = [1] * 14
    for i in range(total - 14):
        items[i % 14] += 1
    return items


def carried(cb: Casebook, supervisor: Casebook, period: str, today: dt.date) -> Report:
    """The laptop's changes brought into the supervisor's vault, and its internal report for
    ``period`` (both vaults locked after)."""
    bring_in(supervisor, outbox_changes(cb, 1))
    cb.lock()
    report = report_from_store(supervisor.store, Scope(Period.parse(period)),
                               audience="internal", today=today)  # fmt: skip
    supervisor.lock()
    return report


def wemwbs_row(report: Report) -> tuple[Table, dict[str, Any]]:
    """The wellbeing change table, and its WEMWBS row by column key."""
    table = report.section("wellbeing").table("wellbeing_change")
    return table, dict(
        zip([c.key for c in table.columns], table.row_by_label("WEMWBS"), strict=True)
    )


def test_dashboard_shows_the_paired_change_when_unpaired_means_disagree(tmp_path: Path) -> None:
    cb, _ = Casebook.create(tmp_path / "w.vault", PASSPHRASE)
    supervisor, _ = Casebook.create(tmp_path / "s.vault", PASSPHRASE)
    # two people improve by 4 points; two with high baselines have no follow-up yet
    scores = {"A": (40, 44), "B": (50, 54), "C": (60, None), "D": (62, None)}
    baselines, follow_ups = [], []
    for name, (before, after) in scores.items():
        p = participants.create_participant(cb, given_name=name, family_name="Pairtest").value
        consent.record_consent(cb, p.id, ConsentScope.TEAM, True, recorded_on=dt.date(2026, 1, 5))
        measures.record_measure(
            cb, p.id, MeasureKind.WEMWBS, wemwbs(before),
            context=MeasureContext.BASELINE, taken_on=dt.date(2026, 2, 1),
        )  # fmt: skip
        baselines.append(before)
        contacts.record_contact(cb, p.id, kind=ContactKind.APPOINTMENT,
                                at=dt.datetime(2026, 2, 1, 10))  # fmt: skip
        if after is not None:
            measures.record_measure(
                cb, p.id, MeasureKind.WEMWBS, wemwbs(after),
                context=MeasureContext.REVIEW, taken_on=dt.date(2026, 5, 1),
            )  # fmt: skip
            follow_ups.append(after)
    unpaired = statistics.mean(follow_ups) - statistics.mean(baselines)
    assert unpaired < 0  # the unpaired difference of means says wellbeing fell

    table, row = wemwbs_row(carried(cb, supervisor, "2026-01..2026-06", dt.date(2026, 7, 1)))
    assert row["paired"] == 2 and row["baseline_only"] == 2
    assert row["mean_change"] == 4.0  # paired: both people gained 4 points
    assert row["improved"] == 2 and row["declined"] == 0
    assert any("Only 2 people" in w for w in table.warnings)  # fewer than 30 pairs


def test_t_critical_matches_textbook_values() -> None:
    for df, t in ((1, 12.706), (10, 2.228), (30, 2.042), (40, 2.021), (60, 2.000), (120, 1.980)):
        assert abs(t_critical(df) - t) < 0.002, df


def test_a_person_who_comes_back_is_paired_within_one_episode_of_support(
    tmp_path: Path,
) -> None:
    """A second baseline starts a new episode: a person back after months away is not paired
    with the baseline of their first episode (a fall while nobody was supporting them would
    be counted as a decline in this period, or a gain credited to the wrong support), and
    the episode's dose is its own contacts, not the first episode's too."""
    base, review = MeasureContext.BASELINE, MeasureContext.REVIEW
    people = {
        # back in November with a new baseline only: a baseline, not a decline of 6
        "A": ((2025, 1, 10, 44, base), (2025, 4, 10, 48, review), (2026, 11, 2, 38, base)),
        # back in September, reviewed in December: 36 -> 45, not 40 -> 45
        "B": ((2025, 1, 10, 40, base), (2025, 4, 10, 50, review),
              (2026, 9, 1, 36, base), (2026, 12, 1, 45, review)),
        # reviewed in the period, then back with a new baseline: the reviewed episode counts
        "C": ((2026, 7, 5, 40, base), (2026, 8, 20, 47, review), (2026, 11, 15, 35, base)),
    }  # fmt: skip
    cb, _ = Casebook.create(tmp_path / "w.vault", PASSPHRASE)
    supervisor, _ = Casebook.create(tmp_path / "s.vault", PASSPHRASE)
    for name, scores in people.items():
        p = participants.create_participant(cb, given_name=name, family_name="Episodes").value
        consent.record_consent(cb, p.id, ConsentScope.TEAM, True, recorded_on=dt.date(2025, 1, 5))
        for y, m, d, total, context in scores:
            measures.record_measure(cb, p.id, MeasureKind.WEMWBS, wemwbs(total),
                                    context=context, taken_on=dt.date(y, m, d))  # fmt: skip
        if name == "B":  # five contacts the first time round, one since coming back
            for y, m in ((2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 10)):
                contacts.record_contact(cb, p.id, kind=ContactKind.APPOINTMENT,
                                        at=dt.datetime(y, m, 12, 10))  # fmt: skip
    report = carried(cb, supervisor, "2026-07..2026-12", dt.date(2027, 1, 4))
    _table, row = wemwbs_row(report)
    assert (row["paired"], row["baseline_only"]) == (2, 1)
    assert row["mean_change"] == 8.0  # B gained 9, C 7
    assert (row["improved"], row["no_change"], row["declined"]) == (2, 0, 0)
    dose = report.section("wellbeing").table("wellbeing_dose")
    paired = dose.column_index("paired")
    assert dose.row_by_label("WEMWBS, fewer than 3 contacts")[paired] == 2  # B and C
    assert dose.row_by_label("WEMWBS, 3 or more contacts")[paired] == 0


def test_scores_of_one_day_pair_as_recorded_in_the_reports_the_record_and_the_gp_summary(
    tmp_path: Path,
) -> None:
    """At the last meeting the worker recorded a review (50), then the closing score (45).
    The reports ordered a day's scores by value and paired 40 with 50 (+10), while the
    Wellbeing tab and the GP summary showed 45 as the latest (+5)."""
    cb, _ = Casebook.create(tmp_path / "w.vault", PASSPHRASE)
    supervisor, _ = Casebook.create(tmp_path / "s.vault", PASSPHRASE)
    p = participants.create_participant(cb, given_name="Same", family_name="Dayscores").value
    for scope in (ConsentScope.TEAM, ConsentScope.GP):
        consent.record_consent(cb, p.id, scope, True, recorded_on=dt.date(2026, 1, 5))
    for day, total, context in (
        (dt.date(2026, 2, 1), 40, MeasureContext.BASELINE),
        (dt.date(2026, 5, 1), 50, MeasureContext.REVIEW),
        (dt.date(2026, 5, 1), 45, MeasureContext.CLOSING),
    ):
        measures.record_measure(cb, p.id, MeasureKind.WEMWBS, wemwbs(total), context=context,
                                taken_on=day)  # fmt: skip
    on_the_tab = measures.list_measures(cb, p.id)
    (change,) = gp_summary(cb, p.id).wellbeing
    _table, row = wemwbs_row(carried(cb, supervisor, "2026-01..2026-06", dt.date(2026, 7, 1)))
    assert [m.total for m in on_the_tab] == [40, 50, 45]
    assert on_the_tab[-1].vs_baseline is not None and on_the_tab[-1].vs_baseline.difference == 5
    assert change.latest is not None and change.latest.total == 45
    assert row["paired"] == 1 and row["mean_change"] == 5.0  # was 10.0: the higher of the day
