"""A laptop asks for pull pages no larger than its server says it serves (an older server
serves 1,000 at most and refuses more), and a current server's pages are the protocol's
largest, so a first pull commits few times."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sync_kit import Dev, ServerProcess, pushed_caseload

from linksdesk.sync import transport
from linksdesk.sync.protocol import MAX_PULL_LIMIT, HandshakeResponse, PullRequest, PullResponse

PEOPLE = 6  # a participant and a contact each, and the worker's own rows
ANSWER_BYTES = 6 * 1024  # pages of a few changes


def _fresh_laptop(server: ServerProcess, devices: Callable[[str], Dev]) -> Dev:
    """A laptop enrolled for a worker whose other laptop has pushed a caseload."""
    worker = pushed_caseload(server, devices("laptop-a"), PEOPLE)
    fresh = devices("laptop-new")
    fresh.enrol(server, worker)
    return fresh


def _watch(monkeypatch: pytest.MonkeyPatch, served: int | None) -> list[tuple[int, int]]:
    """Keep (limit asked, changes answered) of each pull; with ``served``, the handshake
    says the server serves pages of that size at most, as an older server would."""
    original = transport.Transport.post
    pulls: list[tuple[int, int]] = []

    def post(self: Any, endpoint: str, body: Any, answer: Any) -> Any:
        got = original(self, endpoint, body, answer)
        if isinstance(got, HandshakeResponse) and served is not None:
            got = got.model_copy(update={"max_pull_limit": served})
        if isinstance(body, PullRequest) and isinstance(got, PullResponse):
            pulls.append((body.limit, len(got.changes)))
        return got

    monkeypatch.setattr(transport.Transport, "post", post)
    return pulls


def test_a_laptop_asks_no_more_than_the_server_serves(
    shared_server: ServerProcess,
    devices: Callable[[str], Dev],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fresh = _fresh_laptop(shared_server, devices)
    pulls = _watch(monkeypatch, served=4)
    report = fresh.sync()  # the client's own page size is the protocol's largest
    assert report.verified, report.message
    assert len(pulls) >= 4
    assert all(limit == 4 and got <= 4 for limit, got in pulls)
    assert report.pulled == sum(got for _, got in pulls) >= 2 * PEOPLE


def test_a_fresh_laptop_pulls_in_the_largest_pages_served(
    shared_server: ServerProcess,
    devices: Callable[[str], Dev],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert MAX_PULL_LIMIT >= 5000  # a first pull of 20,000 records: 5 commits, not 21
    fresh = _fresh_laptop(shared_server, devices)
    pulls = _watch(monkeypatch, served=None)
    report = fresh.sync()
    assert report.verified, report.message
    assert pulls and all(limit == MAX_PULL_LIMIT for limit, _ in pulls)
    assert report.pulled == sum(got for _, got in pulls) >= 2 * PEOPLE


def test_a_page_too_large_to_read_is_asked_for_again_in_halves(
    shared_server: ServerProcess,
    devices: Callable[[str], Dev],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fresh = _fresh_laptop(shared_server, devices)
    pulls = _watch(monkeypatch, served=None)
    # the laptop reads less than a page of the whole caseload, as it would a page of long
    # case notes past protocol.MAX_ANSWER_BYTES; every other answer, and each change, fits
    monkeypatch.setattr(transport, "MAX_ANSWER_BYTES", ANSWER_BYTES)
    report = fresh.sync()
    assert report.verified, report.message
    assert len(pulls) >= 3 and all(limit < MAX_PULL_LIMIT for limit, _ in pulls)
    assert report.pulled == sum(got for _, got in pulls) >= 2 * PEOPLE
    assert fresh.sync().verified  # and the next sync goes on from there
