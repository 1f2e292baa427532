"""Dialogs for onward referrals and signposting to resources, and their outcome."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from linksdesk.casework.onward import onward_problem
from linksdesk.core.folding import words_in
from linksdesk.core.vocab import OnwardKind, OnwardStatus, ResourceCapacity
from linksdesk.ui.dialogs.form import Field, FormDialog, choices_of, dated_today, enum_choice
from linksdesk.ui.models.table import Column, RecordFilterProxy, RecordTableModel
from linksdesk.ui.views.common import make_table

# what can follow each status (casework enforces it; the dialog only offers these)
NEXT_STATUSES: dict[OnwardStatus, tuple[OnwardStatus, ...]] = {
    OnwardStatus.SUGGESTED: (OnwardStatus.MADE, OnwardStatus.DECLINED),
    OnwardStatus.MADE: (OnwardStatus.ATTENDED, OnwardStatus.DECLINED, OnwardStatus.NO_CAPACITY),
}


def resource_text(r: Any) -> str:
    """What the chooser's search looks in: name, categories and area."""
    return " ".join((r.name, " ".join(r.categories), r.area or ""))


class OnwardDialog(FormDialog):
    """Signpost or refer the person to a resource: searched by category, area and name, with
    its capacity and when it was last verified, and a short reason why."""

    def __init__(
        self,
        resources: Sequence[Any],
        parent: QWidget | None = None,
        resource_id: str | None = None,
    ) -> None:
        tr = self.tr
        super().__init__(
            tr("Refer onward or signpost"),
            [
                enum_choice("kind", tr("Kind"), OnwardKind.SIGNPOST),
                Field(
                    "status",
                    tr("Status"),
                    "choice",
                    OnwardStatus.SUGGESTED,
                    choices=choices_of(OnwardStatus, [OnwardStatus.SUGGESTED, OnwardStatus.MADE]),
                ),
                Field("why", tr("Why (a few words)")),
            ],
            parent,
            intro=tr("Search the directory by category, area or name.")
            if resources
            else tr(
                "The resource directory is empty: add resources on the Resources screen first."
            ),
            validate=lambda v: onward_problem(v) if self.chosen() else tr("Choose a resource."),
        )
        self.search = QLineEdit()
        self.search.setAccessibleName(tr("Search the resource directory"))
        self.search.setPlaceholderText(tr("Category, area or name…"))
        self.search.setClearButtonEnabled(True)
        self.model: RecordTableModel[Any] = RecordTableModel(
            [
                Column(tr("Resource"), lambda r: r.name),
                Column(tr("Categories"), lambda r: ", ".join(r.categories)),
                Column(tr("Area"), lambda r: r.area or ""),
                Column(tr("Capacity"), lambda r: r.capacity.label),
                Column(
                    tr("Last verified"),
                    lambda r: f"{r.last_verified:%d %b %Y}" if r.last_verified else tr("Never"),
                    sort=lambda r: r.last_verified or dt.date.min,
                ),
            ],
            parent=self,
        )
        self.model.set_rows(list(resources))
        self.proxy = RecordFilterProxy(self, self.model)
        self.table = make_table(self.proxy, tr("Resources"))
        self.table.setMinimumHeight(220)
        for column, width in enumerate((290, 200, 110, 100)):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        self.capacity_note = QLabel()
        self.capacity_note.setWordWrap(True)
        self.capacity_note.setAccessibleName(tr("About the chosen resource"))
        self.capacity_note.hide()
        layout.insertWidget(1, self.search)
        layout.insertWidget(2, self.table, 1)
        layout.insertWidget(3, self.capacity_note)
        self.search.textChanged.connect(self._on_search)
        self.search.installEventFilter(self)
        self.table.selectionModel().currentChanged.connect(self._on_chosen)
        self.setMinimumWidth(880)
        self.search.setFocus()
        at = self.model.row_of_id(resource_id) if resource_id else -1
        if at >= 0:  # chosen in the directory already: the reason is what is left to write
            self.table.setCurrentIndex(self.proxy.mapFromSource(self.model.index(at, 0)))
            self.widget("why").setFocus()
        elif self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))

    def _on_chosen(self) -> None:
        r = self.chosen()
        full = r is not None and r.capacity in (
            ResourceCapacity.FULL,
            ResourceCapacity.WAITING_LIST,
        )
        self.capacity_note.setVisible(full)
        if r is None or not full:
            return
        if r.capacity is ResourceCapacity.FULL:
            text = self.tr(
                "{name} says it is full: the person may not get a place soon. Tell them, or "
                "choose another resource; it can still be recorded."
            )
        else:
            text = self.tr("{name} has a waiting list: tell the person they may have to wait.")
        self.capacity_note.setText(text.format(name=r.name))

    def _on_search(self, text: str) -> None:
        # "cafe" finds "Café": accents, case and apostrophes aside
        self.proxy.set_predicate(lambda r: words_in(text, resource_text(r)))
        if self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))

    def eventFilter(self, watched: Any, event: Any) -> bool:
        # Down from the search moves into the list
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
        ):
            self.table.setFocus()
            return True
        return super().eventFilter(watched, event)

    def chosen(self) -> Any:
        index = self.table.currentIndex()
        return self.proxy.row_at(index.row()) if index.isValid() else None

    def values(self) -> dict[str, Any]:
        out = super().values()
        r = self.chosen()
        out["resource_id"] = r.id if r is not None else None
        return out

    def entries(self) -> dict[str, Any]:
        # the resource chosen is kept at a lock with the words: they are about it
        return {**super().entries(), "resource_id": self.values()["resource_id"]}

    def enter_kept(self, entries: Mapping[str, Any]) -> None:
        # opened again to take them up, the directory's first resource is chosen: the one
        # chosen before the lock is chosen again, or none (it has gone from the directory)
        super().enter_kept(entries)
        at = self.model.row_of_id(str(entries.get("resource_id") or ""))
        if at >= 0:
            self.table.setCurrentIndex(self.proxy.mapFromSource(self.model.index(at, 0)))
        else:
            self.table.selectionModel().clearCurrentIndex()

    @classmethod
    def ask(
        cls, parent: QWidget | None, resources: Sequence[Any], resource_id: str | None = None
    ) -> dict[str, Any] | None:
        """{"resource_id", "kind", "status", "why"}, or None."""
        return cls(resources, parent, resource_id).run()


def steps_text(onward: Any, tr: Any) -> str:
    """The days its steps were taken, in words ("suggested 3 Mar 2026, made 10 Mar 2026"),
    or blank when none is known."""
    parts = []
    if onward.suggested_on is not None:
        parts.append(tr("suggested {day}").format(day=short_day(onward.suggested_on)))
    if onward.made_on is not None:
        parts.append(tr("made {day}").format(day=short_day(onward.made_on)))
    if onward.outcome_on is not None:
        parts.append(
            tr("{status} {day}").format(
                status=onward.status.label.lower(), day=short_day(onward.outcome_on)
            )
        )
    return ", ".join(parts)


def short_day(value: dt.date) -> str:
    return f"{value.day} {value:%b %Y}"


def last_step_on(onward: Any) -> dt.date | None:
    """The day of the latest step taken: a new step cannot be dated before it."""
    days = [d for d in (onward.suggested_on, onward.made_on) if d is not None]
    return max(days) if days else None


class OnwardUpdateDialog(FormDialog):
    """Move an onward referral on: made, attended, declined, no capacity, with an outcome and
    the day it happened (today unless the worker says otherwise; never before the step it
    follows). The days of its steps so far are shown, and stay as they are."""

    def __init__(self, onward: Any, parent: QWidget | None = None) -> None:
        tr = self.tr
        nexts = NEXT_STATUSES.get(onward.status, ())
        so_far = steps_text(onward, tr)
        earliest = last_step_on(onward)

        def check(values: dict[str, Any]) -> str | None:
            on = values.get("on")
            if isinstance(on, dt.date) and on > dt.date.today():
                return tr("The new step cannot be after today: give the day it happened.")
            if earliest is not None and isinstance(on, dt.date) and on < earliest:
                return tr("The new step cannot be before {day}, the day of the last one.").format(
                    day=short_day(earliest)
                )
            return onward_problem(values)  # an outcome pasted too long: said, not lost

        super().__init__(
            tr("Update onward referral"),
            [
                Field(
                    "status",
                    tr("New status"),
                    "choice",
                    nexts[0] if nexts else None,
                    choices=choices_of(OnwardStatus, nexts),
                ),
                dated_today("on", tr("On")),
                Field("outcome", tr("Outcome"), "text"),
            ],
            parent,
            intro=f"{onward.resource_name} — {onward.status.label}"
            + (f" ({so_far})" if so_far else ""),
            validate=check,
        )
        self.about = onward.id

    @classmethod
    def ask(cls, parent: QWidget | None, onward: Any) -> dict[str, Any] | None:
        if not NEXT_STATUSES.get(onward.status):
            return None
        return cls(onward, parent).run()
