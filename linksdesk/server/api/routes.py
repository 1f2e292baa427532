"""The sync endpoints (see linksdesk.sync.protocol for the models)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from linksdesk.server import admin, ids
from linksdesk.server.api.body import ModelBodyRoute
from linksdesk.server.api.deps import DbDep, DeviceDep
from linksdesk.server.sync import handshake as handshake_step
from linksdesk.server.sync import pull as pull_step
from linksdesk.server.sync import push as push_step
from linksdesk.server.sync import verify as verify_step
from linksdesk.sync.protocol import (
    API_PREFIX,
    EnrolPreviewRequest,
    EnrolPreviewResponse,
    EnrolRequest,
    EnrolResponse,
    ErrorBody,
    HandshakeRequest,
    HandshakeResponse,
    IdLeaseRequest,
    IdLeaseResponse,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    VerifyResponse,
)

_ERRORS: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorBody, "description": "The request cannot be served"},
    401: {"model": ErrorBody, "description": "Not enrolled, or revoked"},
    409: {"model": ErrorBody, "description": "Versions or ids do not match"},
    413: {"model": ErrorBody, "description": "The request body is too large"},
    422: {"model": ErrorBody, "description": "The request is not valid"},
}

log = logging.getLogger(__name__)

# bodies read in one step by pydantic (api/body.py); the schema is unchanged
router = APIRouter(prefix=API_PREFIX, responses=_ERRORS, route_class=ModelBodyRoute)


@router.get(
    "/health",
    tags=["meta"],
    responses={503: {"model": ErrorBody, "description": "The database cannot be reached"}},
)
def health(db: DbDep) -> Any:
    """For the reverse proxy and monitoring: 200 when this process can reach its database."""
    try:
        with db.reading() as s:
            s.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to reach the database is "unavailable"
        log.warning("health check: database unreachable (%s)", type(exc).__name__)
        return JSONResponse({"detail": "The server cannot reach its database."}, status_code=503)
    return {"status": "ok"}


@router.post(
    "/enrol",
    response_model=EnrolResponse,
    tags=["devices"],
    responses={410: {"model": ErrorBody, "description": "The device id was revoked"}},
)
def enrol(body: EnrolRequest, db: DbDep) -> EnrolResponse:
    return admin.enrol(db, body)


@router.post("/enrol/preview", response_model=EnrolPreviewResponse, tags=["devices"])
def preview_enrol(body: EnrolPreviewRequest, db: DbDep) -> EnrolPreviewResponse:
    """Whose a code is (the worker's and team's names), asked before it is used; the code
    stays unused, and is refused as ``/enrol`` refuses it."""
    return admin.preview_enrol(db, body)


@router.post("/handshake", response_model=HandshakeResponse, tags=["sync"])
def handshake(body: HandshakeRequest, db: DbDep, device: DeviceDep) -> HandshakeResponse:
    return handshake_step.handshake(db, device, body)


@router.post("/push", response_model=PushResponse, tags=["sync"])
def push(body: PushRequest, db: DbDep, device: DeviceDep) -> Response:
    # the answer is the step's own model: written as its JSON once, not dumped to a dict,
    # checked against PushResponse again and dumped a second time by FastAPI
    answer = push_step.push(db, device, body)
    return Response(answer.model_dump_json(), media_type="application/json")


@router.post("/pull", response_model=PullResponse, tags=["sync"])
def pull(body: PullRequest, db: DbDep, device: DeviceDep) -> Response:
    # the page is written as PullResponse's JSON by the step itself (from the log's text)
    page, last = pull_step.pull_page(db, device, body)
    if last:
        admin.note_synced(db, device)
    return Response(page, media_type="application/json")


@router.post("/verify", response_model=VerifyResponse, tags=["sync"])
def verify(db: DbDep, device: DeviceDep) -> VerifyResponse:
    answer = verify_step.verify(db, device)
    admin.note_synced(db, device)
    return answer


@router.post(
    "/ids/lease",
    response_model=IdLeaseResponse,
    tags=["sync"],
    responses={403: {"model": ErrorBody, "description": "Too many blocks asked for today"}},
)
def lease_ids(body: IdLeaseRequest, db: DbDep, device: DeviceDep) -> IdLeaseResponse:
    return ids.lease(db, device, body)
