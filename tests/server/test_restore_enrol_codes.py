"""A server restored from a backup must not bring back an enrolment code cancelled since.

The administrator cancels a code sent to the wrong address (`cancel-codes`); the server's
database is later restored from a backup made before that. The restored database holds the
code as unused and unexpired: whoever has the email could enrol a laptop as that worker.
`new-epoch` cancels every unused code of the restored database and says so: the
administrator gives new codes to whoever has still to enrol.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from linksdesk.server import admin
from linksdesk.server.app import create_app
from linksdesk.server.cli import main
from linksdesk.server.db import Database, init_database


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out + err


def test_a_code_cancelled_after_the_backup_stays_cancelled_once_it_is_restored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    init_database(url)
    db = Database(url)
    try:
        admin.add_team(db, "North")
        alex = admin.add_worker(db, "North", "Alex Morgan")
        misdirected = admin.make_enrol_code(db, alex, ttl_hours=72).code
    finally:
        db.dispose()
    shutil.copyfile(tmp_path / "server.db", tmp_path / "backup.db")  # no -wal: all in it

    code, said = run(capsys, "cancel-codes", "--worker", "Alex Morgan", "--db", url)
    assert code == 0, said
    # the guide's restore: the copy in place, its -wal and -shm removed, then new-epoch
    for extra in ("server.db-wal", "server.db-shm"):
        (tmp_path / extra).unlink(missing_ok=True)
    shutil.copyfile(tmp_path / "backup.db", tmp_path / "server.db")
    code, said = run(capsys, "new-epoch", "--db", url)
    assert code == 0, said
    assert "Cancelled: 1 enrolment code not yet used" in said, said
    assert "cancel-codes" not in said, said  # nothing left to run again for codes

    with TestClient(create_app(url)) as client:
        refused = client.post("/v1/enrol", json={"code": misdirected})
        assert refused.status_code == 401 and "not valid" in refused.text, refused.text
        # a code given after the restore enrols as always
        db = Database(url)
        try:
            fresh = admin.make_enrol_code(db, alex).code
        finally:
            db.dispose()
        assert client.post("/v1/enrol", json={"code": fresh}).status_code == 200
