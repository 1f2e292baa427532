"""Programme id blocks (issue 8, part 3): each device gets numbers no other device gets.

Over the HTTP API (SQLite, and PostgreSQL when configured), and with many devices asking
at once against a real server process on 127.0.0.1.
"""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
from server_kit import Programme
from serving import running

from linksdesk.core.ids import uuid7
from linksdesk.server import admin
from linksdesk.server.db import Database
from linksdesk.server.ids import FLOOR_CAP, MAX_BLOCKS_PER_DAY
from linksdesk.sync.protocol import ID_BLOCK_SIZE, ID_FIRST_NUMBER


def _lease(dev: object, request_id: str | None = None, floor: int = 0) -> httpx.Response:
    body = {"request_id": request_id or uuid7(), "floor": floor}
    return dev.post("ids/lease", body)  # type: ignore[attr-defined,no-any-return]


def test_blocks_never_overlap_and_a_retry_gets_the_same_block(programme: Programme) -> None:
    team = programme.team()
    worker = programme.worker(team)
    colleague = programme.worker(team)
    office, venues, theirs = (
        programme.enrol(worker),
        programme.enrol(worker),
        programme.enrol(colleague),
    )
    request = uuid7()
    first = _lease(office, request)
    assert first.status_code == 200, first.text
    block = first.json()
    assert block["first"] == ID_FIRST_NUMBER
    assert block["last"] - block["first"] + 1 == ID_BLOCK_SIZE
    # the answer was lost: asked again with the same id, the same block, not a second one
    again = _lease(office, request)
    assert again.status_code == 200 and again.json() == block
    # another device may not claim that request's block
    stolen = _lease(venues, request)
    assert stolen.status_code == 409
    blocks = [block]
    for dev in (venues, theirs, office, venues):
        answer = _lease(dev)
        assert answer.status_code == 200, answer.text
        blocks.append(answer.json())
    numbers = [n for b in blocks for n in range(b["first"], b["last"] + 1)]
    assert len(numbers) == len(set(numbers)) == ID_BLOCK_SIZE * len(blocks)


def test_leases_start_above_the_numbers_a_vault_gave_before_enrolment(
    programme: Programme,
) -> None:
    team = programme.team()
    old_laptop = programme.enrol(programme.worker(team))
    new_laptop = programme.enrol(programme.worker(team))
    first = _lease(old_laptop, floor=1350).json()
    assert first["first"] == 1351
    later = _lease(new_laptop, floor=0).json()
    assert later["first"] == first["last"] + 1
    # an absurd floor (a mistake or an attack) does not use up the programme's numbers
    wild = _lease(new_laptop, floor=FLOOR_CAP + 1).json()
    assert wild["first"] == later["last"] + 1


def test_a_device_cannot_drain_the_programmes_ids(programme: Programme) -> None:
    dev = programme.enrol(programme.worker(programme.team()))
    for _ in range(MAX_BLOCKS_PER_DAY):
        assert _lease(dev).status_code == 200
    refused = _lease(dev)
    assert refused.status_code == 403
    assert "too often" in refused.json()["detail"]


def test_a_revoked_or_unknown_device_gets_no_ids(programme: Programme) -> None:
    dev = programme.enrol(programme.worker(programme.team()))
    admin.revoke_device(programme.db, dev.device_id)
    assert _lease(dev).status_code == 401
    stranger = programme.http.post("/v1/ids/lease", json={"request_id": uuid7(), "floor": 0})
    assert stranger.status_code == 401
    bad = dev.http.post(
        "/v1/ids/lease", json={"request_id": "not-a-uuid", "floor": -1}, headers=dev.headers
    )
    assert bad.status_code in (401, 422)


def test_many_devices_asking_at_once_over_a_real_server_get_disjoint_blocks(
    db_url: str, tmp_path: Path
) -> None:
    db = Database(db_url)
    try:
        team = admin.add_team(db, "team-at-once")
        worker = admin.add_worker(db, team, "worker-at-once")
        with running(db_url, tmp_path / "server.log") as url:
            tokens = []
            for _ in range(6):
                code = admin.make_enrol_code(db, worker).code
                answer = httpx.post(
                    f"{url}/v1/enrol", json={"code": code, "device_id": uuid7()}, timeout=10
                )
                assert answer.status_code == 200, answer.text
                tokens.append(answer.json()["token"])
            got: list[tuple[int, int]] = []
            lock = threading.Lock()

            def ask(token: str) -> None:
                with httpx.Client(base_url=url, timeout=30) as http:
                    for _ in range(3):
                        r = http.post(
                            "/v1/ids/lease",
                            json={"request_id": uuid7(), "floor": 0},
                            headers={"Authorization": f"Bearer {token}"},
                        )
                        assert r.status_code == 200, r.text
                        with lock:
                            got.append((r.json()["first"], r.json()["last"]))

            threads = [threading.Thread(target=ask, args=(t,)) for t in tokens]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    finally:
        db.dispose()
    assert len(got) == 18
    numbers = [n for first, last in got for n in range(first, last + 1)]
    assert len(numbers) == len(set(numbers))
