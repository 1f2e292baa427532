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
from linksdesk.core.vocab import ContactKind, ContactStatus, contact_outcome
from linksdesk.ui.dialogs.contact import ContactDialog, OutcomeDialog, next_slot
from linksdesk.ui.dialogs.in_error import InErrorDialog, ask_not_in_error
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
        """A contact marked entered in error: shown struck through, counted nowhere."""
        return self.contact is not None and self.contact.in_error


def _contact_detail(c: Contact) -> str:
    """A contact's line of detail; one entered in error says what it was recorded as, and why."""
    parts = [c.venue or "", f"{c.minutes} min" if c.minutes else "", c.purpose or ""]
    if c.in_error:
        recorded = contact_outcome(c.kind, c.status, in_error=False).lower()
        parts = [f"Recorded as {recorded}", f"Why: {c.in_error_reason or ''}", *parts]
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
            what="Case note" + (" (private)" if n.private else ""),
            detail=" · ".join(
                x
                for x in (
                    f"About: {by_id[n.contact_id].kind.label} {by_id[n.contact_id].at:%d %b %H:%M}"
                    if n.contact_id in by_id
                    else "",
                    n.text.splitlines()[0] if n.text else "",
                )
                if x
            ),
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
        self.in_error_button = push_button(
            tr("Entered in error…"),
            tr("Mark the selected contact entered in error"),
            self.in_error_selected,
        )
        adding = (self.record_button, self.schedule_button, self.attempt_button)
        # acts on the row chosen, and with none says what to choose (``chosen``)
        self.editing_buttons = (*adding, self.in_error_button)
        layout.addLayout(hbox(*adding, None, self.in_error_button, self.revise_button))

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
                self.editor.editing = fresh

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
        """The buttons that act on the selected row: a note's revision, a contact's mark."""
        editable = not self.read_only
        self.revise_button.setEnabled(editable and item is not None and item.kind == "note")
        contact = item.contact if item is not None else None
        if contact is not None and contact.in_error:
            self.in_error_button.setText(self.tr("Not in error after all…"))
            self.in_error_button.setAccessibleName(
                self.tr("Take the entered in error mark off the selected contact")
            )
        else:
            self.in_error_button.setText(self.tr("Entered in error…"))
            self.in_error_button.setAccessibleName(
                self.tr("Mark the selected contact entered in error")
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
            self.schedule_contact(
                {"kind": contact.kind, "at": next_slot(contact.at), "venue": contact.venue}
            )

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
        values = ContactDialog.ask(self, schedule=True, prefill=prefill or None)
        if values:
            self.view.write(contacts.schedule_contact, pid, **values)

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
        """Mark the selected contact entered in error, or take a mistaken mark off."""
        item: TimelineItem | None = self.chosen(self.table, self.tr("a contact"))
        if item is None:
            return
        if item.contact is None:  # a case note: only contacts are marked
            self.view.message.show_message(
                self.tr(
                    "Choose a contact in the list first: a case note is put right by revising it."
                ),
                "info",
            )
            return
        if item.contact.in_error:
            self.restore(item.contact)
        else:
            self.mark_in_error(item.contact)

    def mark_in_error(self, contact: Contact) -> None:
        """Ask why, saying what will happen, then mark the contact (kept, counted nowhere)."""
        data = self.view.data
        if self.view.participant_id is None or not self.view.editable() or data is None:
            return
        has_note = any(n.contact_id == contact.id for n in data.notes)
        reason = InErrorDialog.ask(self, contact, has_note=has_note)
        if reason is None:
            return
        self.view.write(
            contacts.mark_in_error,
            contact.id,
            reason,
            on_done=self._show_marked,
        )

    def restore(self, contact: Contact) -> None:
        """Take a mistaken entered-in-error mark off (asked first: it counts again)."""
        if self.view.participant_id is None or not self.view.editable():
            return
        if not self.ask_restore(contact):
            return
        self.view.write(contacts.restore_contact, contact.id, on_done=self._show_marked)

    def _show_marked(self, contact: Contact) -> None:
        self.select_id(contact.id)

    def ask_restore(self, contact: Contact) -> bool:
        """Whether to take the mark off (No is the default; tests replace it)."""
        recorded = contact_outcome(contact.kind, contact.status, in_error=False).lower()
        what = f"{contact.kind.label} on {contact.at:%a %d %b %Y at %H:%M}, {recorded},"
        return ask_not_in_error(self, what, contact.in_error_reason)

    def revise_selected(self) -> None:
        item = self.current_item()
        if item is not None and item.note is not None:
            if self.view.editable():
                self.editor.start_revision(item.note)
        elif item is not None and item.contact is not None and not item.contact.in_error:
            c = item.contact
            if c.status is ContactStatus.SCHEDULED:
                self.record_outcome(c)
            elif c.status is ContactStatus.DID_NOT_ATTEND:
                self.schedule_contact({"kind": c.kind, "at": next_slot(c.at), "venue": c.venue})

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
            elif c.status is ContactStatus.DID_NOT_ATTEND:
                action = menu.addAction(self.tr("&Schedule again…"))
                action.setEnabled(editable)
                action.triggered.connect(self.revise_selected)
            if not menu.isEmpty():
                menu.addSeparator()
            if c.in_error:
                action = menu.addAction(self.tr("&Not in error after all…"))
                action.triggered.connect(lambda: self.restore(c))
            else:
                action = menu.addAction(self.tr("&Entered in error…"))
                action.triggered.connect(lambda: self.mark_in_error(c))
            action.setEnabled(editable)
        elif item is not None and item.note is not None:
            action = menu.addAction(self.tr("&Revise note"))
            action.setEnabled(editable)
            action.triggered.connect(self.revise_selected)
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
        about = self._contact(note.contact_id)
        if about is not None:
            about_text = html.escape(contact_label(about))
            parts.append(f"<p><b>{html.escape(self.tr('About'))}:</b> {about_text}</p>")
        parts += [
            "<p>" + html.escape(note.text).replace("\n", "<br>") + "</p>",
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
                    f"<p><b>{r.revision}</b> — {r.written_at:%d %b %Y %H:%M}<br>"
                    + html.escape(r.text).replace("\n", "<br>")
                    + "</p>"
                )
        self.detail.setHtml("".join(parts))
