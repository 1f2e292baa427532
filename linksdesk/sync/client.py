"""The device side of sync, as the CLI and the UI call it.

``enrol`` once with a code from the programme administrator, then ``sync_once`` whenever
there is a network (the UI on a timer through :class:`SyncScheduler`). ``sync_status``,
``list_conflicts``, ``resolve_conflict``, ``list_attention`` and ``sync_history`` feed the
status bar and the conflict and "needs attention" lists. Every function takes the unlocked
vault (a ``Vault``, a ``Store`` opened with the sync policy, or anything with ``.vault`` and
``.store`` such as the casework ``Casebook``).

This module is the one door: syncing is here; enrolment, status, settling conflicts and
scheduling each have a room of their own (``enrolment``, ``status``, ``settle``,
``schedule``) and are named here again for callers.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from sqlalchemy.orm import Session

from linksdesk.core.errors import (
    LinksDeskError,
    ServerUnreachableError,
    SyncAuthError,
)
from linksdesk.core.logsafe import safe_traceback as _safe_traceback
from linksdesk.storage import vacuum
from linksdesk.storage.outbox import drop_unsent_changes
from linksdesk.storage.purge import purge_participant
from linksdesk.storage.store import Store, utc_now
from linksdesk.storage.tables import (
    SyncHistory,
)
from linksdesk.sync import state
from linksdesk.sync.engine import (
    EngineOptions,
    HandshakeRefused,
    Progress,
    SyncEngine,
    SyncReport,
)
from linksdesk.sync.enrolment import CodeOwner, EnrolResult, enrol, whose_code
from linksdesk.sync.protocol import MAX_BATCH, MAX_PULL_LIMIT
from linksdesk.sync.removals import MassDeletionError, MassWithdrawalError
from linksdesk.sync.schedule import SyncScheduler
from linksdesk.sync.settle import ConflictInfo, list_conflicts, resolve_conflict
from linksdesk.sync.status import (
    AttentionItem,
    SyncHistoryEntry,
    SyncStatus,
    dismiss_attention,
    list_attention,
    sync_history,
    sync_status,
)
from linksdesk.sync.target import Target, one_at_a_time, opened
from linksdesk.sync.transport import Backoff, SyncCancelled, Transport

__all__ = [
    "AttentionItem",
    "CodeOwner",
    "ConflictInfo",
    "EnrolResult",
    "HandshakeRefused",
    "MassDeletionError",
    "MassWithdrawalError",
    "SyncClient",
    "SyncHistoryEntry",
    "SyncReport",
    "SyncScheduler",
    "SyncStatus",
    "Target",
    "dismiss_attention",
    "drop_unsent_changes",
    "enrol",
    "list_attention",
    "list_conflicts",
    "purge_participant",
    "resolve_conflict",
    "sync_history",
    "sync_once",
    "sync_status",
    "whose_code",
]

log = logging.getLogger(__name__)


# -- syncing --------------------------------------------------------------------------------
class SyncClient:
    """Syncs one unlocked vault with its server (see :func:`sync_once`)."""

    def __init__(
        self,
        target: Target,
        *,
        backoff: Backoff | None = None,
        timeout_s: float = 30.0,
        batch_size: int = MAX_BATCH,
        page_size: int = MAX_PULL_LIMIT,
        checkpoint: Callable[[str], None] | None = None,
    ) -> None:
        self.vault, self.store = opened(target)
        self.backoff = backoff or Backoff()
        self.timeout_s = timeout_s
        self.batch_size = batch_size
        self.page_size = page_size
        self.checkpoint = checkpoint

    def sync(
        self,
        *,
        progress: Progress | None = None,
        cancel: Callable[[], bool] | threading.Event | None = None,
        allow_mass_delete: bool = False,
        full_check: bool = False,
    ) -> SyncReport:
        cancelled: Callable[[], bool] | None
        cancelled = cancel.is_set if isinstance(cancel, threading.Event) else cancel
        started = utc_now()
        with self.store.read() as s:
            url = str(state.get(s, state.SERVER_URL, ""))
            token = str(state.get(s, state.TOKEN, ""))
            vacuum_due = vacuum.is_due(s)
        outcome, detail = "error", ""
        report = SyncReport()
        recorded = False  # the history entry went in with the sync's last transaction

        def history(s: Session, done: SyncReport) -> None:
            s.add(
                _history_entry(started, "ok" if done.verified else "unverified", done, done.message)
            )

        try:
            with (
                one_at_a_time(self.store),
                Transport(
                    url or "http://invalid.invalid",
                    token,
                    backoff=self.backoff,
                    timeout_s=self.timeout_s,
                    cancelled=cancelled,
                ) as transport,
            ):
                engine = SyncEngine(
                    self.store,
                    transport,
                    EngineOptions(
                        batch_size=self.batch_size,
                        page_size=self.page_size,
                        allow_mass_delete=allow_mass_delete,
                        progress=progress,
                        cancel=cancelled,
                        checkpoint=self.checkpoint,
                        full_check=full_check,
                        last_write=history,
                    ),
                )
                report = engine.sync()
                recorded = engine.last_written
            outcome = "ok" if report.verified else "unverified"
            detail = report.message
            # a page that purged someone marked it due as it committed (or an earlier
            # sync's or import's did): busy now means next time. Looked at only then: a
            # sync that removed nothing here pays no extra transaction for it
            if vacuum_due or report.removed:
                vacuum.vacuum_if_due(self.store)
            return report
        except LinksDeskError as exc:
            outcome, detail = _outcome_of(exc), str(exc)
            raise
        except Exception:
            outcome, detail = "error", "The sync stopped on an unexpected problem."
            raise
        finally:
            if not recorded:
                _record_history(self.store, started, outcome, report, detail)


# what the sync history calls a sync that stopped on each kind of error (the first that fits)
_OUTCOMES: tuple[tuple[type[LinksDeskError], str], ...] = (
    (ServerUnreachableError, "offline"),
    (SyncAuthError, "auth"),
    (SyncCancelled, "cancelled"),
    (MassDeletionError, "stopped"),
)


def _outcome_of(exc: LinksDeskError) -> str:
    return next((outcome for kind, outcome in _OUTCOMES if isinstance(exc, kind)), "error")


def sync_once(
    target: Target,
    *,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | threading.Event | None = None,
    allow_mass_delete: bool = False,
    full_check: bool = False,
) -> SyncReport:
    """Push, pull and verify once. Raises ``ServerUnreachableError`` (offline),
    ``SyncAuthError`` (revoked), ``MassDeletionError`` (asks first) or ``SyncError``.

    The comparison with the server is skipped when nothing moved on either side since one
    that passed less than an hour ago; ``full_check`` compares anyway, reading the vault
    afresh (for a "check now" button).
    """
    return SyncClient(target).sync(
        progress=progress,
        cancel=cancel,
        allow_mass_delete=allow_mass_delete,
        full_check=full_check,
    )


def _record_history(
    store: Store, started: dt.datetime, outcome: str, report: SyncReport, detail: str
) -> None:
    try:
        entry = _history_entry(started, outcome, report, detail)
        store.keep(lambda s: s.add(entry))
    except Exception as exc:  # the history is a convenience; never hide the sync's own outcome
        log.warning("could not record the sync in the history:\n%s", _safe_traceback(exc))


def _history_entry(
    started: dt.datetime, outcome: str, report: SyncReport, detail: str
) -> SyncHistory:
    return SyncHistory(
        started_at=started,
        finished_at=utc_now(),
        outcome=outcome,
        pushed=report.pushed,
        pulled=report.pulled,
        detail=detail[:2000],
    )
