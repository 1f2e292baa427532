"""A supervisor's vault does not sync. Its rows are copies of the workers' cases brought in
bundles: enrolled, its every sync found them missing from the server ("Some records still
differ…") and never settled. Enrolling it is refused in words before anything is sent, and
the code stays unused. A real server on 127.0.0.1, real vaults; synthetic data."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_kit import Laptop, Supervisor, bundle_of, fingerprint_of
from sync_kit import Dev, ServerProcess

from linksdesk.core.errors import UserError
from linksdesk.sync import state
from linksdesk.sync.bundle import receive
from linksdesk.sync.enrolment import enrol


def test_a_supervisors_vault_is_not_enrolled_and_the_code_stays_unused(
    tmp_path: Path, server: ServerProcess, supervisor: Supervisor, laptop: Laptop
) -> None:
    laptop.contact(laptop.person())
    bundle = bundle_of(laptop, supervisor, tmp_path / "caseload.age")
    receive.import_bundle(supervisor.store, bundle, trust=fingerprint_of(laptop))
    worker = server.worker(server.team())
    code = server.code(worker)
    with pytest.raises(UserError) as refused:
        enrol(supervisor.store, server.url, code, label="supervisor")
    said = str(refused.value)
    assert said.startswith("This is a supervisor's vault") and "code was not used" in said
    with supervisor.store.read() as s:
        assert state.get(s, state.SERVER_URL) is None
    own = Dev.create(tmp_path, "own-laptop")
    try:
        enrol(own.store, server.url, code, label="own")  # the same code, still good
        assert own.sync().verified
    finally:
        own.close()
