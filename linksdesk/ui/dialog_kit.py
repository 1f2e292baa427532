"""What the dialogs share: their buttons, how they open, ask, check a form and tell a failure."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Self, TypeVar

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from linksdesk.casework.casebook import Casebook
from linksdesk.ui.runner import is_expected
from linksdesk.ui.widgets import InlineMessage, StrengthHint

if TYPE_CHECKING:
    from linksdesk.ui.session import UiSession

D = TypeVar("D", bound=QDialog)
T = TypeVar("T")

# one check of a form: (it fails, what to tell the person, the field to put right)
Check = tuple[bool, str, QWidget]

BUG_MESSAGE = "Something went wrong. The details are in the error report."

_BUTTON = QDialogButtonBox.StandardButton
OK_CANCEL = _BUTTON.Ok | _BUTTON.Cancel
SAVE_CANCEL = _BUTTON.Save | _BUTTON.Cancel
CLOSE = _BUTTON.Close


def set_title(dialog: QWidget, title: str, name: str | None = None) -> None:
    """The window's title, and its name for screen readers (the title unless ``name``)."""
    dialog.setWindowTitle(title)
    dialog.setAccessibleName(title if name is None else name)


def introduced(dialog: QWidget, title: str, intro: str, min_width: int) -> QLabel:
    """A dialog's title, its least width, and the words that open it (wrapped), to lay out."""
    set_title(dialog, title)
    dialog.setMinimumWidth(min_width)
    label = QLabel(intro, dialog)
    label.setWordWrap(True)
    return label


def button_box(
    dialog: QDialog,
    buttons: QDialogButtonBox.StandardButton,
    on_accept: Callable[[], object] | None = None,
    *,
    parent: QWidget | None = None,
) -> QDialogButtonBox:
    """The dialog's standard buttons: accepting calls ``on_accept``, rejecting closes it.

    Without ``parent`` the box joins the tab order where it is laid out; with one, at once.
    """
    box = QDialogButtonBox(buttons, parent)
    if on_accept is not None:
        box.accepted.connect(on_accept)
    box.rejected.connect(dialog.reject)
    return box


def accept_button(box: QDialogButtonBox) -> QPushButton:
    """The box's button that accepts (OK or Save)."""
    role = QDialogButtonBox.ButtonRole.AcceptRole
    return next(b for b in box.findChildren(QPushButton) if box.buttonRole(b) == role)


def name_buttons(box: QDialogButtonBox, text: str = "", name: str = "") -> QPushButton:
    """Relabel the accepting button ``text`` (when given) and give it and Cancel their names
    for screen readers: ``name``, else the label without its &. Returns the accepting button."""
    accept = accept_button(box)
    if text:
        accept.setText(text)
    accept.setAccessibleName(name or accept.text().replace("&", ""))
    cancel = box.button(_BUTTON.Cancel)
    cancel.setAccessibleName(cancel.text().replace("&", ""))
    return accept


def column(dialog: QWidget, *widgets: QWidget) -> QVBoxLayout:
    """Lay ``widgets`` out top to bottom in ``dialog`` (its layout, returned)."""
    layout = QVBoxLayout(dialog)
    for widget in widgets:
        layout.addWidget(widget)
    return layout


def shown_read_only(field: QLineEdit | QPlainTextEdit, name: str, text: str) -> None:
    """``field`` shows ``text`` to read and copy, not to change; ``name`` for screen readers."""
    field.setReadOnly(True)
    field.setAccessibleName(name)
    if isinstance(field, QLineEdit):
        field.setText(text)
    else:
        field.setPlainText(text)


def grow_to_fit(dialog: QWidget) -> None:
    """Resize a shown dialog to show in full what appeared in it since (a message whose
    words wrap): a shown window does not grow by itself for them, and cut them off."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    width = max(dialog.width(), dialog.minimumSizeHint().width())
    height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else 0
    dialog.resize(width, max(height, dialog.minimumSizeHint().height()))


def while_open(widget: QWidget, callback: Callable[[T], None]) -> Callable[[T], None]:
    """``callback``, called only while ``widget`` still exists: a job's answer may come back
    after the person closed the dialog that asked (``open_modeless`` deletes it on close)."""

    def call(value: T) -> None:
        if shiboken6.isValid(widget):
            callback(value)

    return call


def open_modeless(dialog: D) -> D:
    """Show ``dialog`` without blocking; it deletes itself once closed. Returns it (for tests)."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def answered(dialog: D, answer: Callable[[D], T]) -> T | None:
    """Show ``dialog`` modally: ``answer(dialog)`` once it is accepted, None when it is not
    (cancelled, or closed by a lock)."""
    return answer(dialog) if dialog.exec() == QDialog.DialogCode.Accepted else None


class SessionBoundDialog(QDialog):
    """A dialog over the open vault: it keeps the ``session`` and closes when the vault locks."""

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        session.sig_locked.connect(self.reject)

    def unsaved(self) -> str:
        """What Escape or Cancel would throw away, in words; empty when nothing was typed."""
        return ""

    def done(self, result: int) -> None:
        # Escape or Cancel with something typed asks first; the lock closes the dialog
        # without asking (a question over the unlock screen would be worse). Here, not in an
        # override of reject, which the lock's signal is connected to: Qt drops that
        # connection with the dialog only while reject is QDialog's own slot.
        lost = result == QDialog.DialogCode.Rejected and self.session.is_unlocked and self.unsaved()
        if not lost or ask_discard(self, self.tr("Discard what you have written?"), lost):
            super().done(result)


class SessionDialog(SessionBoundDialog):
    """A session-bound dialog made of the session alone, opened by ``ask``."""

    @classmethod
    def ask(cls, session: UiSession, parent: QWidget | None = None) -> Self:
        """Open the dialog without blocking (``open_modeless``). Returns it (tests use it)."""
        return open_modeless(cls(session, parent))


def ask_yes_no(parent: QWidget, title: str, text: str) -> bool:
    """A warning that asks Yes or No, No the default; True for Yes. ``text`` is shown as
    it is, never as markup (it may hold a name someone typed, or a file's)."""
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, yes | no, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(no)
    return box.exec() == yes


def confirm_replace_file(parent: QWidget, path: Path) -> bool:
    """Ask before ``path``, already there, is written over; No is the default. For a name the
    file dialog did not see: the ending it added after the person chose (".pdf", say)."""
    return ask_yes_no(
        parent,
        parent.tr("Replace the file?"),
        parent.tr("There is already a file named {name} there. Replace it?").format(name=path.name),
    )


def ask_discard(parent: QWidget, title: str, text: str = "") -> bool:
    """Words typed are not thrown away on one key (Escape, Cancel): True to discard them."""
    answer = QMessageBox.question(
        parent,
        title,
        text or parent.tr("The text you have written will be lost."),
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard


def select_field(field: QWidget) -> None:
    """Put the focus in ``field`` with its text selected, to be typed again."""
    field.setFocus(Qt.FocusReason.OtherFocusReason)
    if isinstance(field, QLineEdit):
        field.selectAll()


def failure_text(exc: BaseException, bug: str = BUG_MESSAGE) -> str:
    """What to tell the person about ``exc``: its own words, or ``bug`` for a bug."""
    return str(exc) if is_expected(exc) else bug


def refused(message: InlineMessage, checks: Iterable[Check]) -> bool:
    """Show the first check that fails, its field selected (True); else clear the message."""
    for fails, text, field in checks:
        if fails:
            message.show_message(text)
            select_field(field)
            return True
    message.clear_message()
    return False


def new_passphrase_checks(new: QLineEdit, repeat: QLineEdit, empty: str) -> Sequence[Check]:
    """A new passphrase typed twice: not empty (``empty`` says so), and the same both times."""
    return (
        (not new.text(), empty, new),
        (
            new.text() != repeat.text(),
            repeat.tr("The two passphrases are not the same. Type the second one again."),
            repeat,
        ),
    )


def follow_strength(hint: StrengthHint, edit: QLineEdit) -> None:
    """``hint`` rates the new passphrase in ``edit`` as it is typed (nothing for none)."""

    def rate(text: str) -> None:
        if not text:
            hint.set_strength(None, "")
            return
        verdict = Casebook.passphrase_strength(text)
        hint.set_strength(verdict.score, verdict.message)

    edit.textChanged.connect(rate)
