"""After a restore, a team or worker added since the backup comes back with the id it had.

The restored database lacks a worker added after the backup. Added again, the worker got a
new id, and a laptop enrolled for them holds rows owned by the old one: it refused the new
enrolment code ("This vault already syncs for another worker"), and the worker's cases were
stranded on it. Each `add-team` and `add-worker` is now noted beside the server key with the
id it made, and `new-epoch` lists those the restored database lacks, with `--id`, in order.
"""

from __future__ import annotations

import json
import shlex
import shutil
import uuid
from pathlib import Path

import pytest
from server_kit import north_on_sqlite, owner, restore_backup, run, two_cases
from sync_kit import Dev, ServerProcess

from linksdesk.server import admin
from linksdesk.server.db import init_database
from linksdesk.sync.client import enrol


def pasted(said: str) -> list[list[str]]:
    """The commands `new-epoch` lists to run again, as a shell reads them pasted."""
    lines = [ln.strip() for ln in said.splitlines() if ln.strip().startswith("linksdesk-server")]
    return [shlex.split(line, comments=True)[1:] for line in lines]


def test_a_laptop_of_a_worker_added_after_the_backup_enrols_again_and_keeps_its_cases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    init_database(url)
    at = ["--db", url]
    assert run(capsys, "add-team", "North", *at)[0] == 0
    shutil.copyfile(tmp_path / "server.db", tmp_path / "backup.db")  # no -wal: all in it

    code, said = run(capsys, "add-worker", "--team", "North", "--name", "Jo Kerr", "--json", *at)
    assert code == 0, said
    jo = json.loads(said)["worker_id"]
    server = ServerProcess(url, tmp_path / "server.log")
    laptop = Dev.create(tmp_path, "laptop")
    try:
        server.start()
        laptop.enrol(server, jo)
        pid = laptop.participant()
        assert laptop.sync().verified

        server.stop()
        server.db.dispose()
        restore_backup(tmp_path)  # the guide's restore, then new-epoch
        code, said = run(capsys, "new-epoch", *at)
        assert code == 0 and "a new enrolment code (`enrol-code`)" in said, said
        for argv in pasted(said):
            code, done = run(capsys, *argv)
            assert code == 0, done
        server.start()  # on the port the laptop knows
        code, said = run(capsys, "enrol-code", "--worker", "Jo Kerr", "--json", *at)
        assert code == 0, said

        # the same laptop, its cursor and rows as they were: enrolled again, not refused
        again = enrol(laptop.store, server.url, json.loads(said)["code"], label="laptop")
        assert again.worker_id == jo
        assert laptop.sync().verified
        assert owner(url, pid) == jo
    finally:
        laptop.close()
        server.close()


def test_new_epoch_lists_teams_and_workers_added_after_the_backup_with_their_ids_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, ids = two_cases(tmp_path)
    at = ["--db", url]
    # added before the backup: the backup holds it, nothing to run again
    assert run(capsys, "add-worker", "--team", "North", "--name", "Kim Lee", *at)[0] == 0
    shutil.copyfile(tmp_path / "server.db", tmp_path / "backup.db")

    def added(*argv: str) -> str:
        code, said = run(capsys, *argv, "--json", *at)
        assert code == 0, said
        return str(json.loads(said).get("worker_id") or json.loads(said)["team_id"])

    made = {
        "South": added("add-team", "South"),
        "Ash Patel": added(
            "add-worker", "--team", "South", "--name", "Ash Patel", "--role", "supervisor"
        ),
        "Dee Shaw": added("add-worker", "--team", "North", "--name", "Dee Shaw"),
    }
    code, said = run(capsys, "handover", "--participant", "P1042", "--to", "Dee Shaw", *at)
    assert code == 0, said

    restore_backup(tmp_path)
    code, said = run(capsys, "new-epoch", *at)
    assert code == 0, said
    assert "Kim Lee" not in said, said
    again = pasted(said)
    ash = ["--role", "supervisor", "--id", made["Ash Patel"]]
    assert again[:3] == [
        ["add-team", "South", "--id", made["South"], *at],
        ["add-worker", "--team", "South", "--name", "Ash Patel", *ash, *at],
        ["add-worker", "--team", "North", "--name", "Dee Shaw", "--id", made["Dee Shaw"], *at],
    ], said
    assert again[3][:5] == ["handover", "--participant", "P1042", "--to", "Dee Shaw"], said
    assert len(again) == 4, said

    for argv in again:  # pasted in order, each succeeds: the case is Dee Shaw's again
        code, done = run(capsys, *argv)
        assert code == 0, done
    assert owner(url, ids["P1042"]) == made["Dee Shaw"]


def test_an_id_that_is_not_one_or_is_taken_is_refused_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with north_on_sqlite(tmp_path) as (url, db, alex):
        north = admin.find_team(db, "North").id

    def refused(*argv: str) -> str:
        code, said = run(capsys, *argv, "--db", url)
        assert code == 1 and "Traceback" not in said, said
        return said

    assert "is not an id" in refused("add-team", "South", "--id", "P1042")
    assert "is not an id" in refused("add-worker", "--team", "North", "--name", "Kim", "--id", "x")
    assert f"already a team with id {north}" in refused("add-team", "South", "--id", north)
    said = refused("add-worker", "--team", "North", "--name", "Kim Lee", "--id", alex)
    assert f"already a worker with id {alex}" in said
    code, said = run(capsys, "status", "--json", "--db", url)
    assert [t["name"] for t in json.loads(said)["teams"]] == ["North"], said
    assert json.loads(said)["workers"] == 1, said

    # an id given in capitals is the same id: kept as ids are written
    given = str(uuid.uuid4())
    code, said = run(capsys, "add-team", "South", "--id", given.upper(), "--json", "--db", url)
    assert code == 0 and json.loads(said)["team_id"] == given, said
