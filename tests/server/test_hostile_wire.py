"""A hostile or broken device against the real server over HTTP: ill-typed requests beyond push.

What a device sends is never coerced (``false`` is not a number, ``"5"`` is not 5; ``5.0``
is, as JSON Schema says): the programme id lease takes the same rule as push and pull, and a
refused request leases nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from server_kit import Programme
from sqlalchemy import func, select

from linksdesk.core.ids import uuid7
from linksdesk.server.models import IdBlock


@pytest.mark.parametrize("floor", [True, "1500", 1500.5, None, [1500]], ids=repr)
def test_an_ill_typed_id_lease_is_refused_and_leases_nothing(served: Programme, floor: Any) -> None:
    dev = served.enrol(served.worker(served.team()))
    r = dev.post("ids/lease", {"request_id": uuid7(), "floor": floor})
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith("The request is not valid (floor")
    with served.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(IdBlock)) == 0
    fine = dev.post("ids/lease", {"request_id": uuid7(), "floor": 1500.0})
    assert fine.status_code == 200 and fine.json()["first"] == 1501
