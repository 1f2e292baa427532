"""Structured access log: one JSON object per request, with no personal data.

Written instead of uvicorn's own access line, which carries the client's address and the
query string. Each line says what was asked and how it went: method, route, status,
duration, bytes in and out, the serving process and a request id (also sent back as
``X-Request-Id`` so a worker's report can be matched to a line). Never the client address,
headers (the bearer token), or bodies (case records).
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from linksdesk.core.logs import SafeFormatter

log = logging.getLogger("linksdesk.server.access")


class AccessLog:
    """Pure ASGI middleware (it sees the status and sizes without buffering the body)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.pid = os.getpid()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = uuid.uuid4().hex[:16]
        sizes = {"in": 0, "out": 0}
        status = {"code": 500}

        async def counting_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                sizes["in"] += len(message.get("body", b""))
            return message

        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = int(message["status"])
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                sizes["out"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, counting_receive, counting_send)
        finally:
            # the matched route's template (set by the router), never the path as sent: a
            # scanner's made-up path could carry anything, so unmatched ones are "other"
            route = scope.get("route")
            path = getattr(route, "path", None) if route is not None else None
            entry: dict[str, Any] = {
                "event": "request",
                "request_id": request_id,
                "method": str(scope.get("method", "")),
                "path": str(path) if path else "other",
                "status": status["code"],
                "ms": round((time.perf_counter() - started) * 1000, 1),
                "bytes_in": sizes["in"],
                "bytes_out": sizes["out"],
                "pid": self.pid,
            }
            log.info("%s", json.dumps(entry, sort_keys=True))


class JsonFormatter(logging.Formatter):
    """Every log line as one JSON object (for log collectors); access lines stay nested."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        doc: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
        }
        if record.name == log.name:
            doc.update(json.loads(message))
        else:
            doc["message"] = message
        return json.dumps(doc, sort_keys=True)


def configure_logging(level: str = "info", fmt: str = "text") -> None:
    """The server process's logging: plain lines, or one JSON object a line (``json``)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "linksdesk_server", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler()
    handler.linksdesk_server = True  # type: ignore[attr-defined]
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        # exceptions as type and frames only (uvicorn's own report of one quoted its message)
        handler.setFormatter(SafeFormatter(others_values=True))
    root.addHandler(handler)
    root.setLevel(level.upper())
    logging.getLogger("httpx").setLevel(logging.WARNING)
