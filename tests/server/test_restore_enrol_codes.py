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
from server_kit import north_on_sqlite, restore_backup

from linksdesk.server import admin
from linksdesk.server.app import create_app
from linksdesk.server.cli import main
from linksdesk.server.db import Database


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out + err


def test_a_code_cancelled_after_the_backup_stays_cancelled_once_it_is_restored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with north_on_sqlite(tmp_path) as (url, db, alex):
        misdirected = admin.make_enrol_code(db, alex, ttl_hours=72).code
    shutil.copyfile(tmp_path / "server.db", tmp_path / "backup.db")  # no -wal: all in it

    code, said = run(capsys, "cancel-codes", "--worker", "Alex Morgan", "--db", url)
    assert code == 0, said
    restore_backup(tmp_path)  # the guide's restore, then new-epoch
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
