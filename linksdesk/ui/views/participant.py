"""The participant record: a header with status and consent chips, and a tab per part."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from linksdesk.casework import erasure
from linksdesk.casework.record import RecordData, open_record, read_parts
from linksdesk.core.changes import Changes
from linksdesk.core.registry import RECORD_TABLES, TEAM_TABLES
from linksdesk.core.vocab import ConsentScope, MeasureKind
from linksdesk.ui.dialogs.erasure import ErasureDialog
from linksdesk.ui.dialogs.kept_text import KeptTextDialog
from linksdesk.ui.dialogs.person_chooser import PersonChooser
from linksdesk.ui.views.common import (
    ERASED,
    STATUS_TONE,
    Chip,
    FlowRow,
    Screen,
    heading,
    muted,
)
from linksdesk.ui.views.participant_goals import GoalsTab
from linksdesk.ui.views.participant_network import NetworkTab
from linksdesk.ui.views.participant_profile import ProfileTab
from linksdesk.ui.views.participant_referrals import ReferralsTab
from linksdesk.ui.views.participant_timeline import TimelineTab
from linksdesk.ui.views.participant_wellbeing import WellbeingTab
from linksdesk.ui.views.record_host import RecordTab
from linksdesk.ui.widgets import ElidingLabel, InlineMessage

if TYPE_CHECKING:
    from linksdesk.casework.casebook import Casebook
    from linksdesk.ui.session import UiSession

# entities whose change means the open record must be loaded again: the person, everything
# linked to them, and the resources their onward referrals name
RECORD_ENTITIES = frozenset((*RECORD_TABLES, *TEAM_TABLES))


def _keep_words(cb: Casebook, participant_id: str, words: dict[str, str]) -> bool:
    return cb.keep_words_of_gone_case(participant_id, words)


def load_record(cb: Casebook, participant_id: str, *, opening: bool = False) -> RecordData:
    """Runs on the DB thread: the record in one snapshot; ``opening`` audits the view."""
    return open_record(cb, participant_id, opening=opening)


# read again after every own save, whatever it touched: the header's figures (status, consent
# chips, appointments used, risk) and the person's histories are derived by casework rules a
# save may set off (a contact's outcome can change the status), so they are never guessed
HEADER_PARTS: tuple[str, ...] = (
    "participant",
    "consent",
    "consent_history",
    "status_history",
    "appointments",
    "read_only",
)
# the parts of the record each table's rows are shown in; a save touching a table not named
# here (or none) reloads the whole record
TABLE_PARTS: Mapping[str, tuple[str, ...]] = {
    "participant": (),
    "status_change": (),
    "consent": (),
    "contact": ("contacts",),
    "note": ("notes",),
    "note_revision": ("notes",),
    "goal": ("goals",),
    "goal_step": ("goals",),
    "measure": ("measures",),
    "relationship": ("relationships",),
    "referral": ("referrals",),
    "onward_referral": ("onward",),
    "concern": ("concerns",),
}


def own_save_parts(changes: Changes) -> tuple[str, ...] | None:
    """The parts of the record to read again after its own save, or None for all of it."""
    if not changes.entities or not changes.entities <= TABLE_PARTS.keys():
        return None
    parts = {part for table in changes.entities for part in TABLE_PARTS[table]}
    return (*HEADER_PARTS, *sorted(parts))


class ParticipantView(Screen):
    """One person's record. ``open(participant_id)`` loads it; a change made elsewhere reloads
    it, and its own saves read again only the parts they touched (and the header)."""

    sig_loaded = Signal(str)  # participant id, once the record is painted with its data
    sig_erased = Signal(str)  # participant id, after erasure

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        tr = self.tr
        self.setAccessibleName(tr("Participant record"))
        self.participant_id: str | None = None
        self._last_pid: str | None = None  # the record open before the last lock
        self.data: RecordData | None = None
        # a shortcut pressed before the record arrived runs once it is loaded
        self._when_loaded: Callable[[], None] | None = None
        # full reads asked for and shown: while one is on its way, what is shown may be
        # older than the vault (a sync handed the case over meanwhile, say)
        self._reads_asked = self._reads_shown = 0

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        head = QHBoxLayout()
        self.name_label = heading("", kind=ElidingLabel)  # a long name ends in "…"
        self.name_label.setAccessibleName(tr("Participant name"))
        head.addWidget(self.name_label)
        self.pid_label = QLabel()
        self.pid_label.setAccessibleName(tr("Programme id"))
        head.addWidget(self.pid_label)
        self.status_chip = Chip()
        head.addWidget(self.status_chip)
        head.addStretch(1)
        self.appointments_label = QLabel()
        self.appointments_label.setAccessibleName(tr("Appointments used"))
        head.addWidget(self.appointments_label)
        layout.addLayout(head)
        chips = QHBoxLayout()
        chips.addWidget(muted(tr("Consent:")), 0, Qt.AlignmentFlag.AlignTop)
        self.consent_chips: dict[ConsentScope, Chip] = {}
        for scope in ConsentScope:
            self.consent_chips[scope] = Chip()
        self.consent_row = FlowRow(list(self.consent_chips.values()))  # two lines if narrow
        chips.addWidget(self.consent_row)
        chips.addStretch(1)
        self.risk_label = QLabel()
        self.risk_label.setWordWrap(True)
        self.risk_label.setAccessibleName(tr("Risk summary"))
        chips.addWidget(self.risk_label)
        layout.addLayout(chips)
        self.read_only_banner = InlineMessage(self)
        self.read_only_banner.setAccessibleName(tr("Read-only record"))
        layout.addWidget(self.read_only_banner)
        layout.addWidget(self.message)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(tr("Parts of the record"))
        self.timeline = TimelineTab(self, self.tabs)
        self.goals = GoalsTab(self, self.tabs)
        self.wellbeing = WellbeingTab(self, self.tabs)
        self.network = NetworkTab(self, self.tabs)
        self.referrals = ReferralsTab(self, self.tabs)
        self.profile = ProfileTab(self, self.tabs)
        self.tabs.addTab(self.timeline, tr("&Timeline"))
        self.tabs.addTab(self.goals, tr("G&oals"))
        self.tabs.addTab(self.wellbeing, tr("&Wellbeing"))
        self.tabs.addTab(self.network, tr("&Network"))
        self.tabs.addTab(self.referrals, tr("R&eferrals"))
        self.tabs.addTab(self.profile, tr("&Profile and consent"))
        for index in range(self.tabs.count()):  # a tab is named by its title, for screen readers
            if (tab := self.tabs.widget(index)) is not None:
                tab.setAccessibleName(self.tabs.tabText(index).replace("&", ""))
        layout.addWidget(self.tabs, 1)
        self.all_tabs: list[RecordTab] = [
            self.timeline,
            self.goals,
            self.wellbeing,
            self.network,
            self.referrals,
            self.profile,
        ]
        # the parts of the record each tab shows: after the record's own save, only the tabs
        # whose parts changed are shown again
        self.tab_parts: list[tuple[RecordTab, frozenset[str]]] = [
            (self.timeline, frozenset(("contacts", "notes"))),
            (self.goals, frozenset(("goals",))),
            (self.wellbeing, frozenset(("measures",))),
            (self.network, frozenset(("relationships",))),
            (self.referrals, frozenset(("referrals", "onward"))),
            (
                self.profile,
                frozenset(("participant", "concerns", "consent_history", "status_history")),
            ),
        ]
        self.setFocusProxy(self.tabs)  # the keyboard goes to the record's tabs when shown
        self._set_header_empty()
        self.session.drafts.register(
            self.timeline.editor.draft_texts, self._on_drafts_restored, owner=self
        )

    # -- contract -----------------------------------------------------------------------
    def open(self, participant_id: str) -> None:
        if participant_id != self.participant_id:
            # a note being written for the person shown is set aside for them, never lost
            # and never carried over into the next person's record
            self.timeline.editor.set_aside()
            self.clear()
        self.participant_id = participant_id
        self._load(opening=True)  # the one "viewed" audit event of this opening

    def refresh(self) -> None:
        self._load(opening=False)  # after a save or a sync: the same opening, not a new one

    def _load(self, *, opening: bool) -> None:
        if self.participant_id is None:
            return
        pid = self.participant_id
        self._reads_asked += 1
        asked = self._reads_asked

        def failed(exc: BaseException) -> None:
            self._reads_shown = max(self._reads_shown, asked)
            self.show_problem(exc)

        self.run(
            load_record,
            pid,
            opening=opening,
            on_done=lambda data: self._show(pid, data, asked),
            on_error=failed,
        )

    def _load_parts(self, parts: tuple[str, ...]) -> None:
        pid = self.participant_id
        if pid is None:
            return
        self.run(read_parts, pid, parts, on_done=lambda got: self._show_parts(pid, got))

    def _person_ids(self) -> set[str]:
        """The open record and the person's other records (brought into it)."""
        ids = {self.participant_id} if self.participant_id else set()
        if self.data is not None:
            ids |= {p.id for p in self.data.same_person}
        return ids

    def on_changes(self, changes: Changes) -> None:
        if self.participant_id is None:
            return
        if changes.participants & (self._person_ids() - {self.participant_id}):
            # written to the person's other record (a sync from a laptop that still writes
            # there): the record reads again whole
            self.refresh()
            return
        # erased by a sync ("erasure") or here, from another view (the erasure's receipt)
        if changes.entities & ERASED and self.participant_id in changes.participants:
            self._record_gone(self.participant_id)
            return
        if (
            changes.initiator is self
            and self.data is not None
            and self.participant_id in changes.participants
        ):
            # its own save (Anki's OpChanges initiator): read again only the parts it touched
            # and the header's figures, not the whole record
            parts = own_save_parts(changes)
            if parts is not None:
                self._load_parts(parts)
                return
        touched = changes.entities & RECORD_ENTITIES
        if (
            not changes.entities
            or (
                touched
                and (not changes.participants or self.participant_id in changes.participants)
            )
            or "resource" in changes.entities
        ):
            self.refresh()

    def _record_gone(self, pid: str) -> None:
        """The open record left this laptop (erased, handed to a colleague, or its team
        consent withdrawn on the worker's other laptop, by a sync): a case note being written
        is kept to copy, never lost, unless the participant was erased."""
        words = self.timeline.editor.draft_texts()
        self.clear()
        self._last_pid = None  # not to be opened again after the next unlock: it is gone
        if words:
            self.run(_keep_words, pid, words, on_done=lambda kept: self._words_kept(words, kept))

    def _words_kept(self, words: dict[str, str], kept: bool) -> None:
        tr = self.tr
        if not kept:  # erased: nothing about them stays, the words neither
            self.message.show_message(
                tr(
                    "This participant's record was erased, so the case note you were writing "
                    "about them could not be kept."
                ),
                "warning",
            )
            return
        for key, text in words.items():
            self.session.drafts.keep(key, text)
        self.message.show_message(
            tr(
                "This record left this laptop while you were writing: the case was handed over "
                "to another links worker, or sharing with the team was withdrawn on your other "
                "laptop. Your case note was not saved in it: it is kept for you in the bar "
                "above, to copy and pass on, then discard."
            ),
            "warning",
        )

    def clear(self) -> None:
        super().clear()
        self.data = None
        self._when_loaded = None
        if self.participant_id is not None:
            self._last_pid = self.participant_id
        self.participant_id = None
        self._set_header_empty()
        for tab in self.all_tabs:
            tab.clear()

    # -- read-only copies of handed-over cases -------------------------------------------
    @property
    def read_only(self) -> bool:
        """Whether the open record is a handed-over case kept here read-only."""
        return self.data is not None and self.data.read_only

    def editable(self) -> bool:
        """True when the open record may be changed; otherwise say why and return False.

        Every edit action asks this first, so a shortcut or a double-click cannot reach a
        disabled button's work.
        """
        if self.participant_id is None or self.data is None:
            return False
        if self.data.read_only:
            # the banner already says it on the record; the status bar answers the keypress
            self.session.sig_status.emit(self.read_only_text())
            return False
        return True

    def dialog_person(self) -> str | None:
        """Who a dialog opened from this record writes about, for its title."""
        if self.data is None:
            return None
        p = self.data.participant
        return f"{p.display_name} ({p.programme_id})"

    def show_entry(self, kind: str, row_id: str) -> None:
        """Show a case note on the Timeline or a goal on the Goals tab, selected (a search
        hit); waits for the record when it is still loading."""

        def go() -> None:
            if kind == "goal":
                self.tabs.setCurrentWidget(self.goals)
                row = self.goals.goals_model.row_of_id(row_id)
                if row >= 0:
                    index = self.goals.goals_proxy.mapFromSource(
                        self.goals.goals_model.index(row, 0)
                    )
                    self.goals.goals_table.setCurrentIndex(index)
                    self.goals.goals_table.scrollTo(index)
                self.goals.goals_table.setFocus()
            else:
                self.tabs.setCurrentWidget(self.timeline)
                self.timeline.select_id(row_id)
                self.timeline.table.setFocus()

        if not self._defer(go):
            go()

    def start_outcome(self) -> None:
        """Record › Record outcome: the booked contact selected, near now, or past."""
        if self._defer(self.start_outcome) or not self.editable():
            return
        self.tabs.setCurrentWidget(self.timeline)
        self.timeline.record_outcome()

    def read_only_text(self) -> str:
        return self.tr(
            "This case was handed over to another links worker — you can read it, not change it."
        )

    def write(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        # the last guard before casework (which refuses too, in its own words)
        if self.read_only:
            self.session.sig_status.emit(self.read_only_text())
            return None
        return super().write(fn, *args, **kwargs)

    # -- actions used by the tabs and the shell ------------------------------------------
    def start_note(self) -> None:
        """Shortcut target: focus the note editor in the timeline."""
        if self._defer(self.start_note) or not self.editable():
            return
        self.tabs.setCurrentWidget(self.timeline)
        self.timeline.editor.start_new()

    def start_contact(self) -> None:
        self._on_timeline(self.start_contact, self.timeline.record_contact)

    def start_booking(self) -> None:
        self._on_timeline(self.start_booking, self.timeline.schedule_contact)

    def move_booking_of(self, contact_id: str) -> None:
        """Move booking… for this record's booking ``contact_id``, on the Timeline."""
        self._on_timeline(
            lambda: self.move_booking_of(contact_id),
            lambda: self.timeline.move_booking_id(contact_id),
        )

    def start_same_person(self) -> None:
        """Record › Same person as…: the profile's question, once the record is here."""
        if self._defer(self.start_same_person) or not self.editable():
            return
        self.tabs.setCurrentWidget(self.profile)
        self.profile.ask_same_person()

    def _on_timeline(self, again: Callable[[], None], action: Callable[[], None]) -> None:
        """``action`` on the timeline once the record is here (``again`` waits for it)."""
        if self._defer(again) or not self.editable():
            return
        self.tabs.setCurrentWidget(self.timeline)
        action()

    def refer_onward_to(self, resource_id: str) -> None:
        """Refer this person to a resource chosen in the resource directory."""
        if self._defer(lambda: self.refer_onward_to(resource_id)) or not self.editable():
            return
        self.tabs.setCurrentWidget(self.referrals)
        self.referrals.refer_onward(resource_id)

    def take_up_draft(self, key: str) -> None:
        """Unsaved work kept while locked (``kind/participant id/item``), in its form again:
        a measure's form opens with its answers; a note is back in the editor already."""
        if self._defer(lambda: self.take_up_draft(key)):
            return
        if self.read_only and key in self.session.drafts.pending:
            # handed over since: nothing saves here now, but the words are still theirs
            KeptTextDialog.ask(self.session, key, self.session.drafts.pending[key], self)
            return
        if not self.editable():
            return
        kind, _pid, item = key.split("/")
        name, _, about = item.partition(".")
        reopen = self._form_openers(about).get(name) if kind == "form" else None
        if reopen is not None:
            reopen()  # the dialog takes what was kept (FormDialog.run)
        elif kind == "measure":
            self.tabs.setCurrentWidget(self.wellbeing)
            box = self.wellbeing.kind_box
            box.setCurrentIndex(box.findData(MeasureKind(item)))
            self.wellbeing.record()
        else:
            self.tabs.setCurrentWidget(self.timeline)
            self.timeline.editor.text_edit.setFocus()

    def _form_openers(self, about: str) -> dict[str, Callable[[], None]]:
        """The record's dialogs by name, as a form kept at a lock names them (``about``: what
        follows the name in its key; a moved booking's id)."""
        return {
            "ContactDialog": self.start_contact,
            "ScheduleContactDialog": self.start_booking,
            "MoveBookingDialog": lambda: self.move_booking_of(about),
            "GoalDialog": self.goals.set_goal,
            "ReviewDialog": lambda: self._on_tab(self.goals, self.goals.review_goal_id, about),
            "StepDialog": lambda: self._on_tab(self.goals, self.goals.add_step_id, about),
            "ReferralDialog": self.referrals.add_referral,
            "OnwardDialog": self.referrals.refer_onward,
            "OnwardUpdateDialog": lambda: self._on_tab(
                self.referrals, self.referrals.update_onward_id, about
            ),
            "RelationshipDialog": self.network.add,
            "RelationshipEditDialog": lambda: self._on_tab(
                self.network, self.network.edit_id, about
            ),
            "ParticipantDialog": self.profile.edit_details,
            "StatusDialog": self.profile.change_status,
            "ConsentDialog": self.profile.record_consent,
            "ConcernDialog": self.profile.add_concern,
        }

    def _on_tab(self, tab: QWidget, action: Callable[[str], None], entry_id: str) -> None:
        """``action(entry_id)`` with ``tab`` shown (a kept form taken up, about that entry)."""
        self.tabs.setCurrentWidget(tab)
        action(entry_id)

    def _defer(self, action: Callable[[], None]) -> bool:
        """Keep ``action`` for when the record being opened, or read again, has arrived
        (True if kept): it acts on the record as the vault holds it now."""
        if self.participant_id is not None and (
            self.data is None or self._reads_shown < self._reads_asked
        ):
            self._when_loaded = action
            return True
        return False

    def choose_person(self, action: str, intro: str) -> str | None:
        return PersonChooser(
            self.session, action, self, intro, other_than=self.participant_id
        ).asked()

    def ask_erase(self) -> None:
        if self.data is None or self.participant_id is None:
            return
        if not self.editable():
            # erasure is synced: forgetting a colleague's case here would erase it everywhere
            return
        pid = self.participant_id
        programme_id = self.data.participant.programme_id
        if not ErasureDialog.ask(self, programme_id, self.data.erasure_counts(self.tr)):
            return
        self.write(erasure.erase_participant, pid, on_done=lambda _r: self._on_erased(pid))

    def _on_erased(self, pid: str) -> None:
        self.clear()
        self._last_pid = None
        self.session.sig_status.emit(self.tr("The participant has been forgotten."))
        self.sig_erased.emit(pid)

    # -- internals ----------------------------------------------------------------------
    def _show(self, pid: str, data: RecordData, asked: int) -> None:
        if pid != self.participant_id:
            return
        if data.participant.id != pid:
            # a record merged into another of the same person opens as the person's kept
            # record: what is added from here goes there
            self.participant_id = pid = data.participant.id
        self._reads_shown = max(self._reads_shown, asked)
        self.data = data
        self._show_header(data)
        for tab in self.all_tabs:
            tab.show_record(data)
            tab.set_read_only(data.read_only)
        self._loaded(pid)

    def _show_parts(self, pid: str, parts: dict[str, Any]) -> None:
        """Put the parts read again after the record's own save in place: the header, and
        the tabs whose parts changed."""
        old = self.data
        if pid != self.participant_id or old is None:
            return  # another record, or a full load is on its way
        data = dataclasses.replace(old, **parts)
        self.data = data
        changed = {name for name, value in parts.items() if getattr(old, name) != value}
        self._show_header(data)
        for tab, tab_parts in self.tab_parts:
            if tab_parts & changed:
                tab.show_record(data)
        if data.read_only != old.read_only:
            for tab in self.all_tabs:
                tab.set_read_only(data.read_only)
        self._loaded(pid)

    def _loaded(self, pid: str) -> None:
        self.sig_loaded.emit(pid)
        if self._reads_shown < self._reads_asked:
            return  # a newer read is on its way: what waits for the record waits for it
        pending, self._when_loaded = self._when_loaded, None
        if pending is not None:
            pending()

    def _show_header(self, data: RecordData) -> None:
        p = data.participant
        self.status_chip.show()
        for chip in self.consent_chips.values():
            chip.show()
        self.tabs.setEnabled(True)
        self.name_label.setText(p.display_name)
        self.name_label.setAccessibleName(
            self.tr("Participant name: {name}").format(name=p.display_name)
        )
        if data.same_person:  # the person's other records: their ids are the person's too
            also = ", ".join(o.programme_id for o in data.same_person)
            self.pid_label.setText(
                self.tr("{pid} (also {also})").format(pid=p.programme_id, also=also)
            )
        else:
            self.pid_label.setText(p.programme_id)
        self.status_chip.set_chip(
            p.status.label, STATUS_TONE.get(p.status, "grey"), self.tr("Status")
        )
        for scope, chip in self.consent_chips.items():
            record = data.consent.get(scope)
            if record is None:
                chip.set_chip(
                    self.tr("{scope}: not asked").format(scope=scope.label),
                    "grey",
                    self.tr("No consent recorded yet"),
                )
            elif record.given:
                chip.set_chip(
                    self.tr("{scope}: yes").format(scope=scope.label),
                    "green",
                    self.tr("Given on {day} (version {v})").format(
                        day=record.recorded_on, v=record.version
                    ),
                )
            else:
                chip.set_chip(
                    self.tr("{scope}: no").format(scope=scope.label),
                    "red",
                    self.tr("Not given or withdrawn on {day} (version {v})").format(
                        day=record.recorded_on, v=record.version
                    ),
                )
        self.consent_row.reflow()
        use = data.appointments
        if use.limit is None:
            self.appointments_label.setText(self.tr("Appointments: {n}").format(n=use.used))
        else:
            text = self.tr("Appointments: {used} of {limit}").format(used=use.used, limit=use.limit)
            if use.over_limit:
                text += " — " + self.tr("over the programme's limit")
            self.appointments_label.setText(text)
        self.risk_label.setText(
            self.tr("⚠ Risk: {text}").format(text=p.risk_summary) if p.risk_summary else ""
        )
        if data.read_only:
            self.read_only_banner.show_message(self.read_only_text(), "info")
        else:
            self.read_only_banner.clear_message()

    def _set_header_empty(self) -> None:
        self.name_label.setText(self.tr("No participant open"))
        # the accessible name carried the person's name: screen readers must not keep it
        self.name_label.setAccessibleName(self.tr("Participant name"))
        self.pid_label.clear()
        self.status_chip.hide()
        for chip in self.consent_chips.values():
            chip.hide()
        self.appointments_label.clear()
        self.risk_label.clear()
        self.read_only_banner.clear_message()
        self.tabs.setEnabled(False)

    def _on_drafts_restored(self, drafts: Mapping[str, str]) -> None:
        # after an unlock, reopen the record whose unsaved note was kept as a draft
        last = self._last_pid
        if last and any(key.startswith(f"note/{last}/") for key in drafts):
            self.open(last)
