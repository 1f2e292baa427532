"""The note editor under the Timeline: a new case note or a revision, templates, spelling."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from linksdesk.casework import note_templates, notes
from linksdesk.casework.casebook import draft_key
from linksdesk.casework.dto import Contact, Note
from linksdesk.core.errors import MarkedInErrorError
from linksdesk.ui.dialog_kit import ask_discard
from linksdesk.ui.spelling import SpellHighlighter, spelling_menu
from linksdesk.ui.views.rows import buddy, choice_box, hbox
from linksdesk.ui.widgets import push_button

if TYPE_CHECKING:
    from linksdesk.ui.views.participant_timeline import TimelineTab


def contact_label(c: Contact) -> str:
    """A contact in a line, told apart from another at the same time and of the same kind."""
    parts = [f"{c.at:%a %d %b %H:%M}", c.kind.label, c.outcome]
    if c.venue:
        parts.append(c.venue)
    return " · ".join(parts)


class NoteEditor(QWidget):
    """Writes a new case note or a revision of one; unsaved text survives a lock as a draft."""

    def __init__(self, tab: TimelineTab) -> None:
        super().__init__(tab)
        tr = self.tr
        self.tab = tab
        self.editing: Note | None = None
        # the About chosen for a new note before a revision: (the contact's id,) or None
        self._new_note_about: tuple[str | None] | None = None
        self._saved_text = ""
        self.saving = False  # a save is on its way: not again, and not kept as a draft too
        self.read_only = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(tr("New case note"))
        self.title.setAccessibleName(tr("Note editor"))
        self.contact_box = choice_box(tr("Contact this note is about"))
        # the choices arrive after the editor is first shown: size to them each time, never
        # to the empty box it was at first show (its text was clipped)
        self.contact_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.contact_box.setMinimumContentsLength(len(tr("No particular contact")))
        self.template_button = QPushButton(tr("Te&mplate"))
        self.template_button.setAccessibleName(tr("Fill the note from a template"))
        self.template_menu = QMenu(self.template_button)
        self.template_menu.aboutToShow.connect(self._fill_template_menu)
        self.template_button.setMenu(self.template_menu)
        self.private_check = QCheckBox(tr("Private (never leaves this device)"))
        self.private_check.setAccessibleName(tr("Private note"))
        layout.addLayout(
            hbox(
                self.title,
                None,
                buddy(tr("&About:"), self.contact_box),
                self.contact_box,
                self.template_button,
                self.private_check,
            )
        )
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
        self.discard_button = push_button(tr("Discard"), tr("Discard note"), self.discard)
        self.save_button = push_button(tr("Save note"), tr("Save note"), self.save)
        self.save_button.setShortcut("Ctrl+Return")
        # offered only while the note being revised is marked entered in error (``_marked``)
        self.keep_new_button = push_button(
            tr("Keep as a new note"),
            tr("Keep the words of this revision as a new case note"),
            self.keep_as_new,
        )
        self.keep_new_button.hide()
        layout.addLayout(hbox(None, self.keep_new_button, self.discard_button, self.save_button))
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
        if key is None or not text.strip() or text == self._saved_text or self.saving:
            return {}
        return {key: text}

    def set_aside(self) -> None:
        """Another record is opening: what is typed here is kept as this person's draft."""
        for key, text in self.draft_texts().items():
            self.tab.view.session.keep_draft(key, text)

    def unsaved(self) -> bool:
        """Words typed that are not saved (a new note, or a revision changed)."""
        text = self.text_edit.toPlainText()
        return bool(text.strip()) and text != self._saved_text

    def take_draft(self) -> None:
        key = self.key()
        if key is None or self.unsaved() or self.tab.view.read_only:
            return  # a handed-over case's kept words are shown to copy (KeptTextDialog)
        text = self.tab.view.session.drafts.take(key)
        if text:
            self.text_edit.setPlainText(text)
            self.tab.view.message.show_message(
                self.tr("Your unsaved note was kept; it is back in the editor."),
                "info",
            )

    # -- editing ------------------------------------------------------------------------
    def set_read_only(self, read_only: bool) -> None:
        """A handed-over case: the editor shows, but nothing can be written or saved."""
        if read_only and not self.read_only and not self.saving:
            self._keep_for_handed_over()
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
        if self.unsaved():
            # a second double-click on the row being revised threw the revision away
            if self.editing is None or self.editing.id != note.id:
                self.tab.view.message.show_message(
                    self.tr("Save or discard the note you are writing first."), "warning"
                )
            self.text_edit.setFocus()
            return
        self.editing = note
        self._show_revising()
        # a revision keeps its note's sharing: the greyed box says which, never what was
        # ticked for a new note before (a team note looked private)
        self.private_check.setChecked(note.private)
        self.private_check.setEnabled(False)
        # and the contact it is about, as the note was written (a new note's choice is back
        # once the revision is saved or discarded)
        self._new_note_about = (self.contact_box.currentData(),)
        self.contact_box.setCurrentIndex(max(self.contact_box.findData(note.contact_id), 0))
        self.contact_box.setEnabled(False)
        self._saved_text = note.text
        self.text_edit.setPlainText(note.text)
        self.take_draft()
        if note.in_error and self.unsaved():  # a revision kept at a lock, marked since
            self._marked(note)
        self.text_edit.setFocus()

    def _show_revising(self) -> None:
        """The title and the offer that say what the note being revised is now."""
        note = self.editing
        if note is None:
            return
        when = f"{note.written_at:%d %b %Y %H:%M}"
        if note.in_error:
            self.title.setText(
                self.tr(
                    "The note of {when} you were revising is marked entered in error: "
                    "your words are kept here, not saved"
                ).format(when=when)
            )
        else:
            self.title.setText(
                self.tr("Revising the note of {when} (the earlier text is kept)").format(when=when)
            )
        # moved to another participant's record: its words are not written here again
        self.keep_new_button.setVisible(
            note.in_error and note.in_error_reason != notes.WRONG_RECORD and not self.read_only
        )

    def follow(self, fresh: Note) -> None:
        """The record was read again (a save, a sync, the Timeline): keep revising against
        the note's newest revision, and say so at once if it was marked entered in error
        meanwhile, or if the mark was taken off again."""
        before = self.editing
        self.editing = fresh
        if before is None or before.in_error == fresh.in_error:
            return
        if fresh.in_error and not self.unsaved():
            self.reset()  # opened to revise, nothing typed: nothing to keep
            self.tab.view.message.show_message(
                self.tr(
                    "The case note you opened to revise was marked entered in error, so it "
                    "is no longer revised. Nothing you typed was lost."
                ),
                "info",
            )
            return
        self._show_revising()
        if fresh.in_error:
            self._marked(fresh)
        else:
            self.tab.view.message.show_message(
                self.tr(
                    "The mark was taken off the case note you are revising: Save note "
                    "saves your revision."
                ),
                "info",
            )

    def _marked(self, note: Note) -> None:
        """Say what happened to the note being revised, and what the worker can do: the
        words stay in the editor (and are kept as its draft at a lock) whatever they do."""
        if note.in_error_reason == notes.WRONG_RECORD:
            text = self.tr(
                "While you were revising this case note it was moved to the right "
                "participant's record, here or on your other laptop: it had been written in "
                "the wrong one. Your revision is not saved in this record, and your words "
                "are still in the editor. If they belong with that note, copy them and add "
                "them in the right participant's record, then Discard them here."
            )
        else:
            text = self.tr(
                "While you were revising this case note it was marked entered in error, "
                "here or on your other laptop (why: {why}). A note marked so is not "
                "changed, so your revision is not saved, and your words are still in the "
                "editor. Choose Keep as a new note to save them as a new case note. If the "
                "mark was the mistake, choose the note on the Timeline, Not in error after "
                "all…, then Save note."
            ).format(why=note.in_error_reason or "")
        self.tab.view.message.show_message(text, "warning")

    def keep_as_new(self) -> None:
        """The words of a revision of a note marked entered in error become a new case note,
        about the same contact and private as the note was, to read and save; nothing is
        saved until Save note."""
        note = self.editing
        if note is None or not note.in_error or self.read_only:
            return
        revision_key = self.key()
        self.editing = None
        self._saved_text = ""
        self.keep_new_button.hide()
        self.title.setText(self.tr("New case note (the words of your revision)"))
        self.private_check.setEnabled(True)
        self.private_check.setChecked(note.private)
        self.contact_box.setEnabled(True)
        self.contact_box.setCurrentIndex(max(self.contact_box.findData(note.contact_id), 0))
        if revision_key is not None and self.tab.view.casebook() is not None:
            self.tab.view.session.discard_draft(revision_key)  # kept as the new note's now
        self.tab.view.message.show_message(
            self.tr("Your words are now a new case note: read them, then Save note."), "info"
        )
        self._update_buttons()
        self.text_edit.setFocus()

    def set_contacts(self, contact_list: list[Contact]) -> None:
        current = self.contact_box.currentData()
        self.contact_box.clear()
        self.contact_box.addItem(self.tr("No particular contact"), None)
        # a contact entered in error is no meeting to write about
        for c in [c for c in contact_list if not c.in_error][:20]:
            self.contact_box.addItem(contact_label(c), c.id)
        i = self.contact_box.findData(current)
        self.contact_box.setCurrentIndex(max(i, 0))

    def save(self) -> None:
        view = self.tab.view
        text = self.text_edit.toPlainText()
        if self.saving or not text.strip() or view.participant_id is None or not view.editable():
            return
        if self.editing is not None and self.editing.in_error:
            self._marked(self.editing)  # refused before it is asked; the words stay
            return
        key = self.key()
        done = {"on_done": lambda _n: self._after_save(key), "on_error": self._save_failed}
        if self.editing is not None:
            job = view.write(
                notes.revise_note,
                self.editing.id,
                text,
                base_revision_id=self.editing.latest.id,
                **done,
            )
        else:
            job = view.write(
                notes.write_note,
                view.participant_id,
                text,
                contact_id=self.contact_box.currentData(),
                private=self.private_check.isChecked(),
                **done,
            )
        # a second click (or Ctrl+Enter) before the first save is back saved the note twice
        self.saving = job is not None
        self._update_buttons()

    def _save_failed(self, exc: BaseException) -> None:
        self.saving = False
        self._update_buttons()
        if isinstance(exc, MarkedInErrorError) and self.editing is not None:
            # marked on the other laptop (a sync) just before the save: the words stay, and
            # the record read again says why (``follow``), if it has not said so already
            if self.editing.in_error:
                self._marked(self.editing)
                return
            self.tab.view.message.show_message(
                self.tr(
                    "While you were revising this case note it was marked entered in error, "
                    "so your revision is not saved. Your words are still in the editor."
                ),
                "warning",
            )
            self.tab.view.refresh()
            return
        self.tab.view.show_problem(exc)
        if self.tab.view.read_only:  # handed over while the save was on its way
            self._keep_for_handed_over()

    def _keep_for_handed_over(self) -> None:
        """Words typed into a case that was just handed over (a sync): they cannot be saved
        in it, so they are kept as a draft, named in the bar, to copy and pass on."""
        words = self.draft_texts()
        if not words:
            return
        for key, text in words.items():
            self.tab.view.session.keep_draft(key, text)
        self.reset()
        self.tab.view.message.show_message(
            self.tr(
                "This case was handed over to another links worker while you were writing, so "
                "your case note cannot be saved in it. It is kept for you in the bar above, to "
                "copy and pass on, then discard."
            ),
            "warning",
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
        return ask_discard(self, self.tr("Discard this note?"))

    def reset(self) -> None:
        self.saving = False
        if self.editing is not None and self._new_note_about is not None:
            about = self.contact_box.findData(self._new_note_about[0])
            self.contact_box.setCurrentIndex(max(about, 0))
        self._new_note_about = None
        self.editing = None
        self.keep_new_button.hide()
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
        self.save_button.setEnabled(has_text and not self.read_only and not self.saving)
        # discarding only drops a draft kept on this device, so it stays possible
        self.discard_button.setEnabled(has_text or self.editing is not None)
