"""Evaluation bundles and withdrawn consent: a person who withdraws evaluation (or team)
consent after an evaluation bundle reached the supervisor's vault is dropped from it by the
next bundle, and an older bundle imported later does not bring them back. Without this, a
supervisor's vault kept a withdrawn person's pseudonymised records for good."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bundle_kit import PROGRAMME_KEY, Laptop, Supervisor
from sqlalchemy import select

from linksdesk.storage.bundle_tables import EvaluationRecord
from linksdesk.storage.tables import Consent
from linksdesk.sync.bundle import evaluation, export, keys, receive
from linksdesk.sync.bundle.evaluation import pseudonym
from linksdesk.sync.bundle.format import now_utc

START = now_utc() - dt.timedelta(hours=2)


def _bundle(lap: Laptop, sup: Supervisor, out: Path, minutes: int) -> Path:
    when = START + dt.timedelta(minutes=minutes)
    export.export_to_file(lap.store, out, kind="evaluation", recipients=[sup.recipient], now=when)
    return out


def _consent(lap: Laptop, pid: str, scope: str, given: bool, version: int) -> None:
    with lap.store.write() as tx:
        tx.insert(
            Consent(
                participant_id=pid,
                scope=scope,
                given=given,
                version=version,
                recorded_on=dt.date(2026, 6, 1),
                method="verbal",
            )
        )
        tx.forget_consent_cache()


def _held(sup: Supervisor, pid: str) -> dict[str, int]:
    """The supervisor's live evaluation rows of one participant, by table (the marker of
    their withdrawal is no row of theirs)."""
    key = pseudonym(bytes.fromhex(PROGRAMME_KEY), pid)
    out: dict[str, int] = {}
    with sup.store.read() as s:
        for row in s.scalars(
            select(EvaluationRecord).where(
                EvaluationRecord.participant_key == key,
                EvaluationRecord.deleted.is_(False),
                EvaluationRecord.table_name != evaluation.WITHDRAWAL,
            )
        ):
            out[row.table_name] = out.get(row.table_name, 0) + 1
    return out


@pytest.mark.parametrize("scope", ["evaluation", "team"])
def test_a_withdrawal_drops_the_person_and_an_older_bundle_does_not_bring_them_back(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor, scope: str
) -> None:
    laptop.give_programme_key()
    people = [laptop.person(concern="Isolation") for _ in range(6)]
    for pid in people:
        laptop.contact(pid)
    fingerprint = keys.signing_key(laptop.store).public.fingerprint
    first = _bundle(laptop, supervisor, tmp_path / "1.age", 0)
    receive.import_bundle(supervisor.store, first, trust=fingerprint)
    leaving, staying = people[0], people[1]
    assert {"participant", "contact", "concern"} <= set(_held(supervisor, leaving))
    stays = _held(supervisor, staying)
    older = _bundle(laptop, supervisor, tmp_path / "older.age", 10)  # made, not yet imported
    _consent(laptop, leaving, scope, False, version=2)
    report = receive.import_bundle(
        supervisor.store, _bundle(laptop, supervisor, tmp_path / "2.age", 20)
    )
    assert _held(supervisor, leaving) == {}  # nothing of theirs is counted any more
    assert report.applied >= 1
    assert _held(supervisor, staying) == stays  # the others are as they were
    # the bundle made before the withdrawal, carried in afterwards, changes nothing of theirs
    receive.import_bundle(supervisor.store, older)
    assert _held(supervisor, leaving) == {}
    assert _held(supervisor, staying) == stays
    # consent given again: a newer bundle brings them back
    _consent(laptop, leaving, scope, True, version=3)
    receive.import_bundle(supervisor.store, _bundle(laptop, supervisor, tmp_path / "3.age", 30))
    assert {"participant", "contact", "concern"} <= set(_held(supervisor, leaving))


def test_a_withdrawal_record_is_a_pseudonym_of_someone_with_consent_records(
    laptop: Laptop,
) -> None:
    """Withdrawal records name, by pseudonym only (and the consent versions they are), people
    the laptop holds consent records of but does not send; a person who consents to both is
    never among them."""
    laptop.give_programme_key()
    people = [laptop.person() for _ in range(5)]
    declined = laptop.person(evaluation=False)
    with laptop.store.read() as s:
        caseload = export.caseload_changes(s, laptop.store.worker_id)
    key = bytes.fromhex(PROGRAMME_KEY)
    source = evaluation.Source(caseload.changes, caseload.erased, key, None)
    records, _extra = evaluation.evaluation_records(source)
    gone = [r for r in records if r["table"] == evaluation.WITHDRAWAL]
    assert gone == [
        {
            "table": evaluation.WITHDRAWAL,
            "id": pseudonym(key, declined),
            "participant_id": pseudonym(key, declined),
            "owner": None,
            "op": "upsert",
            "fields": {},
            evaluation.CONSENTS: {"team": 1, "evaluation": 1},  # the decision it is
        }
    ]
    sent = {r["id"] for r in records if r["table"] == "participant"}
    assert sent == {pseudonym(key, p) for p in people}


def test_the_same_records_again_change_nothing_though_someone_declined(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    laptop.give_programme_key()
    for _ in range(5):
        laptop.person()
    laptop.person(evaluation=False)  # named by a withdrawal record in every bundle
    first = _bundle(laptop, supervisor, tmp_path / "1.age", 0)
    fingerprint = keys.signing_key(laptop.store).public.fingerprint
    assert receive.import_bundle(supervisor.store, first, trust=fingerprint).applied > 0
    before = supervisor.content_hash()
    again = receive.import_bundle(
        supervisor.store, _bundle(laptop, supervisor, tmp_path / "2.age", 10)
    )
    assert again.applied == 0 and again.unchanged > 0
    with supervisor.store.read() as s:
        markers = s.scalars(
            select(EvaluationRecord).where(EvaluationRecord.table_name == evaluation.WITHDRAWAL)
        ).all()
    assert len(markers) == 1
    assert supervisor.content_hash() != before  # the ledger and audit log record the import
