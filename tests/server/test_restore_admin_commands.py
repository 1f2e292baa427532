"""After a restore, `new-epoch` names the administrator's own commands the backup lacks.

A `handover`, `move-cases` or `settings set` done after the backup is not in the restored
database, and no laptop sends it back. `new-epoch` said only "run again every handover,
move-cases and settings set done since": a forgotten handover silently put a participant
back on the worker who left, a forgotten setting silently reverted the appointment limit.
Each such command is now noted beside the server key (outside the database, as revocations
are), and `new-epoch` lists those the restored database lacks, oldest first, ready to run.
"""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest
from server_kit import owner, restore_backup, run, two_cases


def test_new_epoch_names_each_command_done_after_the_backup_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, ids = two_cases(tmp_path)
    at = ["--db", url]
    # done before the backup, after every sync: the backup holds it, nothing to run again
    assert run(capsys, "settings", "set", "--team", "North", "not_seen_weeks", "6", *at)[0] == 0
    shutil.copyfile(tmp_path / "server.db", tmp_path / "backup.db")  # no -wal: all in it

    code, said = run(capsys, "handover", "--participant", "P1042", "--to", "Jo Kerr", *at)
    assert code == 0, said
    code, said = run(capsys, "handover", "--participant", "P1043", "--to", "Jo Ker", *at)
    assert code == 1, said  # mistyped: nothing done, nothing to run again
    code, said = run(capsys, "settings", "set", "--team", "North", "appointment_limit", "5", *at)
    assert code == 0, said
    code, said = run(capsys, "move-cases", "--from", "Alex Morgan", "--to", "Sam Reid", *at)
    assert code == 0 and "Moved 1 case" in said, said

    restore_backup(tmp_path)  # the guide's restore, then new-epoch
    assert owner(url, ids["P1042"]) == ids["Alex Morgan"]  # the handover is lost
    code, said = run(capsys, "new-epoch", *at)
    assert code == 0, said
    assert "Run these again, in this order" in said, said
    again = [ln.strip() for ln in said.splitlines() if ln.strip().startswith("linksdesk-server")]
    assert len(again) == 3, said
    assert "handover --participant P1042 --to 'Jo Kerr'" in again[0], said
    assert "settings set --team North appointment_limit 5" in again[1], said
    assert "move-cases --from 'Alex Morgan' --to 'Sam Reid'" in again[2], said
    assert "not_seen_weeks" not in said and "Jo Ker'" not in said, said
    assert "Revoked again: 0 laptops" in said and "Cancelled: 0 enrolment codes" in said

    # pasted as printed, the handover puts the case back where it was handed
    argv = shlex.split(again[0], comments=True)
    assert argv[0] == "linksdesk-server"
    code, said = run(capsys, *argv[1:])
    assert code == 0, said
    assert owner(url, ids["P1042"]) == ids["Jo Kerr"]


def test_new_epoch_says_plainly_when_nothing_is_to_run_again_and_lists_it_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ids = two_cases(tmp_path)
    at = ["--db", url]
    shutil.copyfile(tmp_path / "server.db", tmp_path / "backup.db")

    restore_backup(tmp_path)
    code, said = run(capsys, "new-epoch", *at)
    assert code == 0, said
    assert "none to run again" in said and "Run these again" not in said, said

    code, said = run(capsys, "settings", "set", "--team", "North", "appointment_limit", "4", *at)
    assert code == 0, said
    restore_backup(tmp_path)
    code, said = run(capsys, "new-epoch", "--json", *at)
    assert code == 0, said
    (listed,) = json.loads(said)["run_again"]
    assert "settings set --team North appointment_limit 4" in listed["command"]
    assert isinstance(listed["done_ms"], int)


def test_a_change_that_cannot_be_noted_is_made_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, ids = two_cases(tmp_path)
    (tmp_path / "admin-commands.jsonl").mkdir()  # the note cannot be written

    code, said = run(capsys, "handover", "--participant", "P1042", "--to", "Jo Kerr", "--db", url)
    assert code == 0, said
    assert "could not be noted beside the server key" in said, said
    assert "run this command again" in said, said
    assert owner(url, ids["P1042"]) == ids["Jo Kerr"]

    # a worker added: to be added again with the id made (their laptop holds it)
    code, said = run(capsys, "add-worker", "--team", "North", "--name", "Kim Lee", "--db", url)
    assert code == 0 and "could not be noted beside the server key" in said, said
    made = said.split("(")[1].split(")")[0]
    assert f"run this command again with --id {made}" in said, said
