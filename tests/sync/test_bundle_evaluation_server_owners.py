"""A colleague's pseudonymised rows that reached the supervisor only through the server's
evaluation bundle: a hostile laptop of the team (enrolled, so it holds the programme key and
can work out the colleague's pseudonym from the roster's worker ids) sends, as its worker's
very first evaluation bundle, one of the colleague's participants changed, filed under the
colleague's pseudonym as if it were its own. The server's bundle now says which pseudonym is
whose, signed with the rest, so the claim is refused whole and nothing changes; an older
server's bundle, which says nothing of it, leaves such a first claim refused until the
team's newest bundle is imported. A real server on 127.0.0.1, real vaults. Synthetic data."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bundle_kit import Laptop, Supervisor, signed_by_laptop
from sync_kit import Dev, ServerProcess, new_server

from linksdesk.server import bundles as server_bundles
from linksdesk.server import keys as server_keys
from linksdesk.storage.bundle_tables import EvaluationRecord
from linksdesk.sync import state
from linksdesk.sync.bundle import evaluation, export, keys, receive
from linksdesk.sync.bundle.format import BundleRefused, Sender, seal

# what an older server's evaluation manifest held beyond the envelope (no "owners")
OLDER_MANIFEST = ("pseudonyms", "deprivation", "k_anonymity", "roster", "programme")


@dataclass
class Team:
    server: ServerProcess
    team: str
    colleague: Dev  # an honest worker's laptop, five people synced
    hostile: Dev  # another worker's laptop in the same team

    @property
    def programme_key(self) -> bytes:
        with self.hostile.store.read() as s:
            return bytes.fromhex(str(state.get(s, keys.PROGRAMME_KEY)))


def _five(dev: Dev) -> None:
    lap = Laptop(dev.path, dev.vault)
    lap.store = dev.store
    for _ in range(5):
        lap.contact(lap.person(concern="housing"))
    assert dev.sync().verified


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Team]:
    server = new_server(tmp_path)
    try:
        name = server.team()
        colleague, hostile = Dev.create(tmp_path, "colleague"), Dev.create(tmp_path, "hostile")
        try:
            for dev in (colleague, hostile):
                dev.enrol(server, server.worker(name))
                _five(dev)
            yield Team(server, name, colleague, hostile)
        finally:
            colleague.close()
            hostile.close()
    finally:
        server.close()


def _server_bundle(t: Team, sup: Supervisor, out: Path, *, older: bool = False) -> Path:
    """The team's evaluation bundle; ``older``: as a server before this version made it
    (no word on whose pseudonym is whose)."""
    sealed = server_bundles.export(t.server.db, t.team, kind="evaluation",
                                   recipients=[sup.recipient])  # fmt: skip
    if older:
        opened = receive.decrypt(sealed.data, sup.identity())
        extra = {k: v for k, v in sealed.manifest.items() if k in OLDER_MANIFEST}
        with t.server.db.reading() as s:
            key = server_keys.signing_key(s)
        sealed = seal(list(opened.records()), kind="evaluation", recipients=[sup.recipient],
                      sender=Sender("server", "sync server", None, None, t.team), key=key,
                      extra=extra)  # fmt: skip
    return sealed.write(out)[0]


def _records_of(dev: Dev, key: bytes) -> list[dict[str, Any]]:
    with dev.store.read() as s:
        caseload = export.caseload_changes(s, dev.store.worker_id)
    source = evaluation.Source(caseload.changes, caseload.erased, key, None)
    return copy.deepcopy(evaluation.evaluation_records(source)[0])


def _claiming_the_colleague(t: Team, sup: Supervisor, out: Path) -> Path:
    """The hostile laptop's first evaluation bundle: one of the colleague's participants
    changed, filed under the colleague's pseudonym as the laptop's own."""
    key = t.programme_key
    person = next(r for r in _records_of(t.colleague, key) if r["table"] == "participant")
    assert person["owner"] == evaluation.pseudonym(key, t.colleague.store.worker_id)
    records = [{**person, "fields": {**person["fields"], "referral_source": "self"}}]
    lap = Laptop(t.hostile.path, t.hostile.vault)
    lap.store = t.hostile.store
    pseudonyms = {"method": "HMAC-SHA256", "key_id": evaluation.key_id(key)}
    return signed_by_laptop(lap, sup, out, records, team=t.team, kind="evaluation",
                            extra={"pseudonyms": pseudonyms})  # fmt: skip


def _source_of(sup: Supervisor, pseudonym: str) -> set[str]:
    with sup.store.read() as s:
        rows = s.query(EvaluationRecord).filter(EvaluationRecord.owner_key == pseudonym).all()
        return {str(r.fields.get("referral_source")) for r in rows if r.table_name == "participant"}


def _refused(sup: Supervisor, path: Path) -> str:
    before = sup.content_hash()
    with pytest.raises(BundleRefused) as refused:
        receive.import_bundle(sup.store, path)
    assert sup.content_hash() == before
    message = str(refused.value)
    assert "Nothing was imported" in message and "\n" not in message
    return message


def test_a_hostile_laptops_first_bundle_cannot_claim_a_colleagues_pseudonym_the_server_bound(
    tmp_path: Path, supervisor: Supervisor, team: Team
) -> None:
    server_fp = server_keys.public_key(team.server.db).fingerprint
    made = _server_bundle(team, supervisor, tmp_path / "server.age")
    assert receive.import_bundle(supervisor.store, made, trust=server_fp).applied > 0
    colleague = evaluation.pseudonym(team.programme_key, team.colleague.store.worker_id)
    assert _source_of(supervisor, colleague) == {"gp"}
    claim = _claiming_the_colleague(team, supervisor, tmp_path / "claim.age")
    assert "another worker's pseudonym" in _refused(supervisor, claim)
    assert _source_of(supervisor, colleague) == {"gp"}
    # the honest laptops of both workers are taken, the colleague's first bundle included
    for dev in (team.colleague, team.hostile):
        own = tmp_path / f"{dev.label}.age"
        export.export_to_file(dev.store, own, kind="evaluation", recipients=[supervisor.recipient])
        assert receive.import_bundle(supervisor.store, own).unchanged > 0


def test_after_an_older_servers_bundle_a_first_claim_waits_for_the_teams_newest(
    tmp_path: Path, supervisor: Supervisor, team: Team
) -> None:
    """An older server's evaluation bundle is still read, but it says nothing of whose each
    pseudonym is: a laptop's first bundle claiming rows only it brought is refused, with what
    to do, until the team's newest bundle says whose they are."""
    server_fp = server_keys.public_key(team.server.db).fingerprint
    older = _server_bundle(team, supervisor, tmp_path / "older.age", older=True)
    assert receive.import_bundle(supervisor.store, older, trust=server_fp).applied > 0
    claim = _claiming_the_colleague(team, supervisor, tmp_path / "claim.age")
    message = _refused(supervisor, claim)
    assert "import the team's newest evaluation bundle from the server first" in message
    newest = _server_bundle(team, supervisor, tmp_path / "newest.age")
    receive.import_bundle(supervisor.store, newest)
    assert "another worker's pseudonym" in _refused(supervisor, claim)
    own = tmp_path / "colleague.age"
    export.export_to_file(team.colleague.store, own, kind="evaluation",
                          recipients=[supervisor.recipient])  # fmt: skip
    assert receive.import_bundle(supervisor.store, own).unchanged > 0


def test_what_a_laptop_filed_under_a_colleagues_pseudonym_goes_when_the_server_says_whose(
    tmp_path: Path, supervisor: Supervisor, team: Team
) -> None:
    """Before any bundle of the server's, a supervisor accepts the hostile laptop by its
    fingerprint, and its first bundle files five made-up people (never synced) under the
    colleague's pseudonym: nothing here could tell. The server's bundle then says whose each
    pseudonym is: the claim is undone (those rows go, the colleague's own stay), and the
    colleague's laptop is taken."""
    key = team.programme_key
    theirs = evaluation.pseudonym(key, team.colleague.store.worker_id)
    lap = Laptop(team.hostile.path, team.hostile.vault)
    lap.store = team.hostile.store
    made_up = {evaluation.pseudonym(key, lap.person(concern="housing")) for _ in range(5)}
    records = [r for r in _records_of(team.hostile, key) if r["participant_id"] in made_up]
    for rec in records:
        rec["owner"] = theirs
    pseudonyms = {"method": "HMAC-SHA256", "key_id": evaluation.key_id(key)}
    claim = signed_by_laptop(lap, supervisor, tmp_path / "claim.age", records, team=team.team,
                             kind="evaluation", extra={"pseudonyms": pseudonyms})  # fmt: skip
    hostile_fp = keys.signing_key(team.hostile.store).public.fingerprint
    assert receive.import_bundle(supervisor.store, claim, trust=hostile_fp).applied == len(records)
    server_fp = server_keys.public_key(team.server.db).fingerprint
    made = _server_bundle(team, supervisor, tmp_path / "server.age")
    report = receive.import_bundle(supervisor.store, made, trust=server_fp)
    assert report.dropped == len(records) and "removed" in report.describe()
    with supervisor.store.read() as s:
        held = s.query(EvaluationRecord).filter(EvaluationRecord.owner_key == theirs).all()
    people = {r.record_id for r in held if r.table_name == "participant"}
    assert len(people) == 5 and not people & made_up  # the colleague's five, none made up
    own = tmp_path / "colleague.age"
    export.export_to_file(team.colleague.store, own, kind="evaluation",
                          recipients=[supervisor.recipient])  # fmt: skip
    assert receive.import_bundle(supervisor.store, own).unchanged > 0
