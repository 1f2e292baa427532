"""A hostile device against the real server over HTTP: one enrolment code, raced.

An enrolment code works once: it is read out over the phone, and a second laptop that
races the worker's own with the same code must not be enrolled beside it unnoticed.
"""

from __future__ import annotations

import threading

import httpx
from server_kit import Programme
from sqlalchemy import func, select

from linksdesk.server import admin
from linksdesk.server.models import Device

RACERS = 6


def _race(url: str, code: str) -> list[int]:
    """The answers to ``RACERS`` laptops sending ``code`` at the same moment."""
    start = threading.Barrier(RACERS)
    answers: list[int] = []

    def enrol() -> None:
        with httpx.Client(base_url=url, timeout=30) as http:
            start.wait()
            answers.append(http.post("/v1/enrol", json={"code": code}).status_code)

    racers = [threading.Thread(target=enrol) for _ in range(RACERS)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    return sorted(answers)


def test_a_code_used_by_several_laptops_at_once_enrols_one(served: Programme) -> None:
    worker = served.worker(served.team())
    for trial in range(1, 6):
        code = admin.make_enrol_code(served.db, worker).code
        answers = _race(str(served.http.base_url), code)
        assert answers == [200] + [401] * (RACERS - 1), answers
        with served.db.reading() as s:
            enrolled = s.scalar(select(func.count()).where(Device.worker_id == worker))
        assert enrolled == trial
