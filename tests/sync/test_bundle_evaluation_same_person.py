"""A person registered twice is one participant in the evaluation: once a worker finds the
two records are one person, the laptop's evaluation bundle counts them once in the groups
that keep people from standing out, and the supervisor's evaluation files hold one
participant with both records' rows under it (undone, two again). Without this, the record
merged away was a participant of its own: an evaluator counted the person twice, and a group
of four people passed as five."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

from bundle_kit import PROGRAMME_KEY, Laptop, Supervisor, evaluation_records_of
from sqlalchemy import select

from linksdesk.casework import merging
from linksdesk.casework.casebook import Casebook
from linksdesk.reports.evaluation import release_key, released_id, write_evaluation
from linksdesk.storage.tables import Consent
from linksdesk.sync.bundle import export, keys, receive
from linksdesk.sync.bundle.evaluation import pseudonym
from linksdesk.sync.bundle.format import now_utc

START = now_utc() - dt.timedelta(hours=3)


def _send(lap: Laptop, sup: Supervisor, out: Path, minutes: int) -> None:
    when = START + dt.timedelta(minutes=minutes)
    export.export_to_file(lap.store, out, kind="evaluation", recipients=[sup.recipient], now=when)
    receive.import_bundle(sup.store, out, trust=keys.signing_key(lap.store).public.fingerprint)


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _written(sup: Supervisor, pid: str) -> str:
    with sup.store.write() as tx:
        key = release_key(tx.session)
    return str(released_id(key, pseudonym(bytes.fromhex(PROGRAMME_KEY), pid)))


def _people(lap: Laptop, n: int, source: str) -> list[str]:
    made = [lap.person(source=source) for _ in range(n)]
    for pid in made:
        lap.contact(pid)
    return made


def test_the_evaluation_files_count_a_person_registered_twice_once(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    laptop.give_programme_key()
    people = _people(laptop, 6, "gp")
    kept, twice = people[0], _people(laptop, 1, "gp")[0]  # the same person, again
    _send(laptop, supervisor, tmp_path / "1.age", 0)
    before = write_evaluation(supervisor.store, tmp_path / "before")
    assert before.participants == 7  # not yet found out: two records, two people

    cb = Casebook(laptop.vault)
    merging.merge_records(cb, kept, twice)
    _send(laptop, supervisor, tmp_path / "2.age", 10)
    done = write_evaluation(supervisor.store, tmp_path / "after")
    assert done.participants == 6 and done.left_out == 0
    ids = {r["record_id"] for r in _rows(tmp_path / "after", "participant")}
    assert ids == {_written(supervisor, p) for p in people}
    contacts = _rows(tmp_path / "after", "contact")
    per_person = Counter(r["participant"] for r in contacts)
    assert per_person[_written(supervisor, kept)] == 2 and len(contacts) == 7
    assert {r["participant_id"] for r in contacts} == ids  # the column says the same
    referrals = Counter(r["participant"] for r in _rows(tmp_path / "after", "referral"))
    assert referrals[_written(supervisor, kept)] == 2
    # no file names the record merged away, nor carries the mark
    for path in (tmp_path / "after").glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        assert _written(supervisor, twice) not in text and "merged_into_id" not in text

    merging.separate_records(cb, twice)  # not the same person after all
    _send(laptop, supervisor, tmp_path / "3.age", 20)
    apart = write_evaluation(supervisor.store, tmp_path / "apart")
    assert apart.participants == 7


def test_a_group_of_four_people_with_five_records_stands_out_and_is_left_out(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    laptop.give_programme_key()
    few = _people(laptop, 4, "gp")
    again = _people(laptop, 1, "gp")[0]  # the first of them, registered twice
    many = _people(laptop, 6, "self")
    cb = Casebook(laptop.vault)
    merging.merge_records(cb, few[0], again)
    _send(laptop, supervisor, tmp_path / "1.age", 0)
    done = write_evaluation(supervisor.store, tmp_path / "files")
    ids = {r["record_id"] for r in _rows(tmp_path / "files", "participant")}
    assert ids == {_written(supervisor, p) for p in many}
    assert done.participants == 6
    written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "files").glob("*.csv"))
    assert not any(_written(supervisor, p) in written for p in [*few, again])


def test_a_person_one_of_whose_records_said_no_to_evaluation_is_not_sent(
    laptop: Laptop,
) -> None:
    """The most restrictive decision stands: one record was never asked about evaluation
    (so it says no), so the person is not in the evaluation at all (a withdrawal of what
    earlier bundles brought of both)."""
    laptop.give_programme_key()
    people = _people(laptop, 6, "gp")
    refused = laptop.person(source="gp")
    with laptop.store.write() as tx:  # never asked: no evaluation consent on this record
        asked = tx.session.scalars(
            select(Consent).where(Consent.participant_id == refused, Consent.scope == "evaluation")
        ).one()
        tx.delete(asked)
        tx.forget_consent_cache()
    merging.merge_records(Casebook(laptop.vault), people[0], refused)
    sent = evaluation_records_of(laptop)
    programme = bytes.fromhex(PROGRAMME_KEY)
    first = pseudonym(programme, people[0])
    for pid in (first, pseudonym(programme, refused)):
        assert {r["table"] for r in sent if r["participant_id"] == pid} == {"withdrawal"}
    assert len([r for r in sent if r["table"] == "participant"]) == 5
