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

A vault copied by hand, or a backup restored, onto another computer (``take_as_copy``) gives
up the same, and more: both copies may go on being used, and as one device each would hide
the other's changes (the pull leaves out what that device sent). So the copy becomes a
device of its own, which the server learns of when it is enrolled again with a new code;
until then it does not sync. It gives up the original's bundle signing key too: a bundle the
copy made would otherwise pass, at a supervisor's, for one of the original laptop's, and the
server's roster would vouch for it. The copy makes a key of its own at its first need
(enrolment, its first bundle), which the server registers for the new device.
"""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from linksdesk.core.ids import uuid7
from linksdesk.storage import programme_ids
from linksdesk.storage.outbox import drop_pending
from linksdesk.storage.tables import LocalSetting, Outbox, SyncState

# (sync state) set by a restore; a pull that reaches the server's head takes it away
OWN_UNHELD_KEY = "own_changes_unheld"
# (sync state) set when a vault copied or restored is first opened on another computer;
# enrolling it again takes it away
COPIED_KEY = "copied_here"
# (local setting) the computer the vault was last opened on (storage.machine)
OPENED_ON_KEY = "opened_on"
# (local setting) the vault's bundle signing key (sync.bundle.keys): one device's own
SIGNING_KEY = "signing_key"


def give_up_after_restore(session: Session) -> int:
    """Everything above, in the restore's own transaction; returns the leased numbers
    given up."""
    retired = programme_ids.retire_leases(session)
    programme_ids.new_mark(session)
    session.merge(SyncState(key=OWN_UNHELD_KEY, value=True))
    return retired


def take_as_copy(session: Session) -> int:
    """A vault copied or restored, opened for the first time on another computer: what a
    restore gives up, a new device id (its changes are its own from now on), its pending
    batch let go (its changes go again in batches of the new device), the original's
    signing key given up and no sync until it is enrolled again. Returns the leased numbers
    given up."""
    retired = give_up_after_restore(session)
    session.merge(LocalSetting(key="device_id", value=uuid7()))
    session.execute(delete(LocalSetting).where(LocalSetting.key == SIGNING_KEY))
    drop_pending(session)
    session.execute(update(Outbox).values(batch_key=None))
    session.merge(SyncState(key=COPIED_KEY, value=True))
    return retired
