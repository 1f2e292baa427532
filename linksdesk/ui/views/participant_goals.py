"""The Goals tab: goals in the person's own words, their steps, progress and review dates."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from linksdesk.casework import goals
from linksdesk.casework.dto import Goal, GoalStep
from linksdesk.ui.dialogs.goal import GoalDialog, ReviewDialog, StepDialog
from linksdesk.ui.models.table import Column, RecordFilterProxy, RecordTableModel
from linksdesk.ui.views.common import make_table, selected_id

if TYPE_CHECKING:
    from linksdesk.ui.views.participant import ParticipantView, RecordData


def _day(value: dt.date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else ""


def _progress(goal: Goal) -> str:
    return f"{'●' * goal.progress}{'○' * (10 - goal.progress)} {goal.progress}/10"


class GoalsTab(QWidget):
    def __init__(self, view: ParticipantView) -> None:
        super().__init__(view)
        tr = self.tr
        self.view = view
        self.setAccessibleName(tr("Goals"))
        self.goals_model: RecordTableModel[Goal] = RecordTableModel(
            [
                Column(tr("Goal"), lambda g: g.title),
                Column(tr("Status"), lambda g: g.status.label),
                Column(tr("Progress"), _progress, sort=lambda g: g.progress),
                Column(
                    tr("Steps done"),
                    lambda g: f"{sum(s.done for s in g.steps)} of {len(g.steps)}",
                ),
                Column(tr("Review on"), lambda g: _day(g.review_on), sort=lambda g: g.review_on),
                Column(tr("Set on"), lambda g: _day(g.set_on), sort=lambda g: g.set_on),
            ],
            parent=self,
        )
        self.goals_proxy = RecordFilterProxy(self)
        self.goals_proxy.setSourceModel(self.goals_model)
        self.steps_model: RecordTableModel[GoalStep] = RecordTableModel(
            [
                Column(
                    tr("#"),
                    lambda s: s.position,
                    sort=lambda s: s.position,
                ),
                Column(
                    tr("Done"),
                    lambda s: "✔ " + _day(s.done_on) if s.done else "",
                    sort=lambda s: s.done_on,
                ),
                Column(tr("Step"), lambda s: s.description),
                Column(tr("Due"), lambda s: _day(s.due_on), sort=lambda s: s.due_on),
            ],
            parent=self,
        )
        self.steps_proxy = RecordFilterProxy(self)
        self.steps_proxy.setSourceModel(self.steps_model)
        self.steps_proxy.sort(0, Qt.SortOrder.AscendingOrder)

        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.set_button = QPushButton(tr("Set a goal…"))
        self.set_button.setAccessibleName(tr("Set a goal"))
        self.set_button.clicked.connect(self.set_goal)
        self.review_button = QPushButton(tr("Review…"))
        self.review_button.setAccessibleName(tr("Review the selected goal"))
        self.review_button.clicked.connect(self.review_goal)
        self.step_button = QPushButton(tr("Add step…"))
        self.step_button.setAccessibleName(tr("Add a step to the selected goal"))
        self.step_button.clicked.connect(self.add_step)
        self.done_button = QPushButton(tr("Step done / not done"))
        self.done_button.setAccessibleName(tr("Mark the selected step done or not done"))
        self.done_button.clicked.connect(self.toggle_step)
        for b in (self.set_button, self.review_button, self.step_button, self.done_button):
            bar.addWidget(b)
        bar.addStretch(1)
        layout.addLayout(bar)
        split = QSplitter(Qt.Orientation.Vertical)
        self.goals_table = make_table(self.goals_proxy, tr("Goals"))
        self.goals_table.setColumnWidth(0, 320)
        self.goals_table.setColumnWidth(2, 170)
        split.addWidget(self.goals_table)
        steps_host = QWidget()
        steps_layout = QVBoxLayout(steps_host)
        steps_layout.setContentsMargins(0, 0, 0, 0)
        self.steps_title = QLabel(tr("Steps of the selected goal"))
        steps_layout.addWidget(self.steps_title)
        self.why_label = QLabel()
        self.why_label.setWordWrap(True)
        self.why_label.setAccessibleName(tr("Why it matters"))
        steps_layout.addWidget(self.why_label)
        self.steps_table = make_table(self.steps_proxy, tr("Steps"))
        self.steps_table.setColumnWidth(0, 40)
        self.steps_table.setColumnWidth(1, 130)
        self.steps_table.setColumnWidth(2, 360)
        steps_layout.addWidget(self.steps_table)
        split.addWidget(steps_host)
        layout.addWidget(split, 1)
        self.goals_table.selectionModel().currentRowChanged.connect(lambda *_: self._show_steps())
        self.steps_table.activated.connect(lambda _i: self.toggle_step())

    def show_record(self, data: RecordData) -> None:
        selected = selected_id(self.goals_table)
        self.goals_model.set_rows(data.goals)
        row = self.goals_model.row_of_id(selected) if selected else (0 if data.goals else -1)
        if row >= 0:
            self.goals_table.setCurrentIndex(
                self.goals_proxy.mapFromSource(self.goals_model.index(row, 0))
            )
        self._show_steps()

    def clear(self) -> None:
        self.goals_model.clear()
        self.steps_model.clear()
        self.why_label.clear()

    def current_goal(self) -> Goal | None:
        index = self.goals_table.currentIndex()
        return self.goals_proxy.row_at(index.row()) if index.isValid() else None

    def _show_steps(self) -> None:
        goal = self.current_goal()
        self.steps_model.set_rows(list(goal.steps) if goal else [])
        self.why_label.setText(
            self.tr("Why it matters: {why}").format(why=goal.why_it_matters)
            if goal and goal.why_it_matters
            else ""
        )
        for b in (self.review_button, self.step_button):
            b.setEnabled(goal is not None)

    # -- actions ------------------------------------------------------------------------
    def set_goal(self) -> None:
        pid = self.view.participant_id
        if pid is None:
            return
        values = GoalDialog.ask(self)
        if values:
            title = values.pop("title")
            self.view.write(goals.set_goal, pid, title, **values)

    def review_goal(self) -> None:
        goal = self.current_goal()
        if goal is None:
            return
        values = ReviewDialog.ask(self, goal)
        if not values:
            return
        status = values.pop("status")
        self.view.write(
            goals.review_goal,
            goal.id,
            progress=values["progress"],
            next_review_on=values["next_review_on"],
        )
        if status is not goal.status:
            self.view.write(goals.change_goal_status, goal.id, status)

    def add_step(self) -> None:
        goal = self.current_goal()
        if goal is None:
            return
        values = StepDialog.ask(self)
        if values:
            self.view.write(goals.add_step, goal.id, values["description"], due_on=values["due_on"])

    def toggle_step(self) -> None:
        index = self.steps_table.currentIndex()
        if not index.isValid():
            return
        step: GoalStep = self.steps_proxy.row_at(index.row())
        self.view.write(goals.complete_step, step.id, done=not step.done)
