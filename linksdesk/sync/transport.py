"""HTTP to the sync server: one client per sync, retries with capped backoff, plain errors.

The device token travels only in the Authorization header; it is never logged and never
part of an error message. Only ids, paths and status codes reach the log.
"""

from __future__ import annotations

import gzip
import ipaddress
import json
import logging
import random
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpcore
import httpx
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from linksdesk.core.errors import ServerUnreachableError, SyncAuthError, SyncError
from linksdesk.sync.protocol import API_PREFIX, GZIP_MIN_BYTES, MAX_ANSWER_BYTES

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

NOT_ENROLLED = (
    "This laptop is no longer enrolled with the sync server (it may have been revoked). "
    "Ask your programme administrator for a new enrolment code; your work stays safe here."
)
RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
NOT_UNDERSTOOD = (
    "The sync server's answer was not understood — it may be the wrong address or a Wi-Fi "
    "sign-in page. Check the address with your programme administrator (File › Set up sync "
    "again… changes it); your work is saved on this laptop."
)
TOO_LARGE = (
    "The sync server sent an answer larger than this laptop takes in, so the sync stopped "
    "here. Your work and everything received so far are saved on this laptop; sync again "
    "later, and tell your programme administrator if it happens again."
)
# the server answers these on no request it serves: only an address where it is not (a
# path it is not at: a proxy's folder, the API's "/v1" pasted in), whatever the body says
NOT_THERE_STATUS = frozenset({404, 405})
NOT_THERE = (
    "There is no LinksDesk sync server at {url} (it answered {status}). Check the address "
    "with your programme administrator (File › Set up sync again… changes it); your work "
    "is saved on this laptop."
)
DEFAULT_TIMEOUT_S = 30.0  # the longest one request may take, retries included
# what of a refusal's body is read for its message (a server's own detail is a sentence)
DETAIL_BYTES = 64 * 1024


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address, as in a URL) is this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def unreachable(url: str) -> ServerUnreachableError:
    return ServerUnreachableError(
        f"Cannot reach the sync server at {url}. Your work is saved on this laptop and "
        "will sync when the server can be reached."
    )


@dataclass(frozen=True)
class Backoff:
    """Capped exponential backoff with jitter: delay n is min(cap, base * 2**n) * [0.5, 1]."""

    attempts: int = 5
    base_s: float = 0.2
    cap_s: float = 5.0

    def delay(self, attempt: int) -> float:
        full = min(self.cap_s, self.base_s * float(2**attempt))
        return full * (0.5 + random.random() / 2)


class AnswerNotUnderstood(SyncError):
    """Something answered, but not as the sync server does (HTML, a redirect, other JSON)."""

    def __init__(self) -> None:
        super().__init__(NOT_UNDERSTOOD)


class AnswerTooLarge(SyncError):
    """The answer (opened, if gzipped) is larger than ``MAX_ANSWER_BYTES``: not read further."""

    def __init__(self) -> None:
        super().__init__(TOO_LARGE)


class _Garbled(Exception):
    """A body that does not open as its Content-Encoding says (gzip cut short or broken, or
    an encoding the server never sends)."""


class RequestRefused(SyncError):
    """The server answered 4xx (other than 401): the request itself cannot be served."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class _Budget(threading.local):
    """When the request this thread is making must be done by (``time.monotonic()``)."""

    deadline: float | None = None


class _BudgetStream(httpcore.NetworkStream):
    """A connection on which every read and write waits no longer than the request's budget
    has left. httpx's timeouts bound each wait alone: a server that drips its answer a byte
    at a time (a status line, a header, a body) would otherwise hold a sync for as long as
    it drips, however short the budget, and no cancel is looked at meanwhile."""

    def __init__(self, inner: httpcore.NetworkStream, budget: _Budget) -> None:
        self._inner = inner
        self._budget = budget

    def _wait(self, timeout: float | None, late: type[Exception]) -> float | None:
        deadline = self._budget.deadline
        if deadline is None:
            return timeout
        left = deadline - time.monotonic()
        if left <= 0:
            raise late("the request's time is up")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._wait(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._wait(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        wait = self._wait(timeout, httpcore.ConnectTimeout)
        inner = self._inner.start_tls(ssl_context, server_hostname, wait)
        return _BudgetStream(inner, self._budget)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _BudgetBackend(httpcore.NetworkBackend):
    """httpcore's own sockets, as :class:`_BudgetStream` connections."""

    def __init__(self, budget: _Budget) -> None:
        self._inner = httpcore.SyncBackend()
        self._budget = budget

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return _BudgetStream(stream, self._budget)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_unix_socket(path, timeout, socket_options)
        return _BudgetStream(stream, self._budget)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _budgeted(client: httpx.Client, budget: _Budget) -> None:
    """Give every connection pool of ``client`` (its own, and a proxy's from the
    environment) the budget's sockets. httpx takes no network backend of its own, so its
    pools' is set here (httpcore's pools take one; the tests of a dripping server fail
    if this stops reaching them)."""
    for mounted in (client._transport, *client._mounts.values()):
        pool = getattr(mounted, "_pool", None)
        if pool is not None:
            pool._network_backend = _BudgetBackend(budget)


_tls: ssl.SSLContext | None = None


def _tls_context() -> ssl.SSLContext:
    """One verifying TLS context for the process (building one reads the CA bundle)."""
    global _tls
    if _tls is None:
        _tls = httpx.create_ssl_context()
    return _tls


class Transport:
    """Posts protocol models to the server and parses its answers, retrying what may pass."""

    def __init__(
        self,
        server_url: str,
        token: str | None = None,
        *,
        backoff: Backoff | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        sleep: Callable[[float], None] = time.sleep,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self.backoff = backoff or Backoff()
        self.timeout_s = timeout_s
        self._sleep = sleep
        self._cancelled = cancelled or (lambda: False)
        headers = {"User-Agent": "LinksDesk"}
        # gzip both ways (bodies over GZIP_MIN_BYTES) over any real link. Not to a server on
        # this machine: only tests and benchmarks sync over 127.0.0.1, and the tests' fault
        # proxy searches the plain traffic for canaries (gzip was 0.81x there all the same:
        # benchmarks/wire.py)
        self.gzip = not is_loopback(httpx.URL(self.server_url).host)
        headers["Accept-Encoding"] = "gzip" if self.gzip else "identity"  # what _body opens
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(
            base_url=self.server_url,
            headers=headers,
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 5.0)),
            verify=_tls_context(),
            # never: a redirect would take the device's token to wherever it points (a
            # portal, another host); an answer 3xx is told as not understood
            follow_redirects=False,
        )
        self._budget = _Budget()
        _budgeted(self._http, self._budget)
        self.requests = 0  # how many HTTP requests were made (for reports and benchmarks)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def post(self, endpoint: str, body: BaseModel | bytes | None, answer: type[M]) -> M:
        """POST ``body`` (a model, or its JSON made already) to ``/v1/<endpoint>``; the same
        bytes are resent on every retry."""
        if isinstance(body, BaseModel):
            content = body.model_dump_json().encode()
        else:
            content = b"{}" if body is None else body
        headers = {"Content-Type": "application/json"}
        if self.gzip and len(content) >= GZIP_MIN_BYTES:
            content = gzip.compress(content, compresslevel=1, mtime=0)
            headers["Content-Encoding"] = "gzip"
        path = f"{API_PREFIX}/{endpoint}"
        # one budget for the request and its retries: a server that never answers is
        # given up on within timeout_s, not timeout_s per attempt
        deadline = time.monotonic() + self.timeout_s
        self._budget.deadline = deadline  # every wait on the connection too (this thread's)
        try:
            return self._attempts(path, content, headers, answer, deadline)
        finally:
            self._budget.deadline = None

    def _attempts(
        self, path: str, content: bytes, headers: dict[str, str], answer: type[M], deadline: float
    ) -> M:
        last: Exception | None = None
        for attempt in range(self.backoff.attempts):
            if attempt:
                wait = self.backoff.delay(attempt - 1)
                if time.monotonic() + wait >= deadline:
                    break
                log.info("retrying %s in %.2f s (attempt %d)", path, wait, attempt + 1)
                self._sleep(wait)
            if self._cancelled():
                raise SyncCancelled()
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                self.requests += 1
                request = self._http.build_request(
                    "POST",
                    path,
                    content=content,
                    headers=headers,
                    timeout=httpx.Timeout(left, connect=min(left, 5.0)),
                )
                resp = self._http.send(request, stream=True)
                try:
                    body = _body(resp)
                finally:
                    resp.close()  # unread: the connection is dropped, not drained
            except httpx.TransportError as exc:
                # refused, reset, timed out or cut short: the request may or may not have
                # been served; every request is safe to repeat (push is idempotent by key)
                log.info("%s: transport error %s", path, type(exc).__name__)
                last = exc
                continue
            except _Garbled:
                log.info("%s: answered %d, a body that does not open", path, resp.status_code)
                last = _Garbled()
                continue
            if resp.status_code in RETRY_STATUS:
                log.info("%s: server answered %d", path, resp.status_code)
                last = RequestRefused(resp.status_code, _detail(resp.status_code, body))
                continue
            if resp.status_code == 401:
                raise SyncAuthError(NOT_ENROLLED)
            if resp.status_code in NOT_THERE_STATUS:
                log.info("%s: answered %d", path, resp.status_code)
                message = NOT_THERE.format(url=self.server_url, status=resp.status_code)
                raise RequestRefused(resp.status_code, message)
            if resp.status_code >= 400:
                raise RequestRefused(resp.status_code, _detail(resp.status_code, body))
            if resp.status_code >= 300 or not resp.headers.get("content-type", "").startswith(
                "application/json"
            ):
                # a redirect or a web page: a proxy, a login portal or another site
                log.info("%s: answered %d %s", path, resp.status_code, _kind(resp))
                raise AnswerNotUnderstood()
            if body is None:
                log.info("%s: answer over %d bytes not read", path, MAX_ANSWER_BYTES)
                raise AnswerTooLarge()
            try:
                return answer.model_validate_json(body)
            except PydanticValidationError as exc:
                # a body cut short on the way may be a transport fault: try again, and say
                # "not understood" if it never reads as the server's answer
                log.info("%s: unreadable answer (%d bytes)", path, len(body))
                last = exc
                continue
        if isinstance(last, PydanticValidationError | _Garbled):
            raise AnswerNotUnderstood() from None
        if isinstance(last, RequestRefused):
            raise SyncError(
                f"The sync server is having problems (it answered {last.status}). "
                "Your work is saved on this laptop; sync again later."
            ) from None
        raise unreachable(self.server_url) from None


class SyncCancelled(SyncError):
    def __init__(self) -> None:
        super().__init__("Sync stopped. Nothing was lost; it carries on from here next time.")


def _kind(resp: httpx.Response) -> str:
    """What kind of body came back, for the log (never the body itself)."""
    return str(resp.headers.get("content-type", "no content type")).split(";")[0][:40]


def _body(resp: httpx.Response) -> bytes | None:
    """The answer's body, opened if gzipped; None when it would be larger than the answer
    may be (``MAX_ANSWER_BYTES``; a refusal's, ``DETAIL_BYTES``): it is not read on.

    httpx would open a gzipped body whole, whatever it opens to (a small file can open to
    gigabytes), so the raw bytes are read and opened here, a bounded piece at a time."""
    limit = DETAIL_BYTES if resp.status_code >= 300 else MAX_ANSWER_BYTES
    encoding = resp.headers.get("content-encoding", "").strip().lower()
    if encoding not in ("", "identity", "gzip"):
        raise _Garbled()  # not the server's: it sends gzip, or the body as it is
    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    unzip = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding == "gzip" else None
    body = bytearray()
    for raw in resp.iter_raw():
        if unzip is None:
            body += raw
        else:
            try:
                body += unzip.decompress(raw, limit + 1 - len(body))
            except zlib.error:
                raise _Garbled() from None
            if unzip.unconsumed_tail:
                return None  # opens to more than limit + 1 bytes
        if len(body) > limit:
            return None
    if unzip is not None and not unzip.eof:
        raise _Garbled()
    return bytes(body)


def _detail(status: int, body: bytes | None) -> str:
    try:
        data: Any = json.loads(body or b"")
    except (ValueError, RecursionError):  # (JSON nested deeper than the decoder goes)
        return f"The sync server answered {status}."
    if isinstance(data, dict) and isinstance(data.get("detail"), str):
        return str(data["detail"])
    return f"The sync server answered {status}."
