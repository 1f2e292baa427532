"""The pull fetches page N+1 while the writer applies page N, and still applies pages in order,
each with its cursor; a failure while fetching, applying or cancelling keeps every page
before it and nothing after it.

A fresh laptop of the worker pulls a caseload another laptop pushed, in small pages, through
a proxy on 127.0.0.1 that keeps every page the server sent and can cut the pulls off.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sync_kit import Dev, ServerProcess, _forward, _read_message, pushed_caseload

from linksdesk.core.errors import ServerUnreachableError
from linksdesk.storage.tables import TABLE_BY_NAME
from linksdesk.sync import state
from linksdesk.sync.transport import SyncCancelled

PAGE = 6
PEOPLE = 10  # a participant, a consent and a contact each: 5 pages of 6


class PullWatch:
    """A proxy that passes requests through, keeps each pull page the server answered, and
    from the ``cut_from``-th pull request on closes the connection instead (offline)."""

    def __init__(self, upstream_port: int, cut_from: int | None = None) -> None:
        self.upstream_port = upstream_port
        self.cut_from = cut_from
        self.pages: list[dict[str, Any]] = []  # answered pull pages, in order
        self.asked = 0  # pull requests seen (retries too)
        self.seen = threading.Condition()
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._stop = threading.Event()
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    def close(self) -> None:
        self._stop.set()
        self._acceptor.join(timeout=5)
        self._sock.close()

    def wait_asked(self, n: int, timeout: float = 10.0) -> bool:
        """Whether the laptop has asked for ``n`` pull pages within ``timeout``."""
        with self.seen:
            return self.seen.wait_for(lambda: self.asked >= n, timeout)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        buf = b""
        try:
            while not self._stop.is_set():
                request, buf = _read_message(conn, buf)
                if request is None:
                    return
                pull = request.startswith(b"POST /v1/pull ")
                if pull:
                    with self.seen:
                        self.asked += 1
                        asked = self.asked
                        self.seen.notify_all()
                    if self.cut_from is not None and asked >= self.cut_from:
                        return  # the network went away: the laptop sees a closed connection
                response = _forward(self.upstream_port, request)
                if response is None:
                    return
                if pull:
                    self.pages.append(json.loads(response.split(b"\r\n\r\n", 1)[1]))
                conn.sendall(response)
        except OSError:
            return
        finally:
            conn.close()


@pytest.fixture
def caseload(shared_server: ServerProcess, devices: Callable[[str], Dev]) -> tuple[Dev, str]:
    """A worker whose first laptop has pushed ``PEOPLE`` participants (and the worker)."""
    first = devices("laptop-a")
    return first, pushed_caseload(shared_server, first, PEOPLE)


@pytest.fixture
def fresh(
    shared_server: ServerProcess, devices: Callable[[str], Dev], caseload: tuple[Dev, str]
) -> Iterator[Callable[[int | None], tuple[Dev, PullWatch]]]:
    """A new laptop of the same worker, talking to the server through a ``PullWatch``."""
    made: list[PullWatch] = []

    def make(cut_from: int | None) -> tuple[Dev, PullWatch]:
        dev = devices(f"laptop-new-{len(made)}")
        dev.enrol(shared_server, caseload[1])
        watch = PullWatch(shared_server.port, cut_from)
        made.append(watch)
        with dev.store.write() as tx:
            state.put(tx.session, state.SERVER_URL, watch.url)
        return dev, watch

    yield make
    for watch in made:
        watch.close()


def _cursor(dev: Dev) -> int:
    with dev.store.read() as s:
        return int(state.get(s, state.CURSOR, 0) or 0)


def _held(dev: Dev, page: dict[str, Any]) -> list[bool]:
    """For each change of a pulled page, whether its row is in the vault."""
    with dev.store.read() as s:
        return [
            s.scalar(select(TABLE_BY_NAME[ch["table"]].id).where(
                TABLE_BY_NAME[ch["table"]].id == ch["row_id"]
            )) is not None
            for ch in page["changes"]
        ]  # fmt: skip


def _holds_exactly(dev: Dev, pages: list[dict[str, Any]], through: int) -> None:
    """Pages before ``through`` are wholly in the vault with the last one's cursor; no row
    of a page from ``through`` on is."""
    for i, page in enumerate(pages):
        held = _held(dev, page)
        assert held == [i < through] * len(held), (i, through, held)
    assert _cursor(dev) == (pages[through - 1]["next_cursor"] if through else 0)


def test_pages_apply_in_order_with_their_cursor_while_the_next_is_fetched(
    fresh: Callable[[int | None], tuple[Dev, PullWatch]],
) -> None:
    dev, watch = fresh(None)
    at_received: list[int] = []  # the committed cursor as each page is about to apply
    early: list[bool] = []

    def look(point: str) -> None:
        if point == "pull:received":
            at_received.append(_cursor(dev))
        elif point == "pull:before-commit" and len(early) < 3:
            # page N is not committed yet: the laptop asks for page N+1 all the same
            early.append(watch.wait_asked(len(early) + 2))

    report = dev.client(page_size=PAGE, checkpoint=look).sync()
    assert report.verified, report.message

    pages = watch.pages
    assert len(pages) >= 4 and all(len(p["changes"]) <= PAGE for p in pages)
    assert early == [True, True, True]
    # when page k was about to be applied, pages before it had committed, cursor and all
    assert at_received == [0] + [p["next_cursor"] for p in pages[:-1]]
    seqs = [ch["server_seq"] for p in pages for ch in p["changes"]]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    _holds_exactly(dev, pages, len(pages))
    assert report.pulled == sum(len(p["changes"]) for p in pages)


def test_a_failed_fetch_of_the_next_page_keeps_the_page_before_and_nothing_after(
    fresh: Callable[[int | None], tuple[Dev, PullWatch]],
) -> None:
    dev, watch = fresh(3)  # pages 1 and 2 arrive; page 3 never does
    with pytest.raises(ServerUnreachableError):
        dev.client(page_size=PAGE).sync()
    assert len(watch.pages) == 2 and watch.pages[-1]["has_more"]
    _holds_exactly(dev, watch.pages, 2)

    # nothing lost: the next sync carries on from page 3 and ends up with everything
    watch.cut_from = None
    assert dev.client(page_size=PAGE).sync().verified
    assert watch.pages[2]["changes"][0]["server_seq"] > watch.pages[1]["changes"][-1]["server_seq"]
    _holds_exactly(dev, watch.pages, len(watch.pages))


def test_a_page_that_fails_to_apply_leaves_the_fetched_next_page_unapplied(
    fresh: Callable[[int | None], tuple[Dev, PullWatch]],
) -> None:
    dev, watch = fresh(None)
    commits = [0]

    class Broken(Exception):
        pass

    def fail_second(point: str) -> None:
        if point == "pull:before-commit":
            commits[0] += 1
            if commits[0] == 2:
                assert watch.wait_asked(3)  # page 3 is on its way while page 2 fails
                raise Broken()

    with pytest.raises(Broken):
        dev.client(page_size=PAGE, checkpoint=fail_second).sync()
    assert len(watch.pages) >= 3
    _holds_exactly(dev, watch.pages, 1)


def test_a_cancel_while_a_page_applies_keeps_that_page_and_drops_the_fetched_next(
    fresh: Callable[[int | None], tuple[Dev, PullWatch]],
) -> None:
    dev, watch = fresh(None)
    cancel = threading.Event()
    commits = [0]

    def cancel_in_second(point: str) -> None:
        if point == "pull:before-commit":
            commits[0] += 1
            if commits[0] == 2:
                assert watch.wait_asked(3)
                cancel.set()  # the worker presses Stop while page 2 is being written

    with pytest.raises(SyncCancelled):
        dev.client(page_size=PAGE, checkpoint=cancel_in_second).sync(cancel=cancel)
    assert len(watch.pages) >= 3
    _holds_exactly(dev, watch.pages, 2)
