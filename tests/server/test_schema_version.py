"""A laptop whose tables lack a column the others have (schema 1: no entered-in-error mark on
contacts and scores) would drop the mark from what it pulls, go on counting what every other
laptop no longer counts, and never match the server's digests: the server tells it to update,
as it does an older protocol, and a newer one is told the server is older."""

from __future__ import annotations

from server_kit import Programme

from linksdesk.sync.protocol import PROTOCOL_VERSION, SCHEMA_VERSION


def test_a_laptop_with_older_tables_is_told_to_update(programme: Programme) -> None:
    device = programme.enrol(programme.worker(programme.team()))

    def hello(schema: int) -> tuple[int, str]:
        r = device.post(
            "handshake",
            {
                "protocol_version": PROTOCOL_VERSION,
                "schema_version": schema,
                "device_id": device.device_id,
            },
        )
        return r.status_code, r.json().get("detail", "")

    for old in range(SCHEMA_VERSION):
        status, detail = hello(old)
        assert status == 409 and detail.startswith("This copy of LinksDesk is too old")
    status, detail = hello(SCHEMA_VERSION + 1)
    assert status == 409 and "update the server" in detail
    assert hello(SCHEMA_VERSION)[0] == 200
    assert SCHEMA_VERSION == 5
