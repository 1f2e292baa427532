"""A participant's own record as a PDF (right of access): plain data in, a document out.

Casework gathers the record in one read: its own records (``linksdesk.core.records``) and the
frozen dataclasses here, leaving out ``private`` items unless the worker confirmed them; this
module only lays the record out.
Every section prints even when empty, so the person sees what kinds of things are held.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from linksdesk.core import measures as scoring
from linksdesk.core import records
from linksdesk.core.datafiles import load_toml
from linksdesk.core.details import MeasureDetails, PersonDetails
from linksdesk.core.item_words import counted
from linksdesk.core.vocab import MeasureKind, contact_outcome
from linksdesk.reports.pdf import PdfDocument


def counted_list(counts: Mapping[str, int]) -> str:
    """Several counts in one phrase: "1 contact and 2 case notes"."""
    return _listed([counted(kind, n) for kind, n in counts.items() if n])


# the section headings, in the order they print (tests check every one is in the PDF)
SECTIONS: tuple[str, ...] = (
    "About this record",
    "Profile",
    "Consents",
    "Referrals in",
    "Concerns",
    "Contacts",
    "Case notes",
    "Goals and steps",
    "Wellbeing measures",
    "Onward referrals and signposting",
    "Support network",
    "Versions not yet reconciled",
)


@dataclass(frozen=True)
class NoteRevisionEntry:
    revision: int
    written_at: dt.datetime
    text: str


@dataclass(frozen=True)
class NoteEntry:
    id: str
    written_at: dt.datetime
    contact_id: str | None
    revisions: tuple[NoteRevisionEntry, ...]  # oldest first; the last is the current text

    @property
    def text(self) -> str:
        return self.revisions[-1].text if self.revisions else ""


@dataclass(frozen=True)
class MeasureEntry(MeasureDetails):
    id: str
    # against the first (baseline) score of its episode of support, in plain words; None for
    # a baseline itself and for ONS4, whose answers are compared one by one
    change: str | None = None


@dataclass(frozen=True)
class UnreconciledEntry:
    """A detail changed on two devices at once: both versions are kept until the worker
    chooses, so both are held about the person."""

    detected_at: dt.datetime
    what: str
    this_device: str
    other_device: str


@dataclass(frozen=True)
class ParticipantRecord:
    """Everything held about one person, each section already in time order."""

    programme_name: str
    produced_at: dt.datetime
    person: PersonDetails
    # the person's other records (registered twice, found to be one person): their ids and
    # the details each holds; their history is in the sections with the kept record's
    other_records: tuple[PersonDetails, ...] = ()
    # the records as casework returns them (linksdesk.core.records)
    status_history: tuple[records.StatusChange, ...] = ()
    consents: tuple[records.Consent, ...] = ()
    referrals: tuple[records.Referral, ...] = ()
    concerns: tuple[records.Concern, ...] = ()
    contacts: tuple[records.Contact, ...] = ()
    notes: tuple[NoteEntry, ...] = ()
    goals: tuple[records.Goal, ...] = ()
    measures: tuple[MeasureEntry, ...] = ()
    onward: tuple[records.OnwardReferral, ...] = ()
    network: tuple[records.Relationship, ...] = ()
    unreconciled: tuple[UnreconciledEntry, ...] = ()
    # the ids of the items in it that the links worker marked private (none unless
    # ``private_included``)
    private_ids: frozenset[str] = frozenset()
    # private items held but not in this document, by kind (a key of ITEM_WORDS): "note": 2
    left_out: Mapping[str, int] = field(default_factory=dict)
    private_included: bool = False

    @property
    def complete(self) -> bool:
        return not any(self.left_out.values())

    def private_mark(self, item_id: str) -> str:
        """What follows an item's name in the document when it was marked private."""
        return " (private)" if item_id in self.private_ids else ""

    def completeness_statement(self) -> str:
        """What the document says about itself: complete, or exactly what was left out."""
        if self.complete:
            extra = (
                " It includes the items the links worker had marked private."
                if self.private_included
                else ""
            )
            return (
                "This record is complete: it holds everything this links worker's LinksDesk "
                f"holds about you on the day it was produced.{extra}"
            )
        return (
            "This record is not complete. Left out: "
            + counted_list(self.left_out)
            + ", marked private by the links worker. Everything else held about you is "
            "included. Ask your links worker if you would like to see these too."
        )


# -- formatting ------------------------------------------------------------------------------


def day(value: dt.date | None) -> str:
    """A date as people write it, e.g. 4 December 2026 (blank when there is none)."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def when(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%b %Y, %H:%M}"


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _listed(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _text(value: str | None) -> str:
    return value or ""


def measure_score(entry: MeasureEntry) -> str:
    """The score as the scale reports it: WEMWBS total, SWEMWBS raw and metric, ONS4 answers."""
    if entry.kind is MeasureKind.SWEMWBS and entry.total is not None and entry.metric is not None:
        return f"{entry.metric:.2f} (raw {entry.total})"
    if entry.kind is MeasureKind.ONS4 and len(entry.items) == 4:
        names = (q.short_name for q in scoring.ONS4_QUESTIONS)
        return "; ".join(f"{n} {v}" for n, v in zip(names, entry.items, strict=True))
    return "" if entry.total is None else str(entry.total)


# how a table's value is shown, by the name record_tables.toml gives it
_SHOWN: dict[str, Callable[[Any], str]] = {
    "day": day,
    "when": when,
    "text": _text,
    "str": str,
    "label": lambda value: value.label,
    "outcome": lambda contact: contact_outcome(
        contact.kind, contact.status, in_error=contact.in_error
    ),
    "label_or_new": lambda value: value.label if value else "(new)",
    "yes_no": yes_no,
    "number": lambda value: "" if value is None else str(value),
    "numbers": lambda values: " ".join(str(v) for v in values),
    "score": measure_score,
}
# the record's tables are data: record_tables.toml
_TABLES: dict[str, Any] = load_toml("linksdesk.reports", "record_tables.toml")


def _section(doc: PdfDocument, record: ParticipantRecord, name: str) -> None:
    """The section of the record's list ``name`` as record_tables.toml lays it out: its
    heading, what it says first, and the table, a row per item, oldest first."""
    spec = _TABLES[name]
    doc.heading(spec["heading"], level=spec.get("level", 1))
    if "intro" in spec:
        doc.paragraph(spec["intro"], muted=True)
    items: Sequence[Any] = getattr(record, name)
    columns = spec["columns"]
    marked = spec.get("private_mark")

    def cell(item: Any, header: str, attribute: str, shown: str) -> str:
        text = _SHOWN[shown](getattr(item, attribute) if attribute else item)
        return text + record.private_mark(item.id) if header == marked else text

    rows = [[cell(item, head, attr, shown) for head, _, attr, shown in columns] for item in items]
    doc.table(
        [header for header, *_ in columns],
        rows,
        col_widths=tuple(width for _, width, *_ in columns),
    )


def _details(doc: PdfDocument, item: object, name: str) -> None:
    """The details of ``item`` as record_tables.toml lists them under ``name``: a line each."""
    shown = _TABLES["details"][name]
    doc.key_values([(label, _SHOWN[how](getattr(item, attr))) for label, attr, how in shown])


# -- the document ----------------------------------------------------------------------------


def render_record_pdf(record: ParticipantRecord) -> bytes:
    """The whole record as PDF bytes (selectable text, bookmarks, "Page N of M")."""
    person = record.person
    with PdfDocument(
        f"Record held about participant {person.programme_id}",
        footer=f"Record held about {person.full_name} ({person.programme_id})",
        author=record.programme_name,
        subject="Everything held about one participant (right of access)",
        created=record.produced_at.astimezone(),
    ) as doc:
        doc.title_page(
            f"Everything {record.programme_name} holds about {person.full_name}",
            subtitle="Your record, for a right of access request (UK GDPR Article 15)",
            details=[
                ("Programme", record.programme_name),
                ("Participant", person.programme_id),
                *(
                    [("Also recorded as", ", ".join(o.programme_id for o in record.other_records))]
                    if record.other_records
                    else []
                ),
                ("Name", person.full_name),
                ("Date of birth", day(person.date_of_birth)),
                ("Produced", when(record.produced_at)),
            ],
            notice=record.completeness_statement(),
        )
        _about(doc, record)
        _profile(doc, record)
        _section(doc, record, "consents")
        _section(doc, record, "referrals")
        _section(doc, record, "concerns")
        _section(doc, record, "contacts")
        _notes(doc, record)
        _goals(doc, record)
        _measures(doc, record)
        _section(doc, record, "onward")
        _section(doc, record, "network")
        _section(doc, record, "unreconciled")
        return doc.to_bytes()


def _about(doc: PdfDocument, record: ParticipantRecord) -> None:
    doc.heading("About this record")
    doc.paragraph(
        f"This document was produced by {record.programme_name} with LinksDesk on "
        f"{when(record.produced_at)}. It sets out everything held about you in the links "
        "worker's case records: your details, your consents and every change to them, how you "
        "came to the programme, the concerns identified with you, your contacts, every case "
        "note with every earlier version of it, your goals and steps, your wellbeing scores, "
        "where you were referred or signposted and what came of it, and the people and "
        "services around you. Within each part the oldest entry comes first."
    )
    doc.paragraph(record.completeness_statement())


def _profile(doc: PdfDocument, record: ParticipantRecord) -> None:
    doc.heading("Profile")
    _details(doc, record.person, "profile")
    for other in record.other_records:
        doc.heading(f"Also recorded as {other.programme_id}", level=2)
        doc.paragraph(
            f"You were registered a second time, as {other.programme_id}, and the two records "
            "were found to be one person. That record holds these details; what it holds "
            "besides is in the sections below, with the rest.",
            muted=True,
        )
        _details(doc, other, "profile")
    _section(doc, record, "status_history")


def _notes(doc: PdfDocument, record: ParticipantRecord) -> None:
    doc.heading("Case notes")
    if not record.notes:
        doc.paragraph("None recorded.", muted=True)
        return
    doc.paragraph(
        "Case notes are never changed in place: an edit adds a new version, and every "
        "version is shown here, oldest first.",
        muted=True,
    )
    contact_at = {c.id: c.at for c in record.contacts}
    for note in record.notes:
        heading = f"Case note of {when(note.written_at)}{record.private_mark(note.id)}"
        doc.heading(heading, level=2)
        if note.contact_id and note.contact_id in contact_at:
            doc.paragraph(f"Written about the contact of {when(contact_at[note.contact_id])}.")
        many = len(note.revisions) > 1
        for rev in note.revisions:
            if many:
                doc.paragraph(
                    f"Version {rev.revision}, written {when(rev.written_at)}",
                    small=True,
                    muted=True,
                )
            doc.paragraph(rev.text)


def _goals(doc: PdfDocument, record: ParticipantRecord) -> None:
    doc.heading("Goals and steps")
    if not record.goals:
        doc.paragraph("None recorded.", muted=True)
        return
    for goal in record.goals:
        doc.heading(goal.title + record.private_mark(goal.id), level=2)
        _details(doc, goal, "goal")
        doc.table(
            ["#", "Step", "Due", "Done"],
            [
                [
                    str(i),
                    s.description + record.private_mark(s.id),
                    day(s.due_on),
                    day(s.done_on),
                ]
                for i, s in enumerate(goal.steps, start=1)
            ],
            col_widths=(0.4, 4, 1.2, 1.2),
            empty_text="No steps recorded.",
        )


def _measures(doc: PdfDocument, record: ParticipantRecord) -> None:
    _section(doc, record, "measures")
    kinds = list(dict.fromkeys(m.kind for m in record.measures))
    for kind in kinds:
        line = scoring.copyright_line(kind)
        if line:
            doc.paragraph(line, small=True, muted=True)
