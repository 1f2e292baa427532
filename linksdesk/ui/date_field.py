"""A date field people can type into as they would write the date, or pick from a calendar."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from linksdesk.core.typed_dates import EXAMPLE, UnreadableDate, read_date
from linksdesk.ui.widgets import is_dark


def _shown(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"  # 14 Mar 1958 (strftime has no portable unpadded day)


def _read(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"  # Friday 14 March 1958


class DateField(QWidget):
    """A line to type a date in ("14/3/58", "14 March 1958", "today") with a calendar button.

    Under it, what the field reads the text as ("Friday 14 March 1958"), or why it cannot
    read it; a date it cannot read is never turned into another (Qt's section editor made
    "14/03/1958" into today's month and year). Optional fields may be left empty.
    """

    def __init__(
        self, value: dt.date | None = None, *, optional: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.optional = optional
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(
            self.tr("none") if optional else self.tr("e.g. {example}").format(example=EXAMPLE)
        )
        self.edit.setClearButtonEnabled(optional)
        self.button = QToolButton()
        self.button.setText(self.tr("Calendar…"))
        self.button.setAccessibleName(self.tr("Pick the date from a calendar"))
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._calendar = QCalendarWidget()
        self._calendar.setGridVisible(True)
        menu = QMenu(self.button)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self._calendar)
        menu.addAction(action)
        self.button.setMenu(menu)
        self._calendar.clicked.connect(self._picked)
        self._calendar.activated.connect(self._picked)
        self.reading = QLabel()
        self.reading.setAccessibleName(self.tr("The date as read"))
        self.reading.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        font = self.reading.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        self.reading.setFont(font)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addLayout(row)
        box.addWidget(self.reading)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._show_reading)
        self.edit.editingFinished.connect(self._tidy)
        self.set_value(value)

    # -- what it holds ---------------------------------------------------------------------
    def value(self) -> dt.date | None:
        """The date typed or picked; None when empty or not readable (see :meth:`problem`)."""
        try:
            return read_date(self.edit.text())
        except UnreadableDate:
            return None

    def problem(self) -> str | None:
        """Why the text is not a date, in the worker's words; None when it is one or empty."""
        try:
            read_date(self.edit.text())
        except UnreadableDate as exc:
            return str(exc)
        return None

    def set_value(self, value: dt.date | None) -> None:
        self.edit.setText(_shown(value) if value else "")

    def setAccessibleName(self, name: str) -> None:
        # a screen reader lands on the line, not on this frame: it carries the field's name
        super().setAccessibleName(name)
        self.edit.setAccessibleName(name)

    def calendarWidget(self) -> QCalendarWidget:
        return self._calendar

    # -- behaviour ---------------------------------------------------------------------------
    def _show_reading(self) -> None:
        problem = self.problem()
        found = self.value()
        # the calendar opens at the date typed; an empty field's at today (not at 1900)
        at = found or dt.date.today()
        self._calendar.setSelectedDate(QDate(at.year, at.month, at.day))
        self._calendar.setCurrentPage(at.year, at.month)
        if problem:
            self.reading.setText(problem)
            self.reading.setStyleSheet(f"color: {'#f2b8b5' if is_dark(self) else '#b3261e'};")
        else:
            self.reading.setText(_read(found) if found else "")
            self.reading.setStyleSheet("")
        self.reading.setVisible(bool(self.reading.text()))

    def _tidy(self) -> None:
        # once typing ends, a readable date is written out in full, so "3/4" cannot be
        # mistaken for 4 March later; unreadable text stays as typed, to be put right
        found = self.value()
        if found is not None:
            self.set_value(found)

    def _picked(self, day: QDate) -> None:
        self.set_value(dt.date(day.year(), day.month(), day.day()))
        menu = self.button.menu()
        if menu is not None:
            menu.close()
        self.edit.setFocus()
