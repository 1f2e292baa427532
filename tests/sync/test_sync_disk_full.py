"""A sync whose pull fills the laptop's disk (a real tmpfs, the small_disk fixture; a real
server on 127.0.0.1): the worker is told the disk is full, nothing pulled is half-applied,
their own work stays, and the next sync once there is room brings it all."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from sync_kit import PASSPHRASE, Dev, ServerProcess, assert_agrees_with_server

from linksdesk.core.errors import DiskFullError
from linksdesk.storage.vault import Vault

if TYPE_CHECKING:
    from conftest import SmallDisk

MakeDisk = Callable[[str], "SmallDisk"]


def test_a_pull_that_fills_the_disk(
    server: ServerProcess, devices: Callable[[str], Dev], small_disk: MakeDisk
) -> None:
    worker = server.worker(server.team())
    first = devices("first-laptop")
    first.enrol(server, worker)
    for i in range(40):
        pid = first.participant(given_name=f"Shared{i}")
        first.note(pid, "Synthetic account of the befriending visit. " * 60)
    assert first.sync().verified

    disk = small_disk("4m")
    path = disk / "second.vault"
    vault, _ = Vault.create(path, PASSPHRASE)
    second = Dev(path, vault, "second-laptop")
    try:
        second.enrol(server, worker)
        mine = second.participant(given_name="Unsent")  # written here, not yet sent
        filler = disk.fill(leave=96 * 1024)
        with pytest.raises(DiskFullError) as info:
            second.sync()
        assert "disk is full" in str(info.value)
        assert vault.integrity_check().ok
        assert second.get("participant", mine) is not None  # their own work is still here
        filler.unlink()
        report = second.sync()
        assert report.verified
        assert_agrees_with_server(second, server)
    finally:
        second.close()
