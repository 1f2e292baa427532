"""A laptop's evaluation bundle speaks only for its own worker's caseload. A hostile laptop,
trusted by the supervisor, that knows a colleague's participant's id (and, having the
programme key, their pseudonym) could overwrite, erase or withdraw that person's
pseudonymised rows held from the colleague's laptop, or claim the colleague's pseudonym as
its own. Each is refused whole, in plain words, and the vault is unchanged."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from bundle_kit import Laptop, Supervisor, evaluation_records_of, hand_made, pseudonyms_of

from linksdesk.sync.bundle import export, keys, receive
from linksdesk.sync.bundle.evaluation import WITHDRAWAL
from linksdesk.sync.bundle.format import BundleRefused, Sender, now_utc, seal
from linksdesk.sync.bundle.signing import SigningKey


def _caseload_of_five(lap: Laptop) -> None:
    lap.give_programme_key()
    for _ in range(5):
        lap.contact(lap.person(concern="housing"))


def _import_honest(lap: Laptop, sup: Supervisor, out: Path) -> None:
    export.export_to_file(lap.store, out, kind="evaluation", recipients=[sup.recipient])
    fingerprint = keys.signing_key(lap.store).public.fingerprint
    assert receive.import_bundle(sup.store, out, trust=fingerprint).applied > 0


def _of(records: list[dict[str, Any]], table: str) -> dict[str, Any]:
    return next(r for r in records if r["table"] == table and r["op"] == "upsert")


def _reach(case: str, mine: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> None:
    """Add to laptop a's own records one that reaches for colleague b's participant."""
    person = _of(theirs, "participant")
    contact = _of(theirs, "contact")
    if case == "overwrite":  # b's contact, its outcome changed
        mine.append({**contact, "fields": {**contact["fields"], "status": "did_not_attend"}})
    elif case == "claim-their-pseudonym":  # every row of a's as b's, and b's person changed
        for rec in mine:
            if rec["table"] == "participant":
                rec["owner"] = person["owner"]
        mine.append({**person, "fields": {**person["fields"], "referral_source": "self"}})
    elif case == "erase":
        mine.append({**person, "op": "erase", "owner": None, "fields": {}})
    elif case == "withdraw":
        mine.append({**person, "table": WITHDRAWAL, "owner": None, "fields": {}})
    else:  # move-a-row: b's contact's id, filed under a's own participant
        own = _of(mine, "contact")
        mine.append({**own, "id": contact["id"]})


@pytest.mark.parametrize(
    "case", ["overwrite", "claim-their-pseudonym", "erase", "withdraw", "move-a-row"]
)
def test_a_laptop_cannot_reach_into_a_colleagues_evaluation_rows(
    tmp_path: Path, supervisor: Supervisor, case: str
) -> None:
    a, b = Laptop.create(tmp_path, "worker-a"), Laptop.create(tmp_path, "worker-b")
    try:
        _caseload_of_five(b)
        _import_honest(b, supervisor, tmp_path / "b.age")
        _caseload_of_five(a)
        _import_honest(a, supervisor, tmp_path / "a.age")
        records = copy.deepcopy(evaluation_records_of(a))
        _reach(case, records, evaluation_records_of(b))
        out = hand_made(a, supervisor, tmp_path / "reach.age", records, kind="evaluation")
        before = supervisor.content_hash()
        with pytest.raises(BundleRefused) as refused:
            receive.import_bundle(supervisor.store, out)
        message = str(refused.value)
        assert "Nothing was imported" in message and "\n" not in message
        assert supervisor.content_hash() == before
        # a's own next bundle is taken as before
        a.contact(a.person(concern="housing"))
        honest = hand_made(a, supervisor, tmp_path / "next.age", evaluation_records_of(a),
                           kind="evaluation")  # fmt: skip
        assert receive.import_bundle(supervisor.store, honest).applied > 0
    finally:
        a.close()
        b.close()


def test_a_handed_over_case_comes_through_the_servers_bundle_not_the_new_laptops(
    tmp_path: Path, supervisor: Supervisor
) -> None:
    """The new worker's laptop is refused for a person held under the old worker, with the
    advice to import the team's bundle from the server first (the server checks handovers)."""
    a, b = Laptop.create(tmp_path, "worker-a"), Laptop.create(tmp_path, "worker-b")
    try:
        _caseload_of_five(b)
        _import_honest(b, supervisor, tmp_path / "b.age")
        _caseload_of_five(a)
        records = copy.deepcopy(evaluation_records_of(a))
        theirs = evaluation_records_of(b)
        person = _of(theirs, "participant")
        owner = _of(records, "participant")["owner"]
        records.append({**person, "owner": owner})  # now on a's caseload, a's laptop says
        fingerprint = keys.signing_key(a.store).public.fingerprint
        out = hand_made(a, supervisor, tmp_path / "a.age", records, kind="evaluation")
        with pytest.raises(BundleRefused, match="import the team's evaluation bundle from the"):
            receive.import_bundle(supervisor.store, out, trust=fingerprint)
    finally:
        a.close()
        b.close()


def test_once_the_servers_bundle_moves_a_case_the_new_workers_laptop_is_taken(
    tmp_path: Path, supervisor: Supervisor
) -> None:
    """A handover goes through the server: its bundle says whose the person is now, and the
    new worker's laptop may then send them (without this, their rows stayed the old worker's
    here for good, and every bundle of the new worker's laptop was refused)."""
    a, b = Laptop.create(tmp_path, "worker-a"), Laptop.create(tmp_path, "worker-b")
    try:
        _caseload_of_five(b)
        _import_honest(b, supervisor, tmp_path / "b.age")
        _caseload_of_five(a)
        _import_honest(a, supervisor, tmp_path / "a.age")
        person = _of(evaluation_records_of(b), "participant")
        records = copy.deepcopy(evaluation_records_of(a))
        handed = {**person, "owner": _of(records, "participant")["owner"]}
        server = SigningKey.generate()
        sealed = seal([handed], kind="evaluation", sender=Sender("server", "sync server", None,
                      None, None), key=server, recipients=[supervisor.recipient],
                      extra=pseudonyms_of("evaluation"),
                      now=now_utc() + dt.timedelta(minutes=1))  # fmt: skip
        moved, _ = sealed.write(tmp_path / "server.age")
        receive.import_bundle(supervisor.store, moved, trust=server.public.fingerprint)
        out = hand_made(a, supervisor, tmp_path / "a-2.age", [*records, handed], kind="evaluation")
        assert receive.import_bundle(supervisor.store, out).unchanged > 0
    finally:
        a.close()
        b.close()
