"""A small form dialog built from field descriptions, shared by the simple dialogs."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from linksdesk.casework.casebook import draft_key
from linksdesk.casework.records import storable_text
from linksdesk.core.datafiles import json_object
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import Labelled
from linksdesk.ui.date_field import DateField, DateTimeField
from linksdesk.ui.dialog_kit import OK_CANCEL, ask_discard, button_box, name_buttons

# fields whose first value moves with the clock
DATE_KINDS = ("date", "optional_date", "datetime")


@dataclass
class Field:
    """One input: ``kind`` is line, text, date, optional_date, datetime, int, check or choice."""

    key: str
    label: str
    kind: str = "line"
    value: Any = None
    required: bool = False
    choices: Sequence[tuple[str, Any]] = field(default_factory=tuple)  # (label, value)
    minimum: int = 0
    maximum: int = 10_000
    help: str = ""
    # a date's way of looking, for a day typed without its year (``typed_dates.yearless``):
    # True ahead (a booking, a review), False back (something that happened), None neither
    ahead: bool | None = None


def enum_choice(key: str, label: str, default: Labelled, value: object = None) -> Field:
    """A choice among all members of ``default``'s vocabulary enum: ``value`` chosen, else
    ``default``."""
    return Field(key, label, "choice", value or default, choices=choices_of(type(default)))


def dated_today(key: str, label: str) -> Field:
    """A date that starts at today, of something that has happened (a consent given, a
    referral received): a day typed without its year is the latest such day gone."""
    return Field(key, label, "date", dt.date.today(), ahead=False)


def values_of(existing: object | None) -> Callable[[str], Any]:
    """What an edit dialog's fields start with: ``existing``'s values, or None for a new one."""

    def get(name: str) -> Any:
        return getattr(existing, name, None)

    return get


def fields_of(existing: object | None) -> Callable[..., Field]:
    """A maker of an edit dialog's fields, each starting with ``existing``'s value of the
    same name as its key (empty for a new one): ``field(key, label, kind="line", **more)``."""
    get = values_of(existing)

    def field(key: str, label: str, kind: str = "line", **more: Any) -> Field:
        return Field(key, label, kind, get(key), **more)

    return field


def record_owner(widget: QObject | None) -> Any:
    """The participant record a dialog was opened from (the nearest ancestor that says whose
    record it is, with ``dialog_person()``), or None."""
    while widget is not None:
        if callable(getattr(widget, "dialog_person", None)):
            return widget
        widget = widget.parent()
    return None


def session_of(parent: QObject | None) -> Any:
    """The UI session of the screen a dialog was opened from (None outside a window)."""
    widget: Any = parent
    while widget is not None:
        session = getattr(widget, "session", None)
        if session is not None and hasattr(session, "drafts"):
            return session
        widget = widget.parent()
    return None


def keep_while_locked(
    dialog: QDialog, provider: Callable[[], Mapping[str, str]], key: str
) -> str | None:
    """What is entered in ``dialog`` (``provider() -> {draft key: text}``) is kept in the
    vault as a draft if it locks while the dialog is open. Returns the draft kept under
    ``key`` at an earlier lock, taken to be shown again, or None."""
    session = session_of(dialog.parent())
    if session is None:
        return None
    session.drafts.register(provider, owner=dialog)
    dialog.finished.connect(lambda _result: session.drafts.unregister(provider))
    text: str | None = session.drafts.take(key)
    return text


def may_discard(dialog: QDialog, entered: bool, what: str = "") -> bool:
    """Escape or Cancel: True to close ``dialog``. With something ``entered`` the worker is
    asked first (``what`` says what would be lost); a lock closes it without asking (what
    was entered is kept as a draft)."""
    session = session_of(dialog.parent())
    locking = session is not None and not session.is_unlocked
    if locking or not entered:
        return True
    return ask_discard(dialog, dialog.tr("Discard what you have written?"), what)


def person_title(title: str, parent: QObject | None) -> str:
    """``title`` with the person the dialog writes about, so it is never the wrong record."""
    owner = record_owner(parent)
    person = owner.dialog_person() if owner is not None else None
    return f"{title} — {person}" if person else title


def review_weeks(parent: QObject | None, default: int = 6) -> int:
    """The programme's goal review interval, as the open record's session knows it."""
    owner = record_owner(parent)
    settings = getattr(getattr(owner, "session", None), "settings", None)
    return int(getattr(settings, "review_goals_every_weeks", default))


class FormDialog(QDialog):
    """Labels on the left, inputs on the right, OK refused until required fields are filled.

    Opened from a participant's record, the title names the person (``names_person``).
    What was entered is kept as a draft in the vault if it locks meanwhile, and comes back
    when the same dialog opens again for the same record and item.
    """

    # False for a dialog that keeps what matters its own way, or whose entries could come
    # back in the wrong place (a step opened for no goal in particular)
    keeps_draft = True
    # True for a dialog opened outside a record that the window can open again by itself
    # (a new participant, a new resource); other forms outside a record keep nothing
    keeps_without_record = False
    # the id of the entry the dialog changes (a goal reviewed or given a step, an onward
    # referral moved on): what is entered at a lock is kept under it, back to it only
    about = ""

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        parent: QWidget | None = None,
        intro: str = "",
        ok_text: str = "",
        validate: Callable[[dict[str, Any]], str | None] | None = None,
        names_person: bool = True,
    ) -> None:
        super().__init__(parent)
        self._title = title
        self._taken_up = False
        self._draft_key = ""
        if names_person:
            title = person_title(title, parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._fields = list(fields)
        self._widgets: dict[str, QWidget] = {}
        self._validate = validate
        self._box = layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            layout.addWidget(label)
        self._form = form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)
        for f in self._fields:
            widget = self._make(f)
            widget.setAccessibleName(f.label.rstrip(":* "))
            if f.help:
                widget.setToolTip(f.help)
                widget.setAccessibleDescription(f.help)
            self._widgets[f.key] = widget
            text = f.label + (" *" if f.required else "")
            if f.kind == "check":
                form.addRow("", widget)
            else:
                label = QLabel(text)
                label.setBuddy(widget)
                form.addRow(label, widget)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Form message"))
        self.message.hide()
        layout.addWidget(self.message)
        self.buttons = button_box(self, OK_CANCEL, self._on_ok)
        name_buttons(self.buttons, ok_text or "")
        # Enter in a many-line field starts a new line; Ctrl+Enter is OK from any field
        self.save_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        self.save_shortcut.activated.connect(self._on_ok)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)

    def widget(self, key: str) -> QWidget:
        return self._widgets[key]

    def show_field(self, key: str, shown: bool) -> None:
        """Show or hide a field with its label (a choice that makes no sense just now)."""
        self._form.setRowVisible(self._widgets[key], shown)

    def add_below_fields(self, widget: QWidget) -> None:
        """Show ``widget`` under the fields, above the form's message and buttons."""
        self._box.insertWidget(self._box.indexOf(self.message), widget)

    def _make(self, f: Field) -> QWidget:
        if f.kind == "line":
            w = QLineEdit()
            w.setText("" if f.value is None else str(f.value))
            return w
        if f.kind == "text":
            t = QPlainTextEdit()
            t.setPlainText("" if f.value is None else str(f.value))
            t.setTabChangesFocus(True)
            t.setMinimumHeight(80)
            return t
        if f.kind in ("date", "optional_date"):
            optional = f.kind == "optional_date"
            return DateField(
                f.value or (None if optional else dt.date.today()),
                optional=optional,
                ahead=f.ahead,
            )
        if f.kind == "datetime":
            now = dt.datetime.now().replace(second=0, microsecond=0)
            return DateTimeField(f.value or now, ahead=f.ahead)
        if f.kind == "int":
            s = QSpinBox()
            s.setRange(f.minimum, f.maximum)
            s.setValue(int(f.value or f.minimum))
            return s
        if f.kind == "check":
            c = QCheckBox(f.label)
            c.setChecked(bool(f.value))
            return c
        if f.kind == "choice":
            box = QComboBox()
            for label, value in f.choices:
                box.addItem(label, value)
            if f.value is not None:
                for i, (_label, value) in enumerate(f.choices):
                    if value == f.value:
                        box.setCurrentIndex(i)
            return box
        raise ValueError(f"unknown field kind {f.kind!r}")

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self._fields:
            w = self._widgets[f.key]
            if isinstance(w, QLineEdit):
                out[f.key] = w.text().strip() or None
            elif isinstance(w, QPlainTextEdit):
                out[f.key] = w.toPlainText().strip() or None
            elif isinstance(w, (DateField, QSpinBox)):
                out[f.key] = w.value()
            elif isinstance(w, QCheckBox):
                out[f.key] = w.isChecked()
            elif isinstance(w, QComboBox):
                out[f.key] = w.currentData()
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        """Fill inputs programmatically (tests and prefilled forms)."""
        for key, value in values.items():
            w = self._widgets[key]
            if isinstance(w, QLineEdit):
                w.setText("" if value is None else str(value))
            elif isinstance(w, QPlainTextEdit):
                w.setPlainText("" if value is None else str(value))
            elif isinstance(w, DateField):
                w.set_value(value or None)
            elif isinstance(w, QSpinBox):
                w.setValue(int(value))
            elif isinstance(w, QCheckBox):
                w.setChecked(bool(value))
            elif isinstance(w, QComboBox):
                i = w.findData(value)
                if i >= 0:
                    w.setCurrentIndex(i)

    def problem(self) -> str | None:
        values = self.values()
        for f in self._fields:
            widget = self._widgets[f.key]
            unread = widget.problem() if isinstance(widget, DateField) else None
            if unread:
                return f"{f.label.rstrip(':* ')}: {unread}"
            if f.required and values.get(f.key) in (None, ""):
                return self.tr("Fill in {field}.").format(field=f.label.rstrip(":* ").lower())
            text = values.get(f.key)
            if f.kind in ("line", "text") and isinstance(text, str):
                # pasted text that cannot be kept (a hidden null from a PDF) is refused here,
                # with the dialog open: refused by casework after it closed, it was lost
                try:
                    storable_text(text, f.label.rstrip(":* "))
                except ValidationError as exc:
                    return str(exc)
        if self._validate is not None:
            return self._validate(values)
        return None

    def _on_ok(self) -> None:
        problem = self.problem()
        if problem:
            self.message.setText(problem)
            self.message.show()
            return
        self.accept()

    def typed(self) -> bool:
        """Words written into a field since it opened: a goal, a note, and a line too (a new
        participant's name and telephone number went on one Escape, unasked)."""
        for f in self._fields:
            w = self._widgets[f.key]
            if isinstance(w, QLineEdit | QPlainTextEdit):
                now = w.text() if isinstance(w, QLineEdit) else w.toPlainText()
                if now.strip() != str(f.value or "").strip():
                    return True
        return False

    def reject(self) -> None:
        # Escape or Cancel with words written asks first; a lock closes it without asking
        if may_discard(self, self.typed()):
            super().reject()

    # -- what was entered outlives a lock ----------------------------------------------------
    def entries(self) -> dict[str, Any]:
        """Each field as entered, as JSON can keep it (a date field's text as typed)."""
        out = FormDialog.values(self)
        for f in self._fields:
            w = self._widgets[f.key]
            if isinstance(w, DateField):
                out[f.key] = w.entered()
        return out

    def _keep_while_locked(self) -> None:
        # every form keeps what was entered at a lock (a new participant's details typed at a
        # first meeting, a goal in the person's words): the lock closes dialogs, and nothing
        # a worker wrote may go without their say. Keyed by the record, the dialog and what
        # it opened with (not the dates, which move with the clock), so it comes back in
        # the same dialog for the same item
        self._opened_with = self.entries()
        self._draft_key = self._key_as_opened()
        if not self._draft_key:
            return
        kept = keep_while_locked(self, self._draft_texts, self._draft_key)
        found = kept_entries(kept) if kept else None
        if found is None:
            return
        self._taken_up = True
        self.enter_kept(found["entries"])
        self.message.setText(
            self.tr("What you had entered was kept while LinksDesk was locked; it is back here.")
        )
        self.message.show()

    def enter_kept(self, entries: Mapping[str, Any]) -> None:
        """Put back what was entered when the vault locked (``entries()`` as kept)."""
        for key, value in entries.items():
            w = self._widgets.get(key)
            if isinstance(w, DateField):
                w.enter(value)
            elif w is not None:
                self.set_values({key: value})

    def _key_as_opened(self) -> str:
        """The draft key of this dialog as it stands now, before anything is entered ("":
        it keeps no draft where it is)."""
        opened = self.entries()
        # its fields only: a choice made outside them (a resource picked in a list) may
        # start otherwise when the dialog opens again to take up what was kept
        same = {k: v for k, v in opened.items() if k in self._widgets and not self._is_date(k)}
        digest = hashlib.sha256(json.dumps(same, sort_keys=True, default=str).encode())
        person = getattr(record_owner(self.parent()), "participant_id", None)
        if person is None and not self.keeps_without_record:
            return ""
        about = self.about or digest.hexdigest()[:12]
        return draft_key("form", person, f"{self.draft_name()}.{about}")

    def draft_name(self) -> str:
        """The dialog's name in the key of what it keeps at a lock: the record reopens the
        dialog of that name to take it up (``ParticipantView._form_openers``)."""
        return type(self).__name__

    def _draft_text(self) -> str:
        return json.dumps({"title": self._title, "entries": self.entries()}, default=str)

    def _is_date(self, key: str) -> bool:
        return any(f.key == key and f.kind in DATE_KINDS for f in self._fields)

    def _draft_texts(self) -> dict[str, str]:
        entries = self.entries()
        if not self.isVisible() or not self._draft_key or entries == self._opened_with:
            return {}
        return {self._draft_key: self._draft_text()}

    def run(self) -> dict[str, Any] | None:
        """Show modally; the values, or None when cancelled."""
        session = session_of(self.parent())
        if session is not None and not session.is_unlocked:
            # the vault locked while a question before this dialog was open (the lock closes
            # it as "No"): nothing may be asked over the unlock screen, nor written
            return None
        if session is not None and self.keeps_draft:
            self._keep_while_locked()
        if self.exec() == QDialog.DialogCode.Accepted:
            if self._taken_up and session is not None:
                # saved now: a form taken up again is never offered a second time
                session.discard_draft(self._draft_key)
            return self.values()
        return None


def kept_entries(text: str) -> dict[str, Any] | None:
    """A form kept at a lock: its ``title`` and its ``entries``; None for a draft that cannot
    be read as one."""
    return json_object(text, title=str, entries=dict)


def choices_of(enum_cls: Any, only: Sequence[Any] | None = None) -> list[tuple[str, Any]]:
    """(label, member) pairs of a vocabulary enum, for a choice field."""
    members = list(only) if only is not None else list(enum_cls)
    return [(m.label, m) for m in members]
