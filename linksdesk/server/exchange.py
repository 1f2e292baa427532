"""The server's side of sync, by its old name: the steps now live in :mod:`linksdesk.server.sync`.

Kept so callers written against one module (benchmarks, tests) keep working; new code
imports the step it needs from ``server.sync.{handshake,push,pull,verify,consent}``.
"""

from __future__ import annotations

from linksdesk.server.sync.changelog import log_change, record_as_change
from linksdesk.server.sync.consent import consent_rank as _rank
from linksdesk.server.sync.consent import latest_of as _latest_of
from linksdesk.server.sync.consent import latest_team_consent, owner_access
from linksdesk.server.sync.context import OWNER, READ_ONLY, DeviceContext
from linksdesk.server.sync.handshake import SETTING_KEYS, handshake, programme_settings
from linksdesk.server.sync.pull import pull
from linksdesk.server.sync.push import push
from linksdesk.server.sync.rules import REFUSAL_TEXT, Refusal, storable
from linksdesk.server.sync.verify import verify

__all__ = [
    "OWNER",
    "READ_ONLY",
    "REFUSAL_TEXT",
    "SETTING_KEYS",
    "DeviceContext",
    "Refusal",
    "_latest_of",
    "_rank",
    "handshake",
    "latest_team_consent",
    "log_change",
    "owner_access",
    "programme_settings",
    "pull",
    "push",
    "record_as_change",
    "storable",
    "verify",
]
