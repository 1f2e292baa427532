"""Outside check 21: the programme administrator at the command line, tired and sometimes
wrong, following docs/server.md as written.

- `handover --participant P`: the only id of a participant anybody sees is the programme
  id LinksDesk shows (P1042); the server's record ids appear on no screen. Given P1042,
  the server said it "holds no case with that participant id", a dead end.
- A worker's name typed in other capitals, or a name two teams share, was refused with no
  way on: no command lists workers or their ids.
- `move-cases` read the leaving worker's caseload, then moved case after case: one handed
  to another colleague meanwhile (a second administrator's `handover`) was taken from them.
- A laptop revoked after the backup the server is restored from synced again: the
  revocation lived only in the database. Every revocation is now noted beside the server
  key too, and `new-epoch` revokes those devices again.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from server_kit import Device, Programme, north_on_sqlite, restore_backup
from sqlalchemy.orm import Session

from linksdesk.server import admin, admin_ops
from linksdesk.server.app import create_app
from linksdesk.server.cli import main
from linksdesk.server.models import ParticipantAccess

CANARY = "Canary-Outside-Twentyone"


def owners_of(p: Programme) -> dict[str, str]:
    """Each case the server holds → the worker it is on the caseload of."""
    with p.db.reading() as s:
        rows = s.query(ParticipantAccess).filter(ParticipantAccess.mode == "owner")
        return {a.participant_id: a.worker_id for a in rows}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_case_is_handed_over_by_the_programme_id_its_worker_reads_out(
    programme: Programme, capsys: pytest.CaptureFixture[str]
) -> None:
    programme.team("North")
    programme.team("South")
    alex = admin.add_worker(programme.db, "North", "Alex Morgan")
    jo = admin.add_worker(programme.db, "North", "Jo Kerr")
    south = programme.enrol(admin.add_worker(programme.db, "South", "Kim Lee"))
    laptop = programme.enrol(alex)
    case = laptop.participant(programme_id="P1042", family_name=CANARY)
    kept = laptop.participant(programme_id="P1043", family_name=CANARY)
    twin = south.participant(programme_id="P1042", family_name=CANARY)  # another team's
    laptop.push([*laptop.shared(case), *laptop.shared(kept)])
    south.push(south.shared(twin))
    at = ["--db", programme.db_url]

    # read out over the phone: lower case, a space pasted with it
    code, out, err = run(capsys, "handover", "--participant", " p1042 ", "--to", "Jo Kerr", *at)
    assert code == 0, err
    assert case["row_id"] in out and CANARY not in out + err
    owners = owners_of(programme)
    assert owners[case["row_id"]] == jo and owners[kept["row_id"]] == alex
    assert owners[twin["row_id"]] == south.worker_id

    # a programme id the team's server does not hold: told what to give, and why it may lack it
    code, _, err = run(capsys, "handover", "--participant", "P9999", "--to", "Jo Kerr", *at)
    assert code == 1 and "P9999" in err and "programme id" in err and "agreed" in err
    assert CANARY not in err


def test_a_mistyped_or_shared_worker_name_names_the_workers_to_choose_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    at = ["--db", str(tmp_path / "server.db")]
    assert run(capsys, "init", *at)[0] == 0
    ids = {}
    for team, name in [("North", "Alex Morgan"), ("North", "Jo Kerr"), ("South", "Jo Kerr")]:
        run(capsys, "add-team", team, *at)
        code, out, err = run(capsys, "add-worker", "--team", team, "--name", name, "--json", *at)
        assert code == 0, err
        ids[team, name] = out.split('"worker_id": "')[1].split('"')[0]

    # other capitals: refused (a code must not reach the wrong person), the right one offered
    code, out, err = run(capsys, "enrol-code", "--worker", "alex morgan", *at)
    assert code == 1 and "Code" not in out
    assert "'Alex Morgan'" in err and ids["North", "Alex Morgan"] in err and "North" in err

    # a name two teams share: each with its team and id, to give instead
    code, out, err = run(capsys, "enrol-code", "--worker", "Jo Kerr", *at)
    assert code == 1 and "Code" not in out
    assert ids["North", "Jo Kerr"] in err and ids["South", "Jo Kerr"] in err
    assert "South" in err and "North" in err

    # pasted with a space after it, as `add-worker` stored it (without)
    code, out, err = run(capsys, "enrol-code", "--worker", "Alex Morgan ", *at)
    assert code == 0 and "Enrolment code: " in out, err


def test_a_laptop_revoked_after_the_backup_stays_revoked_once_it_is_restored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with north_on_sqlite(tmp_path) as (url, db, worker), TestClient(create_app(url)) as client:
        code = admin.make_enrol_code(db, worker).code
        lost = Device(client, client.post("/v1/enrol", json={"code": code}).json())
    shutil.copyfile(tmp_path / "server.db", tmp_path / "backup.db")  # no -wal: all in it

    assert run(capsys, "revoke-device", lost.device_id, "--db", url)[0] == 0
    with TestClient(create_app(url)) as client:
        lost.http = client
        assert lost.post("pull", {"cursor": 0, "limit": 10}).status_code == 401
    restore_backup(tmp_path)  # the guide's restore, then new-epoch
    code, out, _err = run(capsys, "new-epoch", "--db", url)
    assert code == 0 and "Revoked again: 1 laptop revoked after the backup" in out

    with TestClient(create_app(url)) as client:
        lost.http = client
        assert lost.post("pull", {"cursor": 0, "limit": 10}).status_code == 401


def test_a_case_handed_on_while_move_cases_runs_stays_where_it_was_handed(
    programme: Programme, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    programme.team("North")
    alex = admin.add_worker(programme.db, "North", "Alex Morgan")
    jo = admin.add_worker(programme.db, "North", "Jo Kerr")
    sam = admin.add_worker(programme.db, "North", "Sam Reid")
    laptop = programme.enrol(alex)
    first, second = laptop.participant(), laptop.participant()
    laptop.push([*laptop.shared(first), *laptop.shared(second)])
    at = ["--db", programme.db_url]

    read = admin.caseload_persons  # as admin_ops imported it

    def meanwhile(s: Session, worker_id: str, team_id: str) -> dict[str, tuple[str, ...]]:
        """A second administrator hands one of the cases to Sam after `move-cases` read
        Alex's caseload, before it moved that case (a long caseload moves for minutes)."""
        persons = read(s, worker_id, team_id)
        assert main(["handover", "--participant", second["row_id"], "--to", sam, *at]) == 0
        return persons

    monkeypatch.setattr(admin_ops, "caseload_persons", meanwhile)
    code, out, err = run(capsys, "move-cases", "--from", "Alex Morgan", "--to", "Jo Kerr", *at)
    assert code == 0, err
    assert "Moved 1 case (" in out
    owners = owners_of(programme)
    assert owners == {first["row_id"]: jo, second["row_id"]: sam}
