"""What the participant record's tabs ask of the record they sit in, and what it asks of them.

The tabs (Timeline, Goals, Wellbeing, Network, Referrals, Profile) and the record documents
(print, GP summary) see the record view only through ``RecordHost`` and the session only
through ``RecordSession``, so a tab cannot reach for more than these say.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from linksdesk.casework.casebook import Casebook
    from linksdesk.casework.record import RecordData
    from linksdesk.core.settings import Settings
    from linksdesk.ui.session import DraftRegistry
    from linksdesk.ui.widgets import InlineMessage


class CaseworkCall(Protocol):
    """``fn(casebook, *args, **kwargs)`` queued on the DB thread; ``on_done`` gets its result,
    ``on_error`` what it raised."""

    def __call__(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        **kwargs: Any,
    ) -> object: ...


class RecordSession(Protocol):
    """The parts of the UI session a tab of the record uses."""

    @property
    def settings(self) -> Settings: ...

    @property
    def sig_settings_changed(self) -> SignalInstance: ...

    @property
    def sig_status(self) -> SignalInstance: ...

    @property
    def drafts(self) -> DraftRegistry: ...

    def discard_draft(self, key: str) -> None: ...

    def keep_draft(self, key: str, text: str) -> None: ...


class RecordHost(Protocol):
    """The open participant record, as its tabs see it (``ParticipantView``)."""

    @property
    def participant_id(self) -> str | None: ...

    @property
    def data(self) -> RecordData | None: ...

    @property
    def session(self) -> RecordSession: ...

    @property
    def message(self) -> InlineMessage: ...

    @property
    def read_only(self) -> bool:
        """Whether the open record is a handed-over case kept here read-only."""
        ...

    def casebook(self) -> Casebook | None: ...

    def editable(self) -> bool:
        """True when the open record may be changed; otherwise it says why."""
        ...

    @property
    def run(self) -> CaseworkCall:
        """Read with ``fn(casebook, *args, **kwargs)`` on the DB thread."""
        ...

    @property
    def write(self) -> CaseworkCall:
        """Run a use case that changes the record (refused while it is read-only)."""
        ...

    def ask_erase(self) -> None: ...

    def choose_person(self, action: str, intro: str) -> str | None:
        """Whose record (another participant's, never this one's) ``action`` is for, or None
        (the window's person chooser; nobody is chosen until a name is typed)."""
        ...

    def begin_once(self, key: str) -> Callable[[], None] | None: ...

    def show_problem(self, exc: BaseException) -> None:
        """Say in the record what a failed save met (a bug goes to the crash dialog)."""
        ...

    def refresh(self) -> None:
        """Read the open record again (after a save refused by what changed under it, or
        two records made one person, or not)."""
        ...


class RecordTab(Protocol):
    """What the record asks of each of its tabs."""

    def show_record(self, data: RecordData) -> None: ...

    def set_read_only(self, read_only: bool) -> None: ...

    def clear(self) -> None: ...
