"""Enter a wellbeing measure (WEMWBS, SWEMWBS, ONS4) with its wording and copyright line."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from linksdesk.casework import measures
from linksdesk.casework.casebook import draft_key
from linksdesk.core.errors import ValidationError
from linksdesk.core.measures import copyright_line, definition, score
from linksdesk.core.vocab import MeasureContext, MeasureKind
from linksdesk.ui.date_field import DateField
from linksdesk.ui.dialog_kit import SAVE_CANCEL, button_box
from linksdesk.ui.dialogs.form import (
    choices_of,
    keep_while_locked,
    may_discard,
    person_title,
    record_owner,
    session_of,
)
from linksdesk.ui.widgets import scrolled


def measure_draft_key(participant_id: str, kind: MeasureKind) -> str:
    """The draft a half-filled form of this person and measure is kept under at a lock."""
    return draft_key("measure", participant_id, MeasureKind(kind).value)


def kept_answers(text: str) -> dict[str, Any] | None:
    """A kept form's entries (``items``, ``context``, ``taken_on``, ``assisted``), or None
    for a draft that cannot be read as one."""
    try:
        kept = json.loads(text)
        return {
            "items": [None if a is None else int(a) for a in kept["items"]],
            "context": MeasureContext(kept["context"]),
            # None: the date typed could not be read when the form was kept
            "taken_on": kept["taken_on"] and dt.date.fromisoformat(kept["taken_on"]),
            "assisted": bool(kept["assisted"]),
        }
    except (ValueError, KeyError, TypeError):
        return None


class MeasureDialog(QDialog):
    """One row per item, exactly as worded on the scale; the total updates as boxes are ticked."""

    def __init__(
        self,
        kind: MeasureKind,
        context: MeasureContext = MeasureContext.REVIEW,
        parent: QWidget | None = None,
        why: str = "",
    ) -> None:
        super().__init__(parent)
        tr = self.tr
        self.kind = MeasureKind(kind)
        self.measure = definition(self.kind)
        self.setWindowTitle(person_title(self.measure.title, parent))
        self.setAccessibleName(self.windowTitle())
        layout = QVBoxLayout(self)
        intro = QLabel(self.measure.intro)
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.context_box = QComboBox()
        for label, value in choices_of(MeasureContext):
            self.context_box.addItem(label, value)
        self.context_box.setCurrentIndex(self.context_box.findData(context))
        self.context_box.setAccessibleName(tr("Context"))
        form.addRow(tr("Context"), self.context_box)
        # why the first choice is what it is, when that is not the obvious one
        self.why_label = QLabel(why)
        self.why_label.setWordWrap(True)
        self.why_label.setAccessibleName(tr("Why this context"))
        self.why_label.setVisible(bool(why))
        form.addRow("", self.why_label)
        self.date_edit = DateField(dt.date.today(), ahead=False)  # a score taken, not to come
        self.date_edit.edit.setAccessibleName(tr("Taken on"))
        form.addRow(tr("Taken on"), self.date_edit)
        layout.addLayout(form)

        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setHorizontalSpacing(6)
        for col, option in enumerate(self.measure.responses, start=1):
            head = QLabel(option.label)
            head.setWordWrap(True)
            head.setAlignment(Qt.AlignmentFlag.AlignCenter)
            head.setMinimumWidth(44 if len(self.measure.responses) > 5 else 72)
            grid.addWidget(head, 0, col)
        self.groups: list[QButtonGroup] = []
        for row, item in enumerate(self.measure.items, start=1):
            statement = QLabel(f"{item.number}. {item.statement}")
            statement.setWordWrap(True)
            statement.setMinimumWidth(260)
            grid.addWidget(statement, row, 0)
            group = QButtonGroup(self)
            group.setExclusive(True)
            for col, option in enumerate(self.measure.responses, start=1):
                button = QRadioButton()
                button.setAccessibleName(
                    f"{self.measure.item_noun.capitalize()} {item.number} "
                    f"({item.short_name}): {option.label}"
                )
                group.addButton(button, option.value)
                grid.addWidget(button, row, col, Qt.AlignmentFlag.AlignCenter)
            group.idClicked.connect(lambda _id: self._update_total())
            self.groups.append(group)
        scroll = scrolled(grid_host, tr("Answers"))
        scroll.setMinimumHeight(min(520, 60 + 38 * len(self.measure.items)))
        layout.addWidget(scroll, 1)

        self.assisted_check = QCheckBox(
            tr("Completion was assisted (items read out or filled in for the person)")
        )
        self.assisted_check.setAccessibleName(tr("Completion was assisted"))
        self.assisted_check.setToolTip(
            tr("Help with completion pushes scores up, so it is recorded with the score.")
        )
        layout.addWidget(self.assisted_check)
        self.total_label = QLabel()
        self.total_label.setAccessibleName(tr("Score so far"))
        layout.addWidget(self.total_label)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        self.message.hide()
        layout.addWidget(self.message)
        self.kept_label = QLabel()
        self.kept_label.setWordWrap(True)
        self.kept_label.setAccessibleName(tr("Kept while locked"))
        self.kept_label.hide()
        layout.addWidget(self.kept_label)
        line = copyright_line(self.kind)
        self.copyright_label = QLabel(line or "")
        self.copyright_label.setWordWrap(True)
        self.copyright_label.setAccessibleName(tr("Copyright"))
        font = self.copyright_label.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        self.copyright_label.setFont(font)
        self.copyright_label.setVisible(bool(line))
        layout.addWidget(self.copyright_label)
        layout.addWidget(button_box(self, SAVE_CANCEL, self._on_save))
        self.resize(760 if len(self.measure.responses) <= 5 else 980, 760)
        self._update_total()
        # what was ticked outlives a lock: kept in the vault as a draft of this person's form,
        # and back here when the form is opened again
        self.participant_id: str | None = getattr(record_owner(parent), "participant_id", None)
        if self.participant_id:
            kept = keep_while_locked(
                self, self.draft_texts, measure_draft_key(self.participant_id, self.kind)
            )
            if kept:
                self._take_up(kept)

    def draft_texts(self) -> dict[str, str]:
        values = self.values()
        if not self.isVisible() or not self.participant_id or not self.entered():
            return {}
        values["context"] = MeasureContext(values["context"]).value
        values["taken_on"] = values["taken_on"] and values["taken_on"].isoformat()
        del values["kind"]
        return {measure_draft_key(self.participant_id, self.kind): json.dumps(values)}

    def _take_up(self, text: str) -> None:
        kept = kept_answers(text)
        if kept is None or len(kept["items"]) != len(self.groups):
            return
        for group, value in zip(self.groups, kept["items"], strict=True):
            button = None if value is None else group.button(value)
            if button is not None:
                button.setChecked(True)
        self.context_box.setCurrentIndex(self.context_box.findData(kept["context"]))
        if kept["taken_on"] is not None:
            self.date_edit.set_value(kept["taken_on"])
        self.assisted_check.setChecked(kept["assisted"])
        self._update_total()
        self.kept_label.setText(
            self.tr(
                "The answers you had entered were kept while LinksDesk was locked; "
                "they are back here."
            )
        )
        self.kept_label.show()

    def entered(self) -> bool:
        """Any answer ticked: what Escape asks about and a lock keeps."""
        return any(a is not None for a in self.answers())

    def reject(self) -> None:
        what = self.tr("The answers you have ticked will be lost.")
        if may_discard(self, self.entered(), what):
            super().reject()

    def answers(self) -> list[int | None]:
        return [g.checkedId() if g.checkedId() != -1 else None for g in self.groups]

    def set_answers(self, answers: list[int]) -> None:
        for group, value in zip(self.groups, answers, strict=True):
            button = group.button(value)
            if button is not None:
                button.setChecked(True)
        self._update_total()

    def _update_total(self) -> None:
        answers = self.answers()
        done = sum(a is not None for a in answers)
        if self.kind is MeasureKind.ONS4:
            self.total_label.setText(
                self.tr(
                    "{done} of {n} questions answered (ONS4 answers are never added up)"
                ).format(done=done, n=len(answers))
            )
            return
        if done < len(answers):
            self.total_label.setText(
                self.tr("{done} of {n} items answered").format(done=done, n=len(answers))
            )
            return
        result = score(self.kind, answers)
        if self.kind is MeasureKind.SWEMWBS:
            self.total_label.setText(
                self.tr("Raw score {raw}, metric score {metric:.2f}").format(
                    raw=result.total, metric=result.metric
                )
            )
        else:
            self.total_label.setText(self.tr("Total {total} (14–70)").format(total=result.total))

    def values(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "items": self.answers(),
            "context": self.context_box.currentData(),
            "taken_on": self.date_edit.value(),
            "assisted": self.assisted_check.isChecked(),
        }

    def _on_save(self) -> None:
        problem = self.date_edit.problem()
        taken_on = self.date_edit.value()
        unread = (
            f"{self.tr('Taken on')}: {problem}"
            if problem
            # a day still to come is refused here, with every answer still ticked
            else measures.taken_on_problem(taken_on)
            if taken_on
            else self.tr("Fill in the date it was taken on.")
        )
        try:
            score(self.kind, self.answers())
        except ValidationError as exc:
            unread = unread or str(exc)
        if unread:
            self.message.setText(unread)
            self.message.show()
            return
        self.accept()
        session = session_of(self.parent())
        if session is not None and self.participant_id and self.kept_label.text():
            # a form taken up again is saved now: never offered a second time
            session.discard_draft(measure_draft_key(self.participant_id, self.kind))

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        kind: MeasureKind,
        context: MeasureContext = MeasureContext.REVIEW,
        why: str = "",
    ) -> dict[str, Any] | None:
        """{"kind", "items", "context", "taken_on", "assisted"}, or None."""
        dialog = cls(kind, context, parent, why)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.values()
        return None
