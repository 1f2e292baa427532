"""ASGI guard that refuses request bodies over the protocol's size limit with 413, and opens
gzipped ones (``Content-Encoding: gzip``, which devices send over real links) within it."""

from __future__ import annotations

import json
import zlib
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from linksdesk.sync.protocol import MAX_BODY_BYTES


class BodySizeLimit:
    """Reads the body first (up to the limit), so the app never sees an oversized one."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await _too_large(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                await _too_large(send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        whole = b"".join(chunks)
        encoding = _header(scope, b"content-encoding")
        if encoding is not None and encoding.strip().lower() != b"identity":
            if encoding.strip().lower() != b"gzip":
                await _refuse(send, 415, "The request body's encoding is not gzip.")
                return
            # the limit holds for what the body opens to, so a small bomb cannot get past it
            unzip = zlib.decompressobj(wbits=31)
            try:
                opened = unzip.decompress(whole, self.max_bytes + 1)
                if len(opened) > self.max_bytes or unzip.unconsumed_tail:
                    await _too_large(send)
                    return
                if not unzip.eof or unzip.unused_data:
                    raise zlib.error("not one whole gzip member")
            except zlib.error:
                await _refuse(send, 400, "The request body is not valid gzip.")
                return
            whole = opened
            headers = [
                (k, v)
                for k, v in scope.get("headers", [])
                if k not in (b"content-encoding", b"content-length")
            ]
            scope = {**scope, "headers": [*headers, (b"content-length", b"%d" % len(whole))]}
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": whole, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _header(scope: Scope, wanted: bytes) -> bytes | None:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return bytes(value)
    return None


def _content_length(scope: Scope) -> int | None:
    value = _header(scope, b"content-length")
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


async def _too_large(send: Send) -> None:
    await _refuse(send, 413, f"The request is larger than {MAX_BODY_BYTES // (1024 * 1024)} MB.")


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers: list[Any] = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
