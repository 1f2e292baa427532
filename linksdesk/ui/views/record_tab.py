"""What every tab of the participant record shares: its host, its day format, adding an item."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox, QPushButton, QTableView, QWidget

from linksdesk.casework import participants
from linksdesk.core.vocab import ENTERED_IN_ERROR, ParticipantStatus
from linksdesk.ui.dialogs import in_error
from linksdesk.ui.models.table import RecordFilterProxy
from linksdesk.ui.widgets import push_button

if TYPE_CHECKING:
    from linksdesk.ui.views.record_host import RecordHost

Translate = Callable[[str], str]  # a widget's ``tr``
# a dialog's ``ask(parent)``: the values the person entered, or None when they cancelled
Ask = Callable[[QWidget], dict[str, Any] | None]


def day(value: dt.date | None) -> str:
    """A day as the record's tabs show it: 4 Mar 2026."""
    return f"{value.day} {value:%b %Y}" if value else ""


def marked_or(entry: Any, text: str) -> str:
    """``text``, or for an entry marked entered in error that it was, and the worker's why
    (said in words in the column not struck through)."""
    return f"{ENTERED_IN_ERROR}: {entry.in_error_reason or ''}" if entry.in_error else text


class RecordTabBase(QWidget):
    """A tab of the record: ``_build`` lays it out; its accessible name is its tab's title
    (set by the record)."""

    in_error_button: QPushButton  # a tab whose rows can be marked: its ``mark_button``

    def __init__(self, view: RecordHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.read_only = False
        # the tab's buttons that change the record: disabled while it is read-only
        self.editing_buttons: tuple[QWidget, ...] = ()
        self._asked_to_choose = False  # the record's message asks for a row to be chosen
        self._build(self.tr)

    def _build(self, tr: Translate) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for button in self.editing_buttons:
            button.setEnabled(not read_only)

    def mark_button(self, name: str, action: Callable[[], None] | None = None) -> QPushButton:
        """The "Entered in error…" button of a tab whose rows can be marked, named for screen
        readers by what it marks: it calls ``in_error_selected`` (or, for a tab's second
        list of such rows, its own ``action``), and ``follow_mark`` makes it say what it will
        do with the row chosen."""
        return push_button(self._mark_text(marked=False), name, action or self.in_error_selected)

    def follow_mark(self, marked: bool, button: QPushButton | None = None) -> None:
        """The mark's button (``in_error_button`` unless another is given) says what it will
        do: mark the row chosen, or (``marked``) take a mistaken mark off."""
        (button or self.in_error_button).setText(self._mark_text(marked))

    def _mark_text(self, marked: bool) -> str:
        return self.tr("Not in error after all…") if marked else self.tr("Entered in error…")

    # what a closed case is reopened as when this tab offers it (``offer_reopening``)
    reopen_as = ParticipantStatus.ACTIVE

    def closed(self) -> bool:
        """The open record's case is closed (what it adds may bring the person back)."""
        data = self.view.data
        return data is not None and data.participant.status is ParticipantStatus.CLOSED

    def offer_reopening(self, _saved: object) -> None:
        """Something added to a closed case that brings the person back (the door is always
        open): offer to reopen it as ``reopen_as``, so it is back on the caseload and Today
        and their next wellbeing form starts a new episode. The worker decides: something
        recorded late, for a case that stays closed, is kept as it is."""
        pid = self.view.participant_id
        if pid is not None and self.ask_reopen():
            self.view.write(
                participants.reopen_participant,
                pid,
                to_status=self.reopen_as,
                reason=self.tr("Referred again")
                if self.reopen_as is ParticipantStatus.REFERRED
                else self.tr("Seen again"),
            )

    def ask_reopen(self) -> bool:
        """Whether to reopen the closed case (Yes the default; tests replace it)."""
        answer = QMessageBox.question(
            self,
            self.tr("Reopen the case?"),
            self.tr(
                "This case is closed. Reopen it as {status}, so it is back on the caseload "
                "and Today? The history stays as it is."
            ).format(status=self.reopen_as.label.lower()),
            defaultButton=QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def in_error_selected(self) -> None:
        """Mark the row chosen entered in error, or take a mistaken mark off (a tab with a
        ``mark_button`` does this its own way)."""
        raise NotImplementedError

    def mark_or_take_off(
        self, entry: in_error.Markable, mark: Callable[..., Any], take_off: Callable[..., Any]
    ) -> None:
        """Mark ``entry`` entered in error once the tab's ``ask_why`` says why, or take its
        mistaken mark off once ``ask_restore`` says yes (``in_error.mark_or_take_off``);
        ``mark`` and ``take_off`` are the casework calls."""
        in_error.mark_or_take_off(
            self.view.write,
            entry,
            ask_why=lambda: self.ask_why(entry),
            mark=mark,
            ask_take_off=lambda: self.ask_restore(entry),
            take_off=take_off,
        )

    def mark_chosen(
        self, table: QTableView, what: str, mark: Callable[..., Any], take_off: Callable[..., Any]
    ) -> None:
        """Mark the row chosen in ``table`` (a ``what``) entered in error, or take a mistaken
        mark off (``mark_or_take_off``); with none chosen, the record says so (``chosen``)."""
        entry = self.chosen(table, what)
        if entry is not None:
            self.mark_or_take_off(entry, mark, take_off)

    def chosen_to_change(self, table: QTableView, what: str) -> Any | None:
        """The row chosen in ``table`` (``chosen``), unless it is marked entered in error:
        nothing more is done to such a row (casework refuses it too), and the record says
        so, and how to take a mistaken mark off first."""
        entry = self.chosen(table, what)
        if entry is not None and entry.in_error:
            self.view.message.show_message(
                self.tr(
                    "This entry is marked entered in error, so nothing more is done with it. "
                    "If the mark was the mistake, choose Not in error after all… first."
                ),
                "info",
            )
            return None
        return entry

    def ask_why(self, entry: Any) -> str | None:
        """Why ``entry`` is entered in error (None: the worker cancelled); told what marking
        it does (a tab that calls ``mark_or_take_off`` asks its own way)."""
        raise NotImplementedError

    def ask_restore(self, entry: Any) -> bool:
        """Whether to take the mark off ``entry`` (No is the default; tests replace it)."""
        raise NotImplementedError

    def chosen(self, table: QTableView, what: str) -> Any | None:
        """The row chosen in ``table`` to change, when the record may be changed; with none
        chosen, the record says so ("Choose a concern in the list first."): a button that
        did nothing left a tired worker clicking it again."""
        if not self.view.editable():
            return None
        index = table.currentIndex()
        proxy = table.model()
        if not index.isValid() or not isinstance(proxy, RecordFilterProxy):
            self._asked_to_choose = True
            self.view.message.show_message(
                self.tr("Choose {what} in the list first.").format(what=what), "info"
            )
            return None
        if self._asked_to_choose:  # chosen now: the request is answered
            self._asked_to_choose = False
            self.view.message.clear_message()
        return proxy.row_at(index.row())

    def add_to_record(
        self,
        ask: Ask,
        use_case: Callable[..., Any],
        *leading: str,
        on_done: Callable[[Any], None] | None = None,
    ) -> None:
        """Ask for a new item on the open record, then write ``use_case(pid, *leading values,
        **the other values)`` (``on_done`` given what was saved); nothing when no record is
        open, it is read-only or the person cancels."""
        pid = self.view.participant_id
        if pid is None or not self.view.editable():
            return
        values = ask(self)
        if values:
            firsts = [values.pop(key) for key in leading]
            self.view.write(use_case, pid, *firsts, on_done=on_done, **values)
