"""The Record menu's commands: whose record first, then that record's own form.

New contact, new case note and record outcome work on the open record; from any other page
(or with no record open) they ask whose record it is, never assuming the last one viewed. New
participant asks with ``ParticipantDialog``, checks whether the person is already on record,
and opens the new record. The pages' own shortcuts (the caseload's context menu, the
directory's Refer someone…, a kept draft taken up) come here too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from linksdesk.casework import participants
from linksdesk.ui.dialogs.participant import ParticipantDialog
from linksdesk.ui.dialogs.person_chooser import PersonChooser
from linksdesk.ui.dialogs.same_person import add_unless_known, ask_same_person
from linksdesk.ui.kept_drafts import draft_person

if TYPE_CHECKING:
    from linksdesk.ui.main_window import MainWindow


class RecordCommands(QObject):
    """What the Record menu and the pages ask of the open record (or of whom they choose)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.record = window.participant_view

    # -- which record ---------------------------------------------------------------------
    def record_open(self) -> bool:
        return self.record.participant_id is not None

    def record_editable(self) -> bool:
        return self.record_open() and not self.record.read_only

    def ask_who(self, action: str) -> str | None:
        """From a page with no person open: whose record? (never the last one viewed)"""
        return PersonChooser(self.session, action, self.window).asked()

    def _for_record_or_ask(self, action: str, start: Callable[[], None]) -> None:
        if self.window.current_view_key() == "record" and self.record_open():
            start()
            return
        pid = self.ask_who(action)
        if pid and self.session.is_unlocked:
            self.window.open_participant(pid)
            start()

    def _open_then(self, participant_id: str, start: Callable[[], None]) -> None:
        self.window.open_participant(participant_id)
        if self.record_open():
            start()

    # -- the Record menu ------------------------------------------------------------------
    def new_participant(self) -> None:
        if not self.session.is_unlocked:
            return
        values = ParticipantDialog.ask(self.window)
        if not values or not self.session.is_unlocked:
            return

        def created(outcome: Any) -> None:
            if isinstance(outcome, list):  # already on record: asked before a second record
                chosen = self._same_person(outcome, values)
                if chosen:
                    self.window.open_participant(chosen)
                elif chosen == "" and self.session.is_unlocked:
                    self.session.call(
                        participants.create_participant, **values, on_done=created, keep=True
                    )
                return
            person = getattr(outcome, "value", outcome)
            warnings = getattr(getattr(outcome, "changes", None), "warnings", [])
            if warnings:
                self.window.show_status(" ".join(str(w) for w in warnings))
            self.window.open_participant(person.id)

        self.session.call(add_unless_known, values, on_done=created, keep=True)

    def _same_person(self, known: list[Any], values: dict[str, Any]) -> str | None:
        """Ask about someone already on record (see ``ask_same_person``). While the question
        is open, a lock keeps what was typed as New participant's draft: the lock answers
        it as "no", and the details were gone."""
        if not self.session.is_unlocked:
            return None
        kept = ParticipantDialog.kept_meanwhile(values, self.window)
        self.session.drafts.register(kept)
        try:
            return ask_same_person(self.window, known)
        finally:
            self.session.drafts.unregister(kept)

    def new_contact(self) -> None:
        self._for_record_or_ask(self.tr("Record contact"), self.record.start_contact)

    def new_note(self) -> None:
        self._for_record_or_ask(self.tr("New case note"), self.record.start_note)

    def record_outcome(self) -> None:
        """Record › Record outcome: the selected booking on Today or the Diary, else the
        open record's booking, else ask whose."""
        chosen = getattr(self.window.view_stack.currentWidget(), "record_outcome_selected", None)
        if callable(chosen) and chosen():
            return
        self._for_record_or_ask(self.tr("Record outcome"), self.record.start_outcome)

    def same_person(self) -> None:
        """Record › Same person as…: the open record is kept (or, from another page, the
        record chosen first), then the other record is chosen and confirmed."""
        self._for_record_or_ask(self.tr("Same person as…"), self.record.start_same_person)

    # -- from the pages -------------------------------------------------------------------
    def new_contact_for(self, participant_id: str) -> None:
        """Open this person's record and record a contact (the caseload's context menu)."""
        self._open_then(participant_id, self.record.start_contact)

    def new_note_for(self, participant_id: str) -> None:
        self._open_then(participant_id, self.record.start_note)

    def refer_to_resource(self, resource_id: str) -> None:
        """The directory's Refer someone…: whom, then their record with the resource chosen."""
        pid = PersonChooser(
            self.session,
            self.tr("Refer onward or signpost"),
            self.window,
            intro=self.tr("Choose whom to refer or signpost to the resource you chose."),
        ).asked()
        if pid and self.session.is_unlocked:
            self.window.open_participant(pid)
            self.record.refer_onward_to(resource_id)

    def take_up_draft(self, key: str) -> None:
        """A form kept while locked, taken up again: in its record, or in the dialog it was
        typed in when it had no record to hang on."""
        pid = draft_person(key)
        if pid:
            self.window.open_participant(pid)
            self.record.take_up_draft(key)
            return
        dialog = key.split("/")[-1].split(".")[0]
        if dialog == "ParticipantDialog":
            self.window.action_new_participant.trigger()
        elif dialog == "ResourceDialog":
            self.window.show_view("resources")
            self.window.resources_view.add()
