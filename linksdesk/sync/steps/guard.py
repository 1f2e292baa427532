"""The mass-removal guard: a pull stops to ask before it takes away much of the caseload."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from linksdesk.sync.protocol import ServerChange
from linksdesk.sync.removals import (
    MASS_DELETE_MIN_ROWS,
    MASS_DELETE_SHARE,
    MassDeletionError,
    MassWithdrawalError,
    is_mass_withdrawal,
    live_participants,
    live_records,
    removals_in,
    withdrawals_in,
)
from linksdesk.sync.steps.context import SyncContext

log = logging.getLogger(__name__)


class ConsentGuard:
    """Stops a pull before it removes a flood of records or purges a flood of people."""

    def __init__(self, c: SyncContext) -> None:
        self.c = c

    def check(self, changes: list[ServerChange]) -> None:
        """Stop before a page that would take removals past 30 % of this device's records,
        or whose withdrawals of team sharing would purge a flood of people (see apply)."""
        if self.c.o.allow_mass_delete or not changes:
            return
        with self.c.store.read() as s:
            self._guard_withdrawals(s, changes)
            removing = removals_in(s, changes, self.c.config.worker_id)
            if not removing:
                return
            if self.c.run.removed_base is None:
                self.c.run.removed_base = live_records(s) + self.c.run.removed_so_far
        base = self.c.run.removed_base
        total = self.c.run.removed_so_far + removing
        if total > MASS_DELETE_SHARE * base and total >= MASS_DELETE_MIN_ROWS:
            log.warning("pull would remove %d of %d records; stopped to ask", total, base)
            raise MassDeletionError(total, base)

    def _guard_withdrawals(self, s: Session, changes: list[ServerChange]) -> None:
        coming = withdrawals_in(s, changes, self.c.store.device_id) - self.c.run.withdrawn
        if not coming:
            return
        if self.c.run.withdrawn_base is None:
            self.c.run.withdrawn_base = live_participants(s) + len(self.c.run.withdrawn)
        total = len(self.c.run.withdrawn | coming)
        if is_mass_withdrawal(total, self.c.run.withdrawn_base):
            log.warning(
                "pull would purge %d of %d participants (withdrawals); stopped to ask",
                total,
                self.c.run.withdrawn_base,
            )
            raise MassWithdrawalError(total, self.c.run.withdrawn_base)
        self.c.run.withdrawn |= coming
