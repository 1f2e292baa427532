"""Golden numbers: every figure of the dashboard equals a count made from what went in."""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from expected import SOURCES, expected, months
from sqlalchemy import text
from team_kit import LOOKUP, PERIOD, TODAY

from linksdesk.core.vocab import ContactKind, ContactStatus, OnwardStatus
from linksdesk.reports.build import report_from_store
from linksdesk.reports.model import Report, Table
from linksdesk.reports.scope import Period, Scope

P = Period.parse(PERIOD)
ROOT = Path(__file__).resolve().parents[2]


def internal(cb: Any, **kw: Any) -> Report:
    return report_from_store(cb.store, Scope(P, **kw), audience="internal", today=TODAY)


def rows_by_label(table: Table) -> dict[Any, dict[str, Any]]:
    keys = [c.key for c in table.columns]
    return {r[0]: dict(zip(keys, r, strict=True)) for r in table.rows}


def tables_of(report: Report) -> dict[str, Table]:
    return {t.key: t for s in report.sections for t in s.tables}


def test_every_figure_equals_a_count_of_what_went_in(team: Any) -> None:
    supervisor, ledger = team
    T = tables_of(internal(supervisor))
    assert_golden(T, ledger)
    assert len(T["ons4_change"].warnings) == 1  # fewer than 30 ONS4 pairs, said beside them


def assert_golden(T: dict[str, Table], ledger: Any) -> None:
    """Every figure of the tables against counts made from the ledger."""
    want = expected(ledger, P.first, P.last, TODAY, LOOKUP)
    label = {r[0]: r for r in T["caseload"].rows}
    assert len(ledger.workers) == 5 and len(label) == 6  # five workers and the team

    # caseload: one row per worker, in the order of their labels
    caseload = T["caseload"]
    by_owner = dict(zip(sorted(ledger.workers, key=lambda w: f"Worker {w[-6:]}"),
                        caseload.rows[:-1], strict=True))  # fmt: skip
    for w, row in by_owner.items():
        got = dict(zip([c.key for c in caseload.columns], row, strict=True))
        for key, value in want["caseload"][w].items():
            assert got[key] == value, (key, w)
    total = caseload.rows[-1]
    assert total[1:] == tuple(
        sum(want["caseload"][w][k] for w in ledger.workers)
        for k in ("open_now", "worked_with", "new_referrals")
    )
    assert total[2] > 0 and total[3] > 0

    # referrals in by source and month
    table = rows_by_label(T["referrals_by_source"])
    for source in SOURCES.values():
        for month in months(P.first, P.last):
            assert table[source][month] == want["referrals_by_source"][(source, month)]
    assert table["Total"]["total"] == sum(want["referrals_by_source"].values())

    # waits, per worker and for the team
    waits = T["timeliness"]
    rows = rows_by_label(waits)
    for w in [*ledger.workers, None]:
        got = rows[f"Worker {w[-6:]}" if w else "All workers"]
        for key, value in want["timeliness"][w or "all"].items():
            assert got[key] == value, (key, w)

    # concerns: at referral vs surfaced later, people counted once per concern
    concerns = rows_by_label(T["concerns"])
    assert set(concerns) - {"People with any concern"} == set(want["concerns"])
    for cat, counts in want["concerns"].items():
        assert concerns[cat]["at_referral"] == counts["at_referral"]
        assert concerns[cat]["later"] == counts["later"]
        assert concerns[cat]["share"] == round(
            100 * (counts["at_referral"] + counts["later"]) / want["concerns_any"], 1
        )
    assert concerns["People with any concern"]["people"] == want["concerns_any"]
    for cat, counts in want["concerns"].items():
        assert concerns[cat]["people"] == counts["at_referral"] + counts["later"]

    # contacts by kind and outcome, and the did-not-attend rate
    contacts = rows_by_label(T["contacts_by_kind"])
    for kind in ContactKind:
        for key in (*ContactStatus, "not_reached"):
            assert contacts[kind.label][key] == want["contacts"][(kind.value, key)], (kind, key)
    att = sum(v for (k, s), v in want["contacts"].items() if s == "attended")
    dna = sum(v for (k, s), v in want["contacts"].items() if s == "did_not_attend")
    assert contacts["Total"]["dna_rate"] == round(100 * dna / (att + dna), 1)
    for kind in ContactKind:
        mine = {s: n for (k, s), n in want["contacts"].items() if k == kind.value}
        assert contacts[kind.label]["total"] == sum(mine.values())
        seen, missed = mine.get("attended", 0), mine.get("did_not_attend", 0)
        want_rate = round(100 * missed / (seen + missed), 1) if seen + missed else None
        assert contacts[kind.label]["dna_rate"] == want_rate, kind
    appointments = T["appointments"]
    for w, row in zip(sorted(ledger.workers, key=lambda w: f"Worker {w[-6:]}"),
                      appointments.rows, strict=False):  # fmt: skip
        got = dict(zip([c.key for c in appointments.columns], row, strict=True))
        for key, value in want["appointments"][w].items():
            assert got[key] == value, (key, w)
        assert got["within"] == want["appointments"][w]["within"]

    # goals set in the period by status at its end
    goals = T["goals"]
    for w, row in zip(sorted(ledger.workers, key=lambda w: f"Worker {w[-6:]}"),
                      goals.rows, strict=False):  # fmt: skip
        got = dict(zip([c.key for c in goals.columns], row, strict=True))
        c = want["goals"][w]
        assert got["set"] == sum(c.values())
        assert got["achieved"] == c["achieved"]
        assert got["in_progress"] == c["active"]
        assert got["partly"] == c["partly_achieved"]
        assert got["other"] == c["on_hold"] + c["stopped"]

    # wellbeing: paired change only
    change = rows_by_label(T["wellbeing_change"])
    dose = rows_by_label(T["wellbeing_dose"])
    for kind, name in (("wemwbs", "WEMWBS"), ("swemwbs", "SWEMWBS")):
        for group, row in (
            ("all", change[name]),
            ("few", dose[f"{name}, fewer than 3 contacts"]),
            ("many", dose[f"{name}, 3 or more contacts"]),
        ):
            w = want["wellbeing"][f"{kind}/{group}"]
            for key in ("paired", "baseline_only", "improved", "no_change", "declined"):
                assert row[key] == w[key], (kind, group, key)
            assert row["improved_share"] == w["improved_share"], (kind, group)
            for key in ("mean_change", "ci_low", "ci_high"):
                if key in w:
                    assert row[key] == pytest.approx(w[key], abs=0.011), (kind, group, key)
    assert want["wellbeing"]["wemwbs/all"]["paired"] > 2  # the fixture has pairs to average

    # ONS4: paired change per question, never summed, no "improved" shares
    ons4 = T["ons4_change"]
    assert [c.key for c in ons4.columns if c.key in ("improved", "improved_share")] == []
    questions = ("Life satisfaction", "Worthwhile", "Happy yesterday", "Anxious yesterday")
    assert [r[0] for r in ons4.rows] == list(questions)
    for row, w in zip(rows_by_label(ons4).values(), want["ons4"], strict=True):
        assert row["paired"] == w["paired"] and row["baseline_only"] == w["baseline_only"]
        for key in ("mean_change", "ci_low", "ci_high"):
            assert row[key] == pytest.approx(w[key], abs=0.011), (row["question"], key)
    assert rows_by_label(ons4)["Anxious yesterday"]["better"] == "Lower is better"
    assert 2 < want["ons4"][0]["paired"] < 30  # pairs to average, and the warning is due
    if ons4.warnings:  # the dashboard's tables; files carry the warning as a note
        assert ons4.warnings == (
            f"ONS4: Only {want['ons4'][0]['paired']} people have scores at two time points; "
            "an average change needs at least 30 before it can be relied on.",
        )

    # onward referrals per resource per month, and by status
    onward = rows_by_label(T["onward_by_month"])
    for (res, month), n in want["onward_month"].items():
        assert onward[res][month] == n
    assert onward["Total"]["total"] == sum(want["onward_month"].values())
    outcomes = rows_by_label(T["onward_outcomes"])
    for (res, status), n in want["onward_status"].items():
        assert outcomes[res][status] == n
    assert set(want["onward_status"]) and all(s.value in outcomes["Total"] for s in OnwardStatus)
    for res, n in want["onward_total"].items():
        assert onward[res]["total"] == n and outcomes[res]["total"] == n, res
        assert outcomes[res]["capacity"] == want["onward_capacity"][res], res
    # the days between an onward referral's steps, each in the period of its later step
    times = rows_by_label(T["onward_times"])
    for label, key in (("Suggested to made", "onward_to_made"),
                       ("Made to attended", "onward_to_attended")):  # fmt: skip
        days = want[key]
        assert days, key  # the golden team has both
        assert times[label]["referrals"] == len(days)
        assert times[label]["median_days"] == round(float(np.median(days)), 1)
        assert times[label]["p90_days"] == round(float(np.percentile(days, 90)), 1)

    # deprivation from the loaded lookup, unknown counted
    dep = T["deprivation"].rows
    d = want["deprivation"]
    assert [r[1] for r in dep] == [d["d1"], d["d2"], d["rest"], d["unknown"], d["total"]]
    assert d["unknown"] > 0 and d["d1"] > 0
    # the headline figures: most deprived 10 % and 20 %, unknown counted, as shares of all
    head = rows_by_label(T["deprivation_headline"])
    share = {k: round(100 * d[k] / d["total"], 1) for k in ("most10", "most20", "unknown")}
    assert head["Most deprived 10 % (decile 1)"]["people"] == d["most10"]
    assert head["Most deprived 20 % (deciles 1 and 2)"]["people"] == d["most20"]
    assert head["Unknown"]["people"] == d["unknown"]
    assert head["People in the period"]["people"] == d["total"]
    for label, key in (
        ("Most deprived 10 % (decile 1)", "most10"),
        ("Most deprived 20 % (deciles 1 and 2)", "most20"),
        ("Unknown", "unknown"),
    ):
        assert head[label]["share"] == pytest.approx(share[key], abs=0.06), label
    assert d["most20"] > d["most10"]  # the fixture tells the two figures apart

    # people not shared with the team: only their anonymous monthly totals arrive
    unshared = T["unshared"]
    for row in unshared.rows[:-1]:
        owner = next(w for w in ledger.workers if row[0] == f"Worker {w[-6:]}")
        got = dict(zip([c.key for c in unshared.columns], row, strict=True))
        for key, value in want["unshared"][owner].items():
            assert got[key] == value, (key, owner)
    assert sum(v["referrals"] for v in want["unshared"].values()) > 0

    # data as of, per worker
    fresh = T["freshness"]
    for row in fresh.rows:
        owner = next(w for w in ledger.workers if row[0] == f"Worker {w[-6:]}")
        assert row[3] == want["on_record"][owner]
        assert isinstance(row[1], dt.datetime)


def test_one_worker_filter_counts_only_their_people(team: Any) -> None:
    supervisor, ledger = team
    w = ledger.workers[2]
    T = tables_of(internal(supervisor, workers=frozenset({w})))
    want = expected(ledger, P.first, P.last, TODAY, LOOKUP)
    caseload = T["caseload"].rows
    assert len(caseload) == 2  # the worker and the total
    assert caseload[0][1:] == tuple(want["caseload"][w].values())
    refs = T["referrals_by_source"].rows[-1][-1]
    assert refs == want["caseload"][w]["new_referrals"]


def test_participants_without_team_consent_never_reach_the_supervisor(team: Any) -> None:
    supervisor, ledger = team
    unshared = [p for p in ledger.people if not p["shared"]]
    assert unshared, "the fixture needs someone who did not consent"
    T = tables_of(internal(supervisor))
    on_record = sum(r[3] for r in T["freshness"].rows)
    assert on_record == len(ledger.people) - len(unshared)


def test_safe_caseload_settings_are_editable_and_make_workers_stand_out(team: Any) -> None:
    from linksdesk.reports.build import load_settings, save_settings
    from linksdesk.reports.settings import ReportSettings

    supervisor, _ledger = team
    with supervisor.store.read() as s:
        assert load_settings(s) == ReportSettings()  # 40 open, 250 a year, 14 days, 10
    caseload = tables_of(internal(supervisor))["caseload"]
    assert not caseload.flagged  # a dozen people each: nobody near 40
    save_settings(supervisor.store, ReportSettings(safe_open_cases=5, wait_target_days=30))
    try:
        T = tables_of(internal(supervisor))
        flagged = {T["caseload"].rows[i][0] for i in T["caseload"].flagged}
        want = {r[0] for r in T["caseload"].rows[:-1] if r[1] > 5}
        assert flagged == want and flagged
        assert all("over the safe caseload" in w for w in T["caseload"].warnings)
        assert "within 30 days" in T["timeliness"].description
    finally:
        save_settings(supervisor.store, ReportSettings())
    with pytest.raises(Exception, match="between 1 and 1000"):
        save_settings(supervisor.store, ReportSettings(safe_open_cases=0))


def test_the_benchmarks_raw_sql_pairs_within_episodes_as_the_figures_do(team: Any) -> None:
    """benchmarks/reports.py times the figures against hand-written SQL: that SQL must count
    the same pairs (the fixture has people who came back with a second baseline)."""
    supervisor, ledger = team
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "reports.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    params = {"a": P.first.isoformat(), "b": P.last.isoformat()}
    with supervisor.store.read() as s:
        raw = {k: (n, mean) for k, n, mean in s.execute(text(bench.RAW["wellbeing"]), params)}
        ons4 = s.execute(text(bench.RAW["ons4"]), params).one()
        worked = dict(s.execute(text(bench.RAW["caseload_worked"]), params).all())
        in_period = s.execute(text(bench.RAW["people_in_period"]), params).scalar()
        goals = {(w, st): n for w, st, n in s.execute(text(bench.RAW["goals"]), params)}
        onward = list(s.execute(text(bench.RAW["onward"]), params))
        unseen = sum(1 for _w, days in s.execute(text(bench.RAW["waits"]), params) if days is None)
    want = expected(ledger, P.first, P.last, TODAY, LOOKUP)
    # people seen, never those only tried (an attempted contact is stored as attended)
    assert worked == {w: n["worked_with"] for w, n in want["caseload"].items() if n["worked_with"]}
    assert in_period == want["deprivation"]["total"]
    # goals by their status at the period's end, waits as at its end
    assert goals == {(w, st): n for w, c in want["goals"].items() for st, n in c.items() if n}
    # onward referrals by the day first recorded and their status at the period's end
    label = {r["id"]: r["label"] for r in ledger.resources}
    by_status: Counter[tuple[str, str]] = Counter()
    for rid, _month, status, n in onward:
        by_status[(label[rid], status)] += n
    assert by_status == want["onward_status"]
    assert unseen == want["timeliness"]["all"]["not_yet_seen"]
    for kind in ("wemwbs", "swemwbs"):
        w = want["wellbeing"][f"{kind}/all"]
        assert raw[kind][0] == w["paired"], kind
        assert raw[kind][1] == pytest.approx(w["mean_change"], abs=0.006), kind
    assert ons4[0] == want["ons4"][0]["paired"]
    for q in range(4):
        assert ons4[1 + q] == pytest.approx(want["ons4"][q]["mean_change"], abs=0.006)
    marked = [m for m in ledger.measures if m["context"] == "baseline"]
    back = {m["pid"] for m in marked if m["taken_on"] >= P.first}
    assert any(m["pid"] in back and m["taken_on"] < P.first for m in marked)
    # someone came back, and someone's form is dated before their first baseline: the
    # episode rule is exercised here both ways
    first: dict[str, dt.date] = {}
    for m in marked:
        first[m["pid"]] = min(m["taken_on"], first.get(m["pid"], m["taken_on"]))
    assert any(m["taken_on"] < first.get(m["pid"], m["taken_on"]) for m in ledger.measures)
