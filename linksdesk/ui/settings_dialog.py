"""Settings: auto-lock, the programme's appointment limit, concerns, "not seen for", passphrase."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from linksdesk.casework import note_templates
from linksdesk.casework.casebook import Casebook
from linksdesk.core.errors import WrongPassphraseError
from linksdesk.core.settings import BOUNDS, PROGRAMME_NAME_LENGTH, Settings
from linksdesk.ui import dialog_kit as kit
from linksdesk.ui.icons import icon
from linksdesk.ui.session import UiSession
from linksdesk.ui.views.rows import tab_order
from linksdesk.ui.widgets import InlineMessage, PassphraseEdit, StrengthHint


def _change_passphrase(cb: Casebook, new: str, current: str) -> None:
    """On the DB thread: the current passphrase is checked before the key is rewrapped."""
    cb.change_passphrase(new, current_passphrase=current)


def _setting_box(
    parent: QWidget, bounds: tuple[int, int], unit: str, name: str, tip: str = ""
) -> QSpinBox:
    """A number setting's box: its ``bounds``, the ``unit`` after the number, its ``name`` for
    screen readers and the ``tip`` that says what it does."""
    box = QSpinBox(parent)
    box.setRange(*bounds)
    box.setSuffix(unit)
    box.setAccessibleName(name)
    box.setToolTip(tip)
    return box


class SettingsDialog(kit.SessionDialog):
    """Edits the settings stored inside the vault; saving runs on the DB thread."""

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        kit.set_title(self, self.tr("Settings"))
        self.setMinimumWidth(520)
        tr = self.tr

        # -- this computer -------------------------------------------------------------------
        self.auto_lock = _setting_box(
            self,
            BOUNDS["auto_lock_minutes"],
            tr(" minutes"),
            tr("Lock after minutes without use"),
            tr("LinksDesk locks itself after this long without use, time asleep included."),
        )
        self.clipboard = _setting_box(
            self,
            BOUNDS["clipboard_clear_seconds"],
            tr(" seconds"),
            tr("Clear copied text after seconds"),
        )

        # -- programme -----------------------------------------------------------------------
        self.appointment_limit = _setting_box(
            self,
            (0, BOUNDS["appointment_limit"][1]),  # 0 is "No limit"
            "",
            tr("Appointment limit per person"),
            tr("Supported visits and attempted contacts do not count towards the limit."),
        )
        self.appointment_limit.setSpecialValueText(tr("No limit"))
        self.not_seen = _setting_box(
            self,
            BOUNDS["not_seen_weeks"],
            tr(" weeks"),
            tr("Not seen for weeks"),
            tr("People not seen for this long are listed on the Today screen to reach out to."),
        )
        self.review_weeks = _setting_box(
            self, BOUNDS["review_goals_every_weeks"], tr(" weeks"), tr("Review goals every weeks")
        )
        self.concerns = QPlainTextEdit(self)
        self.concerns.setAccessibleName(tr("Concerns, one per line"))
        self.concerns.setTabChangesFocus(True)
        self.concerns.setMinimumHeight(140)
        self.programme_name = QLineEdit(self)
        self.programme_name.setMaxLength(PROGRAMME_NAME_LENGTH)
        self.programme_name.setAccessibleName(tr("Programme name"))
        self.programme_name.setToolTip(
            tr("Printed on a participant's own record and on GP summaries.")
        )

        working = QWidget(self)
        wform = QFormLayout(working)
        wform.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        wform.addRow(tr("&Lock after"), self.auto_lock)
        wform.addRow(tr("&Clear copied text after"), self.clipboard)
        wform.addRow(tr("Programme na&me"), self.programme_name)
        prog_box = QGroupBox(tr("Programme settings"), working)
        pform = QFormLayout(prog_box)
        pform.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        pform.addRow(tr("&Appointments per person"), self.appointment_limit)
        pform.addRow(tr("&Not seen for"), self.not_seen)
        pform.addRow(tr("&Review goals every"), self.review_weeks)
        pform.addRow(tr("C&oncerns (one per line)"), self.concerns)
        synced = QLabel(
            tr("Your programme may set these centrally; a sync then replaces them."), prog_box
        )
        synced.setWordWrap(True)
        synced.setEnabled(False)
        pform.addRow(synced)
        wform.addRow(prog_box)

        # -- passphrase -----------------------------------------------------------------------
        security = QWidget(self)
        sform = QFormLayout(security)
        sform.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.current = PassphraseEdit(security, tr("Current passphrase"))
        self.new = PassphraseEdit(security, tr("New passphrase"))
        self.repeat = PassphraseEdit(security, tr("Repeat the new passphrase"))
        self.strength = StrengthHint(security)
        kit.follow_strength(self.strength, self.new)
        sform.addRow(tr("C&urrent passphrase"), self.current)
        sform.addRow(tr("N&ew passphrase"), self.new)
        sform.addRow("", self.strength)
        sform.addRow(tr("Re&peat it"), self.repeat)
        self.passphrase_message = InlineMessage(security)
        sform.addRow(self.passphrase_message)
        self.change_button = QPushButton(icon("key"), tr("C&hange passphrase"), security)
        self.change_button.setAccessibleName(tr("Change passphrase"))
        self.change_button.clicked.connect(self._on_change_clicked)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.change_button)
        sform.addRow(row)
        note = QLabel(
            tr(
                "Changing the passphrase does not change your recovery key: keep using the "
                "one you stored."
            ),
            security,
        )
        note.setWordWrap(True)
        note.setEnabled(False)
        sform.addRow(note)

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(tr("Settings sections"))
        self.tabs.addTab(working, icon("settings"), tr("&Working"))
        self.tabs.addTab(security, icon("lock"), tr("&Passphrase"))
        self.tabs.addTab(self._make_notes_tab(), icon("settings"), tr("&Case notes"))

        self.message = InlineMessage(self)
        self.buttons = kit.button_box(self, kit.SAVE_CANCEL, self.save, parent=self)
        self.save_button = kit.name_buttons(self.buttons, name=tr("Save settings"))
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

        tab_order(
            self.auto_lock,
            self.clipboard,
            self.programme_name,
            self.appointment_limit,
            self.not_seen,
            self.review_weeks,
            self.concerns,
        )
        tab_order(self.current, self.new, self.repeat, self.change_button)
        # Enter in a passphrase box is Change passphrase: as Save settings it shut the
        # dialog with the passphrase as it was, nothing said
        for edit in (self.current, self.new, self.repeat):
            edit.installEventFilter(self)

        self.load(session.settings)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched in (self.current, self.new, self.repeat)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            if self.change_button.isEnabled():
                self.change_button.click()
            return True
        return super().eventFilter(watched, event)

    def _make_notes_tab(self) -> QWidget:
        """The programme's note templates and the words the spell checker should know."""
        tr = self.tr
        page = QWidget(self)
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.templates = QPlainTextEdit(page)
        self.templates.setAccessibleName(tr("Note templates"))
        self.templates.setTabChangesFocus(True)
        self.templates.setMinimumHeight(220)
        self.templates.setToolTip(tr('Each template starts with a line "## Its name".'))
        form.addRow(tr("Note &templates"), self.templates)
        help_text = QLabel(
            tr(
                'Each template starts with a line "## Its name". Clear the box to go back to '
                "the templates LinksDesk comes with."
            )
        )
        help_text.setWordWrap(True)
        form.addRow(help_text)
        self.spelling_words = QPlainTextEdit(page)
        self.spelling_words.setAccessibleName(tr("Words the spell checker should know"))
        self.spelling_words.setTabChangesFocus(True)
        self.spelling_words.setMinimumHeight(80)
        form.addRow(tr("&Programme words (one per line)"), self.spelling_words)
        return page

    # -- settings -------------------------------------------------------------------------
    def load(self, settings: Settings) -> None:
        self.auto_lock.setValue(settings.auto_lock_minutes)
        self.clipboard.setValue(settings.clipboard_clear_seconds)
        self.appointment_limit.setValue(settings.appointment_limit or 0)
        self.not_seen.setValue(settings.not_seen_weeks)
        self.review_weeks.setValue(settings.review_goals_every_weeks)
        self.concerns.setPlainText("\n".join(settings.concern_taxonomy))
        self.programme_name.setText(settings.programme_name)
        self.templates.setPlainText(note_templates.templates_text(settings))
        self.spelling_words.setPlainText("\n".join(settings.spelling_words))

    def changes(self) -> dict[str, Any]:
        """The settings as the form shows them, only those that differ from the current ones."""
        limit = self.appointment_limit.value()
        form: dict[str, Any] = {
            "auto_lock_minutes": self.auto_lock.value(),
            "clipboard_clear_seconds": self.clipboard.value(),
            "appointment_limit": limit if limit > 0 else None,
            "not_seen_weeks": self.not_seen.value(),
            "review_goals_every_weeks": self.review_weeks.value(),
            "concern_taxonomy": tuple(
                line.strip() for line in self.concerns.toPlainText().splitlines() if line.strip()
            ),
            "programme_name": " ".join(self.programme_name.text().split()),
        }
        text = self.templates.toPlainText().strip()
        # the shipped set is kept as "none of the programme's own", so it follows updates
        form["note_templates"] = "" if text == note_templates.shipped_text().strip() else text
        form["spelling_words"] = tuple(
            w.strip() for w in self.spelling_words.toPlainText().splitlines() if w.strip()
        )
        current = self.session.settings
        return {k: v for k, v in form.items() if getattr(current, k) != v}

    def unsaved(self) -> str:
        return self.tr("The settings you have changed will not be saved.") if self.changes() else ""

    def save(self) -> None:
        changes = self.changes()
        if not changes:
            self.accept()
            return
        self.message.clear_message()
        self._set_busy(True)
        self.session.update_settings(changes, on_done=self._on_saved, on_error=self._on_save_failed)

    def _on_saved(self, _settings: Settings) -> None:
        self._set_busy(False)
        self.session.sig_status.emit(self.tr("Settings saved."))
        self.accept()

    def _on_save_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.tabs.setCurrentIndex(0)
        self.message.show_message(
            kit.failure_text(exc, self.tr("The settings could not be saved."))
        )

    def _set_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
        self.change_button.setEnabled(not busy)

    # -- passphrase -----------------------------------------------------------------------
    def _on_change_clicked(self) -> None:
        checks: list[kit.Check] = [
            (not self.current.text(), self.tr("Enter your current passphrase."), self.current),
            *kit.new_passphrase_checks(self.new, self.repeat, self.tr("Choose a new passphrase.")),
        ]
        if kit.refused(self.passphrase_message, checks):
            return
        self._set_busy(True)
        self.session.call(
            _change_passphrase,
            self.new.text(),
            self.current.text(),
            on_done=self._on_passphrase_changed,
            on_error=self._on_passphrase_failed,
        )

    def _wipe(self) -> None:
        for edit in (self.current, self.new, self.repeat):
            edit.wipe()

    def _on_passphrase_changed(self, _none: None) -> None:
        self._set_busy(False)
        self._wipe()
        self.passphrase_message.show_message(
            self.tr("Your passphrase has been changed. Use the new one from now on."), "success"
        )

    def _on_passphrase_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.passphrase_message.show_message(
            kit.failure_text(exc, self.tr("The passphrase could not be changed."))
        )
        kit.select_field(self.current if isinstance(exc, WrongPassphraseError) else self.new)

    def done(self, result: int) -> None:
        super().done(result)
        if not self.isVisible():  # closed, not kept open by "Discard what you have written?"
            self._wipe()
