"""The FastAPI app factory: ``create_app(db_url)`` (no engine exists until it is called)."""

from __future__ import annotations

import gc
import logging
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from linksdesk.core.logsafe import safe_traceback as _safe_traceback
from linksdesk.server.api.access_log import AccessLog, configure_logging
from linksdesk.server.api.limits import BodySizeLimit
from linksdesk.server.api.routes import router
from linksdesk.server.db import Database, check_ready
from linksdesk.server.errors import NotEnrolled, ServerProblem
from linksdesk.server.problems import unreachable
from linksdesk.sync.protocol import GZIP_MIN_BYTES, PROTOCOL_VERSION

log = logging.getLogger(__name__)

_UNREACHABLE = (
    "The server cannot reach its database just now. Nothing was lost: try again in a few minutes."
)


_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


def _safe_part(part: object) -> str:
    # dict keys come from the request: show them only when they look like a column name
    if isinstance(part, int) or (isinstance(part, str) and _NAME.match(part)):
        return str(part)
    return "(key)"


def _validation_message(exc: RequestValidationError) -> str:
    """Where the request is wrong, in words, without echoing what was sent (it may be content)."""
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(_safe_part(p) for p in err.get("loc", ()) if p != "body")
        msg = str(err.get("msg", "is not valid"))
        parts.append(f"{loc}: {msg}" if loc else msg)
    more = len(exc.errors()) - 3
    text = "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
    return f"The request is not valid ({text})."


def create_app(db_url: str, *, check_schema: bool = True) -> FastAPI:
    """The sync server over the database at ``db_url`` (initialised with ``init``)."""
    db = Database(db_url)
    if check_schema:
        try:
            check_ready(db)
        except Exception:
            db.dispose()
            raise

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        db.dispose()

    app = FastAPI(
        title="LinksDesk sync server",
        version=str(PROTOCOL_VERSION),
        description="Offline-first sync for LinksDesk devices. See linksdesk.sync.protocol.",
        lifespan=lifespan,
    )
    app.state.db = db
    app.include_router(router)

    @app.exception_handler(ServerProblem)
    async def _problem(_request: Request, exc: ServerProblem) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, NotEnrolled) else None
        return JSONResponse({"detail": str(exc)}, status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _validation_message(exc)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            {"detail": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: DBAPIError) -> JSONResponse:
        if unreachable(exc):  # PostgreSQL stopped or restarting: not a bug, and not news
            # a request at a time (no stack: it says nothing the administrator can use)
            log.warning(
                "the database cannot be reached (%s) serving %s",
                type(exc.orig).__name__,
                request.url.path,
            )
            return JSONResponse({"detail": _UNREACHABLE}, status_code=503)
        return await _bug(request, exc)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        # type and frames only: an exception's message can quote values from the request
        log.error("unexpected error serving %s:\n%s", request.url.path, _safe_traceback(exc))
        return JSONResponse(
            {"detail": "The server hit a problem it did not expect. Try again later."},
            status_code=500,
        )

    # answers over 16 KiB gzipped at level 1 for devices that ask (a 190 KiB page shrinks
    # ~12x for ~0.3 ms of CPU: benchmarks/wire.py); gzipped request bodies are opened by
    # BodySizeLimit
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=1)
    app.add_middleware(BodySizeLimit)
    app.add_middleware(AccessLog)  # outermost: refused bodies are logged too
    return app


def tune_collector() -> None:
    """Python's cyclic collector set for a serving process, once its app is made.

    A push batch makes tens of thousands of small objects that live until its answer is
    written; with the default threshold (700 allocations) the collector walks them again
    and again, a fifth of a first sync's server time (benchmarks/server_push.py). What is
    alive now (modules, the app, its models) is frozen out of the collector's walks, and a
    young collection runs every 10,000 allocations: cycles are still collected, a few
    milliseconds later.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def serving_app(db_url: str) -> FastAPI:
    """The app a serving process runs: made, then the collector set for serving."""
    app = create_app(db_url)
    tune_collector()
    return app


def app_from_environment() -> FastAPI:
    """The app in each of several ``serve --workers N`` processes (uvicorn calls this).

    ``serve`` passes the database address and logging choices in the environment.
    """
    from linksdesk.server.config import ENV_DB, resolve_db_url

    configure_logging(os.environ.get(ENV_LOG_LEVEL, "info"), os.environ.get(ENV_LOG_FORMAT, "text"))
    return serving_app(resolve_db_url(os.environ.get(ENV_DB)))


ENV_LOG_LEVEL = "LINKSDESK_SERVER_LOG_LEVEL"
ENV_LOG_FORMAT = "LINKSDESK_SERVER_LOG_FORMAT"
