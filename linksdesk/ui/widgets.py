"""Small shared widgets: inline messages, passphrase fields, a strength hint, chips, headings,
buttons and title bars."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from linksdesk.ui.icons import icon

# kind -> (icon, light background, light accent, dark background, dark accent)
_MESSAGE_STYLES = {
    "error": ("error", "#fdecea", "#b3261e", "#4a1f1c", "#f2b8b5"),
    "warning": ("warning", "#fff4e0", "#9a6700", "#4a3a16", "#ffd479"),
    "info": ("info", "#e8f1fb", "#1f5fa8", "#1b3149", "#9ecaff"),
    "success": ("success", "#e7f5ec", "#1e7a46", "#16382a", "#8fd6a7"),
}


def is_dark(widget: QWidget | None = None) -> bool:
    palette = widget.palette() if widget is not None else QPalette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


class InlineMessage(QFrame):
    """A message in plain words next to what it is about; hidden until there is one.

    It has the accessible role of an alert so screen readers announce it when shown.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inlineMessage")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._icon = QLabel(self)
        self._icon.setFixedSize(QSize(20, 20))
        self._text = QLabel(self)
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(8)
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._text, 1)
        self.kind = ""
        self.setAccessibleName(self.tr("Message"))
        self.hide()

    def text(self) -> str:
        return self._text.text()

    def show_message(self, text: str, kind: str = "error") -> None:
        name, light, light_accent, dark, dark_accent = _MESSAGE_STYLES[kind]
        self.kind = kind
        background, accent = (dark, dark_accent) if is_dark(self) else (light, light_accent)
        self.setStyleSheet(
            f"#inlineMessage {{ background: {background}; border-left: 4px solid {accent};"
            " border-radius: 4px; }"
        )
        self._icon.setPixmap(icon(name, accent).pixmap(QSize(20, 20)))
        self._text.setText(text)
        self.setAccessibleDescription(text)
        self.show()

    def clear_message(self) -> None:
        self.kind = ""
        self._text.clear()
        self.setAccessibleDescription("")
        self.hide()


class PassphraseEdit(QLineEdit):
    """A passphrase field with a show/hide button inside it; never remembers its text.
    ``name`` is what screen readers call it."""

    def __init__(self, parent: QWidget | None = None, name: str = "") -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhNoPredictiveText
            | Qt.InputMethodHint.ImhNoAutoUppercase
            | Qt.InputMethodHint.ImhSensitiveData
        )
        self.toggle_action = QAction(icon("eye"), self.tr("Show passphrase"), self)
        self.toggle_action.setCheckable(True)
        self.toggle_action.toggled.connect(self._on_toggle_action_toggled)
        self.addAction(self.toggle_action, QLineEdit.ActionPosition.TrailingPosition)
        self.toggle_action.setToolTip(self.tr("Show passphrase"))
        self._sync_button_name()

    def _sync_button_name(self) -> None:
        # the line edit draws the action as a tool button of its own, which needs a name too
        for button in self.findChildren(QToolButton):
            button.setAccessibleName(self.toggle_action.text())

    def _on_toggle_action_toggled(self, shown: bool) -> None:
        self.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.toggle_action.setIcon(icon("eye-off" if shown else "eye"))
        self.toggle_action.setText(
            self.tr("Hide passphrase") if shown else self.tr("Show passphrase")
        )

    def wipe(self) -> None:
        """Empty the field and hide the text again."""
        self.clear()
        self.toggle_action.setChecked(False)


class StrengthHint(QWidget):
    """A bar from 0 to 4 and a sentence of advice about a new passphrase."""

    _COLOURS = ("#b3261e", "#c75d00", "#9a6700", "#3c7d3a", "#1e7a46")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 4)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(6)
        self.bar.setAccessibleName(self.tr("Passphrase strength"))
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setAccessibleName(self.tr("Passphrase advice"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        self.set_strength(None, "")

    def set_strength(self, score: int | None, message: str) -> None:
        self.bar.setValue(score or 0)
        colour = self._COLOURS[score or 0]
        self.bar.setStyleSheet(
            f"QProgressBar {{ border: none; border-radius: 3px; background: palette(midlight); }}"
            f"QProgressBar::chunk {{ border-radius: 3px; background: {colour}; }}"
        )
        self.bar.setVisible(score is not None)
        self.label.setText(message)
        self.bar.setAccessibleDescription(message)


class Chip(QLabel):
    """A small rounded label for a status or category."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("chip")
        self.setStyleSheet(
            "#chip { border: 1px solid palette(mid); border-radius: 9px; padding: 1px 8px; }"
        )


class ElidingLabel(QLabel):
    """One line that ends in "…" when it has not the room (a very long name) instead of
    widening the window or being cut mid-word; ``text()`` keeps the whole of it."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        hint.setWidth(min(hint.width(), self.fontMetrics().horizontalAdvance("M" * 12)))
        return hint

    def shown_text(self) -> str:
        """What is drawn at the label's present width."""
        width = self.contentsRect().width()
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, width)

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            self.contentsRect(),
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            self.shown_text(),
            QPalette.ColorRole.WindowText,
        )


def name_field_buttons(edit: QLineEdit) -> None:
    """Give the buttons a line edit draws for its actions (search icon, clear) accessible names."""
    for button in edit.findChildren(QToolButton):
        action = button.defaultAction()
        name = action.text() if action is not None else ""
        if not name and action is not None and "clear" in action.objectName().lower():
            name = edit.tr("Clear")
        button.setAccessibleName(name or edit.accessibleName())


def scrolled(body: QWidget, name: str, *, framed: bool = True) -> QScrollArea:
    """``body`` in a scroll area named ``name`` for screen readers. The area is no stop of
    Tab's own (it was an unnamed stop with nothing to do): Tab goes to the controls inside,
    and the area scrolls each one into sight as it gets the focus."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    if not framed:
        scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    scroll.setAccessibleName(name)
    scroll.setWidget(body)
    return scroll


def focus_page(window: QWidget, stack: QStackedWidget) -> None:
    """The keyboard goes to the page ``stack`` shows (its focus proxy) unless it is in the
    page already, else to ``stack``: a worker's next key lands there after an unlock or a
    closed search, never nowhere."""
    window.activateWindow()
    page = stack.currentWidget()
    focused = QApplication.focusWidget()
    if page is not None and not page.hasFocus() and not (focused and page.isAncestorOf(focused)):
        page.setFocus(Qt.FocusReason.OtherFocusReason)
    focused = QApplication.focusWidget()
    if focused is None or focused.window() is not window:
        stack.setFocus(Qt.FocusReason.OtherFocusReason)


def push_button(text: str, accessible_name: str, clicked: Callable[[], object]) -> QPushButton:
    """A button whose name for screen readers says what it acts on, wired to ``clicked``."""
    button = QPushButton(text)
    button.setAccessibleName(accessible_name)
    button.clicked.connect(clicked)
    return button


def action_button(text: str, clicked: Callable[[], object], tip: str = "") -> QPushButton:
    """A button wired to ``clicked``; ``tip``, when given, says more of what it does when
    pointed at."""
    button = QPushButton(text)
    if tip:
        button.setToolTip(tip)
    button.clicked.connect(clicked)
    return button


def title_bar(title: QWidget, *buttons: QWidget) -> QHBoxLayout:
    """A section's title on the left and its buttons on the right."""
    bar = QHBoxLayout()
    bar.addWidget(title)
    bar.addStretch(1)
    for button in buttons:
        bar.addWidget(button)
    return bar


def link_button(text: str, parent: QWidget | None = None) -> QPushButton:
    """A flat, link-like button for a secondary action (keeps its place in the tab order)."""
    button = QPushButton(text, parent)
    button.setFlat(True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setAccessibleName(text.replace("&", ""))
    button.setStyleSheet(
        "QPushButton { color: palette(link); text-align: left; padding: 2px 4px; border: none; }"
        "QPushButton:hover { text-decoration: underline; }"
        "QPushButton:focus { text-decoration: underline; }"
    )
    return button


def heading(text: str, parent: QWidget | None = None, *, size_delta: int = 6) -> QLabel:
    """A bold, larger label for the title of a screen or section."""
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() + size_delta)
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    label.setWordWrap(True)
    label.setAccessibleName(text)
    label.setProperty("heading", True)
    return label


def typed_path(text: str) -> Path | None:
    """The file a path field names, as people hand paths in (None when it names none):
    spaces around it, one pair of matching quotes (a path copied with "Copy as path"),
    a ``file://`` address (a file dragged in from the file manager), ``~`` for home."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    if text[:7].lower() == "file://":
        text = QUrl(text).toLocalFile()
    return Path(text).expanduser() if text else None


class PathRow(QWidget):
    """A path field with a Choose… button; ``chooser(current)`` asks for the path (None:
    the person cancelled). ``name`` is the field's accessible name."""

    def __init__(
        self, name: str, chooser: Callable[[Path | None], Path | None], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.chooser = chooser
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(name)
        self.choose = QPushButton(icon("folder"), self.tr("Choose…"), self)
        self.choose.setAccessibleName(self.tr("Choose: {what}").format(what=name))
        self.choose.clicked.connect(self._on_choose_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.choose)
        self.setFocusProxy(self.edit)

    def path(self) -> Path | None:
        return typed_path(self.edit.text())

    def set_path(self, path: Path | None) -> None:
        self.edit.setText(str(path) if path else "")

    def _on_choose_clicked(self) -> None:
        chosen = self.chooser(self.path())
        if chosen is not None:
            self.set_path(chosen)


def refresh_after_typing(edit: QLineEdit, ms: int, refresh: Callable[[], object]) -> QTimer:
    """A timer that calls ``refresh`` once typing in ``edit`` pauses for ``ms`` milliseconds
    (stop it to cancel a refresh still waiting)."""
    timer = QTimer(edit)
    timer.setSingleShot(True)
    timer.setInterval(ms)
    timer.timeout.connect(refresh)
    edit.textChanged.connect(lambda _text: timer.start())
    return timer
