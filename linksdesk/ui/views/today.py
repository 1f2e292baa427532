"""The Today screen: this week's contacts, what needs following up, who to reach out to."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from linksdesk.casework import lists
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import (
    AwaitingOutcomeRow,
    Contact,
    DiaryEntry,
    GoalReviewRow,
    ReengagementRow,
)
from linksdesk.core.changes import Changes
from linksdesk.core.item_words import counted
from linksdesk.core.vocab import ContactStatus
from linksdesk.sync import client as sync_client
from linksdesk.ui.models.table import PARTICIPANT_ROLE, Column, RecordFilterProxy, RecordTableModel
from linksdesk.ui.session import UiSession
from linksdesk.ui.views.common import (
    Section,
    heading,
    in_sort_order,
    muted,
    open_on_activate,
    relevant,
)
from linksdesk.ui.views.outcome import BookingsScreen, ask_outcome, outcome_menu
from linksdesk.ui.views.rows import page_layout
from linksdesk.ui.widgets import push_button, scrolled


@dataclass(frozen=True)
class TodayData:
    """Everything the Today screen shows, loaded in one job."""

    today: dt.date
    todays: list[DiaryEntry]
    week: list[DiaryEntry]
    follow_ups: list[DiaryEntry]
    reviews: list[GoalReviewRow]
    awaiting: list[AwaitingOutcomeRow]
    not_seen: list[ReengagementRow]
    not_seen_weeks: int
    conflicts: int = 0  # sync conflicts waiting for the worker


def load_today(cb: Casebook, today: dt.date, now: dt.datetime) -> TodayData:
    """Runs on the DB thread: one job for the whole screen."""
    # a case handed to a colleague is left out, as from the other lists: its bookings are
    # not this worker's to record (the write is refused once the outcome's note is typed)
    todays = lists.todays_contacts(cb, today=today, mine_only=True)
    # "later this week": the days after today up to Sunday, never next week's
    rest = days_left_in_week(today)
    week = lists.diary(cb, today + dt.timedelta(days=1), days=rest, mine_only=True) if rest else []
    # contacts whose time has passed with no outcome recorded yet, however long ago
    follow_ups = lists.outcomes_to_record(cb, now=now)
    weeks = cb.settings().not_seen_weeks
    return TodayData(
        today=today,
        todays=todays,
        week=week,
        follow_ups=follow_ups,
        reviews=lists.goals_due_for_review(cb, by=today + dt.timedelta(days=7)),
        awaiting=lists.awaiting_outcome(cb),
        not_seen=lists.not_seen(cb, weeks=weeks, today=today),
        not_seen_weeks=weeks,
        conflicts=sync_client.sync_status(cb).conflicts,
    )


def days_left_in_week(today: dt.date) -> int:
    """Days after ``today`` up to and including Sunday (0 on a Sunday)."""
    return 6 - today.weekday()


def days_text(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def overdue_text(due: dt.date, today: dt.date) -> str:
    """How late something is, in words a worker reads at a glance ("" when not late)."""
    late = (today - due).days
    if late <= 0:
        return ""
    if late < 14:
        return f"overdue {days_text(late)}"
    if late < 61:
        return f"overdue {late // 7} weeks"
    months = late // 30
    return f"overdue {months} months" if months != 1 else "overdue 1 month"


def _time(at: dt.datetime) -> str:
    return f"{at:%H:%M}"


def _day(at: dt.datetime | dt.date) -> str:
    text = f"{at:%a} {at.day} {at:%b}"
    return text if at.year == dt.date.today().year else f"{text} {at.year}"


class TodayView(BookingsScreen):
    """What a links worker looks at first thing: lists only, each row opens the participant."""

    sig_open_conflicts = Signal()

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setAccessibleName(self.tr("Today"))
        self._today_override: dt.date | None = None
        self._now_override: dt.datetime | None = None
        self.today = dt.date.today()
        tr = self.tr

        # the columns the three lists of contacts share, and how a contact is a row
        who: Column[DiaryEntry] = Column(
            tr("Participant"), lambda e: f"{e.display_name} ({e.programme_id})"
        )
        kind: Column[DiaryEntry] = Column(tr("Contact"), lambda e: e.kind.label)
        venue: Column[DiaryEntry] = Column(tr("Venue"), lambda e: e.venue or "")
        purpose: Column[DiaryEntry] = Column(tr("Purpose"), lambda e: e.purpose or "")

        def contacts(*columns: Column[DiaryEntry]) -> RecordTableModel[DiaryEntry]:
            return RecordTableModel(columns, id_of=lambda e: e.contact_id, parent=self)

        self.todays_model = contacts(
            Column(tr("Time"), lambda e: _time(e.at), sort=lambda e: e.at),
            who,
            kind,
            Column(tr("Status"), lambda e: e.outcome),
            venue,
            purpose,
        )
        self.week_model = contacts(
            Column(tr("When"), lambda e: f"{_day(e.at)} {_time(e.at)}", sort=lambda e: e.at),
            who,
            kind,
            venue,
            purpose,
        )
        self.follow_model = contacts(
            Column(
                tr("Was due"),
                lambda e: "  ".join(
                    x for x in (f"{_day(e.at)} {_time(e.at)}", self._late(e.at.date())) if x
                ),
                sort=lambda e: e.at,
            ),
            who,
            kind,
            Column(tr("To do"), lambda e: tr("Record the outcome")),
        )
        self.reviews_model: RecordTableModel[GoalReviewRow] = RecordTableModel(
            [
                Column(
                    tr("Review on"),
                    lambda r: "  ".join(
                        x for x in (_day(r.review_on), self._late(r.review_on)) if x
                    ),
                    sort=lambda r: r.review_on,
                    tooltip=lambda r: self._late(r.review_on) or None,
                ),
                Column(tr("Participant"), lambda r: f"{r.display_name} ({r.programme_id})"),
                Column(tr("Goal"), lambda r: r.title),
                Column(tr("Progress"), lambda r: f"{r.progress}/10", sort=lambda r: r.progress),
            ],
            id_of=lambda r: r.goal_id,
            parent=self,
        )
        self.awaiting_model: RecordTableModel[AwaitingOutcomeRow] = RecordTableModel(
            [
                Column(
                    tr("Waiting"),
                    lambda r: days_text(r.days_waiting),
                    sort=lambda r: r.days_waiting,
                    align_right=True,
                ),
                Column(tr("Participant"), lambda r: f"{r.display_name} ({r.programme_id})"),
                Column(tr("Resource"), lambda r: r.resource_name),
                Column(tr("Kind"), lambda r: r.kind.label),
                Column(tr("Status"), lambda r: r.status.label),
            ],
            id_of=lambda r: r.onward_id,
            parent=self,
        )
        self.not_seen_model: RecordTableModel[ReengagementRow] = RecordTableModel(
            [
                Column(
                    tr("Last seen"),
                    lambda r: _day(r.last_seen) if r.last_seen else tr("Never seen"),
                    sort=lambda r: r.last_seen,
                ),
                Column(
                    tr("Weeks"),
                    lambda r: "" if r.weeks_since is None else r.weeks_since,
                    sort=lambda r: -1 if r.weeks_since is None else r.weeks_since,
                    align_right=True,
                ),
                Column(tr("Participant"), lambda r: f"{r.display_name} ({r.programme_id})"),
                Column(tr("Status"), lambda r: r.status.label),
                Column(
                    tr("Next contact"),
                    lambda r: f"{_day(r.next_contact)}" if r.next_contact else tr("None booked"),
                    sort=lambda r: r.next_contact,
                ),
            ],
            id_of=lambda r: r.participant_id,
            parent=self,
        )
        self.models: list[RecordTableModel[Any]] = [
            self.todays_model,
            self.week_model,
            self.follow_model,
            self.reviews_model,
            self.awaiting_model,
            self.not_seen_model,
        ]
        self.proxies: list[RecordFilterProxy] = []
        for m in self.models:
            proxy = RecordFilterProxy(self)
            proxy.setSourceModel(m)
            self.proxies.append(proxy)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        body = QWidget()
        outer.addWidget(scrolled(body, tr("Today's lists"), framed=False))
        self.title = heading(tr("Today"))
        self.refresh_button = push_button(tr("Refresh"), tr("Refresh today's lists"), self.refresh)
        layout = page_layout(body, self.title, None, self.refresh_button)
        layout.addWidget(self.message)

        self.todays_section = Section(
            tr("Today's contacts"), self.proxies[0], tr("Nothing booked for today.")
        )
        self.week_section = Section(
            tr("Later this week"), self.proxies[1], tr("Nothing booked for the rest of the week.")
        )
        self.follow_section = Section(
            tr("Outcomes to record"),
            self.proxies[2],
            tr("Every past contact has its outcome recorded."),
            subtitle=tr("Contacts whose time has passed and are still marked scheduled."),
        )
        self.reviews_section = Section(
            tr("Goal reviews due"),
            self.proxies[3],
            tr("No goal reviews due in the next 7 days."),
        )
        self.awaiting_section = Section(
            tr("Onward referrals waiting for an outcome"),
            self.proxies[4],
            tr("No onward referrals are waiting for an outcome."),
        )
        self.not_seen_section = Section(
            tr("Not seen for a while"),
            self.proxies[5],
            tr("Everyone on the caseload has been seen recently."),
            subtitle=tr("The door is always open: people you might reach out to."),
        )
        # Sync conflicts: shown only while there are some to resolve.
        self.conflicts_section = QWidget()
        self.conflicts_section.setAccessibleName(tr("Conflicts to resolve"))
        conflicts_layout = QVBoxLayout(self.conflicts_section)
        conflicts_layout.setContentsMargins(0, 6, 0, 6)
        self.conflicts_heading = heading(tr("Conflicts to resolve"), level=2)
        self.conflicts_text = muted("")
        self.conflicts_button = QPushButton(tr("Resolve conflicts…"))
        self.conflicts_button.setAccessibleName(tr("Open the conflicts to resolve"))
        self.conflicts_button.clicked.connect(self.sig_open_conflicts.emit)
        conflicts_row = QHBoxLayout()
        conflicts_row.addWidget(self.conflicts_text, 1)
        conflicts_row.addWidget(self.conflicts_button)
        conflicts_layout.addWidget(self.conflicts_heading)
        conflicts_layout.addLayout(conflicts_row)
        self.conflicts_section.hide()
        self.sections = [
            self.todays_section,
            self.follow_section,
            self.week_section,
            self.reviews_section,
            self.awaiting_section,
            self.not_seen_section,
        ]
        for section in self.sections:
            layout.addWidget(section)
            open_on_activate(section.table, self.sig_open_participant.emit, PARTICIPANT_ROLE)
        layout.insertWidget(layout.indexOf(self.todays_section), self.conflicts_section)
        # a booked contact's outcome is recorded from these lists too (context menu, or
        # Record › Record outcome on the selected row), and the booking moved (context menu):
        # later this week too, where a person rings to cancel or move Thursday's appointment
        # (attended or missed is refused there, as in the Diary: it is still to come)
        self.outcome_sections = {
            self.todays_section: 0,
            self.week_section: 1,
            self.follow_section: 2,
        }
        for section in self.outcome_sections:
            section.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            section.table.customContextMenuRequested.connect(
                lambda pos, s=section: self._on_outcome_menu(s, pos)
            )
        layout.addStretch(1)
        # the page's first stop, always shown (a list is hidden while empty: as the proxy,
        # Tab passed the whole page by, and the focus fell on the scroll area)
        self.setFocusProxy(self.refresh_button)

    # -- contract -----------------------------------------------------------------------
    def refresh(self) -> None:
        today = self._today_override or dt.date.today()
        now = self._now_override or dt.datetime.now()
        self.run(load_today, today, now, on_done=self._show)

    def on_changes(self, changes: Changes) -> None:
        if changes.initiator is self:
            return  # recorded here: _own_outcome has updated the lists already
        if relevant(
            changes,
            "participant",
            "contact",
            "goal",
            "onward_referral",
            "erasure",
            "note_revision",
            "sync_conflict",
        ):
            self.reload_for(changes)

    def clear(self) -> None:
        super().clear()
        for m in self.models:
            m.clear()
        self.title.setText(self.tr("Today"))
        self.conflicts_section.hide()
        self.conflicts_text.setText("")

    # -- recording outcomes ---------------------------------------------------------------
    def entry_of(self, section: Section) -> DiaryEntry | None:
        index = section.table.currentIndex()
        if not index.isValid():
            return None
        row = self.proxies[self.outcome_sections[section]].row_at(index.row())
        return row if isinstance(row, DiaryEntry) else None

    def record_outcome_selected(self, status: ContactStatus = ContactStatus.ATTENDED) -> bool:
        """Record › Record outcome on this page: the booked contact selected in "Today's
        contacts" or "Outcomes to record" (the one with the focus first)."""
        sections = sorted(self.outcome_sections, key=lambda s: not s.table.hasFocus())
        for section in sections:
            entry = self.entry_of(section)
            if entry is not None and entry.status is ContactStatus.SCHEDULED:
                return ask_outcome(self, entry, status, on_done=self._outcome_of(entry))
        return False

    def _on_outcome_menu(self, section: Section, pos: QPoint) -> None:
        index = section.table.indexAt(pos)
        if index.isValid():
            section.table.setCurrentIndex(index)
        entry = self.entry_of(section)
        if entry is None:
            return
        self.row_menu = outcome_menu(
            self,
            entry,
            lambda s: ask_outcome(self, entry, s, on_done=self._outcome_of(entry)),
            # moved to another day it leaves these lists, and the person's next contact in
            # "Not seen for a while" changes: the lists are read again
            lambda: self.move_booking(entry, lambda _moved: self.refresh()),
        )
        self.row_menu.popup(section.table.viewport().mapToGlobal(pos))

    def _outcome_of(self, entry: DiaryEntry) -> Callable[[object], None]:
        """What follows an outcome recorded here at ``entry``: the lists put right, and after
        a did not attend the offer of another appointment (the lists read again once booked:
        it may be later this week, and it is the person's next contact)."""
        return lambda result: self.after_outcome(
            entry, result, self._own_outcome, lambda _booked: self.refresh()
        )

    def _own_outcome(self, result: object) -> None:
        """An outcome recorded from this screen: update the lists from the saved contact
        rather than reload the screen (the change comes back with this view as initiator)."""
        contact = getattr(result, "contact", result)
        not_seen = {r.participant_id for r in self.not_seen_model.rows()}
        if not isinstance(contact, Contact) or contact.participant_id in not_seen:
            # whether they still count as "not seen" (and their next contact) is SQL's call
            self.refresh()
            return
        for model in (self.todays_model, self.week_model):
            rows = model.rows()
            for i, row in enumerate(rows):
                if row.contact_id == contact.id:
                    rows[i] = dataclasses.replace(
                        row,
                        status=contact.status,
                        at=contact.at,
                        minutes=contact.minutes,
                        venue=contact.venue,
                        purpose=contact.purpose,
                    )
                    self._set_sorted(model, self.proxies[self.models.index(model)], rows)
                    break
        if contact.status is not ContactStatus.SCHEDULED:  # its outcome is recorded now
            follow = [r for r in self.follow_model.rows() if r.contact_id != contact.id]
            if len(follow) != self.follow_model.rowCount():
                self.follow_model.set_rows(follow)

    # -- internals ----------------------------------------------------------------------
    def _late(self, due: dt.date) -> str:
        text = overdue_text(due, self.today)
        return f"⚠ {text}" if text else ""

    def _show(self, data: TodayData) -> None:
        self.today = data.today
        self.title.setText(
            self.tr("Today, {day}").format(day=f"{data.today:%A} {data.today.day} {data.today:%B}")
        )
        shown: list[Sequence[Any]] = [
            data.todays,
            data.week,
            data.follow_ups,
            data.reviews,
            data.awaiting,
            data.not_seen,
        ]
        for model, proxy, rows in zip(self.models, self.proxies, shown, strict=True):
            self._set_sorted(model, proxy, rows)
        self.conflicts_section.setVisible(data.conflicts > 0)
        self.conflicts_heading.setText(
            self.tr("Conflicts to resolve ({n})").format(n=data.conflicts)
        )
        self.conflicts_text.setText(
            self.tr(
                "A record was changed here and elsewhere before they synced; both versions are "
                "kept until you choose."
            )
            if data.conflicts == 1
            else self.tr(
                "{n} records were changed here and elsewhere before they synced; both "
                "versions are kept until you choose."
            ).format(n=data.conflicts)
        )
        self.not_seen_section.subtitle.setText(
            self.tr(
                "The door is always open: people not seen for {weeks} or more, "
                "whom you might reach out to."
            ).format(weeks=counted("week", data.not_seen_weeks))
        )

    def _set_sorted(
        self, model: RecordTableModel[Any], proxy: RecordFilterProxy, rows: Sequence[Any]
    ) -> None:
        """Rows in the list's own order (time; "not seen" longest first), unless the worker
        sorted by a column: then the proxy keeps that order."""
        if proxy.sortColumn() >= 0:
            model.set_rows(rows)
        elif proxy is self.proxies[5]:
            model.set_rows(in_sort_order(model, rows, 1, descending=True))
        else:
            model.set_rows(in_sort_order(model, rows, 0))
