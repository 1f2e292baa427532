"""The Timeline tab: contacts and case notes in time order, with a note editor in place."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QMenu,
    QMessageBox,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
)

from linksdesk.casework import contacts, notes
from linksdesk.casework.casebook import draft_key
from linksdesk.casework.dto import Contact, Note, NoteRevision
from linksdesk.core.vocab import ENTERED_IN_ERROR, ContactKind, ContactStatus, contact_outcome
from linksdesk.ui.dialog_kit import ask_discard
from linksdesk.ui.dialogs.contact import (
    ContactDialog,
    MoveBookingDialog,
    OutcomeDialog,
    again_prefill,
)
from linksdesk.ui.dialogs.in_error import (
    InErrorDialog,
    Markable,
    ask_not_in_error,
    mark_or_take_off,
)
from linksdesk.ui.models.table import (
    Column,
    RecordFilterProxy,
    RecordTableModel,
    StruckTableModel,
)
from linksdesk.ui.views.common import make_current, make_table, selected_id
from linksdesk.ui.views.outcome import add_outcome_actions, write_outcome
from linksdesk.ui.views.participant_note_editor import NoteEditor, contact_label
from linksdesk.ui.views.record_tab import RecordTabBase, Translate
from linksdesk.ui.views.rows import hbox, tab_order
from linksdesk.ui.widgets import push_button

if TYPE_CHECKING:
    from linksdesk.casework.record import RecordData


@dataclass(frozen=True)
class TimelineItem:
    """A contact or a case note, as one line of the timeline."""

    id: str
    kind: str  # "contact" | "note"
    at: dt.datetime
    what: str
    detail: str
    revisions: int
    contact: Contact | None = None
    note: Note | None = None

    @property
    def in_error(self) -> bool:
        """A contact or case note marked entered in error: shown struck through, counted
        nowhere, and (a note) reaching nothing outside this view."""
        entry = self.contact or self.note
        return entry is not None and entry.in_error


def _contact_detail(c: Contact) -> str:
    """A contact's line of detail; one entered in error says what it was recorded as, and why."""
    parts = [c.venue or "", f"{c.minutes} min" if c.minutes else "", c.purpose or ""]
    if c.in_error:
        recorded = contact_outcome(c.kind, c.status, in_error=False).lower()
        parts = [f"Recorded as {recorded}", f"Why: {c.in_error_reason or ''}", *parts]
    return " · ".join(x for x in parts if x)


def _note_what(n: Note) -> str:
    what = "Case note" + (" (private)" if n.private else "")
    return f"{what} — {ENTERED_IN_ERROR}" if n.in_error else what


def _note_detail(n: Note, by_id: dict[str, Contact]) -> str:
    """A note's line of detail: what it is about and its first line. One entered in error
    shows why instead: its words (perhaps about someone else) only when it is selected."""
    if n.in_error:
        return f"Why: {n.in_error_reason or ''}"
    about = by_id.get(n.contact_id or "")
    parts = (
        f"About: {about.kind.label} {about.at:%d %b %H:%M}" if about is not None else "",
        n.text.splitlines()[0] if n.text else "",
    )
    return " · ".join(x for x in parts if x)


WHAT_PADDING = 16  # the cell's margins either side of its text, and a little room


def timeline_items(contact_list: list[Contact], note_list: list[Note]) -> list[TimelineItem]:
    by_id = {c.id: c for c in contact_list}
    items = [
        TimelineItem(
            id=c.id,
            kind="contact",
            at=c.at,
            what=f"{c.kind.label} — {c.outcome}",
            detail=_contact_detail(c),
            revisions=0,
            contact=c,
        )
        for c in contact_list
    ]
    items += [
        TimelineItem(
            id=n.id,
            kind="note",
            at=n.written_at,
            what=_note_what(n),
            detail=_note_detail(n, by_id),
            revisions=n.revision_count,
            note=n,
        )
        for n in note_list
    ]
    return sorted(items, key=lambda i: (i.at, i.kind), reverse=True)


class TimelineTab(RecordTabBase):
    """Contacts and notes newest first; select a note to see all its revisions."""

    attempting = False  # an attempted contact is being written: a second click waits for it

    def _build(self, tr: Translate) -> None:
        # an entry in error is struck through, as on paper ("What" says so in words)
        self.model: RecordTableModel[TimelineItem] = StruckTableModel(
            [
                Column(tr("When"), lambda i: f"{i.at:%a %d %b %Y %H:%M}", sort=lambda i: i.at),
                Column(tr("What"), lambda i: i.what),
                Column(
                    tr("Revisions"),
                    lambda i: i.revisions if i.kind == "note" else "",
                    align_right=True,
                ),
                Column(tr("Detail"), lambda i: i.detail),
            ],
            frozenset({0, 3}),
            parent=self,
        )
        self.proxy = RecordFilterProxy(self, self.model, Qt.SortOrder.DescendingOrder)

        layout = QVBoxLayout(self)
        self.record_button = push_button(
            tr("Record contact…"), tr("Record contact"), self.record_contact
        )
        self.schedule_button = push_button(
            tr("Schedule contact…"), tr("Schedule contact"), self.schedule_contact
        )
        self.attempt_button = push_button(
            tr("Attempted contact"), tr("Record an attempted contact"), self.record_attempt
        )
        self.revise_button = push_button(
            tr("Revise note"), tr("Revise the selected note"), self.revise_selected
        )
        self.in_error_button = self.mark_button(
            tr("Mark the selected contact or case note entered in error")
        )
        self.move_button = push_button(
            tr("Move to the right record…"),
            tr("Move the selected case note to the right participant's record"),
            self.move_selected,
        )
        adding = (self.record_button, self.schedule_button, self.attempt_button)
        # act on the row chosen, and with none say what to choose (``chosen``)
        self.editing_buttons = (*adding, self.in_error_button, self.move_button)
        layout.addLayout(
            hbox(*adding, None, self.in_error_button, self.move_button, self.revise_button)
        )

        split = QSplitter(Qt.Orientation.Horizontal)
        self.table = make_table(self.proxy, tr("Timeline of contacts and notes"))
        self.table.setColumnWidth(0, 160)
        # "What" holds the longest kind and outcome whole ("Supported visit — Did not attend")
        whats = [
            f"{k.label} — {contact_outcome(k, s, in_error=e)}"
            for k in ContactKind
            for s in ContactStatus
            for e in (False, True)
        ]
        widest = max(self.table.fontMetrics().horizontalAdvance(w) for w in whats)
        self.table.setColumnWidth(1, max(190, widest + WHAT_PADDING))
        self.table.setColumnWidth(2, 70)
        # "Detail" takes what is left, so it is not cut at 1200x780
        self.table.horizontalHeader().setStretchLastSection(True)
        split.addWidget(self.table)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName(tr("Selected entry and its revisions"))
        self.detail.setOpenLinks(False)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 2)
        vsplit = QSplitter(Qt.Orientation.Vertical)
        vsplit.addWidget(split)
        self.editor = NoteEditor(self)
        vsplit.addWidget(self.editor)
        vsplit.setStretchFactor(0, 3)
        vsplit.setStretchFactor(1, 1)
        layout.addWidget(vsplit, 1)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self.table.activated.connect(lambda _i: self.revise_selected())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu)
        tab_order(
            *self.editing_buttons,
            self.revise_button,
            self.table,
            self.detail,
            self.editor.contact_box,
            self.editor.private_check,
            self.editor.text_edit,
            self.editor.discard_button,
            self.editor.save_button,
        )

    def show_record(self, data: RecordData) -> None:
        selected = selected_id(self.table)
        self.model.set_rows(timeline_items(data.contacts, data.notes))
        self.editor.set_contacts(data.contacts)
        self._resume_revision(data)
        self.editor.take_draft()
        if selected:
            row = self.model.row_of_id(selected)
            if row >= 0:
                self.table.setCurrentIndex(self.proxy.mapFromSource(self.model.index(row, 0)))
        if self.editor.editing is not None:
            # keep revising against the newest revision
            fresh = next((n for n in data.notes if n.id == self.editor.editing.id), None)
            if fresh is not None:
                self.editor.follow(fresh)

    def _resume_revision(self, data: RecordData) -> None:
        """A revision kept as a draft at a lock is taken up again where it was left."""
        pid = self.view.participant_id
        if pid is None or self.editor.editing is not None or self.editor.unsaved():
            return
        pending = self.view.session.drafts.pending
        kept = next((n for n in data.notes if draft_key("note", pid, n.id) in pending), None)
        if kept is not None:
            self.editor.start_revision(kept)

    def clear(self) -> None:
        self.attempting = False  # a lock drops the answer of an attempt being written
        self.model.clear()
        self.detail.clear()
        self.editor.reset()
        self.editor.contact_box.clear()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self._follow_selection(self.current_item())
        self.editor.set_read_only(read_only)

    def _follow_selection(self, item: TimelineItem | None) -> None:
        """The buttons that act on the selected row: a note's revision and move, the mark."""
        editable = not self.read_only
        standing_note = item is not None and item.note is not None and not item.in_error
        self.revise_button.setEnabled(editable and standing_note)
        marked = item is not None and item.in_error
        self.follow_mark(marked)
        self.in_error_button.setAccessibleName(
            self.tr("Take the entered in error mark off the selected contact or case note")
            if marked
            else self.tr("Mark the selected contact or case note entered in error")
        )

    def current_item(self) -> TimelineItem | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        item: TimelineItem = self.proxy.row_at(index.row())
        return item

    # -- actions ------------------------------------------------------------------------
    def record_contact(self) -> None:
        pid = self.view.participant_id
        if pid is None or not self.view.editable() or self.view.data is None:
            return
        booked = self.view.data.contacts
        # "Record contact" for a booked appointment added a second one beside it: offer the
        # booking first, and again for the time chosen in the dialog
        near = contacts.nearest_booking(booked, dt.datetime.now())
        if near is not None and self.ask_use_booking(near):
            self.record_outcome(near)
            return
        values = ContactDialog.ask(self, schedule=False)
        if not values:
            return
        chosen = contacts.nearest_booking(booked, values["at"])
        twin = contacts.recorded_near(booked, values["kind"], values["at"])
        if chosen is None and twin is not None and not self.ask_record_again(twin):
            return  # the same meeting, recorded already (from Today or the Diary)
        # an unanswered call at a booking's time is no outcome of it: the booking stays, to
        # be recorded when the worker knows what happened
        attempt = values["kind"] == ContactKind.ATTEMPTED
        if chosen is not None and chosen != near and not attempt and self.ask_use_booking(chosen):
            self.view.write(
                contacts.record_booked_outcome,
                chosen.id,
                values["status"],
                minutes=values.get("minutes"),
                venue=values.get("venue"),
                on_done=lambda done: self._after_outcome(done.contact),
            )
            return
        self.view.write(contacts.record_contact, pid, **values)

    def ask_use_booking(self, booked: Contact) -> bool:
        """Offer to record the booking instead of adding a contact beside it (tests replace it)."""
        answer = QMessageBox.question(
            self,
            self.tr("Record the booked contact?"),
            self.tr(
                "{kind} is booked at {when}. Record what happened at it instead of adding "
                "another contact?"
            ).format(kind=booked.kind.label, when=f"{booked.at:%H:%M on %a %d %b}"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_record_again(self, recorded: Contact) -> bool:
        """A contact like this one is recorded already near that time: another? (No is the
        default: a tired second entry would count one meeting twice; tests replace it)."""
        answer = QMessageBox.question(
            self,
            self.tr("Already recorded?"),
            self.tr(
                "{kind} at {when} is already recorded{status}. Record another one as well?"
            ).format(
                kind=recorded.kind.label,
                when=f"{recorded.at:%H:%M on %a %d %b}",
                # an attempt's status says nothing to the worker ("attended")
                status=""
                if recorded.kind is ContactKind.ATTEMPTED
                else f" ({recorded.status.label.lower()})",
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def booking_to_record(self) -> Contact | None:
        """The booked contact "Record outcome" means here (selected, near now, or past)."""
        if self.view.data is None:
            return None
        item = self.current_item()
        return contacts.booking_to_record(
            self.view.data.contacts,
            dt.datetime.now(),
            selected=item.contact if item is not None else None,
        )

    def record_outcome(
        self, booked: Contact | None = None, status: ContactStatus = ContactStatus.ATTENDED
    ) -> None:
        """Ask what happened at a booked contact (with its note) and record it once."""
        if self.view.participant_id is None or not self.view.editable():
            return
        booked = booked or self.booking_to_record()
        if booked is None:
            self.view.session.sig_status.emit(
                self.tr("No booked contact to record an outcome for.")
            )
            return
        end = self.view.begin_once(f"outcome/{booked.id}")
        if end is None:  # recorded a moment ago, still being written: not asked again
            self.view.session.sig_status.emit(self.tr("That outcome is being recorded."))
            return

        values = OutcomeDialog.ask(self, booked, status)
        write_outcome(
            self.view, booked.id, values, end, lambda done: self._after_outcome(done.contact)
        )

    def _after_outcome(self, contact: Contact) -> None:
        self.select_id(contact.id)
        if contact.status is ContactStatus.DID_NOT_ATTEND and self.ask_schedule_again(contact):
            self.schedule_contact(again_prefill(contact))

    def ask_schedule_again(self, contact: Contact) -> bool:
        """The did-not-attend offer (tests replace it)."""
        answer = QMessageBox.question(
            self,
            self.tr("Schedule again?"),
            self.tr("They did not attend. Offer another {kind}?").format(
                kind=contact.kind.label.lower()
            ),
        )
        return answer == QMessageBox.StandardButton.Yes

    def select_id(self, row_id: str) -> bool:
        """Select (and show) a row of the timeline by its contact or note id."""
        index = make_current(self.table, self.proxy, row_id)
        if index is not None:
            self.table.scrollTo(index)
        return index is not None

    def schedule_contact(self, prefill: dict[str, Any] | None = None) -> None:
        pid = self.view.participant_id
        if pid is None or not self.view.editable():
            return
        closed = self.closed()  # read before the dialog: a booking may bring them back
        values = ContactDialog.ask(self, schedule=True, prefill=prefill or None)
        if values:
            self.view.write(
                contacts.schedule_contact,
                pid,
                **values,
                on_done=self.offer_reopening if closed else None,
            )

    def move_booking(self, booked: Contact) -> None:
        """Move a booked contact to another day, time or venue: the booking itself, not
        cancelled and booked again (which said the person cancelled)."""
        if self.view.participant_id is None or not self.view.editable():
            return
        values = MoveBookingDialog.ask(self, booked)
        if values:
            self.view.write(contacts.move_booking, booked.id, **values, on_done=self._show_moved)

    def move_booking_id(self, contact_id: str) -> None:
        """Move booking… for the booking ``contact_id`` (a move kept at a lock, taken up). One
        recorded, marked in error or gone since cannot move: the worker is asked whether to
        discard what they typed for it (Cancel keeps it)."""
        data = self.view.data
        booked = next((c for c in data.contacts if c.id == contact_id), None) if data else None
        if booked is not None and not booked.in_error and not contacts.move_problem(booked.status):
            self.select_id(booked.id)
            self.move_booking(booked)
            return
        session = self.view.session
        kept = [k for k in session.drafts.pending if k.endswith(f"/MoveBookingDialog.{contact_id}")]
        if ask_discard(
            self,
            self.tr("That booking cannot be moved"),
            self.tr(
                "It has been recorded, marked entered in error or removed since. Discard the "
                "new day and venue you typed for it?"
            ),
        ):
            for key in kept:
                session.discard_draft(key)

    def _show_moved(self, moved: Contact) -> None:
        self.select_id(moved.id)

    def record_attempt(self) -> None:
        pid = self.view.participant_id
        if pid is None or self.attempting or not self.view.editable() or self.view.data is None:
            return
        # a tired double click on the button recorded two attempts
        twin = contacts.recorded_near(
            self.view.data.contacts, ContactKind.ATTEMPTED, dt.datetime.now()
        )
        if twin is not None and not self.ask_record_again(twin):
            return

        def back(_result: object) -> None:
            self.attempting = False

        def failed(exc: BaseException) -> None:
            self.attempting = False
            self.view.show_problem(exc)

        job = self.view.write(contacts.record_attempted_contact, pid, on_done=back, on_error=failed)
        self.attempting = job is not None

    def in_error_selected(self) -> None:
        """Mark the selected contact or note entered in error, or take a mistaken mark off."""
        item: TimelineItem | None = self.chosen(self.table, self.tr("a contact or case note"))
        if item is not None and item.note is not None:
            self.note_in_error(item.note)
        elif item is not None and item.contact is not None:
            self.contact_in_error(item.contact)

    # -- a case note entered in error, or in the wrong record ---------------------------
    def note_in_error(self, note: Note) -> None:
        """Mark the note (asked why, told what will happen: kept, reaching nothing), or take
        a mistaken mark off (asked first: it is part of the record again)."""
        if self.view.participant_id is None or not self.view.editable():
            return
        if not note.in_error and self._revision_unsaved(note):
            return  # taking a mark off is how a revision marked meanwhile gets saved
        what = self.tr("The case note written on {when}").format(
            when=f"{note.written_at:%a %d %b %Y}"
        )
        mark_or_take_off(
            self.view.write,
            note,
            ask_why=lambda: InErrorDialog.ask_note(self, note),
            mark=notes.mark_in_error,
            ask_take_off=lambda: self.ask_restore_note(what, note.in_error_reason),
            take_off=notes.restore_note,
            on_done=self._show_marked,
        )

    def _revision_unsaved(self, note: Note) -> bool:
        """Whether ``note`` is being revised with words not saved yet, said if so: a move
        took its saved words only, and a note marked takes no revision."""
        editing = self.editor.editing
        if editing is None or editing.id != note.id or not self.editor.unsaved():
            return False
        self.view.message.show_message(
            self.tr(
                "You are revising this note: save or discard your changes first, then "
                "choose it again."
            ),
            "warning",
        )
        self.editor.text_edit.setFocus()
        return True

    def ask_restore_note(self, what: str, why: str | None) -> bool:
        """Whether to take the mark off a note (No is the default; tests replace it). A
        note marked as in the wrong record may have been moved: its copy stays where it went."""
        more = ""
        if (why or "").startswith(notes.WRONG_RECORD):
            more = self.tr(
                "If it was moved with Move to the right record…, the copy written in the "
                "other participant's record stays there as well. Moved to the wrong person? "
                "Open their record and move the copy on from there instead."
            )
        return ask_not_in_error(self, what, why, more)

    def move_selected(self) -> None:
        """Move the selected case note to the right participant's record."""
        item: TimelineItem | None = self.chosen(self.table, self.tr("a case note"))
        if item is None:
            return
        if item.note is None or item.note.in_error:
            self.view.message.show_message(
                self.tr(
                    "Choose the case note to move in the list first (one not marked entered "
                    "in error)."
                ),
                "info",
            )
            return
        self.move_note(item.note)

    def move_note(self, note: Note) -> None:
        """Ask whose record the note belongs in, then move it there: written there as a new
        note with the same words and date, marked here entered in error."""
        if self.view.participant_id is None or not self.view.editable():
            return
        if self._revision_unsaved(note):
            return
        target = self.ask_right_record()
        if target is None:
            return
        if target == self.view.participant_id:
            self.view.message.show_message(
                self.tr("The note is already in this record. Choose whose record it belongs in."),
                "info",
            )
            return
        self.view.write(notes.move_note, note.id, target, on_done=self._after_move)

    def ask_right_record(self) -> str | None:
        """Whose record the note belongs in (the person chooser; tests replace it)."""
        return self.view.choose_person(
            self.tr("Move case note"),
            self.tr(
                "Choose the participant whose record this case note belongs in. Its words "
                "are written there as a new note with the same date, saying it was moved; "
                "here it stays struck through, marked entered in error, and reaches nothing "
                "else (not this person's own record, a GP summary or search)."
            ),
        )

    def _after_move(self, moved: notes.Moved) -> None:
        self.select_id(moved.original.id)
        self.view.session.sig_status.emit(
            self.tr("The case note was moved to the right participant's record.")
        )

    def contact_in_error(self, contact: Contact) -> None:
        """Mark the contact (asked why, told what will happen: kept, counted nowhere), or
        take a mistaken mark off (asked first: it counts again)."""
        data = self.view.data
        if self.view.participant_id is None or not self.view.editable() or data is None:
            return
        has_note = any(n.contact_id == contact.id for n in data.notes)
        mark_or_take_off(
            self.view.write,
            contact,
            ask_why=lambda: InErrorDialog.ask(self, contact, has_note=has_note),
            mark=contacts.mark_in_error,
            ask_take_off=lambda: self.ask_restore(contact),
            take_off=contacts.restore_contact,
            on_done=self._show_marked,
        )

    def _show_marked(self, entry: Markable) -> None:
        self.select_id(entry.id)

    def ask_restore(self, contact: Contact) -> bool:
        """Whether to take the mark off (No is the default; tests replace it)."""
        recorded = contact_outcome(contact.kind, contact.status, in_error=False).lower()
        what = f"{contact.kind.label} on {contact.at:%a %d %b %Y at %H:%M}, {recorded},"
        return ask_not_in_error(self, what, contact.in_error_reason)

    def revise_selected(self) -> None:
        item = self.current_item()
        if item is not None and item.note is not None:
            if self.view.editable() and not item.note.in_error:
                self.editor.start_revision(item.note)
        elif item is not None and item.contact is not None and not item.contact.in_error:
            c = item.contact
            if c.status is ContactStatus.SCHEDULED:
                self.record_outcome(c)
            elif c.status is ContactStatus.DID_NOT_ATTEND:
                self.schedule_contact(again_prefill(c))

    def context_menu(self, item: TimelineItem | None) -> QMenu:
        """What can be done with a row: a booked contact's outcome, a note's revision."""
        menu = QMenu(self)
        editable = not self.read_only
        if item is not None and item.contact is not None:
            c = item.contact
            # nothing happens at a contact in error any more: only its mark can change
            if c.in_error:
                pass
            elif c.status is ContactStatus.SCHEDULED:
                add_outcome_actions(menu, self, editable, lambda s: self.record_outcome(c, s))
                action = menu.addAction(self.tr("&Move booking…"))
                action.setEnabled(editable)
                action.triggered.connect(lambda: self.move_booking(c))
            elif c.status is ContactStatus.DID_NOT_ATTEND:
                action = menu.addAction(self.tr("&Schedule again…"))
                action.setEnabled(editable)
                action.triggered.connect(self.revise_selected)
            if not menu.isEmpty():
                menu.addSeparator()
            if c.in_error:
                action = menu.addAction(self.tr("&Not in error after all…"))
                action.triggered.connect(lambda: self.contact_in_error(c))
            else:
                action = menu.addAction(self.tr("&Entered in error…"))
                action.triggered.connect(lambda: self.contact_in_error(c))
            action.setEnabled(editable)
        elif item is not None and item.note is not None:
            n = item.note
            if n.in_error:
                action = menu.addAction(self.tr("&Not in error after all…"))
                action.triggered.connect(lambda: self.note_in_error(n))
                action.setEnabled(editable)
                return menu
            action = menu.addAction(self.tr("&Revise note"))
            action.setEnabled(editable)
            action.triggered.connect(self.revise_selected)
            menu.addSeparator()
            action = menu.addAction(self.tr("&Move to the right record…"))
            action.setEnabled(editable)
            action.triggered.connect(lambda: self.move_note(n))
            action = menu.addAction(self.tr("&Entered in error…"))
            action.setEnabled(editable)
            action.triggered.connect(lambda: self.note_in_error(n))
        return menu

    def _on_table_context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.setCurrentIndex(index)
        menu = self.context_menu(self.proxy.row_at(index.row()) if index.isValid() else None)
        if not menu.isEmpty():
            menu.popup(self.table.viewport().mapToGlobal(pos))

    def _on_table_current_changed(self, current: Any, _previous: Any) -> None:
        item = self.proxy.row_at(current.row()) if current.isValid() else None
        self._follow_selection(item)
        if item is None:
            self.detail.clear()
            return
        if item.note is not None:
            self._show_note(item.note, [])
            if item.note.revision_count > 1:
                note = item.note
                self.view.run(
                    notes.note_history,
                    note.id,
                    on_done=lambda revs: self._show_note(note, revs),
                )
        elif item.contact is not None:
            c = item.contact
            struck = []
            if c.in_error and c.in_error_at is not None:
                struck = [
                    (
                        self.tr("Entered in error"),
                        f"{c.in_error_at:%A %d %B %Y %H:%M}: {c.in_error_reason or ''}",
                    ),
                    (
                        self.tr("Recorded as"),
                        contact_outcome(c.kind, c.status, in_error=False),
                    ),
                ]
            rows = [
                *struck,
                (self.tr("Contact"), c.kind.label),
                (self.tr("Status"), c.outcome),
                (self.tr("When"), f"{c.at:%A %d %B %Y %H:%M}"),
                (self.tr("Minutes"), str(c.minutes or "")),
                (self.tr("Venue"), c.venue or ""),
                (self.tr("Purpose"), c.purpose or ""),
                (
                    self.tr("Counts towards the limit"),
                    self.tr("Yes") if c.counts_towards_limit else self.tr("No"),
                ),
            ]
            self.detail.setHtml(
                "<table>"
                + "".join(
                    f"<tr><td><b>{html.escape(k)}</b>&nbsp;</td><td>{html.escape(v)}</td></tr>"
                    for k, v in rows
                )
                + "</table>"
            )

    def _contact(self, contact_id: str | None) -> Contact | None:
        data = self.view.data
        if contact_id is None or data is None:
            return None
        return next((c for c in data.contacts if c.id == contact_id), None)

    def _show_note(self, note: Note, revisions: list[NoteRevision]) -> None:
        current = self.current_item()
        if current is None or current.id != note.id:
            return
        parts = [
            f"<p><b>{html.escape(self.tr('Case note'))}</b> — "
            f"{note.written_at:%A %d %B %Y %H:%M}</p>",
        ]
        if note.in_error and note.in_error_at is not None:
            # its words stay readable here, for the worker only: nowhere else shows them
            said = self.tr(
                "Entered in error {when}: {why}. Kept for you to see what happened; it "
                "reaches nothing outside this view."
            ).format(when=f"{note.in_error_at:%A %d %B %Y %H:%M}", why=note.in_error_reason or "")
            parts.append(f"<p><b>{html.escape(said)}</b></p>")
        about = self._contact(note.contact_id)
        if about is not None:
            about_text = html.escape(contact_label(about))
            parts.append(f"<p><b>{html.escape(self.tr('About'))}:</b> {about_text}</p>")
        parts += [
            _paragraph(note.text, struck=note.in_error),
        ]
        if note.has_concurrent_revisions:
            parts.append(
                "<p><i>"
                + html.escape(
                    self.tr(
                        "This note was revised in two places at once; both versions are kept below."
                    )
                )
                + "</i></p>"
            )
        if revisions and len(revisions) > 1:
            parts.append(
                f"<hr><p><b>{html.escape(self.tr('Revisions'))}</b> "
                f"({html.escape(self.tr('oldest first; never changed in place'))})</p>"
            )
            for r in revisions:
                parts.append(
                    f"<p><b>{r.revision}</b> — {r.written_at:%d %b %Y %H:%M}</p>"
                    + _paragraph(r.text, struck=note.in_error)
                )
        self.detail.setHtml("".join(parts))


def _paragraph(text: str, *, struck: bool) -> str:
    """A note's words as a paragraph, struck through when it is entered in error."""
    body = html.escape(text).replace("\n", "<br>")
    return f"<p><s>{body}</s></p>" if struck else f"<p>{body}</p>"
