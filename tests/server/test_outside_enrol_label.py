"""From the outside: a laptop's label (shown to the administrator by `list-devices` and
`revoke-device`, who tells a worker's two laptops apart by it) is "printable text only"
(sync/protocol.py). A label holding a C1 control (U+009B is an 8-bit CSI, the start of a
terminal escape) or a bidirectional override (U+202E shows the rest of the line reversed,
so one laptop can pass for another in the list) must be refused at enrolment, code unused,
as C0 controls already are."""

from __future__ import annotations

import pytest
from server_kit import Programme

from linksdesk.server import admin


@pytest.mark.xfail(
    strict=True,
    reason="EnrolRequest.label refuses only C0 controls and DEL: C1 controls and bidi "
    "overrides reach the administrator's terminal",
)
@pytest.mark.parametrize("label", ["office\u009b2J", "venues\u202epotpal", "a\u2066b\u2069"])
def test_an_enrolment_label_with_terminal_or_direction_controls_is_refused(
    served: Programme, label: str
) -> None:
    worker = served.worker(served.team())
    code = admin.make_enrol_code(served.db, worker).code
    r = served.http.post("/v1/enrol", json={"code": code, "label": label})
    assert r.status_code == 422, "the label was taken"
    listed = [d.label for d in admin.list_devices(served.db)]
    assert label not in listed
