"""Figures counted straight from the ledger of what went in (never through linksdesk.reports)."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np
from team_kit import Ledger

# textbook two-sided 95 % t values (any statistics table)
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
        9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131,
        16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074,
        23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045,
        30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980}  # fmt: skip
SOURCES = {
    "gp": "GP", "practice_staff": "Practice staff",
    "community_organisation": "Community organisation", "housing": "Housing",
    "factoring_service": "Factoring service", "self": "Self", "family": "Family",
    "other": "Other",
}  # fmt: skip


def months(first: dt.date, last: dt.date) -> list[str]:
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


Scored = tuple[dt.date, Any, str]  # day, value, as marked: baseline, review or closing


def paired_episode(
    got: list[Scored], inside: Callable[[dt.date], bool]
) -> tuple[list[Scored], dt.date] | None:
    """Of a person's scores (by day, a day's as recorded), the episode of support the
    reports count, and the last score day before it (the first day of all if it is the
    first episode); None if no score is in the period. Episodes by index: each starts at the
    first score or at a baseline on a later day than where the one before started, once a
    day before it holds a baseline or a closing score (a form dated before the first
    baseline joins that baseline's episode)."""
    marked = min((d for d, _v, context in got if context in ("baseline", "closing")), default=None)
    starts = [0]
    for i, (day, _v, context) in enumerate(got):
        after_a_mark = marked is not None and marked < day
        if context == "baseline" and after_a_mark and day > got[starts[-1]][0]:
            starts.append(i)
    bounds = list(zip(starts, [*starts[1:], len(got)], strict=True))
    here = [(a, b) for a, b in bounds if any(inside(d) for d, _v, _b in got[a:b])]
    if not here:
        return None
    later = [(a, b) for a, b in here if got[b - 1][0] > got[a][0]]
    a, b = (later or here)[-1]
    return got[a:b], got[a - 1][0] if a else dt.date.min


def seen(c: dict[str, Any]) -> bool:
    """The person was seen: attended, and not an attempt (a call not answered reached nobody,
    though it is stored as attended)."""
    return c["status"] == "attended" and c["kind"] != "attempted"


def outcome(c: dict[str, Any]) -> str:
    """The contacts table's column for a contact: an attempt is "not reached", whatever
    status it carries."""
    return "not_reached" if c["kind"] == "attempted" else c["status"]


def expected(
    ledger: Ledger, first: dt.date, last: dt.date, today: dt.date, lookup: dict[str, int]
) -> dict[str, Any]:
    def inside(d: dt.date) -> bool:
        return first <= d <= last

    shared = ledger.shared()
    owner = {p["id"]: p["owner"] for p in ledger.people if p["shared"]}
    refs = [r for r in ledger.referrals if r["pid"] in shared]
    cons = [c for c in ledger.contacts if c["pid"] in shared]
    out: dict[str, Any] = {}

    # caseload
    attended_days: dict[str, list[dt.date]] = defaultdict(list)
    for c in cons:
        if seen(c):
            attended_days[c["pid"]].append(c["day"])
    worked = {p for p, days in attended_days.items() if any(inside(d) for d in days)}
    out["caseload"] = {
        w: {
            "open_now": sum(
                1 for p in ledger.people if p["shared"] and p["owner"] == w and not p.get("closed")
            ),
            "worked_with": sum(1 for p in worked if owner[p] == w),
            "new_referrals": sum(
                1 for r in refs if owner[r["pid"]] == w and inside(r["received_on"])
            ),
        }
        for w in ledger.workers
    }  # fmt: skip

    # referrals by source and month
    grid: Counter[tuple[str, str]] = Counter(
        (SOURCES[r["source"]], r["received_on"].strftime("%Y-%m"))
        for r in refs
        if inside(r["received_on"])
    )
    out["referrals_by_source"] = grid

    # waits
    waits: dict[str, dict[str, Any]] = {}
    for w in [*ledger.workers, None]:
        mine = [r for r in refs if inside(r["received_on"]) and (w is None or owner[r["pid"]] == w)]
        days, unseen, over = [], 0, 0
        until = min(last, today)  # as at the period's end: the same whenever written
        for r in mine:
            later = sorted(d for d in attended_days[r["pid"]] if r["received_on"] <= d <= until)
            if later:
                days.append((later[0] - r["received_on"]).days)
                over += days[-1] > 14
            else:
                unseen += 1
                over += (until - r["received_on"]).days > 14
        waits[w or "all"] = {
            "referrals": len(mine), "seen": len(days), "not_yet_seen": unseen,
            "over_target": over,
            "median_days": round(float(np.median(days)), 1) if days else None,
            "p90_days": round(float(np.percentile(days, 90)), 1) if days else None,
        }  # fmt: skip
    out["timeliness"] = waits

    # concerns
    at_ref: dict[str, set[str]] = defaultdict(set)
    later_: dict[str, set[str]] = defaultdict(set)
    for c in ledger.concerns:
        if c["pid"] in shared and inside(c["day"]):
            (at_ref if c["stage"] == "at_referral" else later_)[c["category"]].add(c["pid"])
    out["concerns"] = {
        cat: {"at_referral": len(at_ref[cat]), "later": len(later_[cat] - at_ref[cat])}
        for cat in set(at_ref) | set(later_)
    }
    out["concerns_any"] = len(set().union(*at_ref.values(), *later_.values()))

    # contacts
    out["contacts"] = Counter((c["kind"], outcome(c)) for c in cons if inside(c["day"]))
    used: Counter[str] = Counter()
    booked: set[str] = set()
    for c in cons:
        counted = c["kind"] not in ("supported_visit", "attempted") and c["status"] != "cancelled"
        if counted and c["day"] <= last:
            used[c["pid"]] += 1
        if counted and inside(c["day"]):
            booked.add(c["pid"])
    out["appointments"] = {
        w: {
            "people": sum(1 for p in booked if owner[p] == w),
            "over": sum(1 for p in booked if owner[p] == w and used[p] > 6),
            "at_limit": sum(1 for p in booked if owner[p] == w and used[p] == 6),
            "within": sum(1 for p in booked if owner[p] == w and used[p] < 6),
            "supported_visits": sum(
                1 for c in cons if owner[c["pid"]] == w and inside(c["day"])
                and c["kind"] == "supported_visit" and c["status"] == "attended"
            ),
        }
        for w in ledger.workers
    }  # fmt: skip

    # goals, by their status at the period's end: one closed after it was active then
    def status_then(g: dict[str, Any]) -> str:
        return "active" if g["closed_on"] and g["closed_on"] > last else g["status"]

    out["goals"] = {
        w: Counter(status_then(g) for g in ledger.goals
                   if g["pid"] in shared and owner[g["pid"]] == w and inside(g["set_on"]))
        for w in ledger.workers
    }  # fmt: skip

    # wellbeing, paired within one episode of support: a person's scores split where a
    # score marked baseline falls on a later day than the start of the episode before it (the
    # person came back), once an earlier day holds a baseline or closing score; of the
    # episodes with a score in the period, the latest with a score on a later day than its
    # first is paired (its first and latest scores), else the person
    # has a baseline only. Its dose: attended contacts after the previous episode's last score
    attended = [(c["pid"], c["day"]) for c in cons if seen(c)]
    wb: dict[str, Any] = {}
    for kind, threshold in (("wemwbs", 3.0), ("swemwbs", 1.0)):
        per: dict[str, list[tuple[dt.date, float, str]]] = defaultdict(list)
        for m in ledger.measures:
            if m["pid"] in shared and m["kind"] == kind and m["taken_on"] <= last:
                per[m["pid"]].append((m["taken_on"], m["value"], m["context"]))
        changes, only = {}, set()
        n_contacts: Counter[str] = Counter()
        for pid, got in per.items():
            # a day's scores as recorded (the ledger's order), never by value
            chosen = paired_episode(sorted(got, key=lambda s: s[0]), inside)
            if chosen is None:
                continue
            episode, since = chosen
            n_contacts[pid] = sum(1 for p, d in attended if p == pid and since < d <= last)
            if episode[-1][0] > episode[0][0]:
                changes[pid] = episode[-1][1] - episode[0][1]
            else:
                only.add(pid)
        for group, keep in (("all", lambda p: True),
                            ("few", lambda p, n=n_contacts: n[p] < 3),
                            ("many", lambda p, n=n_contacts: n[p] >= 3)):  # fmt: skip
            xs = [x for p, x in changes.items() if keep(p)]
            row: dict[str, Any] = {
                "paired": len(xs),
                "baseline_only": sum(1 for p in only if keep(p)),
                "improved": sum(1 for x in xs if round(x, 2) >= threshold),
                "declined": sum(1 for x in xs if round(x, 2) <= -threshold),
                "no_change": sum(1 for x in xs if -threshold < round(x, 2) < threshold),
                "mean_change": round(statistics.mean(xs), 2) if xs else None,
            }
            if len(xs) >= 2:
                half = T975[len(xs) - 1] * statistics.stdev(xs) / math.sqrt(len(xs))
                row["ci_low"] = round(statistics.mean(xs) - half, 2)
                row["ci_high"] = round(statistics.mean(xs) + half, 2)
            improved = row["improved"]
            row["improved_share"] = round(100 * improved / len(xs), 1) if xs else None
            wb[f"{kind}/{group}"] = row
    out["wellbeing"] = wb

    # ONS4, per question, paired as WEMWBS is (first answers, latest later ones, within the
    # episode paired)
    ons: dict[str, list[tuple[dt.date, list[int], str]]] = defaultdict(list)
    for m in ledger.measures:
        if m["pid"] in shared and m["kind"] == "ons4" and m["taken_on"] <= last:
            ons[m["pid"]].append((m["taken_on"], m["answers"], m["context"]))
    per_question: list[dict[str, Any]] = []
    for q in range(4):
        xs, only_ = [], 0
        for got in ons.values():
            answers = sorted(((d, a[q], c) for d, a, c in got), key=lambda s: s[0])
            chosen = paired_episode(answers, inside)
            if chosen is None:
                continue
            episode, _since = chosen
            if episode[-1][0] > episode[0][0]:
                xs.append(episode[-1][1] - episode[0][1])
            else:
                only_ += 1
        row = {"paired": len(xs), "baseline_only": only_,
               "mean_change": round(statistics.mean(xs), 2) if xs else None}  # fmt: skip
        if len(xs) >= 2:
            half = T975[len(xs) - 1] * statistics.stdev(xs) / math.sqrt(len(xs))
            row["ci_low"] = round(statistics.mean(xs) - half, 2)
            row["ci_high"] = round(statistics.mean(xs) + half, 2)
        per_question.append(row)
    out["ons4"] = per_question

    # onward referrals: by the day first recorded (suggested, or made straight away), by
    # their status as at the period's end (written here without core.onward)
    def started(o: dict[str, Any]) -> dt.date:
        return o["suggested_on"] or o["made_on"]

    def onward_then(o: dict[str, Any]) -> str:
        if o["outcome_on"] and o["outcome_on"] <= last:
            return o["status"]
        if o["made_on"] and o["made_on"] <= last:
            return "made"
        return "suggested"

    label = {r["id"]: r["label"] for r in ledger.resources}
    counted = [o for o in ledger.onward if o["pid"] in shared and inside(started(o))]
    out["onward_month"] = Counter(
        (label[o["resource"]], started(o).strftime("%Y-%m")) for o in counted
    )
    out["onward_total"] = Counter(label[o["resource"]] for o in counted)
    capacity_labels = {"open": "Open", "limited": "Limited", "waiting_list": "Waiting list",
                       "full": "Full", "unknown": "Unknown"}  # fmt: skip
    out["onward_capacity"] = {r["label"]: capacity_labels[r["capacity"]] for r in ledger.resources}
    out["onward_status"] = Counter((label[o["resource"]], onward_then(o)) for o in counted)
    # days between steps, each counted in the period of its later step
    shared_onward = [o for o in ledger.onward if o["pid"] in shared]
    out["onward_to_made"] = sorted(
        (o["made_on"] - o["suggested_on"]).days for o in shared_onward
        if o["suggested_on"] and o["made_on"] and inside(o["made_on"])
    )  # fmt: skip
    out["onward_to_attended"] = sorted(
        (o["outcome_on"] - o["made_on"]).days for o in shared_onward
        if o["status"] == "attended" and o["made_on"] and inside(o["outcome_on"])
    )  # fmt: skip

    # deprivation: people referred or worked with in the period
    in_period = worked | {r["pid"] for r in refs if inside(r["received_on"])}
    postcode = {p["id"]: p["postcode"] for p in ledger.people}
    deciles = [lookup.get(postcode[p]) if postcode[p] else None for p in in_period]
    out["deprivation"] = {
        "d1": deciles.count(1), "d2": deciles.count(2),
        "rest": sum(1 for d in deciles if d is not None and d >= 3),
        "unknown": deciles.count(None), "total": len(deciles),
        # the headline figures, counted straight from the people (not d1 + d2)
        "most10": sum(1 for d in deciles if d == 1),
        "most20": sum(1 for d in deciles if d in (1, 2)),
    }  # fmt: skip
    out["on_record"] = Counter(owner.values())

    # what stays on the laptops: people who did not consent, counted by month (rule 2)
    hidden = {p["id"]: p for p in ledger.people if not p["shared"]}
    last_month = last.strftime("%Y-%m")
    real_today = dt.date.today()
    out["unshared"] = {
        w: {
            "participants": sum(
                1 for p in hidden.values() if p["owner"] == w
                and p["referred_on"].strftime("%Y-%m") <= last_month
                <= min(p.get("closed_on") or real_today, real_today).strftime("%Y-%m")
            ),
            "referrals": sum(
                1 for r in ledger.referrals if r["pid"] in hidden
                and hidden[r["pid"]]["owner"] == w and inside(r["received_on"])
            ),
            "contacts": sum(
                1 for c in ledger.contacts if c["pid"] in hidden
                and hidden[c["pid"]]["owner"] == w and inside(c["day"]) and seen(c)
            ),
            "did_not_attend": sum(
                1 for c in ledger.contacts if c["pid"] in hidden
                and hidden[c["pid"]]["owner"] == w and inside(c["day"])
                and c["status"] == "did_not_attend"
            ),
        }
        for w in ledger.workers
    }  # fmt: skip
    return out
