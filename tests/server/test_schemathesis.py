"""Property-based requests generated from /openapi.json: the server never answers 500."""

from __future__ import annotations

import os

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import negative_data_rejection
from server_kit import Programme

from linksdesk.server.app import create_app

# schemathesis' pytest plugin does not yet work with this pytest, so operations are
# driven with hypothesis directly
EXAMPLES = int(os.environ.get("LINKSDESK_SCHEMATHESIS_EXAMPLES", "25"))


def test_no_server_errors_on_any_operation(db_url: str) -> None:
    url = db_url
    app = create_app(url)
    with TestClient(app) as client:
        programme = Programme(url, client)
        device = programme.enrol(programme.worker(programme.team()))
        programme.close()
        auth = dict(device.headers)
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert {op.path for op in operations} >= {"/v1/push", "/v1/pull", "/v1/enrol"}
        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
            def exercise(case: schemathesis.Case) -> None:
                case.call_and_validate(headers=auth, excluded_checks=[negative_data_rejection])

            exercise()
