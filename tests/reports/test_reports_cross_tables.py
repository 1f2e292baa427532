"""A demo team where tables suppressed one by one gave a hidden count away across tables.

Fifteen people improve on WEMWBS; three of them had fewer than 3 attended contacts. The
wellbeing-change row publishes 15 pairs (not small), the "3 or more contacts" row 12 (not
small) and the "fewer than 3" row hides its 3. Suppressed table by table (the old code),
15 - 12 gives the 3 back. Suppressed jointly, it cannot be worked out from anything the
external report publishes. Four of them also answered ONS4 twice: a small number of pairs,
hidden on every question, with the means built on it.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from team_kit import PASSPHRASE, bring_in, outbox_changes

from linksdesk.casework import consent, contacts, measures, participants
from linksdesk.casework.casebook import Casebook
from linksdesk.core.vocab import ConsentScope, ContactKind, MeasureContext, MeasureKind
from linksdesk.reports.build import report_from_store
from linksdesk.reports.export import export_report
from linksdesk.reports.model import Table
from linksdesk.reports.scope import Period, Scope
from linksdesk.reports.suppression import suppress_table

PERIOD = Period.parse("2026-01..2026-06")
TODAY = dt.date(2026, 7, 1)
COUNTS = ("paired", "baseline_only", "improved", "no_change", "declined")


def wemwbs(total: int) -> list[int]:
    items = [1] * 14
    for i in range(total - 14):
        items[i % 14] += 1
    return items


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("cross")
    cb, _ = Casebook.create(root / "w.vault", PASSPHRASE)
    supervisor, _ = Casebook.create(root / "s.vault", PASSPHRASE)
    for n in range(15):
        p = participants.create_participant(cb, given_name="Crossway", family_name=f"T{n}",
                                            referred_on=dt.date(2026, 1, 5)).value  # fmt: skip
        consent.record_consent(cb, p.id, ConsentScope.TEAM, True, recorded_on=dt.date(2026, 1, 5))
        for day, total, ctx in ((dt.date(2026, 2, 1), 40, MeasureContext.BASELINE),
                                (dt.date(2026, 5, 1), 45, MeasureContext.REVIEW)):  # fmt: skip
            measures.record_measure(cb, p.id, MeasureKind.WEMWBS, wemwbs(total),
                                    context=ctx, taken_on=day)  # fmt: skip
        for k in range(1 if n < 3 else 3):
            contacts.record_contact(cb, p.id, kind=ContactKind.APPOINTMENT,
                                    at=dt.datetime(2026, 2, 2 + k, 10))  # fmt: skip
        if n < 4:  # ONS4 twice: life satisfaction +2, worthwhile +1, happy 0, anxious -3
            for day, answers in ((dt.date(2026, 2, 1), [4, 5, 6, 7]),
                                 (dt.date(2026, 5, 1), [6, 6, 6, 4])):  # fmt: skip
                measures.record_measure(cb, p.id, MeasureKind.ONS4, answers,
                                        context=MeasureContext.REVIEW, taken_on=day)  # fmt: skip
    bring_in(supervisor, outbox_changes(cb, 1))
    cb.lock()
    yield supervisor
    supervisor.lock()


def tables(report: Any) -> dict[str, Table]:
    return {t.key: t for s in report.sections for t in s.tables}


def row(table: Table, label: str) -> dict[str, Any]:
    return dict(zip([c.key for c in table.columns], table.row_by_label(label), strict=True))


def determined(change: Table, dose: Table) -> list[tuple[str, str]]:
    """Hidden counts of the two wellbeing tables that their published counts pin down, by exact
    elimination over what the test knows ties them (written here, not taken from reports/):
    each dose pair of rows adds up to its scale's row, and paired = improved + no change +
    declined in every row."""
    cells = {(t.key, r[0], k): r[t.column_index(k)]
             for t in (change, dose) for r in t.rows for k in COUNTS}  # fmt: skip
    eqs: list[dict[Any, int]] = []
    for r in change.rows:
        scale = r[0]
        for k in COUNTS:
            eqs.append({(change.key, scale, k): 1,
                        (dose.key, f"{scale}, fewer than 3 contacts", k): -1,
                        (dose.key, f"{scale}, 3 or more contacts", k): -1})  # fmt: skip
    for t in (change, dose):
        for r in t.rows:
            eqs.append({(t.key, r[0], "paired"): 1, (t.key, r[0], "improved"): -1,
                        (t.key, r[0], "no_change"): -1, (t.key, r[0], "declined"): -1})  # fmt: skip
    hidden = sorted(c for c, v in cells.items() if v is None)
    # reduced row echelon form of the equations restricted to the hidden cells
    pivots: dict[Any, dict[Any, Fraction]] = {}
    for eq in eqs:
        row_ = {c: Fraction(v) for c, v in eq.items() if c in hidden}
        for p in list(row_):
            if p in pivots and p in row_:
                f = row_[p]
                for c, v in pivots[p].items():
                    row_[c] = row_.get(c, Fraction(0)) - f * v
                row_ = {c: v for c, v in row_.items() if v}
        if row_:
            p = min(row_)
            row_ = {c: v / row_[p] for c, v in row_.items()}
            for other in pivots.values():
                if p in other:
                    f = other[p]
                    for c, v in row_.items():
                        other[c] = other.get(c, Fraction(0)) - f * v
                    for c in [c for c, v in other.items() if not v]:
                        del other[c]
            pivots[p] = row_
    return [(c[1], c[2]) for c, r in pivots.items() if len(r) == 1]


def test_a_dose_row_hidden_alone_was_given_back_by_the_change_row(vault: Any) -> None:
    internal = tables(report_from_store(vault.store, Scope(PERIOD), audience="internal",
                                        today=TODAY))  # fmt: skip
    few = row(internal["wellbeing_dose"], "WEMWBS, fewer than 3 contacts")
    many = row(internal["wellbeing_dose"], "WEMWBS, 3 or more contacts")
    whole = row(internal["wellbeing_change"], "WEMWBS")
    assert (few["paired"], many["paired"], whole["paired"]) == (3, 12, 15)
    # the old code: each table suppressed alone
    change = suppress_table(internal["wellbeing_change"])
    dose = suppress_table(internal["wellbeing_dose"])
    assert row(dose, "WEMWBS, fewer than 3 contacts")["paired"] is None
    gave_back = row(change, "WEMWBS")["paired"] - row(dose, "WEMWBS, 3 or more contacts")["paired"]
    assert gave_back == 3  # the hidden count, worked back across the two tables
    assert ("WEMWBS, fewer than 3 contacts", "paired") in determined(change, dose)


def test_external_report_hides_it_everywhere_that_gives_it_back(vault: Any) -> None:
    external = tables(report_from_store(vault.store, Scope(PERIOD), audience="external",
                                        today=TODAY))  # fmt: skip
    change, dose = external["wellbeing_change"], external["wellbeing_dose"]
    assert row(dose, "WEMWBS, fewer than 3 contacts")["paired"] is None
    published = [row(change, "WEMWBS")["paired"], row(dose, "WEMWBS, 3 or more contacts")["paired"]]
    assert None in published  # 15 - 12 can no longer be done
    assert determined(change, dose) == []
    # the same count in the caseload and waiting-times tables is shown or hidden alike
    caseload, timeliness = external["caseload"], external["timeliness"]
    new, referred = caseload.column_index("new_referrals"), timeliness.column_index("referrals")
    for a, b in zip(caseload.rows, timeliness.rows, strict=True):
        assert (a[new] is None) == (b[referred] is None)


def test_ons4_paired_change_per_question_and_hidden_in_external_reports(
    vault: Any, tmp_path: Path
) -> None:
    internal = tables(report_from_store(vault.store, Scope(PERIOD), audience="internal",
                                        today=TODAY))["ons4_change"]  # fmt: skip
    want = {"Life satisfaction": 2.0, "Worthwhile": 1.0, "Happy yesterday": 0.0,
            "Anxious yesterday": -3.0}  # fmt: skip
    for label, change in want.items():
        r = row(internal, label)
        assert (r["paired"], r["baseline_only"], r["mean_change"]) == (4, 0, change)
        assert (r["ci_low"], r["ci_high"]) == (change, change)  # everyone changed alike
    assert internal.warnings == (
        "ONS4: Only 4 people have scores at two time points; an average change needs at "
        "least 30 before it can be relied on.",
    )
    report = export_report(vault.store, Scope(PERIOD), "csv", tmp_path / "r.csv",
                           audience="external", today=TODAY)  # fmt: skip
    external = report.section("wellbeing").table("ons4_change")
    for r in external.rows:
        # n hidden on every question, with the means built on it (0 is not a small number)
        assert r[2:] == (None, 0, None, None, None), r
    assert all("4" not in w.replace("ONS4", "") for w in external.warnings)
    text = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert "Anxious yesterday,Lower is better,c," in text
    wemwbs = report.section("wellbeing").table("wellbeing_change").warnings
    assert wemwbs and not any("15" in w or "Only" in w for w in wemwbs)
