"""The Referrals tab: referrals in, and onward referrals and signposting to resources."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout

from linksdesk.casework import onward, referrals, resources
from linksdesk.casework.dto import OnwardReferral, Referral, Resource
from linksdesk.core.vocab import ParticipantStatus
from linksdesk.ui.dialogs.in_error import InErrorDialog, ask_not_in_error
from linksdesk.ui.dialogs.onward import NEXT_STATUSES, OnwardDialog, OnwardUpdateDialog
from linksdesk.ui.dialogs.record import ReferralDialog
from linksdesk.ui.models.table import Column, RecordFilterProxy, RecordTableModel, StruckTableModel
from linksdesk.ui.views.common import heading, make_current, make_table
from linksdesk.ui.views.record_tab import RecordTabBase, Translate, day, marked_or
from linksdesk.ui.views.rows import push_buttons
from linksdesk.ui.widgets import title_bar

if TYPE_CHECKING:
    from linksdesk.casework.record import RecordData


class ReferralsTab(RecordTabBase):
    reopen_as = ParticipantStatus.REFERRED  # a referral in: referred again

    def _build(self, tr: Translate) -> None:
        # a referral entered in error is struck through; "Reason" says so in words
        self.in_model: RecordTableModel[Referral] = StruckTableModel(
            [
                Column(tr("Received"), lambda r: day(r.received_on), sort=lambda r: r.received_on),
                Column(tr("Source"), lambda r: r.source.label),
                Column(tr("Referrer"), lambda r: r.referrer or ""),
                Column(tr("Reason"), lambda r: marked_or(r, r.reason or "")),
            ],
            frozenset({0, 1, 2}),
            parent=self,
        )
        self.in_proxy = RecordFilterProxy(self, self.in_model)
        # an onward referral entered in error too; "Outcome" says so in words
        self.onward_model: RecordTableModel[OnwardReferral] = StruckTableModel(
            [
                # each step's own day: a later step never moves an earlier one's
                Column(
                    tr("Suggested"),
                    lambda o: day(o.suggested_on),
                    sort=lambda o: o.started_on or dt.date.min,
                ),
                Column(
                    tr("Made"), lambda o: day(o.made_on), sort=lambda o: o.made_on or dt.date.min
                ),
                Column(tr("Resource"), lambda o: o.resource_name),
                Column(tr("Kind"), lambda o: o.kind.label),
                Column(tr("Status"), lambda o: o.status.label),
                Column(
                    tr("Outcome"),
                    lambda o: marked_or(
                        o, " ".join(x for x in (day(o.outcome_on), o.outcome or "") if x)
                    ),
                ),
            ],
            frozenset({0, 1, 2, 3, 4}),
            parent=self,
        )
        self.onward_proxy = RecordFilterProxy(self, self.onward_model)

        layout = QVBoxLayout(self)
        self.add_referral_button, self.refer_button, self.update_button = push_buttons(
            (tr("Add referral…"), tr("Add a referral in"), self.add_referral),
            (tr("Refer onward or signpost…"), tr("Refer onward or signpost"), self.refer_onward),
            (tr("Update status…"), tr("Update the selected onward referral"), self.update_onward),
        )
        self.in_error_button = self.mark_button(
            tr("Mark the selected referral in entered in error, or take a mistaken mark off")
        )
        self.onward_error_button = self.mark_button(
            tr("Mark the selected onward referral entered in error, or take a mistaken mark off"),
            self.onward_in_error_selected,
        )
        self.in_table = make_table(self.in_proxy, tr("Referrals in"))
        self.onward_table = make_table(self.onward_proxy, tr("Onward referrals"))
        self.onward_table.activated.connect(lambda _i: self.update_onward())
        # each list under its title, with its buttons beside the title
        for title, buttons, table, widths, stretch in (
            (
                tr("Referrals in"),
                (self.add_referral_button, self.in_error_button),
                self.in_table,
                (110, 180, 180),
                1,
            ),
            (
                tr("Onward referrals and signposting"),
                (self.refer_button, self.update_button, self.onward_error_button),
                self.onward_table,
                (100, 100, 260, 120, 100),
                2,
            ),
        ):
            layout.addLayout(title_bar(heading(title, level=2), *buttons))
            for column, width in enumerate(widths):
                table.setColumnWidth(column, width)
            layout.addWidget(table, stretch)
        self.editing_buttons = (
            self.add_referral_button,
            self.in_error_button,
            self.refer_button,
            self.update_button,
            self.onward_error_button,
        )
        # each list's mark button says what it will do with the row chosen there
        for table, proxy, button in (
            (self.in_table, self.in_proxy, self.in_error_button),
            (self.onward_table, self.onward_proxy, self.onward_error_button),
        ):
            table.selectionModel().currentRowChanged.connect(
                lambda current, _previous, proxy=proxy, button=button: self.follow_mark(
                    current.isValid() and proxy.row_at(current.row()).in_error, button
                )
            )

    def show_record(self, data: RecordData) -> None:
        self.in_model.set_rows(data.referrals)
        self.onward_model.set_rows(data.onward)

    def clear(self) -> None:
        self.in_model.clear()
        self.onward_model.clear()

    def add_referral(self) -> None:
        self.add_to_record(
            ReferralDialog.ask,
            referrals.record_referral,
            on_done=self.offer_reopening if self.closed() else None,
        )

    def in_error_selected(self) -> None:
        """Mark the selected referral in entered in error (asked why, told what will
        happen), or take a mistaken mark off (asked first: it counts again)."""
        self.mark_chosen(
            self.in_table,
            self.tr("a referral in"),
            referrals.mark_in_error,
            referrals.restore_referral,
        )

    def onward_in_error_selected(self) -> None:
        """Mark the selected onward referral entered in error (recorded on the wrong
        participant, or twice), or take a mistaken mark off (asked first: it counts again)."""
        self.mark_chosen(
            self.onward_table, self.tr("a referral"), onward.mark_in_error, onward.restore_onward
        )

    def ask_why(self, entry: Referral | OnwardReferral) -> str | None:
        if isinstance(entry, OnwardReferral):
            return InErrorDialog.ask_onward(self, entry)
        return InErrorDialog.ask_referral(self, entry, self._referred_on())

    def _referred_on(self) -> dt.date | None:
        data = self.view.data
        return data.participant.referred_on if data is not None else None

    def ask_restore(self, entry: Referral | OnwardReferral) -> bool:
        """Whether to take the mark off (No is the default; tests replace it)."""
        if isinstance(entry, OnwardReferral):
            what = self.tr("The onward referral to {resource}").format(resource=entry.resource_name)
        else:
            what = self.tr("The referral received on {day}").format(day=day(entry.received_on))
        return ask_not_in_error(self, what, entry.in_error_reason)

    def refer_onward(self, resource_id: str | None = None) -> None:
        """Refer onward or signpost, asked once at a time (``resource_id`` chosen already,
        when started from the resource directory)."""
        pid = self.view.participant_id
        if pid is None or not self.view.editable():
            return
        end = self.view.begin_once(f"onward/{pid}")
        if end is None:  # a second press while the directory is read: one dialog, not two
            return

        def not_read(exc: BaseException) -> None:
            end()
            self.view.show_problem(exc)

        self.view.run(
            resources.list_resources,
            on_done=lambda found: self._choose_resource(found, resource_id, end),
            on_error=not_read,
        )

    def _choose_resource(
        self, found: list[Resource], resource_id: str | None, end: Callable[[], None]
    ) -> None:
        try:
            self._ask_and_refer(found, resource_id)
        finally:
            end()

    def _ask_and_refer(self, found: list[Resource], resource_id: str | None) -> None:
        pid = self.view.participant_id
        if pid is None:
            return
        ordered = sorted(found, key=lambda r: r.name.lower())
        # the resource is passed only when chosen already: ``ask(parent, resources)`` stays
        # the dialog's plain form (tests answer it in that form)
        values = (
            OnwardDialog.ask(self, ordered, resource_id=resource_id)
            if resource_id
            else OnwardDialog.ask(self, ordered)
        )
        if values and values.get("resource_id"):
            self.view.write(
                onward.refer_onward,
                pid,
                values["resource_id"],
                values["kind"],
                status=values["status"],
                why=values.get("why"),
            )

    def update_onward_id(self, onward_id: str) -> None:
        """Update status… for the onward referral ``onward_id`` (kept at a lock, taken up)."""
        if make_current(self.onward_table, self.onward_proxy, onward_id) is not None:
            self.update_onward()

    def update_onward(self) -> None:
        item: OnwardReferral | None = self.chosen_to_change(
            self.onward_table, self.tr("a referral")
        )
        if item is None:  # none chosen, or marked entered in error: it moves along no further
            return
        if not NEXT_STATUSES.get(item.status):
            self.view.message.show_message(
                self.tr("This onward referral is finished ({status}).").format(
                    status=item.status.label.lower()
                ),
                "info",
            )
            return
        values = OnwardUpdateDialog.ask(self, item)
        if values and values.get("status"):
            self.view.write(
                onward.update_onward,
                item.id,
                values["status"],
                outcome=values["outcome"],
                on=values.get("on"),
            )
