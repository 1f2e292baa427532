"""The Profile and consent tab: details, status history, concerns, versioned consent, erasure."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from linksdesk.casework import concerns, consent, merging, participants
from linksdesk.casework.dto import Concern, Consent, ParticipantSummary, StatusChange
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import ConsentScope, ContactStatus
from linksdesk.ui.dialogs.in_error import InErrorDialog, ask_not_in_error
from linksdesk.ui.dialogs.merge import confirm_merge, confirm_separate
from linksdesk.ui.dialogs.participant import ParticipantDialog, StatusDialog
from linksdesk.ui.dialogs.person_chooser import PersonChooser
from linksdesk.ui.dialogs.record import ConcernDialog, ConsentDialog
from linksdesk.ui.models.table import Column, RecordFilterProxy, RecordTableModel, StruckTableModel
from linksdesk.ui.views.common import fit_columns, heading, make_table
from linksdesk.ui.views.record_tab import RecordTabBase, Translate, day, marked_or
from linksdesk.ui.widgets import push_button, scrolled, title_bar

if TYPE_CHECKING:
    from linksdesk.casework.record import RecordData
    from linksdesk.ui.session import UiSession


PROFILE_ROWS = (
    ("Given name", "given_name"),
    ("Family name", "family_name"),
    ("Preferred name", "preferred_name"),
    ("Date of birth", "date_of_birth"),
    ("Phone", "phone"),
    ("Email", "email"),
    ("Address", "address"),
    ("Postcode", "postcode"),
    ("GP practice", "gp_practice"),
    ("Contact preferences", "contact_preferences"),
    ("Referred on", "referred_on"),
    ("Status reason", "status_reason"),
)


class ProfileTab(RecordTabBase):
    def _build(self, tr: Translate) -> None:
        self.consent_model: RecordTableModel[Consent] = RecordTableModel(
            [
                Column(tr("Consent to"), lambda c: c.scope.label),
                Column(tr("Version"), lambda c: c.version, align_right=True),
                Column(tr("Given"), lambda c: tr("Yes") if c.given else tr("No")),
                Column(tr("Date"), lambda c: day(c.recorded_on), sort=lambda c: c.recorded_on),
                Column(tr("How"), lambda c: c.method.label),
                Column(tr("Note"), lambda c: c.note or "", tooltip=lambda c: c.note),
            ],
            parent=self,
        )
        self.consent_proxy = RecordFilterProxy(self, self.consent_model)
        self.status_model: RecordTableModel[StatusChange] = RecordTableModel(
            [
                Column(tr("Date"), lambda s: day(s.changed_on), sort=lambda s: s.changed_on),
                Column(tr("From"), lambda s: s.from_status.label if s.from_status else ""),
                Column(tr("To"), lambda s: s.to_status.label),
                Column(tr("Reason"), lambda s: s.reason or "", tooltip=lambda s: s.reason),
            ],
            parent=self,
        )
        self.status_proxy = RecordFilterProxy(self, self.status_model)
        # a concern entered in error is struck through; "Detail", the last column (it takes
        # the room left), says so in words, its own words kept in its tooltip: in a middle
        # column the words pushed Detail out of sight for every row
        self.concern_model: RecordTableModel[Concern] = StruckTableModel(
            [
                Column(tr("Concern"), lambda c: c.category),
                Column(
                    tr("Identified"),
                    lambda c: f"{day(c.identified_on)} ({c.stage.label.lower()})",
                    sort=lambda c: c.identified_on,
                ),
                Column(tr("Resolved"), lambda c: day(c.resolved_on), sort=lambda c: c.resolved_on),
                Column(
                    tr("Detail"),
                    lambda c: marked_or(c, c.detail or ""),
                    # the mark's whole words, then what the worker wrote as the detail
                    tooltip=lambda c: "\n".join(x for x in (marked_or(c, ""), c.detail) if x),
                ),
            ],
            frozenset({0, 1, 2}),
            parent=self,
        )
        self.concern_proxy = RecordFilterProxy(self, self.concern_model)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        body = QWidget()
        outer.addWidget(scrolled(body, tr("Profile and consent")))
        grid = QGridLayout(body)

        # details
        left = QVBoxLayout()
        self.edit_button = push_button(tr("Edit details…"), tr("Edit details"), self.edit_details)
        self.status_button = push_button(
            tr("Change status…"), tr("Change status"), self.change_status
        )
        left.addLayout(
            title_bar(heading(tr("Details"), level=2), self.edit_button, self.status_button)
        )
        form = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        for label, key in PROFILE_ROWS:
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(tr(label))
            self.fields[key] = value
            form.addRow(tr(label) + ":", value)
        left.addLayout(form)
        left.addWidget(heading(tr("Status history"), level=2))
        self.status_table = make_table(self.status_proxy, tr("Status history"))
        self.status_table.setMinimumHeight(110)
        left.addWidget(self.status_table)
        grid.addLayout(left, 0, 0)

        # consent and concerns
        right = QVBoxLayout()
        self.consent_button = push_button(
            tr("Record consent…"), tr("Record consent"), self.record_consent
        )
        right.addLayout(
            title_bar(heading(tr("Consent (every version kept)"), level=2), self.consent_button)
        )
        self.consent_table = make_table(self.consent_proxy, tr("Consent history"))
        self.consent_table.setMinimumHeight(150)
        right.addWidget(self.consent_table)
        self.concern_button = push_button(tr("Add concern…"), tr("Add concern"), self.add_concern)
        self.resolve_button = push_button(
            tr("Resolved / reopen"),
            tr("Mark the selected concern resolved or reopen it"),
            self.toggle_concern,
        )
        # a concern added to the wrong participant (or twice) is marked; a mistaken mark is
        # taken off once the worker says yes (it counts again)
        self.in_error_button = self.mark_button(
            tr("Mark the selected concern entered in error, or take a mistaken mark off"),
            lambda: self.mark_chosen(
                self.concern_table,
                self.tr("a concern"),
                concerns.mark_in_error,
                concerns.restore_concern,
            ),
        )
        right.addLayout(
            title_bar(
                heading(tr("Concerns"), level=2),
                self.concern_button,
                self.resolve_button,
                self.in_error_button,
            )
        )
        self.concern_table = make_table(self.concern_proxy, tr("Concerns"))
        # the mark's button says what it will do with the concern chosen
        self.concern_table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.follow_mark(
                current.isValid() and self.concern_proxy.row_at(current.row()).in_error
            )
        )
        self.concern_table.setMinimumHeight(150)
        right.addWidget(self.concern_table)
        danger = QHBoxLayout()
        self.same_button = push_button(
            tr("Same person as…"),
            tr("This record and another are one person (registered twice)"),
            self.ask_same_person,
        )
        danger.addWidget(self.same_button)
        self.separate_button = push_button(
            tr("Not the same person after all…"),
            tr("Make a record brought into this one a record of its own again"),
            self.ask_separate,
        )
        danger.addWidget(self.separate_button)
        self.separate_button.hide()
        danger.addStretch(1)
        self.erase_button = QPushButton(tr("Forget this participant…"))
        self.erase_button.setAccessibleName(tr("Forget this participant (erasure)"))
        self.erase_button.setToolTip(
            tr("Destroys the whole record here, on the server and on every device that syncs.")
        )
        self.erase_button.clicked.connect(self.view.ask_erase)
        danger.addWidget(self.erase_button)
        right.addLayout(danger)
        grid.addLayout(right, 0, 1)
        # the details are short lines; the consent and concern tables need the room (at
        # 1280 px wide the consent's note started off-screen)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        self.editing_buttons = (
            self.edit_button,
            self.status_button,
            self.consent_button,
            self.concern_button,
            self.resolve_button,
            self.in_error_button,
            self.same_button,
            self.separate_button,
            self.erase_button,
        )

    def show_record(self, data: RecordData) -> None:
        p = data.participant
        for _label, key in PROFILE_ROWS:
            value: Any = getattr(p, key)
            if isinstance(value, dt.date):
                value = day(value)
            self.fields[key].setText("" if value is None else str(value))
        self.consent_model.set_rows(
            sorted(
                data.consent_history, key=lambda c: (list(ConsentScope).index(c.scope), -c.version)
            )
        )
        self.status_model.set_rows(data.status_history)
        self.concern_model.set_rows(data.concerns)
        for t in (self.consent_table, self.status_table, self.concern_table):
            fit_columns(t)
        self._taxonomy = data.taxonomy
        self.separate_button.setVisible(bool(data.same_person))

    def clear(self) -> None:
        for label in self.fields.values():
            label.clear()
        self.consent_model.clear()
        self.status_model.clear()
        self.concern_model.clear()

    # -- actions ------------------------------------------------------------------------
    def ask_same_person(self) -> None:
        """Same person as…: choose the other record, see both, confirm (Cancel the default)."""
        data = self.view.data
        if data is None or not self.view.editable():
            return
        kept = data.participant
        other = PersonChooser(
            cast("UiSession", self.view.session),
            self.tr("Same person as {pid}").format(pid=kept.programme_id),
            self,
            self.tr(
                "Choose the other record of this person. {pid} is kept: its programme id "
                "stays the person's."
            ).format(pid=kept.programme_id),
        ).asked()
        if not other:
            return
        self.view.run(
            merging.check_same_person,
            kept.id,
            other,
            on_done=lambda check: self._confirm_same_person(kept.id, check),
        )

    def _confirm_same_person(self, kept_id: str, check: merging.SamePerson) -> None:
        data = self.view.data
        if data is None or data.participant.id != kept_id:
            return  # another record opened meanwhile
        if check.problem is not None:
            self.view.show_problem(ValidationError(check.problem))
            return
        if confirm_merge(self, check):
            other = check.other.participant.id
            self.view.write(
                merging.merge_records, kept_id, other, on_done=lambda _p: self.view.refresh()
            )

    def ask_separate(self) -> None:
        """Not the same person after all…: the record brought in stands alone again."""
        data = self.view.data
        if data is None or not data.same_person or not self.view.editable():
            return
        other = data.same_person[0]
        if len(data.same_person) > 1:
            # Cancel, or the vault locking while asked, ends it here: nothing more is asked
            chosen = self._which_record(data.same_person)
            if chosen is None or self.view.data is not data:
                return
            other = chosen
        if confirm_separate(self, data.participant.programme_id, other):
            self.view.write(
                merging.separate_records, other.id, on_done=lambda _p: self.view.refresh()
            )

    def _which_record(self, records: tuple[ParticipantSummary, ...]) -> ParticipantSummary | None:
        names = [f"{p.programme_id} ({p.display_name})" for p in records]
        chosen, ok = QInputDialog.getItem(
            self,
            self.tr("Not the same person after all"),
            self.tr("Which record?"),
            names,
            0,
            False,
        )
        return records[names.index(chosen)] if ok and chosen in names else None

    def edit_details(self) -> None:
        data = self.view.data
        if data is None or not self.view.editable():
            return
        values = ParticipantDialog.ask(self, data.participant)
        if values:
            self.view.write(participants.edit_participant, data.participant.id, **values)

    def change_status(self) -> None:
        data = self.view.data
        if data is None or not self.view.editable():
            return
        booked = [c for c in data.contacts if c.status is ContactStatus.SCHEDULED]
        values = StatusDialog.ask(
            self, data.participant.status, [c for c in booked if not c.in_error]
        )
        if values:
            self.view.write(
                participants.change_status,
                data.participant.id,
                values["to_status"],
                reason=values["reason"],
            )

    def record_consent(self) -> None:
        data = self.view.data
        current = data.consent if data is not None else {}
        self.add_to_record(
            lambda parent: ConsentDialog.ask(parent, current=current),
            consent.record_consent,
            "scope",
            "given",
        )

    def add_concern(self) -> None:
        taxonomy = getattr(self, "_taxonomy", ())
        self.add_to_record(
            lambda parent: ConcernDialog.ask(parent, taxonomy), concerns.add_concern, "category"
        )

    def toggle_concern(self) -> None:
        concern: Concern | None = self.chosen_to_change(self.concern_table, self.tr("a concern"))
        if concern is None:
            return
        if concern.resolved:
            self.view.write(concerns.reopen_concern, concern.id)
        else:
            self.view.write(concerns.resolve_concern, concern.id)

    def ask_why(self, entry: Concern) -> str | None:
        return InErrorDialog.ask_concern(self, entry)

    def ask_restore(self, entry: Concern) -> bool:
        """Whether to take the mark off (No is the default; tests replace it)."""
        what = self.tr("The concern {concern}, identified on {day},").format(
            concern=entry.category, day=day(entry.identified_on)
        )
        return ask_not_in_error(self, what, entry.in_error_reason)
