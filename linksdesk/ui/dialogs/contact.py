"""Dialogs for contacts: record one that happened, schedule one, record an outcome."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QWidget

from linksdesk.casework.casebook import draft_key
from linksdesk.casework.contacts import appointment_number, contact_problem, limit_text
from linksdesk.casework.dto import AppointmentUse, Contact
from linksdesk.casework.notes import note_problem
from linksdesk.core.vocab import ContactKind, ContactStatus
from linksdesk.ui.dialogs.form import (
    Field,
    FormDialog,
    choices_of,
    keep_while_locked,
    record_owner,
)

OUTCOME_CHOICES = [ContactStatus.ATTENDED, ContactStatus.DID_NOT_ATTEND, ContactStatus.CANCELLED]


def appointments_of(parent: QWidget | None) -> AppointmentUse | None:
    """The open record's appointment use, to say where a contact stands before it is saved."""
    data = getattr(record_owner(parent), "data", None)
    use = getattr(data, "appointments", None)
    return use if isinstance(use, AppointmentUse) else None


class LimitPreview(QLabel):
    """ "This will be the 7th of 6 appointments", kept up to date as kind and outcome change."""

    def __init__(
        self,
        use: AppointmentUse | None,
        kind: QComboBox | ContactKind,
        status: QComboBox | ContactStatus,
        existing: Contact | None = None,
    ) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setAccessibleName(self.tr("Appointment limit"))
        self.use, self.kind, self.status, self.existing = use, kind, status, existing
        for box in (kind, status):
            if isinstance(box, QComboBox):
                box.currentIndexChanged.connect(self.update_text)
        self.update_text()

    def update_text(self) -> None:
        if self.use is None:
            self.hide()
            return
        kind = self.kind.currentData() if isinstance(self.kind, QComboBox) else self.kind
        status = self.status.currentData() if isinstance(self.status, QComboBox) else self.status
        number = appointment_number(self.use, kind, status, self.existing)
        over = number is not None and self.use.limit is not None and number > self.use.limit
        self.setText(("⚠ " if over else "") + self.tr(limit_text(self.use, number)))
        self.setStyleSheet("color: #b3261e; font-weight: bold;" if over else "")
        self.show()


def still_to_come(at: dt.datetime, status: object, tr: Callable[[str], str]) -> str | None:
    """Attended or missed cannot be said of a contact on a later day (a tired worker picking
    next week's booking put a did-not-attend in the figures); cancelled ahead of time can."""
    if status not in (ContactStatus.ATTENDED, ContactStatus.DID_NOT_ATTEND):
        return None
    if at.date() <= dt.date.today():
        return None
    return tr(
        "That contact is on {day}, still to come: it can be cancelled now, but not recorded "
        "as attended or did not attend."
    ).format(day=f"{at:%a %d %b}")


# how far past now a contact recorded as attended or missed may be timed today (a meeting
# running over, a laptop's clock a little slow)
LATER_TODAY = dt.timedelta(hours=1)


def later_today(
    at: dt.datetime, status: object, tr: Callable[[str], str], now: dt.datetime | None = None
) -> str | None:
    """A contact recorded as attended or missed at a time later today than within the hour:
    at ten past midnight, last night's 23:50 with only the time changed was saved almost a
    day ahead (``still_to_come`` looks at the day). Said before the dialog closes."""
    if status not in (ContactStatus.ATTENDED, ContactStatus.DID_NOT_ATTEND):
        return None
    now = now or dt.datetime.now()
    if at.date() != now.date() or at <= now + LATER_TODAY:
        return None
    return tr(
        "{time} today is still to come: if the contact was on an earlier day, change the day "
        "as well."
    ).format(time=f"{at:%H:%M}")


def next_slot(after: dt.datetime | None = None, days: int = 7) -> dt.datetime:
    """The same time ``days`` later, on the hour: a sensible "schedule again" default. A
    missed contact recorded weeks late is offered ``days`` from today at its time of day,
    never a day already gone (taken as offered, it went straight to the outcomes to record)."""
    now = dt.datetime.now()
    base = (after or now) + dt.timedelta(days=days)
    if base <= now:
        base = dt.datetime.combine(now.date() + dt.timedelta(days=days), base.time())
    return base.replace(minute=0, second=0, microsecond=0)


def again_prefill(missed: Contact) -> dict[str, Any]:
    """What Schedule again… offers after ``missed`` (a contact or its diary entry), the same
    from the record, the Diary and Today: its kind, venue and purpose, at ``next_slot``."""
    return {
        "kind": missed.kind,
        "at": next_slot(missed.at),
        "venue": missed.venue,
        "purpose": missed.purpose,
    }


class ContactDialog(FormDialog):
    """Record a contact (``schedule=False``) or schedule one (``schedule=True``)."""

    def __init__(
        self,
        schedule: bool,
        prefill: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        tr = self.tr
        self.schedule = schedule
        prefill = prefill or {}
        kinds = (
            [k for k in ContactKind if k is not ContactKind.ATTEMPTED]
            if schedule
            else list(ContactKind)
        )
        fields = [
            Field(
                "kind",
                tr("Kind of contact"),
                "choice",
                prefill.get("kind", ContactKind.APPOINTMENT),
                choices=choices_of(ContactKind, kinds),
            ),
            Field(
                "at",
                tr("When"),
                "datetime",
                prefill.get("at")
                or (
                    next_slot(days=1)
                    if schedule
                    else dt.datetime.now().replace(second=0, microsecond=0)
                ),
                # a booking is ahead ("6/1" in December is next January), a contact
                # recorded has happened
                ahead=schedule,
            ),
            Field(
                "minutes",
                tr("Minutes"),
                "int",
                prefill.get("minutes", 0 if schedule else 45),
                maximum=600,
            ),
            Field("venue", tr("Venue"), value=prefill.get("venue")),
            Field("purpose", tr("Purpose"), "text", prefill.get("purpose")),
        ]
        if not schedule:
            fields.insert(
                1,
                Field(
                    "status",
                    tr("Outcome"),
                    "choice",
                    ContactStatus.ATTENDED,
                    choices=choices_of(ContactStatus, OUTCOME_CHOICES),
                ),
            )
        super().__init__(
            tr("Schedule contact") if schedule else tr("Record contact"),
            fields,
            parent,
            intro=tr(
                "Supported visits and attempted contacts do not count against the "
                "programme's appointment limit."
            ),
            # a purpose pasted whole may be longer than is kept: said here, not lost
            validate=contact_problem if schedule else self._not_yet,
        )
        kind_box = self.widget("kind")
        assert isinstance(kind_box, QComboBox)
        self.kind_box = kind_box
        if not schedule:
            kind_box.currentIndexChanged.connect(self._on_kind_changed)
            self._on_kind_changed()
        use = appointments_of(parent)
        if use is not None:
            status: Any = (
                ContactStatus.SCHEDULED if schedule else self.widget("status")  # type: ignore[arg-type]
            )
            self.limit_label = LimitPreview(use, kind_box, status)
            self.add_below_fields(self.limit_label)

    def attempt(self) -> bool:
        return bool(self.kind_box.currentData() == ContactKind.ATTEMPTED)

    def _not_yet(self, values: dict[str, Any]) -> str | None:
        at = values["at"]
        if self.attempt() and at.date() > dt.date.today():
            # "it can be cancelled now" named an outcome an attempt does not have
            return self.tr(
                "{day} is still to come: record an attempt once you have tried to reach them."
            ).format(day=f"{at:%a %d %b}")
        return (
            still_to_come(at, values["status"], self.tr)
            or later_today(at, values["status"], self.tr)
            or contact_problem(values)
        )

    def _on_kind_changed(self) -> None:
        # an attempt reached nobody: it has no outcome, time together or venue to choose
        for key in ("status", "minutes", "venue"):
            self.show_field(key, not self.attempt())

    def values(self) -> dict[str, Any]:
        out = super().values()
        if not out.get("minutes"):
            out["minutes"] = None
        if not self.schedule and self.attempt():
            # kept as the attempt use case keeps it (casework.contacts.record_attempted_contact)
            out.update(status=ContactStatus.ATTENDED, minutes=None, venue=None)
        return out

    def draft_name(self) -> str:
        # a booking kept at a lock comes back in Schedule contact, not in Record contact
        return "ScheduleContactDialog" if self.schedule else "ContactDialog"

    @classmethod
    def ask(
        cls,
        parent: QWidget | None = None,
        schedule: bool = False,
        prefill: dict[str, Any] | None = None,
    ) -> dict[str, Any] | None:
        """Keyword arguments for record_contact / schedule_contact, or None."""
        return cls(schedule, prefill, parent).run()


class MoveBookingDialog(FormDialog):
    """Move a booked contact to another day and time, and venue: the booking itself moves
    (``contacts.move_booking``), rather than being cancelled and booked again."""

    def __init__(self, contact: Contact, parent: QWidget | None = None) -> None:
        tr = self.tr
        self.contact = contact
        booked = f"{contact.kind.label}, {contact.at:%a %d %b %Y %H:%M}"
        if contact.venue:
            booked += f", {contact.venue}"
        super().__init__(
            tr("Move booking"),
            [
                # a new day typed without its year is the next such day ("6/1" in December)
                Field("at", tr("New day and time"), "datetime", contact.at, ahead=True),
                Field("venue", tr("Venue"), value=contact.venue),
            ],
            parent,
            intro=tr("Booked: {booked}.").format(booked=booked),
            ok_text=tr("Move"),
            # refused by casework (a venue pasted whole): said here, with the dialog open
            validate=contact_problem,
        )

    def _key_as_opened(self) -> str:
        # what was typed at a lock is about this booking, wherever it was opened (the record,
        # the Diary, Today): kept under its person and its id, it comes back when this
        # booking is moved again, and its record reopens it (``ParticipantView``)
        return draft_key(
            "form", self.contact.participant_id, f"{self.draft_name()}.{self.contact.id}"
        )

    @classmethod
    def ask(cls, parent: QWidget | None, contact: Contact) -> dict[str, Any] | None:
        """Keyword arguments for ``contacts.move_booking`` (at, venue), or None; the title
        names the person (``person_title``: the record, or the Diary's entry)."""
        return cls(contact, parent).run()


class OutcomeDialog(FormDialog):
    """What happened at a booked contact, with minutes, venue and the case note about it.

    The note has the focus: a worker types it and presses Ctrl+Enter (attended is chosen).
    """

    keeps_draft = False  # its note is kept as the person's case note draft (below)

    def __init__(
        self,
        contact: Contact,
        status: ContactStatus = ContactStatus.ATTENDED,
        parent: QWidget | None = None,
        person: str | None = None,
        use: AppointmentUse | None = None,
    ) -> None:
        tr = self.tr
        self.contact = contact
        fields = [
            Field(
                "status",
                tr("What happened"),
                "choice",
                status,
                choices=choices_of(ContactStatus, OUTCOME_CHOICES),
            ),
            Field("minutes", tr("Minutes"), "int", contact.minutes or 45, maximum=600),
            Field("venue", tr("Venue"), value=contact.venue),
            Field("note", tr("Case note"), "text"),
        ]
        booked = f"{contact.kind.label}, {contact.at:%a %d %b %Y %H:%M}"
        if contact.venue:
            booked += f", {contact.venue}"
        super().__init__(
            tr("Record outcome"),
            fields,
            parent,
            intro=tr("Booked: {booked}. Save with Ctrl+Enter.").format(booked=booked),
            ok_text=tr("Record outcome"),
            validate=lambda v: (
                still_to_come(contact.at, v["status"], tr)
                or note_problem(v.get("note"))
                or contact_problem(v)  # a venue pasted too long: said, the note kept
            ),
        )
        if person:  # opened from a list (Today, Diary), not from the person's record
            self.setWindowTitle(f"{tr('Record outcome')} — {person}")
            self.setAccessibleName(self.windowTitle())
        status_box = self.widget("status")
        assert isinstance(status_box, QComboBox)
        self.limit_label = LimitPreview(
            use or appointments_of(parent), contact.kind, status_box, contact
        )
        self.add_below_fields(self.limit_label)
        note_edit = self.widget("note")
        assert isinstance(note_edit, QPlainTextEdit)
        self.note_edit = note_edit
        self.note_edit.setPlaceholderText(tr("What was talked about, what happens next…"))
        self.note_edit.setTabChangesFocus(True)
        status_box.currentIndexChanged.connect(self._on_status_changed)
        self.note_edit.setFocus()
        self._on_status_changed()
        # the note typed here outlives a lock: kept as a draft of the person's case note;
        # the note kept at a lock comes back here if it is not in the record's editor
        # already (recorded again from Today, it was saved a second time from the record)
        kept = keep_while_locked(self, self.draft_texts, draft_key("note", contact.participant_id))
        if kept:
            self.note_edit.setPlainText(kept)
            self.message.setText(
                tr("Your unsaved note was kept while LinksDesk was locked; it is back here.")
            )
            self.message.show()

    def draft_texts(self) -> dict[str, str]:
        text = self.note_edit.toPlainText()
        if not self.isVisible() or not text.strip():
            return {}
        return {draft_key("note", self.contact.participant_id): text}

    def _on_status_changed(self) -> None:
        # minutes mean time spent together: none for a missed or cancelled contact
        attended = self.values_status() is ContactStatus.ATTENDED
        self.widget("minutes").setEnabled(attended)

    def values_status(self) -> ContactStatus:
        box = self.widget("status")
        assert isinstance(box, QComboBox)
        return ContactStatus(box.currentData())

    def values(self) -> dict[str, Any]:
        out = super().values()
        out["status"] = ContactStatus(out["status"])
        if out["status"] is not ContactStatus.ATTENDED or not out.get("minutes"):
            out["minutes"] = None
        return out

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.note_edit.setFocus()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        contact: Contact,
        status: ContactStatus = ContactStatus.ATTENDED,
        person: str | None = None,
        use: AppointmentUse | None = None,
    ) -> dict[str, Any] | None:
        """Keyword arguments for record_booked_outcome (status first), or None."""
        return cls(contact, status, parent, person, use).run()
