"""The Timeline tab: contacts and case notes in time order, with a note editor in place."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from linksdesk.casework import contacts, note_templates, notes
from linksdesk.casework.casebook import draft_key
from linksdesk.casework.dto import Contact, Note, NoteRevision
from linksdesk.core.vocab import ContactStatus
from linksdesk.ui.dialogs.contact import ContactDialog, OutcomeDialog, next_slot
from linksdesk.ui.models.table import Column, RecordFilterProxy, RecordTableModel
from linksdesk.ui.spelling import SpellHighlighter, spelling_menu
from linksdesk.ui.views.common import make_table, selected_id

if TYPE_CHECKING:
    from linksdesk.ui.views.participant import ParticipantView, RecordData


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


def contact_label(c: Contact) -> str:
    """A contact in a line, told apart from another at the same time and of the same kind."""
    parts = [f"{c.at:%a %d %b %H:%M}", c.kind.label, c.status.label]
    if c.venue:
        parts.append(c.venue)
    return " · ".join(parts)


def timeline_items(contact_list: list[Contact], note_list: list[Note]) -> list[TimelineItem]:
    by_id = {c.id: c for c in contact_list}
    items = [
        TimelineItem(
            id=c.id,
            kind="contact",
            at=c.at,
            what=f"{c.kind.label} — {c.status.label}",
            detail=" · ".join(
                x
                for x in (c.venue or "", f"{c.minutes} min" if c.minutes else "", c.purpose or "")
                if x
            ),
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


class NoteEditor(QWidget):
    """Writes a new case note or a revision of one; unsaved text survives a lock as a draft."""

    def __init__(self, tab: TimelineTab) -> None:
        super().__init__(tab)
        tr = self.tr
        self.tab = tab
        self.editing: Note | None = None
        self._saved_text = ""
        self.read_only = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.title = QLabel(tr("New case note"))
        self.title.setAccessibleName(tr("Note editor"))
        top.addWidget(self.title)
        top.addStretch(1)
        self.contact_box = QComboBox()
        self.contact_box.setAccessibleName(tr("Contact this note is about"))
        # the choices arrive after the editor is first shown: size to them each time, never
        # to the empty box it was at first show (its text was clipped)
        self.contact_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.contact_box.setMinimumContentsLength(len(tr("No particular contact")))
        about = QLabel(tr("&About:"))
        about.setBuddy(self.contact_box)
        top.addWidget(about)
        top.addWidget(self.contact_box)
        self.template_button = QPushButton(tr("&Template"))
        self.template_button.setAccessibleName(tr("Fill the note from a template"))
        self.template_menu = QMenu(self.template_button)
        self.template_menu.aboutToShow.connect(self._fill_template_menu)
        self.template_button.setMenu(self.template_menu)
        top.addWidget(self.template_button)
        self.private_check = QCheckBox(tr("Private (never leaves this device)"))
        self.private_check.setAccessibleName(tr("Private note"))
        top.addWidget(self.private_check)
        layout.addLayout(top)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setAccessibleName(tr("Case note text"))
        self.text_edit.setPlaceholderText(tr("Write a case note…"))
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setMinimumHeight(70)
        layout.addWidget(self.text_edit)
        session = tab.view.session
        self.spelling = SpellHighlighter(
            self.text_edit.document(), getattr(session.settings, "spelling_words", ())
        )
        session.sig_settings_changed.connect(
            lambda s: self.spelling.set_programme_words(getattr(s, "spelling_words", ()))
        )
        self.text_edit.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.text_edit.customContextMenuRequested.connect(self._on_text_menu)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.discard_button = QPushButton(tr("Discard"))
        self.discard_button.setAccessibleName(tr("Discard note"))
        self.discard_button.clicked.connect(self.discard)
        buttons.addWidget(self.discard_button)
        self.save_button = QPushButton(tr("Save note"))
        self.save_button.setAccessibleName(tr("Save note"))
        self.save_button.setShortcut("Ctrl+Return")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self.text_edit.textChanged.connect(self._update_buttons)
        self._update_buttons()

    def _fill_template_menu(self) -> None:
        self.template_menu.clear()
        for t in note_templates.templates(self.tab.view.session.settings):
            action = self.template_menu.addAction(t.name)
            action.triggered.connect(lambda _c=False, t=t: self.use_template(t))

    def use_template(self, template: note_templates.NoteTemplate) -> None:
        """Fill an empty editor with the template; into a started note it goes at the cursor."""
        if self.read_only:
            return
        if self.text_edit.toPlainText().strip():
            self.text_edit.textCursor().insertText(template.text)
        else:
            self.text_edit.setPlainText(template.text)
            cursor = self.text_edit.textCursor()
            cursor.movePosition(cursor.MoveOperation.Start)
            cursor.movePosition(cursor.MoveOperation.EndOfLine)
            self.text_edit.setTextCursor(cursor)  # after the first prompt, ready to type
        self.text_edit.setFocus()

    def _on_text_menu(self, pos: QPoint) -> None:
        self.text_menu = spelling_menu(self.text_edit, self.spelling, pos)
        self.text_menu.popup(self.text_edit.viewport().mapToGlobal(pos))

    # -- drafts -------------------------------------------------------------------------
    def key(self) -> str | None:
        pid = self.tab.view.participant_id
        if pid is None:
            return None
        return draft_key("note", pid, self.editing.id if self.editing else None)

    def draft_texts(self) -> dict[str, str]:
        key = self.key()
        text = self.text_edit.toPlainText()
        if key is None or not text.strip() or text == self._saved_text:
            return {}
        return {key: text}

    def take_draft(self) -> None:
        key = self.key()
        if key is None or self.text_edit.toPlainText().strip():
            return
        text = self.tab.view.session.drafts.take(key)
        if text:
            self.text_edit.setPlainText(text)
            self.tab.view.message.show_message(
                self.tr(
                    "Your unsaved note was kept while LinksDesk was locked; it is back in "
                    "the editor."
                ),
                "info",
            )

    # -- editing ------------------------------------------------------------------------
    def set_read_only(self, read_only: bool) -> None:
        """A handed-over case: the editor shows, but nothing can be written or saved."""
        self.read_only = read_only
        self.text_edit.setReadOnly(read_only)
        self.text_edit.setPlaceholderText(
            self.tr("This record is read-only: no new case notes.")
            if read_only
            else self.tr("Write a case note…")
        )
        if read_only:
            self.title.setText(self.tr("Case notes (read-only)"))
        elif self.editing is None:
            self.title.setText(self.tr("New case note"))
        self.private_check.setEnabled(not read_only and self.editing is None)
        self.contact_box.setEnabled(not read_only and self.editing is None)
        self._update_buttons()

    def start_new(self) -> None:
        if self.read_only:
            return
        self.editing = None
        self.title.setText(self.tr("New case note"))
        self.private_check.setEnabled(True)
        self.contact_box.setEnabled(True)
        self.text_edit.setFocus()

    def start_revision(self, note: Note) -> None:
        if self.read_only:
            return
        if self.text_edit.toPlainText().strip() and self.editing is None:
            self.tab.view.message.show_message(
                self.tr("Save or discard the note you are writing first."), "warning"
            )
            return
        self.editing = note
        self.title.setText(
            self.tr("Revising the note of {when} (the earlier text is kept)").format(
                when=f"{note.written_at:%d %b %Y %H:%M}"
            )
        )
        self.private_check.setEnabled(False)
        self.contact_box.setEnabled(False)
        self._saved_text = note.text
        self.text_edit.setPlainText(note.text)
        self.take_draft()
        self.text_edit.setFocus()

    def set_contacts(self, contact_list: list[Contact]) -> None:
        current = self.contact_box.currentData()
        self.contact_box.clear()
        self.contact_box.addItem(self.tr("No particular contact"), None)
        for c in contact_list[:20]:
            self.contact_box.addItem(contact_label(c), c.id)
        i = self.contact_box.findData(current)
        self.contact_box.setCurrentIndex(max(i, 0))

    def save(self) -> None:
        view = self.tab.view
        text = self.text_edit.toPlainText()
        if not text.strip() or view.participant_id is None or not view.editable():
            return
        key = self.key()
        if self.editing is not None:
            view.write(
                notes.revise_note,
                self.editing.id,
                text,
                base_revision_id=self.editing.latest.id,
                on_done=lambda _n: self._after_save(key),
            )
        else:
            view.write(
                notes.write_note,
                view.participant_id,
                text,
                contact_id=self.contact_box.currentData(),
                private=self.private_check.isChecked(),
                on_done=lambda _n: self._after_save(key),
            )

    def _after_save(self, key: str | None) -> None:
        if key is not None:
            self.tab.view.session.discard_draft(key)
        self.reset()

    def discard(self) -> None:
        text = self.text_edit.toPlainText()
        if text.strip() and text != self._saved_text and not self.ask_discard():
            return
        key = self.key()
        if key is not None and self.tab.view.casebook() is not None:
            self.tab.view.session.discard_draft(key)
        self.reset()

    def ask_discard(self) -> bool:
        """Words typed are not thrown away on one click (tests replace this)."""
        answer = QMessageBox.question(
            self,
            self.tr("Discard this note?"),
            self.tr("The text you have written will be lost."),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def reset(self) -> None:
        self.editing = None
        self._saved_text = ""
        self.text_edit.clear()
        self.private_check.setChecked(False)
        self.private_check.setEnabled(not self.read_only)
        self.contact_box.setEnabled(not self.read_only)
        self.title.setText(
            self.tr("Case notes (read-only)") if self.read_only else self.tr("New case note")
        )

    def _update_buttons(self) -> None:
        has_text = bool(self.text_edit.toPlainText().strip())
        self.save_button.setEnabled(has_text and not self.read_only)
        # discarding only drops a draft kept on this device, so it stays possible
        self.discard_button.setEnabled(has_text or self.editing is not None)


class TimelineTab(QWidget):
    """Contacts and notes newest first; select a note to see all its revisions."""

    def __init__(self, view: ParticipantView) -> None:
        super().__init__(view)
        tr = self.tr
        self.view = view
        self.read_only = False
        self.setAccessibleName(tr("Timeline"))
        self.model: RecordTableModel[TimelineItem] = RecordTableModel(
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
            parent=self,
        )
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.sort(0, Qt.SortOrder.DescendingOrder)

        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.record_button = QPushButton(tr("Record contact…"))
        self.record_button.setAccessibleName(tr("Record contact"))
        self.record_button.clicked.connect(self.record_contact)
        self.schedule_button = QPushButton(tr("Schedule contact…"))
        self.schedule_button.setAccessibleName(tr("Schedule contact"))
        self.schedule_button.clicked.connect(self.schedule_contact)
        self.attempt_button = QPushButton(tr("Attempted contact"))
        self.attempt_button.setAccessibleName(tr("Record an attempted contact"))
        self.attempt_button.clicked.connect(self.record_attempt)
        self.revise_button = QPushButton(tr("Revise note"))
        self.revise_button.setAccessibleName(tr("Revise the selected note"))
        self.revise_button.clicked.connect(self.revise_selected)
        for b in (self.record_button, self.schedule_button, self.attempt_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.revise_button)
        layout.addLayout(bar)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.table = make_table(self.proxy, tr("Timeline of contacts and notes"))
        self.table.setColumnWidth(0, 160)
        self.table.setColumnWidth(1, 190)
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
        self.setTabOrder(self.record_button, self.schedule_button)
        self.setTabOrder(self.schedule_button, self.attempt_button)
        self.setTabOrder(self.attempt_button, self.revise_button)
        self.setTabOrder(self.revise_button, self.table)
        self.setTabOrder(self.table, self.detail)
        self.setTabOrder(self.detail, self.editor.contact_box)
        self.setTabOrder(self.editor.contact_box, self.editor.private_check)
        self.setTabOrder(self.editor.private_check, self.editor.text_edit)
        self.setTabOrder(self.editor.text_edit, self.editor.discard_button)
        self.setTabOrder(self.editor.discard_button, self.editor.save_button)

    def show_record(self, data: RecordData) -> None:
        selected = selected_id(self.table)
        self.model.set_rows(timeline_items(data.contacts, data.notes))
        self.editor.set_contacts(data.contacts)
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

    def clear(self) -> None:
        self.model.clear()
        self.detail.clear()
        self.editor.reset()
        self.editor.contact_box.clear()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for b in (self.record_button, self.schedule_button, self.attempt_button):
            b.setEnabled(not read_only)
        item = self.current_item()
        self.revise_button.setEnabled(not read_only and item is not None and item.kind == "note")
        self.editor.set_read_only(read_only)

    def current_item(self) -> TimelineItem | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.proxy.row_at(index.row())

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
        if chosen is not None and chosen != near and self.ask_use_booking(chosen):
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
        values = OutcomeDialog.ask(self, booked, status)
        if not values:
            return
        self.view.write(
            contacts.record_booked_outcome,
            booked.id,
            values.pop("status"),
            **values,
            on_done=lambda done: self._after_outcome(done.contact),
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
        row = self.model.row_of_id(row_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def schedule_contact(self, prefill: dict[str, Any] | None = None) -> None:
        pid = self.view.participant_id
        if pid is None or not self.view.editable():
            return
        values = ContactDialog.ask(self, schedule=True, prefill=prefill or None)
        if values:
            self.view.write(contacts.schedule_contact, pid, **values)

    def record_attempt(self) -> None:
        pid = self.view.participant_id
        if pid is not None and self.view.editable():
            self.view.write(contacts.record_attempted_contact, pid)

    def revise_selected(self) -> None:
        item = self.current_item()
        if item is not None and item.note is not None:
            if self.view.editable():
                self.editor.start_revision(item.note)
        elif item is not None and item.contact is not None:
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
            if c.status is ContactStatus.SCHEDULED:
                for text, status in (
                    (self.tr("Record outcome: &attended…"), ContactStatus.ATTENDED),
                    (self.tr("Record outcome: &did not attend…"), ContactStatus.DID_NOT_ATTEND),
                    (self.tr("Record outcome: &cancelled…"), ContactStatus.CANCELLED),
                ):
                    action = menu.addAction(text)
                    action.setEnabled(editable)
                    action.triggered.connect(
                        lambda _c=False, s=status, b=c: self.record_outcome(b, s)
                    )
            elif c.status is ContactStatus.DID_NOT_ATTEND:
                action = menu.addAction(self.tr("&Schedule again…"))
                action.setEnabled(editable)
                action.triggered.connect(self.revise_selected)
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
        self.revise_button.setEnabled(
            not self.read_only and item is not None and item.kind == "note"
        )
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
            rows = [
                (self.tr("Contact"), c.kind.label),
                (self.tr("Status"), c.status.label),
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
