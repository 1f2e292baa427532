"""The Goals tab: goals in the person's own words, their steps, progress and review dates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QPushButton, QSplitter, QVBoxLayout, QWidget

from linksdesk.casework import goals
from linksdesk.casework.dto import Goal, GoalStep
from linksdesk.ui.dialog_kit import ask_yes_no
from linksdesk.ui.dialogs.goal import GoalDialog, ReviewDialog, StepDialog
from linksdesk.ui.dialogs.in_error import InErrorDialog, ask_not_in_error
from linksdesk.ui.models.table import Column, RecordFilterProxy, RecordTableModel, StruckTableModel
from linksdesk.ui.views.common import make_current, make_table, selected_id
from linksdesk.ui.views.record_tab import RecordTabBase, Translate, day, marked_or
from linksdesk.ui.views.rows import hbox, push_buttons, tab_order

if TYPE_CHECKING:
    from linksdesk.casework.record import RecordData


def _status(goal: Goal) -> str:
    """The goal's status, or that it was entered in error and why."""
    return marked_or(goal, goal.status.label)


def _progress(goal: Goal) -> str:
    return f"{'●' * goal.progress}{'○' * (10 - goal.progress)} {goal.progress}/10"


class GoalsTab(RecordTabBase):
    def _build(self, tr: Translate) -> None:
        self._step_number: dict[str, int] = {}
        self._steps_goal: Goal | None = None  # the goal whose steps are shown
        # a goal set by mistake is struck through; "Status" says so in words
        self.goals_model: RecordTableModel[Goal] = StruckTableModel(
            [
                Column(tr("Goal"), lambda g: g.title),
                Column(
                    tr("Status"),
                    _status,
                    tooltip=lambda g: _status(g) if g.in_error else None,  # a narrow column
                ),
                Column(tr("Progress"), _progress, sort=lambda g: g.progress),
                Column(
                    tr("Steps done"),
                    lambda g: f"{sum(s.done for s in g.steps)} of {len(g.steps)}",
                ),
                Column(tr("Review on"), lambda g: day(g.review_on), sort=lambda g: g.review_on),
                Column(tr("Set on"), lambda g: day(g.set_on), sort=lambda g: g.set_on),
            ],
            frozenset({0, 2, 3, 4, 5}),
            parent=self,
        )
        self.goals_proxy = RecordFilterProxy(self, self.goals_model)
        # the steps of a goal entered in error are struck through with it, saying why
        self.steps_model: RecordTableModel[GoalStep] = StruckTableModel(
            [
                Column(
                    tr("#"),
                    # 1, 2, 3… in the goal's order, even after a step was removed
                    lambda s: self._step_number.get(s.id, s.position),
                    sort=lambda s: s.position,
                ),
                Column(
                    tr("Done"),
                    lambda s: "✔ " + day(s.done_on) if s.done else "",
                    sort=lambda s: s.done_on,
                ),
                Column(tr("Step"), lambda s: s.description),
                Column(tr("Due"), lambda s: day(s.due_on), sort=lambda s: s.due_on),
            ],
            frozenset({0, 1, 2, 3}),
            parent=self,
            marked=lambda _s: self._steps_goal is not None and self._steps_goal.in_error,
            why=lambda _s: self._steps_struck_why(),
        )
        self.steps_proxy = RecordFilterProxy(self, self.steps_model, Qt.SortOrder.AscendingOrder)

        layout = QVBoxLayout(self)
        self.set_button, self.review_button, self.step_button, self.done_button = push_buttons(
            (tr("Set a goal…"), tr("Set a goal"), self.set_goal),
            (tr("Review…"), tr("Review the selected goal"), self.review_goal),
            (tr("Add step…"), tr("Add a step to the selected goal"), self.add_step),
            (
                tr("Step done / not done"),
                tr("Mark the selected step done or not done"),
                self.toggle_step,
            ),
        )
        self.in_error_button = self.mark_button(
            tr("Mark the selected goal entered in error, or take a mistaken mark off")
        )
        layout.addLayout(
            hbox(
                self.set_button,
                self.review_button,
                self.step_button,
                self.done_button,
                None,
                self.in_error_button,
            )
        )
        # the steps' own actions, as buttons and (with their shortcuts) in a context menu
        self.done_action = self._step_action(
            tr("Step &done / not done"),
            tr("Mark the selected step done or not done"),
            "",  # Enter on the step does it already
            self.toggle_step,
        )
        self.up_action = self._step_action(
            tr("Move step &up"), tr("Move the selected step up"), "Alt+Up", self.move_step_up
        )
        self.down_action = self._step_action(
            tr("Move step do&wn"),
            tr("Move the selected step down"),
            "Alt+Down",
            self.move_step_down,
        )
        self.remove_action = self._step_action(
            tr("&Remove step…"), tr("Remove the selected step"), "Delete", self.remove_step
        )
        self.up_button = QPushButton(tr("Move up"))
        self.up_button.setAccessibleName(tr("Move the selected step up"))
        self.up_button.setToolTip(tr("Move the selected step up (Alt+Up)"))
        self.up_button.clicked.connect(self.move_step_up)
        self.down_button = QPushButton(tr("Move down"))
        self.down_button.setAccessibleName(tr("Move the selected step down"))
        self.down_button.setToolTip(tr("Move the selected step down (Alt+Down)"))
        self.down_button.clicked.connect(self.move_step_down)
        self.remove_button = QPushButton(tr("Remove step…"))
        self.remove_button.setAccessibleName(tr("Remove the selected step"))
        self.remove_button.setToolTip(tr("Remove the selected step (Delete)"))
        self.remove_button.clicked.connect(self.remove_step)
        split = QSplitter(Qt.Orientation.Vertical)
        self.goals_table = make_table(self.goals_proxy, tr("Goals"))
        self.goals_table.setColumnWidth(0, 320)
        self.goals_table.setColumnWidth(2, 170)
        split.addWidget(self.goals_table)
        steps_host = QWidget()
        steps_layout = QVBoxLayout(steps_host)
        steps_layout.setContentsMargins(0, 0, 0, 0)
        self.steps_title = QLabel(tr("Steps of the selected goal"))
        steps_layout.addLayout(
            hbox(self.steps_title, None, self.up_button, self.down_button, self.remove_button)
        )
        self.why_label = QLabel()
        self.why_label.setWordWrap(True)
        self.why_label.setAccessibleName(tr("Why it matters"))
        steps_layout.addWidget(self.why_label)
        # the goal's own order is the only order: steps are moved, not sorted by a header
        self.steps_table = make_table(self.steps_proxy, tr("Steps"), sortable=False)
        self.steps_table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.steps_table.customContextMenuRequested.connect(self._on_steps_table_menu)
        for action in (self.done_action, self.up_action, self.down_action, self.remove_action):
            self.steps_table.addAction(action)
        self.steps_table.setColumnWidth(0, 40)
        self.steps_table.setColumnWidth(1, 130)
        self.steps_table.setColumnWidth(2, 360)
        steps_layout.addWidget(self.steps_table)
        split.addWidget(steps_host)
        layout.addWidget(split, 1)
        self.goals_table.selectionModel().currentRowChanged.connect(lambda *_: self._show_steps())
        self.steps_table.selectionModel().currentRowChanged.connect(
            lambda *_: self._update_actions()
        )
        self.steps_table.activated.connect(lambda _i: self.toggle_step())
        tab_order(
            self.set_button,
            self.review_button,
            self.step_button,
            self.done_button,
            self.in_error_button,
            self.goals_table,
            self.up_button,
            self.down_button,
            self.remove_button,
            self.steps_table,
        )
        self._update_actions()

    def _step_action(self, text: str, name: str, keys: str, slot: Any) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcut(QKeySequence(keys))
        # only while the steps table has the focus: Delete means other things elsewhere
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.setToolTip(name)
        action.setStatusTip(name)
        action.triggered.connect(slot)
        return action

    def show_record(self, data: RecordData) -> None:
        selected = selected_id(self.goals_table)
        step_selected = selected_id(self.steps_table)
        self.goals_model.set_rows(data.goals)
        row = self.goals_model.row_of_id(selected) if selected else (0 if data.goals else -1)
        if row >= 0:
            self.goals_table.setCurrentIndex(
                self.goals_proxy.mapFromSource(self.goals_model.index(row, 0))
            )
        self._show_steps()
        # a moved or ticked step stays selected, so it can be moved again at once
        step_row = self.steps_model.row_of_id(step_selected) if step_selected else -1
        if step_row >= 0:
            self.steps_table.setCurrentIndex(
                self.steps_proxy.mapFromSource(self.steps_model.index(step_row, 0))
            )
        self._update_actions()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self._update_actions()

    def clear(self) -> None:
        self.goals_model.clear()
        self._step_number = {}
        self._steps_goal = None
        self.steps_model.clear()
        self.why_label.clear()
        self._update_actions()

    def current_goal(self) -> Goal | None:
        index = self.goals_table.currentIndex()
        return self.goals_proxy.row_at(index.row()) if index.isValid() else None

    def current_step(self) -> GoalStep | None:
        index = self.steps_table.currentIndex()
        return self.steps_proxy.row_at(index.row()) if index.isValid() else None

    def _show_steps(self) -> None:
        goal = self.current_goal()
        steps = list(goal.steps) if goal else []
        self._step_number = {s.id: n for n, s in enumerate(steps, start=1)}
        self._steps_goal = goal
        self.steps_model.set_rows(steps)
        self.why_label.setText(
            self.tr("Why it matters: {why}").format(why=goal.why_it_matters)
            if goal and goal.why_it_matters
            else ""
        )
        self._update_actions()

    def _steps_struck_why(self) -> str:
        """Why the steps shown are struck through: their goal was entered in error."""
        goal = self._steps_goal
        why = (goal.in_error_reason or "") if goal is not None else ""
        return self.tr(
            "Struck through: the goal of this step was entered in error ({why}). Nothing "
            "more is recorded of it until the mark is taken off."
        ).format(why=why)

    def _changeable(self) -> bool:
        """Whether the selected goal and its steps can be changed here: not a goal this
        laptop does not hold (its steps are only shown), nor a record that is read-only."""
        goal = self.current_goal()
        return goal is not None and goal.held and not goal.in_error and self.view.editable()

    def _update_actions(self) -> None:
        editable = not self.read_only
        goal = self.current_goal()
        step = self.current_step()
        order = [s.id for s in goal.steps] if goal else []
        at = order.index(step.id) if step is not None and step.id in order else -1
        self.set_button.setEnabled(editable)
        held = editable and goal is not None and goal.held
        # a goal entered in error changes no more: only its mark can be taken off
        changeable = held and goal is not None and not goal.in_error
        for b in (self.review_button, self.step_button):
            b.setEnabled(changeable)
        self.in_error_button.setEnabled(held)
        self.follow_mark(goal is not None and goal.in_error)
        can = {
            self.done_action: at >= 0,
            self.up_action: at > 0,
            self.down_action: 0 <= at < len(order) - 1,
            self.remove_action: at >= 0,
        }
        for action, possible in can.items():
            action.setEnabled(changeable and possible)
        self.done_button.setEnabled(self.done_action.isEnabled())
        self.up_button.setEnabled(self.up_action.isEnabled())
        self.down_button.setEnabled(self.down_action.isEnabled())
        self.remove_button.setEnabled(self.remove_action.isEnabled())

    def _on_steps_table_menu(self, pos: QPoint) -> None:
        # a right click has made its row current; from the keyboard the menu opens by that row
        index = self.steps_table.currentIndex()
        if index.isValid() and self.steps_table.indexAt(pos).row() != index.row():
            pos = self.steps_table.visualRect(index).bottomLeft()
        menu = QMenu(self)
        menu.setAccessibleName(self.tr("Step actions"))
        for action in (self.done_action, self.up_action, self.down_action, self.remove_action):
            menu.addAction(action)
        self.step_menu = menu  # kept so tests (and screen readers) can find it while open
        menu.popup(self.steps_table.viewport().mapToGlobal(pos))

    # -- actions ------------------------------------------------------------------------
    def set_goal(self) -> None:
        self.add_to_record(GoalDialog.ask, goals.set_goal, "title")

    def review_goal(self) -> None:
        goal = self.current_goal()
        if goal is None or not self._changeable():
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

    def review_goal_id(self, goal_id: str) -> None:
        """Review… for the goal ``goal_id`` (a review kept at a lock, taken up)."""
        if make_current(self.goals_table, self.goals_proxy, goal_id) is not None:
            self.review_goal()

    def add_step_id(self, goal_id: str) -> None:
        """Add step… to the goal ``goal_id`` (a step kept at a lock, taken up)."""
        if make_current(self.goals_table, self.goals_proxy, goal_id) is not None:
            self.add_step()

    def add_step(self) -> None:
        goal = self.current_goal()
        if goal is None or not self._changeable():
            return
        values = StepDialog.ask(self, goal)
        if values:
            self.view.write(goals.add_step, goal.id, values["description"], due_on=values["due_on"])

    def toggle_step(self) -> None:
        step = self.current_step()
        if step is None or not self._changeable():
            return
        self.view.write(goals.complete_step, step.id, done=not step.done)

    def move_step_up(self) -> None:
        self._move_step(-1)

    def move_step_down(self) -> None:
        self._move_step(+1)

    def _move_step(self, by: int) -> None:
        goal, step = self.current_goal(), self.current_step()
        if goal is None or step is None or not self._changeable():
            return
        order = [s.id for s in goal.steps]
        at = order.index(step.id)
        to = at + by
        if not 0 <= to < len(order):
            return
        order[at], order[to] = order[to], order[at]
        self.view.write(goals.reorder_steps, goal.id, order)

    def remove_step(self) -> None:
        step = self.current_step()
        if step is None or not self._changeable():
            return
        if self.confirm_remove_step(step):
            self.view.write(goals.remove_step, step.id)

    def confirm_remove_step(self, step: GoalStep) -> bool:
        """Ask before removing a step (No is the default: a tired Enter keeps it)."""
        return ask_yes_no(
            self,
            self.tr("Remove step?"),
            self.tr("Remove the step “{step}” from this goal?").format(step=step.description),
        )

    def in_error_selected(self) -> None:
        """Mark the selected goal entered in error (asked why, told what will happen), or
        take a mistaken mark off (asked first: it counts again)."""
        goal: Goal | None = self.chosen(self.goals_table, self.tr("a goal"))
        if goal is None or not goal.held:
            return
        self.mark_or_take_off(goal, goals.mark_in_error, goals.restore_goal)

    def ask_why(self, goal: Goal) -> str | None:
        return InErrorDialog.ask_goal(self, goal)

    def ask_restore(self, goal: Goal) -> bool:
        """Whether to take the mark off (No is the default; tests replace it)."""
        what = self.tr("The goal set on {day}").format(day=day(goal.set_on))
        return ask_not_in_error(self, what, goal.in_error_reason)
