"""Every figure a supervisor sees, computed once here from the vault's ordinary tables.

The dashboard, the XLSX/CSV/PDF reports, the command line and the tests all read these
sections; nothing else counts. Definitions (also written out for readers in EXPLANATIONS):

- people in the period: participants with a referral received or an attended contact in it;
- worked with: participants with an attended contact in the period, each person once;
- an attended contact is one that saw the person (``vocab.was_seen``): an attempted contact
  (a call not answered) is stored as attended but never counts as seeing anyone;
- open now: participants whose status is not closed (internal reports only: it is counted
  the day a report is made, and external reports hold figures of their period alone);
- wait: days from a referral received in the period to the person's first attended contact
  on or after that day, as at the period's end (or today, while it runs);
- wellbeing pairs: per scale, within one episode of support (``core.episodes``: a new one
  starts where the person came back), its first score and its latest score
  on a later day, up to the period's end, for people with a score in the period. Never the
  difference of two unpaired means (``reports.sections.wellbeing``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from linksdesk.core.vocab import (
    ContactKind,
)
from linksdesk.reports.data import TeamData
from linksdesk.reports.joint import Links, Ref
from linksdesk.reports.model import Section, Table
from linksdesk.reports.scope import Scope
from linksdesk.reports.sections.caseload import caseload, referrals
from linksdesk.reports.sections.concerns import concerns
from linksdesk.reports.sections.contacts import contacts
from linksdesk.reports.sections.context import Ctx
from linksdesk.reports.sections.coverage import freshness, unshared
from linksdesk.reports.sections.deprivation import (
    deprivation,
)
from linksdesk.reports.sections.goals import goals
from linksdesk.reports.sections.onward import onward
from linksdesk.reports.sections.wellbeing import wellbeing
from linksdesk.reports.settings import ReportSettings

EXPLANATIONS: tuple[tuple[str, str], ...] = (
    ("Period", "Whole calendar months, first to last inclusive."),
    (
        "Open now",
        "Participants whose case is not closed, today. Internal reports only: an external "
        "report holds figures of its own period, never of the day it was made.",
    ),
    (
        "Worked with",
        "Participants with at least one attended contact in the period, each counted once "
        "however many referrals or contacts they had. An attempted contact (a call not "
        "answered, a knock with no reply) reached nobody and does not count.",
    ),
    ("New referrals", "Referrals in received in the period (a person may have more than one)."),
    (
        "Safe caseload",
        "A worker stands out when open cases exceed the programme's safe number, or people "
        "worked with exceed the yearly safe number pro-rated to the period's length "
        "(external reports: people worked with only, as they have no open cases).",
    ),
    (
        "Wait",
        "Days from a referral received in the period to the person's first attended contact "
        "on or after that day (an attempted contact is not one), counted as at the period's "
        "end: someone first seen after it is 'not yet seen', and the report of a past period "
        "is the same whenever it is written. Median and 90th percentile over those seen by "
        "then; 'over target' counts people seen later than the target and people not yet "
        "seen who had by then waited longer.",
    ),
    (
        "Concerns",
        "People with each concern identified in the period: at referral, or surfaced later "
        "in the work (a person counts once per concern). Share: of people with any concern.",
    ),
    (
        "Did not attend rate",
        "Did-not-attend contacts divided by attended plus did-not-attend, in the period. "
        "Attempted contacts that reached nobody are counted apart, as not reached.",
    ),
    (
        "Appointments against the limit",
        "For people with an appointment in the period: appointments used up to the period's "
        "end (supported visits, attempted and cancelled contacts do not count).",
    ),
    (
        "Goals",
        "Goals set in the period, by their status at its end: a goal achieved or stopped "
        "after the period was still in progress then. A goal on hold is counted on hold.",
    ),
    (
        "Wellbeing change",
        "Paired only: a person's first score and their latest later score of the same scale, "
        "within one episode of support (a new baseline, when the person comes back, starts "
        "another: the latest episode with a later score counts). People with a score in the "
        "period count. SWEMWBS on the Rasch metric. Improved / "
        "declined: a change of at least the scale's meaningful-change threshold (WEMWBS 3 "
        "points, SWEMWBS 1 metric point). 95 % confidence interval from the t distribution. "
        "Averages of fewer than 30 pairs carry a warning.",
    ),
    (
        "ONS4 change",
        "Paired as for the wellbeing scales: a person's first ONS4 answers and their latest "
        "later ones, per question (life satisfaction, worthwhile, happy yesterday, anxious "
        "yesterday), never added up. Mean change with its 95 % confidence interval. For "
        "anxiety a fall is an improvement. No share improved or declined: there is no "
        "published meaningful-change threshold for the ONS4 questions.",
    ),
    (
        "Onward referrals",
        "Signposts, referrals and supported visits first recorded in the period (suggested, "
        "or made straight away), per resource and by the month of that day, with their "
        "status as at the period's end: one made, attended or declined after it counts as "
        "it was then. A resource stands out when the directory lists it as full or with a "
        "waiting list, or when a referral to it came back 'no capacity'. Days between steps: "
        "from suggested to made, for those made in the period that were suggested first; "
        "from made to attended, for those attended in the period. Onward referrals recorded "
        "before LinksDesk kept the day of suggestion count from the day they were made and "
        "are in no time from suggested to made.",
    ),
    (
        "Deprivation",
        "People in the period by the deprivation decile of their postcode (1 = most deprived "
        "10 % of areas). A postcode not in the lookup is unknown, never guessed.",
    ),
    (
        "Data as of",
        "The time of the newest record from each worker, or of their newest bundle if later: "
        "anything they recorded after that has not reached this vault yet. A bundle made for "
        "a period holds nothing referred after it: its data is as of the period's end at the "
        "latest. Nor does it hold cases closed before the period: where it starts after the "
        "data already here, the data stays as of before the gap.",
    ),
    (
        "c",
        "External reports hide counts from 1 to the threshold minus one, and other cells "
        "where needed, so no hidden count can be worked out from the totals.",
    ),
)


SECTIONS = (
    caseload,
    referrals,
    concerns,
    contacts,
    goals,
    wellbeing,
    onward,
    deprivation,
    unshared,
    freshness,
)


def compute(
    data: TeamData, scope: Scope, settings: ReportSettings, today: dt.date, exact: bool = True
) -> tuple[Section, ...]:
    """Every section; ``exact=False`` (external reports) keeps counts out of the notes."""
    ctx = Ctx(data, scope, settings, today, exact)
    return tuple(make(ctx) for make in SECTIONS)


# -- cells that more than one table publishes (for suppression across tables) --------------
WELLBEING_COUNTS = ("paired", "baseline_only", "improved", "no_change", "declined")


def linked_cells(tables: Iterable[Table]) -> Links:
    """What ties the tables' counts together, so an external report suppresses them jointly:

    - a worker's new referrals (caseload) are their referrals in the waiting-times table,
      row for row, the team's too, and the team's equal the referrals-by-source total;
    - the team's attended supported visits (appointments) are the contacts table's;
    - a resource's onward referrals by month and by status have the same total, row for row;
    - per scale, the two wellbeing-by-dose rows add up to the wellbeing-change row;
    - ONS4: the same people are paired (and baseline only) on every question.
    """
    t = {table.key: table for table in tables}
    same: list[tuple[Ref, Ref]] = []
    sums: list[tuple[Ref, tuple[Ref, ...]]] = []

    def rows(key: str) -> int:
        return len(t[key].rows) if key in t else 0

    if rows("caseload") and rows("caseload") == rows("timeliness"):
        for r in range(rows("caseload")):
            same.append((("caseload", r, "new_referrals"), ("timeliness", r, "referrals")))
        if rows("referrals_by_source"):
            last = rows("referrals_by_source") - 1
            team = rows("caseload") - 1
            by_source: Ref = ("referrals_by_source", last, "total")
            same.append((("caseload", team, "new_referrals"), by_source))
    if rows("appointments") and rows("contacts_by_kind"):
        visits = list(ContactKind).index(ContactKind.SUPPORTED_VISIT)
        team_visits: Ref = ("appointments", rows("appointments") - 1, "supported_visits")
        same.append((team_visits, ("contacts_by_kind", visits, "attended")))
    if rows("onward_by_month") and rows("onward_by_month") == rows("onward_outcomes"):
        for r in range(rows("onward_by_month")):
            same.append((("onward_by_month", r, "total"), ("onward_outcomes", r, "total")))
    if rows("wellbeing_dose") == 2 * rows("wellbeing_change"):
        for r in range(rows("wellbeing_change")):
            for key in WELLBEING_COUNTS:
                parts = (("wellbeing_dose", 2 * r, key), ("wellbeing_dose", 2 * r + 1, key))
                sums.append((("wellbeing_change", r, key), parts))
    for r in range(1, rows("ons4_change")):
        for key in ("paired", "baseline_only"):
            same.append((("ons4_change", 0, key), ("ons4_change", r, key)))
    return Links(tuple(same), tuple(sums))
