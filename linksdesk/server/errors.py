"""Errors the server answers with a plain message and a 4xx status (never a traceback)."""

from __future__ import annotations

from linksdesk.core.errors import LinksDeskError


class ServerProblem(LinksDeskError):
    """A request the server will not serve; ``str()`` is the message for people."""

    status_code = 400

    def __init__(self, message: str | None = None, status_code: int | None = None) -> None:
        # a kind with a fixed ``message`` (below) is raised with none
        super().__init__(*(() if message is None else (message,)))
        if status_code is not None:
            self.status_code = status_code


class NotEnrolled(ServerProblem):
    status_code = 401
    message = (
        "This device is not enrolled with the server, or it has been revoked. "
        "Ask your programme administrator for a new enrolment code."
    )


class BadEnrolCode(ServerProblem):
    status_code = 401
    message = (
        "That enrolment code is not valid. It may have expired or been used already; "
        "ask your programme administrator for a new one."
    )


class DeviceRevoked(ServerProblem):
    """A revoked laptop stays revoked: an administrator who revoked a lost laptop must not
    find it syncing again because someone had a new code. 410, apart from other refusals:
    LinksDesk then enrols the vault as a new laptop (``sync.enrolment``)."""

    status_code = 410
    message = (
        "This laptop was revoked by your programme administrator (for example when it was "
        "reported lost), and a revoked laptop is never enrolled again. Your enrolment code "
        "has not been used: enrol with it as a new laptop (a new device id)."
    )


class VersionMismatch(ServerProblem):
    status_code = 409


class AdminError(ServerProblem):
    """A programme administrator's command that cannot be done as asked."""


class CursorAhead(ServerProblem):
    status_code = 409
    message = (
        "The server's copy is older than this device's (it may have been restored from a "
        "backup). Sync again: this device will merge everything back from the start."
    )
