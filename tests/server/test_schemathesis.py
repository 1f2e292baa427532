"""Property-based requests generated from /openapi.json against the real server over HTTP.

With a valid device token, every operation gets schema-valid requests (which must be
answered per the schema, never 500) and schema-invalid ones (which must be refused, not
coerced: ``cursor: false`` or ``participant_shared: 0`` is not a value).
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from server_kit import Programme
from serving import running

# schemathesis' pytest plugin does not yet work with this pytest, so operations are
# driven with hypothesis directly
EXAMPLES = int(os.environ.get("LINKSDESK_SCHEMATHESIS_EXAMPLES", "25"))


def test_no_server_errors_or_schema_violations_over_http(db_url: str, tmp_path: Path) -> None:
    with running(db_url, tmp_path / "server.log") as url:
        with httpx.Client(base_url=url, timeout=30) as http:
            programme = Programme(db_url, http)
            device = programme.enrol(programme.worker(programme.team()))
            programme.close()
        auth = dict(device.headers)
        schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
        operations = [result.ok() for result in schema.get_all_operations()]
        assert {op.path for op in operations} >= {"/v1/push", "/v1/pull", "/v1/enrol"}
        for operation in operations:
            modes = [GenerationMode.POSITIVE]
            if len(operation.body):  # nothing to break in a request with no body
                modes.append(GenerationMode.NEGATIVE)
            for mode in modes:

                @given(case=operation.as_strategy(generation_mode=mode))
                @settings(
                    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck)
                )
                def exercise(case: schemathesis.Case) -> None:
                    # every check: not_a_server_error, response schema conformance, and that
                    # schema-invalid data is rejected (negative_data_rejection)
                    case.call_and_validate(headers=auth, timeout=30)

                exercise()


def test_wrong_types_are_refused_not_coerced(db_url: str, tmp_path: Path) -> None:
    """The audit's two coerced values, sent over HTTP: both refused with 422."""
    with (
        running(db_url, tmp_path / "server.log") as url,
        httpx.Client(base_url=url, timeout=30) as http,
    ):
        programme = Programme(db_url, http)
        device = programme.enrol(programme.worker(programme.team()))
        programme.close()
        assert device.post("pull", {"cursor": False}).status_code == 422
        assert device.post("pull", {"cursor": 0, "limit": "5"}).status_code == 422
        pid = device.participant()["row_id"]
        consent = device.consent(pid)
        consent["participant_shared"] = 0
        r = device.post("push", {"batch_key": consent["change_id"], "changes": [consent]})
        assert r.status_code == 422
        assert "participant_shared" in r.text
        # what JSON Schema calls an integer still is one
        assert device.post("pull", {"cursor": 0.0, "limit": 5.0}).status_code == 200
