"""``revoke-device`` refuses the laptop its worker synced from most recently. The server
wrote a device's last-seen time at most once a minute, so two laptops syncing within the
same minute were ordered by when each was last written, not last seen: the laptop in use
could be revoked without a word and the old one refused. Over real HTTP on 127.0.0.1."""

from __future__ import annotations

import pytest
from server_kit import Programme

from linksdesk.server.admin import DeviceInfo, list_devices
from linksdesk.server.admin_ops import InUseError, revoke_unless_in_use


def test_the_laptop_that_synced_last_in_the_same_minute_is_the_one_in_use(
    served: Programme,
) -> None:
    worker = served.worker(served.team())
    new = served.enrol(worker)  # the new laptop, set up first
    old = served.enrol(worker)  # the old one enrolled again a moment later (seen after)
    old.handshake()
    new.handshake()  # within the same minute: the worker is on the new laptop now
    with pytest.raises(InUseError):
        revoke_unless_in_use(served.db, new.device_id)
    assert revoke_unless_in_use(served.db, old.device_id).device_id == old.device_id
    assert new.handshake()["worker_id"] == worker  # the laptop in use syncs on
    assert old.post("pull", {"cursor": 0}).status_code == 401


def test_a_laptop_syncing_alone_is_written_at_most_once_a_minute(served: Programme) -> None:
    worker = served.worker(served.team())
    only = served.enrol(worker)
    seen = [d.last_seen_ms for d in _devices(served) if d.device_id == only.device_id]
    for _ in range(3):
        only.handshake()
    assert [d.last_seen_ms for d in _devices(served) if d.device_id == only.device_id] == seen


def _devices(served: Programme) -> list[DeviceInfo]:
    return list_devices(served.db)
