"""What a vault restored from a backup can no longer vouch for, given up as it is restored.

The backup holds the vault as it was then. What the device did after it is on the server
(or nowhere), not in the copy, and three things the copy counts with would go back:
- its leased programme numbers: those given out since went to people the copy lacks
  (``programme_ids.retire_leases``);
- its own counter's mark: a marked own-counter id (``P1201~3f9a``) given out since would be
  given again, so the copy marks its own ids with a new mark of its own;
- which of its own changes it holds: the pull leaves out a device's own changes up to the
  highest push answer it recorded (``own_through``). The first push of the copy would move
  that past the changes the device sent after the backup, and they would never come back;
  until a pull has reached the server's head, the copy records no such answer.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from linksdesk.storage import programme_ids
from linksdesk.storage.tables import SyncState

# (sync state) set by a restore; a pull that reaches the server's head takes it away
OWN_UNHELD_KEY = "own_changes_unheld"


def give_up_after_restore(session: Session) -> int:
    """Everything above, in the restore's own transaction; returns the leased numbers
    given up."""
    retired = programme_ids.retire_leases(session)
    programme_ids.new_mark(session)
    session.merge(SyncState(key=OWN_UNHELD_KEY, value=True))
    return retired
