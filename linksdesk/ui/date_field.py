"""A date field people can type into as they would write the date, or pick from a calendar."""

from __future__ import annotations

import datetime as dt
import re

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

from linksdesk.core.typed_dates import (
    EXAMPLE,
    MONTH_EXAMPLE,
    TIME_EXAMPLE,
    UnreadableDate,
    read_date,
    read_month,
    read_time,
)
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

    example = EXAMPLE

    def __init__(
        self,
        value: dt.date | None = None,
        *,
        optional: bool = False,
        ahead: bool | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.optional = optional
        # which way the field looks, for a day typed without its year (typed_dates.yearless):
        # ahead (a booking, a review), back (a score, a contact that happened), or neither
        self.ahead = ahead
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(
            self.tr("none") if optional else self.tr("e.g. {example}").format(example=self.example)
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
        self.row = row = QHBoxLayout()
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
            return self.read(self.edit.text())
        except UnreadableDate:
            return None

    def problem(self) -> str | None:
        """Why the text is not a date, in the worker's words; None when it is one or empty."""
        try:
            self.read(self.edit.text())
        except UnreadableDate as exc:
            return str(exc)
        return None

    def read(self, text: str) -> dt.date | None:
        return read_date(text, ahead=self.ahead)

    def set_value(self, value: dt.date | None) -> None:
        self.edit.setText(self.shown(value) if value else "")

    @staticmethod
    def shown(value: dt.date) -> str:
        return _shown(value)

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
            self.reading.setText(self._reading_of(found))
            self.reading.setStyleSheet("")
        self.reading.setVisible(bool(self.reading.text()))

    def _reading_of(self, found: dt.date | None) -> str:
        return _read(found) if found else ""

    def entered(self) -> object:
        """What is typed, as a draft keeps it (read back by :meth:`enter`)."""
        return self.edit.text()

    def enter(self, kept: object) -> None:
        self.edit.setText(str(kept or ""))

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


class MonthField(DateField):
    """A month typed as people write it ("March 2026", "3/2026") or any day in it, for a
    report's period: :meth:`value` is the month's first day, shown back as the month in
    words. Qt's month editor read what was typed over it section by section, as the date
    editor did."""

    example = MONTH_EXAMPLE

    def read(self, text: str) -> dt.date | None:
        return read_month(text)

    @staticmethod
    def shown(value: dt.date) -> str:
        return f"{value:%b %Y}"

    def _reading_of(self, found: dt.date | None) -> str:
        return f"{found:%B %Y}" if found else ""


# a time of day typed after the day, in the day's own box: "9/12/2026 14:00", "Wed 9 Dec 2pm"
_TRAILING_TIME = re.compile(
    r"(?P<day>.*?\S)(?:\s+at|,)?\s+"
    r"(?P<time>\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?)",
    re.IGNORECASE,
)


class DateTimeField(DateField):
    """A day and a time of day, each typed as people write them: "9/12", then "2pm".

    Qt's date-time section editor took "Wed 9 Dec 2026 14:00" typed over a booking's time as
    Wed 2 Dec at 20:26, and "9/12/2026 14:00" as nothing at all: the contact kept the day
    and time it opened with, silently. Under the field, the day and time as read.
    """

    def __init__(
        self,
        value: dt.datetime | None = None,
        parent: QWidget | None = None,
        *,
        ahead: bool | None = None,
    ) -> None:
        self.time_edit = QLineEdit()
        super().__init__(value.date() if value else None, ahead=ahead, parent=parent)
        self.time_edit.setPlaceholderText(self.tr("e.g. {example}").format(example=TIME_EXAMPLE))
        self.time_edit.setMaximumWidth(self.time_edit.fontMetrics().horizontalAdvance("0") * 9)
        self.row.insertWidget(1, self.time_edit)
        self.time_edit.textChanged.connect(self._show_reading)
        self.time_edit.editingFinished.connect(self._tidy)
        self.set_value(value)
        self.setTabOrder(self.edit, self.time_edit)

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.time_edit.setAccessibleName(self.tr("{field}: time").format(field=name))

    def _parts(self) -> tuple[str, str]:
        """The day's text and the time's: a time typed after the day ("9/12 14:00") is the
        time, whatever the time's own box still holds."""
        typed = _TRAILING_TIME.fullmatch(self.edit.text().strip())
        if typed:
            return typed["day"], typed["time"]
        return self.edit.text(), self.time_edit.text()

    def value(self) -> dt.datetime | None:  # type: ignore[override]
        """The day and time typed; None when either is empty or not readable."""
        day_text, time_text = self._parts()
        try:
            day, at = self.read(day_text), read_time(time_text)
        except UnreadableDate:
            return None
        return dt.datetime.combine(day, at) if day is not None and at is not None else None

    def problem(self) -> str | None:
        day_text, time_text = self._parts()
        try:
            day, at = self.read(day_text), read_time(time_text)
        except UnreadableDate as exc:
            return str(exc)
        if day is None:
            return self.tr("Give the day, as {example}.").format(example=EXAMPLE)
        if at is None:
            return self.tr("Give the time, as {example}.").format(example=TIME_EXAMPLE)
        return None

    def set_value(self, value: dt.date | None) -> None:
        when = value if isinstance(value, dt.datetime) else None
        super().set_value(when.date() if when else None)
        self.time_edit.setText(f"{when:%H:%M}" if when else "")

    def entered(self) -> object:
        return [self.edit.text(), self.time_edit.text()]

    def enter(self, kept: object) -> None:
        if isinstance(kept, list) and len(kept) == 2:
            self.edit.setText(str(kept[0] or ""))
            self.time_edit.setText(str(kept[1] or ""))
        elif isinstance(kept, str):  # kept before the day and the time were typed apart
            try:
                self.set_value(dt.datetime.fromisoformat(kept))
            except ValueError:
                self.edit.setText(kept)

    def _tidy(self) -> None:
        # each part written out in full in its own box once typing ends ("9/12 2pm" reads
        # "9 Dec 2026" and "14:00" from then on); what cannot be read stays as typed
        day_text, time_text = self._parts()
        try:
            day, at = self.read(day_text), read_time(time_text)
        except UnreadableDate:
            return
        if day is not None:
            DateField.set_value(self, day)
        if at is not None:
            self.time_edit.setText(f"{at:%H:%M}")

    def _reading_of(self, found: dt.date | None) -> str:
        when = self.value()
        return f"{_read(when)} at {when:%H:%M}" if when else ""

    def _picked(self, day: QDate) -> None:
        self.edit.setText(_shown(dt.date(day.year(), day.month(), day.day())))
        menu = self.button.menu()
        if menu is not None:
            menu.close()
        self.time_edit.setFocus()  # the day picked, the time is next
