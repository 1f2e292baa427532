"""Pull pages in server_seq order, filtered to what each device may see; verify digests."""

from __future__ import annotations

from server_kit import Device, Programme

from linksdesk.sync.protocol import SYNCABLE_TABLES, table_digest


def _case(dev: Device, n_contacts: int) -> list[dict[str, object]]:
    p = dev.participant()
    contacts = [
        dev.change("contact", fields={"kind": "phone", "minutes": i}, participant_id=p["row_id"])
        for i in range(n_contacts)
    ]
    return [*dev.shared(p), *contacts]


def test_pages_come_in_order_and_resume_exactly(programme: Programme) -> None:
    worker = programme.worker(programme.team())
    writer, reader = programme.enrol(worker), programme.enrol(worker)
    first = _case(writer, 0)
    writer.push(first)
    rest = _case(writer, 30) + _case(writer, 16)
    writer.push(rest)
    # the server applies a batch's team consents first, then the rest in batch order
    consents = [c for c in rest if c["table"] == "consent"]
    applied = first + consents + [c for c in rest if c["table"] != "consent"]
    pushed = [c["change_id"] for c in applied]  # 52 changes
    seen: list[str] = []
    seqs: list[int] = []
    cursor = 0
    pages = 0
    while True:
        page = reader.post("pull", {"cursor": cursor, "limit": 7}).json()
        pages += 1
        seen += [c["change_id"] for c in page["changes"]]
        seqs += [c["server_seq"] for c in page["changes"]]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert seen == pushed
    assert pages == 8  # 7 full pages of 7 and one of 3
    again = reader.post("pull", {"cursor": cursor, "limit": 7}).json()
    assert again["changes"] == [] and again["next_cursor"] == cursor and not again["has_more"]


def test_other_workers_and_teams_rows_never_appear(programme: Programme) -> None:
    team, other_team = programme.team(), programme.team()
    me = programme.enrol(programme.worker(team))
    colleague = programme.enrol(programme.worker(team))
    outsider = programme.enrol(programme.worker(other_team))
    mine = _case(me, 3)
    theirs = _case(colleague, 3)
    foreign = _case(outsider, 3)
    me.push(mine)
    colleague.push(theirs)
    outsider.push(foreign)
    shared_resource = colleague.change("resource", fields={"organisation": "Lunch club"})
    foreign_resource = outsider.change("resource", fields={"organisation": "Elsewhere"})
    my_total = me.totals("2026-01", {"contacts": 4})
    their_total = colleague.totals("2026-01", {})
    for dev, change in (
        (colleague, shared_resource),
        (outsider, foreign_resource),
        (me, my_total),
        (colleague, their_total),
    ):
        assert dev.push_one(change)["status"] == "applied"

    got = {c["change_id"] for c in me.pull_all(limit=4)[0]}
    expected = {c["change_id"] for c in mine} | {
        shared_resource["change_id"],
        my_total["change_id"],
    }
    assert got == expected
    outsider_got = {c["change_id"] for c in outsider.pull_all()[0]}
    assert outsider_got == {c["change_id"] for c in foreign} | {foreign_resource["change_id"]}


def test_verify_matches_what_the_device_pulled(programme: Programme) -> None:
    team = programme.team()
    me = programme.enrol(programme.worker(team))
    other = programme.enrol(programme.worker(team))
    me.push(_case(me, 4))
    other.push(_case(other, 2))
    me.push_one(me.change("resource", fields={"organisation": "Walking group"}))
    changes, cursor = me.pull_all()
    # rebuild rows as a device would from what it pulled
    rows: dict[tuple[str, str], tuple[str, bool]] = {}
    for c in changes:
        rows[(c["table"], c["row_id"])] = (c["hlc"], c["op"] == "delete")
    r = me.post("verify").json()
    assert r["cursor_head"] == cursor
    assert set(r["tables"]) == set(SYNCABLE_TABLES)
    for table in SYNCABLE_TABLES:
        mine = [(rid, h, d) for (t, rid), (h, d) in rows.items() if t == table]
        assert r["tables"][table] == table_digest(mine).model_dump(), table
    assert r["tables"]["contact"]["count"] == 4
    assert r["tables"]["participant"]["count"] == 1


def test_a_cursor_past_the_head_asks_for_a_resync(programme: Programme) -> None:
    dev = programme.enrol(programme.worker(programme.team()))
    dev.push(_case(dev, 2))
    _, cursor = dev.pull_all()
    # as if the server had been restored from a backup taken before these changes
    r = dev.post("pull", {"cursor": cursor + 10})
    assert r.status_code == 409 and "restored from a backup" in r.json()["detail"]
    assert dev.handshake(cursor=cursor + 10)["epoch_changed"] is True
    assert dev.handshake(cursor=cursor)["epoch_changed"] is False
