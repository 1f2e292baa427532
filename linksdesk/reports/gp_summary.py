"""A short summary for the GP record: built from the participant's record, as text or a letter.

Casework decides whether a summary may be made at all (GP consent) and hands over a record
with the ``private`` items already left out; this module picks what a practice needs from it
and never takes free-text case notes except the ones the worker ticked (``note_ids``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from linksdesk.core import measures as scoring
from linksdesk.core import records
from linksdesk.core.episodes import episodes
from linksdesk.core.vocab import (
    NOT_REACHED_KEY,
    ContactKind,
    ContactStatus,
    MeasureKind,
    OnwardKind,
    ParticipantStatus,
    outcome_key,
    was_seen,
)
from linksdesk.reports import gp_codes
from linksdesk.reports.gp_codes import Code
from linksdesk.reports.participant_record import (
    MeasureEntry,
    ParticipantRecord,
    day,
    measure_score,
)
from linksdesk.reports.pdf import PdfDocument


@dataclass(frozen=True)
class CodedConcern:
    concern: records.Concern
    code: Code | None


@dataclass(frozen=True)
class WellbeingChange:
    kind: MeasureKind
    first: MeasureEntry
    latest: MeasureEntry | None  # None when only one score was taken
    summary: str  # e.g. "Clear improvement (14 points)", or the ONS4 answers one by one


@dataclass(frozen=True)
class SharedNote:
    written_at: dt.datetime
    text: str


@dataclass(frozen=True)
class GpSummary:
    """What the practice is told; every field is already cleared for the GP record."""

    programme_name: str
    produced_on: dt.date
    full_name: str
    date_of_birth: dt.date | None
    postcode: str | None
    programme_id: str
    gp_practice: str | None
    status: ParticipantStatus
    closed_on: dt.date | None
    referrals: tuple[records.Referral, ...]
    concerns: tuple[CodedConcern, ...]
    attended: Mapping[ContactKind, int]  # attempted contacts are not attended: see attempts
    did_not_attend: int
    cancelled: int
    booked: int
    first_seen: dt.datetime | None
    last_seen: dt.datetime | None
    supported_visits: tuple[tuple[dt.datetime, str | None], ...]
    onward: tuple[records.OnwardReferral, ...]
    goals: tuple[records.Goal, ...]
    wellbeing: tuple[WellbeingChange, ...]
    declined: bool
    notes: tuple[SharedNote, ...] = ()
    attempts: int = 0  # attempted contacts: tried, did not reach the person

    @property
    def codes(self) -> tuple[Code, ...]:
        """Every code the practice may file, each once: social prescribing first."""
        found: dict[str, Code] = {gp_codes.REFERRAL.code: gp_codes.REFERRAL}
        if self.declined:
            found[gp_codes.DECLINED.code] = gp_codes.DECLINED
        for c in self.concerns:
            if c.code is not None:
                found.setdefault(c.code.code, c.code)
        return tuple(found.values())


def build_summary(
    record: ParticipantRecord,
    codes: Mapping[str, Code],
    *,
    note_ids: Collection[str] = (),
    declined: bool = False,
) -> GpSummary:
    """The summary of ``record`` (which must hold no private items: casework sees to that)."""
    if record.private_included:
        raise ValueError("a GP summary is never built from a record with private items in it")
    p = record.person
    attended: Counter[ContactKind] = Counter()
    status_count: Counter[ContactStatus] = Counter()
    seen = []
    visits = []
    attempts = 0
    for c in record.contacts:
        # an attempt: not reached, whatever it says (an entry in error is never here)
        outcome = outcome_key(c.kind, c.status, in_error=c.in_error)
        if outcome == NOT_REACHED_KEY:
            attempts += 1
            continue
        status_count[ContactStatus(outcome)] += 1
        if was_seen(c.kind, c.status, in_error=c.in_error):
            attended[c.kind] += 1
            seen.append(c.at)
            if c.kind is ContactKind.SUPPORTED_VISIT:
                visits.append((c.at, c.venue))
    wanted = set(note_ids)
    return GpSummary(
        programme_name=record.programme_name,
        produced_on=record.produced_at.date(),
        full_name=p.full_name,
        date_of_birth=p.date_of_birth,
        postcode=p.postcode,
        programme_id=p.programme_id,
        gp_practice=p.gp_practice,
        status=p.status,
        closed_on=p.closed_on,
        referrals=record.referrals,
        concerns=tuple(
            CodedConcern(c, gp_codes.code_for(codes, c.category)) for c in record.concerns
        ),
        attended=dict(attended),
        did_not_attend=status_count[ContactStatus.DID_NOT_ATTEND],
        cancelled=status_count[ContactStatus.CANCELLED],
        booked=status_count[ContactStatus.SCHEDULED],
        first_seen=min(seen) if seen else None,
        last_seen=max(seen) if seen else None,
        supported_visits=tuple(visits),
        onward=record.onward,
        goals=record.goals,
        wellbeing=_wellbeing(record.measures),
        declined=declined,
        attempts=attempts,
        notes=tuple(
            SharedNote(n.written_at, n.text)
            for n in record.notes
            if n.id in wanted and n.id not in record.private_ids
        ),
    )


def _wellbeing(measures: tuple[MeasureEntry, ...]) -> tuple[WellbeingChange, ...]:
    out = []
    for kind in MeasureKind:
        taken = [m for m in measures if m.kind is kind]
        if not taken:
            continue
        # within the latest episode of support (core.episodes, as the reports and the
        # Wellbeing tab): a person who came back is not compared with their first time round
        split = episodes(taken, lambda m: m.taken_on, lambda m: m.context, lambda m: m.id)
        first, latest = split[-1][0], split[-1][-1]
        again = " (since they came back: a new baseline)" if len(split) > 1 else ""
        if latest is first:
            out.append(WellbeingChange(kind, first, None, f"One score so far{again}."))
            continue
        if kind is MeasureKind.ONS4:
            names = (q.short_name for q in scoring.ONS4_QUESTIONS)
            moves = [
                f"{n} {a} → {b}" for n, a, b in zip(names, first.items, latest.items, strict=True)
            ]
            out.append(WellbeingChange(kind, first, latest, "; ".join(moves) + again))
            continue
        before = first.metric if kind is MeasureKind.SWEMWBS else first.total
        after = latest.metric if kind is MeasureKind.SWEMWBS else latest.total
        summary = (
            scoring.change_between(kind, before, after).summary
            if before is not None and after is not None
            else ""
        )
        out.append(WellbeingChange(kind, first, latest, summary + again))
    return tuple(out)


# -- wording shared by the text and the letter -------------------------------------------------


def _when(value: dt.datetime) -> str:
    return day(value.date())


def _onward_line(o: records.OnwardReferral) -> str:
    what = {
        OnwardKind.SIGNPOST: "Signposted to",
        OnwardKind.REFERRAL: "Referred to",
        OnwardKind.SUPPORTED_VISIT: "Supported visit to",
    }[o.kind]
    line = f"{day(o.started_on)}: {what} {o.resource_name} — {o.status.label.lower()}"
    if o.suggested_on is not None and o.made_on is not None:
        line += f" (made {day(o.made_on)})"
    if o.outcome_on is not None:
        line += f" ({day(o.outcome_on)})"
    if o.outcome:
        line += f". Outcome: {o.outcome}"
    return line


def _referral_line(r: records.Referral) -> str:
    by = f" ({r.referrer})" if r.referrer else ""
    reason = r.reason or "no reason recorded"
    return f"{day(r.received_on)}, from {r.source.label}{by}: {reason}"


def _concern_line(c: CodedConcern) -> str:
    e = c.concern
    line = f"{e.category} — {e.stage.label.lower()}, {day(e.identified_on)}"
    if e.resolved_on is not None:
        line += f"; resolved {day(e.resolved_on)}"
    if c.code is not None:
        line += f" [SNOMED CT {c.code}]"
    return line


def _contacts_line(s: GpSummary) -> str:
    total = sum(s.attended.values())
    if total:
        kinds = ", ".join(
            f"{n} {kind.label.lower()}" for kind, n in sorted(s.attended.items(), key=str)
        )
        line = f"{total} attended ({kinds})"
    else:
        line = "none attended yet"
    line += f"; {s.did_not_attend} did not attend; {s.cancelled} cancelled"
    if s.booked:
        line += f"; {s.booked} booked"
    if s.attempts:
        tried = "attempt" if s.attempts == 1 else "attempts"
        line += f"; {s.attempts} unanswered {tried} to make contact"
    if s.first_seen and s.last_seen:
        line += f". First seen {_when(s.first_seen)}, latest {_when(s.last_seen)}"
    return line + "."


def _goal_line(g: records.Goal) -> str:
    return f"{g.title} — {g.status.label.lower()}, progress {g.progress}/10 (set {day(g.set_on)})"


HELPED = " (completed with help)"


def _taken(m: MeasureEntry) -> str:
    """The day a score was taken, and whether it was completed with help (statements read
    out, answers filled in): help pushes scores up (docs/measures.md), so the practice is
    told of it with each score it is given, the first as the latest."""
    return day(m.taken_on) + (HELPED if m.assisted else "")


def _wellbeing_line(w: WellbeingChange) -> str:
    first = f"{measure_score(w.first)} on {_taken(w.first)}"
    if w.latest is None:
        return f"{w.kind.label}: {first}. {w.summary}"
    latest = f"{measure_score(w.latest)} on {_taken(w.latest)}"
    if w.kind is MeasureKind.ONS4:
        return f"{w.kind.label} ({_taken(w.first)} → {_taken(w.latest)}): {w.summary}"
    return f"{w.kind.label}: {first} → {latest}: {w.summary}"


def _status_line(s: GpSummary) -> str:
    if s.status is ParticipantStatus.CLOSED and s.closed_on is not None:
        return f"Closed on {day(s.closed_on)}."
    return f"{s.status.label}."


def _identity(s: GpSummary) -> str:
    born = f", born {day(s.date_of_birth)}" if s.date_of_birth else ""
    where = f", {s.postcode}" if s.postcode else ""
    return f"{s.full_name}{born}{where} (programme id {s.programme_id})"


def _copyright_lines(s: GpSummary) -> list[str]:
    lines = [scoring.copyright_line(w.kind) for w in s.wellbeing]
    return [line for line in lines if line]


# -- text to paste ------------------------------------------------------------------------------


def summary_text(s: GpSummary) -> str:
    """Plain text to paste into the practice's clinical system."""
    out = [
        f"Social prescribing summary from {s.programme_name}, {day(s.produced_on)}",
        f"Participant: {_identity(s)}",
    ]
    if s.gp_practice:
        out.append(f"GP practice: {s.gp_practice}")
    out += ["", "SNOMED CT codes:"]
    out += [f"  {c.code} {c.term}" for c in s.codes]
    if s.declined:
        out += ["", "The person declined social prescribing."]
    out += ["", "Reason for referral:"]
    out += [f"  {_referral_line(r)}" for r in s.referrals] or ["  No referral recorded."]
    out += ["", "Concerns identified:"]
    out += [f"  - {_concern_line(c)}" for c in s.concerns] or ["  None recorded."]
    out += ["", "What was offered and arranged:", f"  Contacts: {_contacts_line(s)}"]
    if s.supported_visits:
        visits = "; ".join(
            _when(at) + (f" ({venue})" if venue else "") for at, venue in s.supported_visits
        )
        out.append(f"  Supported visits: {visits}.")
    out.append("  Onward referrals and signposting:")
    out += [f"  - {_onward_line(o)}" for o in s.onward] or ["    None."]
    out += ["", "Goals:"]
    out += [f"  - {_goal_line(g)}" for g in s.goals] or ["  None set."]
    out += ["", "Wellbeing:"]
    out += [f"  {_wellbeing_line(w)}" for w in s.wellbeing] or ["  No scores recorded."]
    out += [f"  {line}" for line in _copyright_lines(s)]
    if s.notes:
        out += ["", "Case notes shared with the practice:"]
        for n in s.notes:
            out.append(f"  {_when(n.written_at)}: {' '.join(n.text.split())}")
    out += ["", f"Current status: {_status_line(s)}"]
    return "\n".join(out) + "\n"


# -- the letter ---------------------------------------------------------------------------------


def summary_pdf(s: GpSummary) -> bytes:
    """The same summary as a PDF letter for the practice."""
    with PdfDocument(
        f"Social prescribing summary ({s.programme_id})",
        footer=f"Social prescribing summary: {s.full_name} ({s.programme_id})",
        author=s.programme_name,
        subject="Social prescribing summary for the GP record",
    ) as doc:
        doc.heading("Social prescribing summary")
        doc.key_values(
            [
                ("From", s.programme_name),
                ("To", s.gp_practice or "The person's GP practice"),
                ("Date", day(s.produced_on)),
                ("Participant", s.full_name),
                ("Date of birth", day(s.date_of_birth)),
                # the postcode only, as in the text: the practice holds the address already
                ("Postcode", s.postcode or ""),
                ("Programme id", s.programme_id),
                ("Current status", _status_line(s).rstrip(".")),
            ]
        )
        doc.heading("SNOMED CT codes", level=2)
        doc.table(["Code", "Term"], [[c.code, c.term] for c in s.codes], col_widths=(1, 3))
        if s.declined:
            doc.paragraph("The person declined social prescribing.")
        doc.heading("Reason for referral", level=2)
        _lines(doc, [_referral_line(r) for r in s.referrals], "No referral recorded.")
        doc.heading("Concerns identified", level=2)
        _lines(doc, [_concern_line(c) for c in s.concerns], "None recorded.")
        doc.heading("What was offered and arranged", level=2)
        doc.paragraph(f"Contacts: {_contacts_line(s)}")
        if s.supported_visits:
            doc.paragraph(
                "Supported visits: "
                + "; ".join(
                    _when(at) + (f" ({venue})" if venue else "") for at, venue in s.supported_visits
                )
                + "."
            )
        doc.paragraph("Onward referrals and signposting:")
        _lines(doc, [_onward_line(o) for o in s.onward], "None.")
        doc.heading("Goals", level=2)
        _lines(doc, [_goal_line(g) for g in s.goals], "None set.")
        doc.heading("Wellbeing", level=2)
        _lines(doc, [_wellbeing_line(w) for w in s.wellbeing], "No scores recorded.")
        for line in _copyright_lines(s):
            doc.paragraph(line, small=True, muted=True)
        if s.notes:
            doc.heading("Case notes shared with the practice", level=2)
            for n in s.notes:
                doc.paragraph(f"{_when(n.written_at)}: {n.text}")
        return doc.to_bytes()


def _lines(doc: PdfDocument, lines: list[str], empty: str) -> None:
    if not lines:
        doc.paragraph(empty, muted=True)
    for line in lines:
        doc.paragraph(f"• {line}")
