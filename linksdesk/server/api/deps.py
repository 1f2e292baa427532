"""Request dependencies: the database of this app, and the authenticated device.

The :class:`DeviceContext` is built here once per request, from the bearer token, and
passed down to every sync step (handshake, push, pull, verify, id leases).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from linksdesk.server.admin import authenticate
from linksdesk.server.db import Database
from linksdesk.server.errors import NotEnrolled
from linksdesk.server.sync.context import DeviceContext

_bearer = HTTPBearer(auto_error=False, description="The device token from /v1/enrol")


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def current_device(
    db: Annotated[Database, Depends(get_db)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> DeviceContext:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NotEnrolled()
    return authenticate(db, credentials.credentials)


DbDep = Annotated[Database, Depends(get_db)]
DeviceDep = Annotated[DeviceContext, Depends(current_device)]
