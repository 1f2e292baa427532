"""A hostile device against the real server over HTTP: enrolment, raced.

An enrolment code works once: it is read out over the phone, and a second laptop that
races the worker's own with the same code must not be enrolled beside it unnoticed. A
device id is one worker's: laptops of other workers racing to enrol under it are told so
(409), never met with a server error, and their codes stay usable.
"""

from __future__ import annotations

import threading

import httpx
from server_kit import Programme
from sqlalchemy import func, select

from linksdesk.core.ids import uuid7
from linksdesk.server import admin
from linksdesk.server.models import Device, EnrolCode

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
