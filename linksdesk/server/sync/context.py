"""Who is asking: the authenticated device, built once per request by ``api.deps``."""

from __future__ import annotations

from dataclasses import dataclass

OWNER, READ_ONLY = "owner", "read_only"


@dataclass(frozen=True)
class DeviceContext:
    """Who is asking: the authenticated device, its worker and team."""

    device_id: str
    worker_id: str
    team_id: str
    role: str
    synced_ms: int | None = None  # when the device last finished a sync (``Device.synced_ms``)
