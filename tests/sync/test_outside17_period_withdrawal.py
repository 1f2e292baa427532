"""Outside check 17: a withdrawal travels in a bundle of a period the case is not open in.

A worker sends their supervisor a bundle each quarter (`--period`, "File › Export for a
supervisor…" with months). A person whose case closed in February withdraws their consent in
May: to sharing with the team (rule 2: what the team holds of them goes), or to evaluation
(the evaluation copy drops them: bundles.md, "A person the source holds consent records of
but no longer sends … travels as a withdrawal record"). The second quarter's bundle keeps
only cases open in the quarter, so it left the withdrawal out too, and the supervisor's
vault went on holding the person's name, notes and evaluation rows. Erasures already travel
whatever the period. Real vaults, real bundles; synthetic data only.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from bundle_kit import PROGRAMME_KEY, Laptop, Supervisor, count, decrypted
from small_team import laptop_and_supervisor, sharing_person
from sqlalchemy import select
from sync_kit import Dev, ServerProcess, new_server

from linksdesk.casework import bundles, consent, participants
from linksdesk.casework.casebook import Casebook
from linksdesk.core.vocab import ConsentScope
from linksdesk.server import bundles as server_bundles
from linksdesk.server import keys as server_keys
from linksdesk.storage.tables import Consent, Participant
from linksdesk.sync import state
from linksdesk.sync.bundle import evaluation_vault, keys, receive

QUARTER = "2026-04..2026-06"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    srv = new_server(tmp_path)
    yield srv
    srv.close()


def _carry(laptop: Casebook, sup: Casebook, out: Path, kind: str, period: str | None) -> None:
    time.sleep(1.1)  # bundles are stamped to the second; a worker makes one a quarter
    recipient = bundles.bundle_key_state(sup)[1]
    assert recipient is not None
    bundles.export_bundle(laptop, out, kind=kind, recipients=[recipient], period=period)
    fingerprint = bundles.show_keys(laptop).signing.fingerprint
    bundles.import_file(sup, out, trust=fingerprint)


def _closed_in_february(laptop: Casebook) -> tuple[str, list[str]]:
    """Six people alike (so evaluation keeps their group); the first closed in February.
    Returns that person and everyone."""
    referred = dt.date(2026, 1, 12)  # and agreed then: they withdraw in May
    people = [sharing_person(laptop, n, referred, agreed=referred) for n in range(6)]
    for pid in people:
        consent.record_consent(laptop, pid, ConsentScope.EVALUATION, True, recorded_on=referred)
    participants.close_participant(laptop, people[0], "Moved away", on=dt.date(2026, 2, 20))
    return people[0], people


def test_a_team_withdrawal_reaches_the_supervisor_in_a_later_quarters_bundle(
    tmp_path: Path,
) -> None:
    with laptop_and_supervisor(tmp_path) as (laptop, sup, _carry_all):
        gone, _everyone = _closed_in_february(laptop)
        _carry(laptop, sup, tmp_path / "q1.age", "supervision", None)
        with sup.store.read() as s:
            assert s.get(Participant, gone) is not None
        consent.record_consent(
            laptop, gone, ConsentScope.TEAM, False, recorded_on=dt.date(2026, 5, 4)
        )
        _carry(laptop, sup, tmp_path / "q2.age", "supervision", QUARTER)
        with sup.store.read() as s:
            held = s.scalars(select(Participant.id).where(Participant.deleted.is_(False)))
            assert gone not in set(held)  # their name and record left with their consent
            identity = keys.age_identity(s)
        assert identity is not None
        # what travelled of them is their decision: no name, no other row of theirs
        sent = decrypted(tmp_path / "q2.age", identity)
        assert count(sent, "Person0") == 0 and count(sent, gone) > 0


def test_an_evaluation_withdrawal_reaches_the_copy_in_a_later_quarters_bundle(
    tmp_path: Path,
) -> None:
    with laptop_and_supervisor(tmp_path) as (laptop, sup, _carry_all):
        with laptop.store.write() as tx:
            state.put(tx.session, keys.PROGRAMME_KEY, PROGRAMME_KEY)
        gone, everyone = _closed_in_february(laptop)
        _carry(laptop, sup, tmp_path / "q1.age", "evaluation", None)
        with sup.store.read() as s:
            before = {r.record_id for r in evaluation_vault.kept(s).rows["participant"]}
        assert len(before) == len(everyone)
        consent.record_consent(
            laptop, gone, ConsentScope.EVALUATION, False, recorded_on=dt.date(2026, 5, 4)
        )
        _carry(laptop, sup, tmp_path / "q2.age", "evaluation", QUARTER)
        with sup.store.read() as s:
            after = {r.record_id for r in evaluation_vault.kept(s).rows["participant"]}
        assert len(after) == len(everyone) - 1  # the person who withdrew is out of the copy


# -- the server's bundle of a period ---------------------------------------------------------
@pytest.mark.parametrize("scope", ["evaluation", "team"])
def test_the_servers_quarter_bundle_carries_a_withdrawal_of_a_closed_case(
    tmp_path: Path, server: ServerProcess, scope: str
) -> None:
    team = server.team()
    dev = Dev.create(tmp_path, "laptop")
    sup = Supervisor.create(tmp_path)
    try:
        dev.enrol(server, server.worker(team))
        lap = Laptop(dev.path, dev.vault)
        lap.store = dev.store  # the store sync observes
        people = [lap.person(referred=dt.date(2026, 1, 12)) for _ in range(6)]
        with lap.store.write() as tx:
            row = tx.session.get(Participant, people[0])
            assert row is not None
            tx.update(row, status="closed", closed_on=dt.date(2026, 2, 20))
        dev.sync()
        first = tmp_path / "year.age"
        server_bundles.export(server.db, team, kind="evaluation", recipients=[sup.recipient]
                              ).write(first)  # fmt: skip
        server_fp = server_keys.public_key(server.db).fingerprint
        receive.import_bundle(sup.store, first, trust=server_fp)
        with sup.store.read() as s:
            assert len(evaluation_vault.kept(s).rows["participant"]) == 6
        with lap.store.write() as tx:
            tx.insert(Consent(participant_id=people[0], scope=scope, given=False, version=2,
                              recorded_on=dt.date(2026, 5, 4), method="verbal"))  # fmt: skip
            tx.forget_consent_cache()
        dev.sync()
        time.sleep(1.1)  # bundles are stamped to the second
        second = tmp_path / "quarter.age"
        server_bundles.export(server.db, team, kind="evaluation", recipients=[sup.recipient],
                              period=("2026-04", "2026-06")).write(second)  # fmt: skip
        receive.import_bundle(sup.store, second)
        with sup.store.read() as s:
            assert len(evaluation_vault.kept(s).rows["participant"]) == 5
    finally:
        dev.close()
        sup.vault.lock()


@pytest.mark.parametrize("period", [None, ("2026-04", "2026-06")])
def test_the_servers_team_bundle_carries_a_team_withdrawal(
    tmp_path: Path, server: ServerProcess, period: tuple[str, str] | None
) -> None:
    """The server takes a withdrawn person's record off (keeping their team consent
    records), and its bundle then held nothing of the withdrawal: the supervisor's vault,
    fed by the server's bundles, kept the person's name and case for good."""
    team = server.team()
    dev = Dev.create(tmp_path, "laptop")
    sup = Supervisor.create(tmp_path)
    try:
        dev.enrol(server, server.worker(team))
        lap = Laptop(dev.path, dev.vault)
        lap.store = dev.store
        leaving = lap.person(given_name="Withdrawing", referred=dt.date(2026, 4, 12))
        staying = lap.person(referred=dt.date(2026, 4, 12))
        dev.sync()
        first = tmp_path / "before.age"
        server_bundles.export(server.db, team, kind="supervision", recipients=[sup.recipient]
                              ).write(first)  # fmt: skip
        receive.import_bundle(sup.store, first, trust=server_keys.public_key(server.db).fingerprint)
        with sup.store.read() as s:
            assert s.get(Participant, leaving) is not None
        with lap.store.write() as tx:
            tx.insert(Consent(participant_id=leaving, scope="team", given=False, version=2,
                              recorded_on=dt.date(2026, 5, 4), method="verbal"))  # fmt: skip
            tx.forget_consent_cache()
        dev.sync()
        time.sleep(1.1)
        second = tmp_path / "after.age"
        server_bundles.export(server.db, team, kind="supervision", recipients=[sup.recipient],
                              period=period).write(second)  # fmt: skip
        receive.import_bundle(sup.store, second)
        with sup.store.read() as s:
            live = set(s.scalars(select(Participant.id).where(Participant.deleted.is_(False))))
        assert staying in live
        assert leaving not in live  # their name and case left the team with their consent
        sent = decrypted(second, sup.identity())
        assert count(sent, "Withdrawing") == 0 and count(sent, leaving) > 0  # the decision
    finally:
        dev.close()
        sup.vault.lock()
