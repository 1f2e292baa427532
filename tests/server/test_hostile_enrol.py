"""A hostile device against the real server over HTTP: enrolment, raced.

An enrolment code works once: it is read out over the phone, and a second laptop that
races the worker's own with the same code must not be enrolled beside it unnoticed. A
device id is one worker's: laptops of other workers racing to enrol under it are told so
(409), never met with a server error, and their codes stay usable. A revoked laptop stays
revoked, whatever code it brings.
"""

from __future__ import annotations

import threading

import httpx
from server_kit import Programme
from sqlalchemy import func, select

from linksdesk.core.ids import uuid7
from linksdesk.server import admin, bundles
from linksdesk.server.models import Device, EnrolCode
from linksdesk.sync.bundle.signing import SigningKey
from linksdesk.sync.protocol import PROTOCOL_VERSION, SCHEMA_VERSION

RACERS = 6


def _race(url: str, bodies: list[dict[str, str]]) -> list[int]:
    """The answers to laptops sending ``bodies`` to enrol at the same moment."""
    start = threading.Barrier(len(bodies))
    answers: list[int] = []

    def enrol(body: dict[str, str]) -> None:
        with httpx.Client(base_url=url, timeout=30) as http:
            start.wait()
            answers.append(http.post("/v1/enrol", json=body).status_code)

    racers = [threading.Thread(target=enrol, args=(body,)) for body in bodies]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    return sorted(answers)


def test_a_code_used_by_several_laptops_at_once_enrols_one(served: Programme) -> None:
    worker = served.worker(served.team())
    for trial in range(1, 6):
        code = admin.make_enrol_code(served.db, worker).code
        answers = _race(str(served.http.base_url), [{"code": code}] * RACERS)
        assert answers == [200] + [401] * (RACERS - 1), answers
        with served.db.reading() as s:
            enrolled = s.scalar(select(func.count()).where(Device.worker_id == worker))
        assert enrolled == trial


def test_laptops_of_several_workers_racing_for_one_device_id_are_told_not_failed(
    served: Programme,
) -> None:
    team = served.team()
    for _ in range(3):
        device_id = uuid7()
        codes = [admin.make_enrol_code(served.db, served.worker(team)).code for _ in range(RACERS)]
        bodies = [{"code": code, "device_id": device_id} for code in codes]
        answers = _race(str(served.http.base_url), bodies)
        assert answers == [200] + [409] * (RACERS - 1), answers
        with served.db.reading() as s:
            assert s.scalar(select(func.count()).where(Device.id == device_id)) == 1
            used = set(s.scalars(select(EnrolCode.code_hash).where(EnrolCode.used_ms.is_not(None))))
        assert len(used & {admin.sha256_hex(admin.normalise_code(c)) for c in codes}) == 1


def test_a_revoked_laptop_stays_revoked_and_its_key_off_the_roster(served: Programme) -> None:
    """An administrator revoked a lost laptop: a new code must not bring it back under its
    old id, and its signing key (which whoever has the laptop holds) vouches for no one."""
    team = served.team()
    worker = served.worker(team)
    key = SigningKey.generate().public.line

    def enrol(device_id: str) -> httpx.Response:
        code = admin.make_enrol_code(served.db, worker).code
        body = {"code": code, "device_id": device_id, "signing_key": key}
        return served.http.post("/v1/enrol", json=body)

    lost, restored = uuid7(), uuid7()  # the worker's vault, restored onto a second laptop
    token = enrol(lost).json()["token"]
    assert enrol(restored).status_code == 200
    admin.revoke_device(served.db, lost)

    again = enrol(lost)
    assert again.status_code == 410, again.text
    assert "revoked" in again.json()["detail"] and "new laptop" in again.json()["detail"]
    refused = served.http.post(
        "/v1/handshake",
        json={
            "protocol_version": PROTOCOL_VERSION,
            "schema_version": SCHEMA_VERSION,
            "device_id": lost,
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    assert refused.status_code == 401
    later = enrol(uuid7())  # a new laptop enrols, but the lost one's key is not kept for it
    assert later.status_code == 200, later.text
    with served.db.reading() as s:
        assert s.get(Device, lost).revoked_ms is not None  # type: ignore[union-attr]
        assert s.get(Device, later.json()["device_id"]).signing_key is None  # type: ignore[union-attr]
        unused = s.scalar(select(func.count()).where(EnrolCode.used_ms.is_(None)))
    assert unused == 1  # the refused code is still good
    signers = bundles.roster(served.db, team)["roster"]["signers"]
    assert [s["public_key"] for s in signers if s["public_key"] == key] == []
