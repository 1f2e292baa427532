"""End to end over a real server process: enrol, push, pull, edits both ways, conflicts."""

from __future__ import annotations

from collections.abc import Callable

from sync_kit import Dev, ServerProcess, assert_replica_matches, two_laptops

from linksdesk.sync.client import list_conflicts, resolve_conflict, sync_status


def test_two_devices_of_one_worker_share_everything(
    server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    a, b = two_laptops(server, devices, ("laptop-a", "laptop-b"))

    pid = a.participant(given_name="Robin", risk_summary="none known")
    contact = a.contact(pid, purpose="first meeting")
    note_id, rev1 = a.note(pid, "Met at the library; wants to join a walking group.")
    report = a.sync()
    assert report.pushed >= 5 and report.verified, report.message
    assert a.outbox() == 0

    report = b.sync()
    assert report.verified, report.message
    assert b.get("participant", pid).given_name == "Robin"
    assert b.get("contact", contact).purpose == "first meeting"
    assert b.get("note_revision", rev1).body.startswith("Met at the library")
    assert_replica_matches(a, server)
    assert_replica_matches(b, server)

    # edits both ways
    b.edit("contact", contact, minutes=45)
    a.edit("participant", pid, family_name="Example-Smith")
    b.sync()
    a.sync()
    b.sync()
    assert a.get("contact", contact).minutes == 45
    assert b.get("participant", pid).family_name == "Example-Smith"

    # a note revised offline on both laptops: both versions kept on both, as a conflict
    a.revise(note_id, rev1, "Version from laptop A.")
    b.revise(note_id, rev1, "Version from laptop B.")
    a.sync()
    b.sync()
    a.sync()
    for dev in (a, b):
        conflicts = list_conflicts(dev.store)
        assert len(conflicts) == 1, dev.label
        versions = {conflicts[0].mine, conflicts[0].theirs}
        assert versions == {"Version from laptop A.", "Version from laptop B."}
        assert sync_status(dev.store).conflicts == 1
    mine_on_a = list_conflicts(a.store)[0]
    assert mine_on_a.mine == "Version from laptop A."

    # a risk summary edited offline on both: the server keeps both as a conflict
    a.edit("participant", pid, risk_summary="Risk noted by A")
    b.edit("participant", pid, risk_summary="Risk noted by B")
    a.sync()
    b.sync()
    a.sync()
    for dev in (a, b):
        risk = [c for c in list_conflicts(dev.store) if c.field == "risk_summary"]
        assert len(risk) == 1, dev.label
        assert {risk[0].mine, risk[0].theirs} == {"Risk noted by A", "Risk noted by B"}
    assert a.get("participant", pid).risk_summary == b.get("participant", pid).risk_summary

    # resolution syncs like any change and closes the conflict everywhere
    note_conflict = next(c for c in list_conflicts(b.store) if c.is_note)
    resolve_conflict(b.store, note_conflict.id, "merged", "Merged version of both.")
    risk_conflict = next(c for c in list_conflicts(b.store) if c.field == "risk_summary")
    resolve_conflict(b.store, risk_conflict.id, "mine")
    b.sync()
    a.sync()
    for dev in (a, b):
        assert list_conflicts(dev.store) == [], dev.label
        assert dev.get("participant", pid).risk_summary == "Risk noted by B"
    assert_replica_matches(a, server)
    assert_replica_matches(b, server)
