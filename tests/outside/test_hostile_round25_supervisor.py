"""Round 25 of the outside testing, the supervisor's side: a hostile or careless sender, a
confused supervisor, a second laptop of one worker.

Bundles are made as a laptop makes them (or as someone holding a laptop's key could make one
by hand), written to disk, and imported with ``linksdesk import`` in its own process into a
real supervisor's vault. Synthetic data; no name or note text is printed.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bundle_kit import (
    PROGRAMME_KEY,
    Laptop,
    Supervisor,
    bundle_of,
    decrypted,
    hand_made,
    roster_file,
    signed_by_laptop,
)
from sync_kit import Dev, new_server, two_laptops
from test_cli import PASSPHRASE, linksdesk

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.casework.participants import create_participant
from linksdesk.core.vocab import ConsentScope
from linksdesk.server import admin
from linksdesk.server import bundles as server_bundles
from linksdesk.server import keys as server_keys
from linksdesk.storage.bundle_tables import EvaluationRecord
from linksdesk.storage.tables import Consent, Contact, Participant
from linksdesk.storage.vault import Vault
from linksdesk.sync import state
from linksdesk.sync.bundle import evaluation, export, keys
from linksdesk.sync.bundle.format import erase_record, now_utc
from linksdesk.sync.bundle.signing import SigningKey
from linksdesk.sync.policy import SyncPolicy
from linksdesk.sync.totals import refresh_monthly_totals

PLANTED = "00000000-0000-7000-8000-00000000c0de"


def _fingerprint(lap: Laptop) -> str:
    return keys.signing_key(lap.store).public.fingerprint


def _caseload(lap: Laptop) -> list[dict[str, Any]]:
    with lap.store.read() as s:
        return export.caseload_changes(s, lap.store.worker_id).changes


def _import(home: Path, vault: Path, bundle: Path, trust: str) -> Any:
    """``linksdesk import --trust FINGERPRINT`` in its own process."""
    args = ("import", "--vault", str(vault), "--trust", trust, str(bundle))
    return linksdesk(home, *args, passphrase=PASSPHRASE)


def _imported(home: Path, vault: Path, bundle: Path, trust: str) -> None:
    """The same; it must succeed."""
    done = _import(home, vault, bundle, trust)
    assert done.returncode == 0, done.returncode


def _reaching(case: str, lap: Laptop, theirs: str, mine: list[dict[str, Any]]) -> dict[str, Any]:
    """One record of laptop ``lap``'s, signed as its own worker's, about a colleague's
    participant ``theirs`` that the supervisor's vault does not hold yet (``case``: an
    erasure, a withdrawn team consent, a contact)."""
    hlc = lap.store.clock.now().encode()
    if case == "erase":
        return erase_record(
            "00000000-0000-4000-8000-0000000000e5",
            theirs,
            hlc,
            origin=lap.store.device_id,
            owner=lap.store.worker_id,
        )
    withdrawn = {"scope": "team", "given": False, "version": 9}
    table, fields = ("consent", withdrawn) if case == "withdraw" else ("contact", {})
    own = next(c for c in mine if c["table"] == table)
    return {
        **own,
        "change_id": "00000000-0000-5000-8000-00000000c0de",
        "row_id": PLANTED,
        "participant_id": theirs,
        "hlc": hlc,
        "field_hlc": {},
        "fields": {**own["fields"], **fields, "participant_id": theirs},
    }


def _imports(tmp_path: Path) -> tuple[int, str, str]:
    """Worker A's laptop (a former holder of the case, say, who kept its id) signs, as its
    own worker's, a contact with worker B's participant, beside its own caseload. The
    supervisor imports A's bundle first (a new vault, the stick's files in any order), then
    B's honest bundle, each with ``linksdesk import``. A's import's exit code, B's
    participant's id and B's worker id."""
    home = tmp_path / "home"
    sup = Supervisor.create(tmp_path)
    a, b = Laptop.create(tmp_path, "worker-a"), Laptop.create(tmp_path, "worker-b")
    theirs = b.person()
    a.contact(a.person())
    mine = _caseload(a)
    reach = signed_by_laptop(
        a, sup, tmp_path / "a.age", [*mine, _reaching("contact", a, theirs, mine)]
    )
    honest = tmp_path / "b.age"
    export.export_to_file(b.store, honest, kind="supervision", recipients=[sup.recipient])
    fingerprints = _fingerprint(a), _fingerprint(b)
    worker_b = b.store.worker_id
    for lap in (a, b):
        lap.close()
    sup.vault.lock()
    args = ("import", "--vault", str(sup.path), "--trust", fingerprints[0], str(reach))
    first = linksdesk(home, *args, passphrase=PASSPHRASE).returncode
    _imported(home, sup.path, honest, fingerprints[1])
    return first, theirs, worker_b


def _held(vault_path: Path, table: type[Any], row_id: str) -> Any:
    """The row's owner in the supervisor's vault, or None when it is not held."""
    vault = Vault.unlock(vault_path, PASSPHRASE)
    try:
        with vault.store(SyncPolicy()).read() as s:
            row = s.get(table, row_id)
            return None if row is None else row.owner
    finally:
        vault.lock()


def test_a_laptops_row_on_a_colleagues_participant_not_yet_here_is_refused(
    tmp_path: Path,
) -> None:
    """A contact of A's on B's participant, imported before B's bundle, waited in the vault
    for its participant; B's honest bundle then brought the participant and the contact sat
    in B's case as A's (a case note could as well). A laptop's row of a participant its
    bundle does not bring, and the vault does not hold on its worker's caseload, is refused."""
    first, theirs, worker_b = _imports(tmp_path)
    vault = tmp_path / "supervisor.vault"
    assert first != 0
    assert _held(vault, Participant, theirs) == worker_b
    assert _held(vault, Contact, PLANTED) is None


def test_a_laptops_evaluation_row_on_a_colleagues_participant_not_yet_here_is_refused(
    tmp_path: Path,
) -> None:
    """The same in an evaluation bundle: a contact under A's pseudonym on B's participant's
    pseudonym (a laptop holds the programme key), imported before B's bundle, sat in B's
    case once B's bundle came. A row of a participant the bundle does not bring, and the
    vault does not hold under the laptop's worker, is refused."""
    home = tmp_path / "home"
    sup = Supervisor.create(tmp_path)
    a, b = Laptop.create(tmp_path, "worker-a"), Laptop.create(tmp_path, "worker-b")
    for lap in (a, b):
        lap.give_programme_key()
    people = [b.person() for _ in range(5)]  # five alike: the group is kept (k = 5)
    theirs = people[0]
    for _ in range(5):
        a.contact(a.person())
    own = bundle_of(a, sup, tmp_path / "own.age", kind="evaluation")
    lines = decrypted(own, sup.identity()).split(b"\n")[3:]
    records = [json.loads(line) for line in lines if line]
    key = bytes.fromhex(PROGRAMME_KEY)
    contact = next(r for r in records if r["table"] == "contact")
    planted = {
        **contact,
        "id": evaluation.pseudonym(key, PLANTED),
        "participant_id": evaluation.pseudonym(key, theirs),
    }
    reach = hand_made(a, sup, tmp_path / "a.age", [*records, planted], kind="evaluation")
    honest = bundle_of(b, sup, tmp_path / "b.age", kind="evaluation")
    fingerprints = _fingerprint(a), _fingerprint(b)
    for lap in (a, b):
        lap.close()
    sup.vault.lock()

    args = ("import", "--vault", str(sup.path), "--trust", fingerprints[0], str(reach))
    assert linksdesk(home, *args, passphrase=PASSPHRASE).returncode != 0
    _imported(home, sup.path, honest, fingerprints[1])
    vault = Vault.unlock(sup.path, PASSPHRASE)
    try:
        with vault.store(SyncPolicy()).read() as s:
            assert s.get(EvaluationRecord, ("contact", planted["id"])) is None
            assert s.get(EvaluationRecord, ("participant", planted["participant_id"]))
    finally:
        vault.lock()


def test_a_laptop_cannot_take_a_colleagues_monthly_totals_first(tmp_path: Path) -> None:
    """A monthly total's id derives from the device that counts and the month, and the
    device ids of a team's laptops are in every row they write (the team's resource
    directory reaches every laptop). Worker A's laptop sent B's laptop's total for a month
    as A's, before B's bundle came: the vault then held B's row under A and refused every
    bundle of B's ("a participant on another worker's caseload"). With the team's roster
    imported first, as the guide says, the vault knows B's laptop, and A's bundle is refused."""
    home = tmp_path / "home"
    sup = Supervisor.create(tmp_path)
    a, b = Laptop.create(tmp_path, "worker-a"), Laptop.create(tmp_path, "worker-b")
    a.person()
    b.person(team=False)  # counted in B's anonymous monthly totals
    refresh_monthly_totals(b.store, b.store.worker_id)  # as making a bundle does
    server = SigningKey.generate()
    roster = roster_file(tmp_path / "roster.json", server, None, a, b)
    honest = signed_by_laptop(b, sup, tmp_path / "b.age", team="team-north")
    lines = decrypted(honest, sup.identity()).split(b"\n")[3:]
    theirs = next(r for r in map(json.loads, filter(None, lines)) if r["table"] == "monthly_total")
    taken = {**theirs, "owner": a.store.worker_id, "hlc": a.store.clock.now().encode()}
    mine = [c for c in _caseload(a) if c["table"] != "monthly_total"]
    reach = signed_by_laptop(a, sup, tmp_path / "a.age", [*mine, taken], team="team-north")
    for lap in (a, b):
        lap.close()
    sup.vault.lock()

    _imported(home, sup.path, roster, server.public.fingerprint)
    args = ("import", "--vault", str(sup.path), str(reach))
    assert linksdesk(home, *args, passphrase=PASSPHRASE).returncode != 0
    done = linksdesk(home, "import", "--vault", str(sup.path), str(honest), passphrase=PASSPHRASE)
    assert done.returncode == 0


@pytest.mark.parametrize("scope", [ConsentScope.EVALUATION, ConsentScope.TEAM])
def test_a_withdrawal_on_one_laptop_holds_against_the_other_laptops_later_bundle(
    tmp_path: Path, scope: ConsentScope
) -> None:
    """One worker, two laptops that synced six people (team and evaluation consent given).
    On the office laptop one person withdraws; before it syncs, the office laptop's
    evaluation bundle is made, then the venues laptop's (as the worker hands both over on
    one stick). The supervisor imports both: the person must not be in the evaluation files.
    The venues bundle, made later, holds their first consents only, which the withdrawal
    outranks (the supervision side compares consents so), but the evaluation copy goes by
    when bundles were made, and the files counted the person again."""
    home = tmp_path / "home"
    server = new_server(tmp_path)
    made: list[Dev] = []

    def device(label: str) -> Dev:
        made.append(Dev.create(tmp_path, label))
        return made[-1]

    try:
        office, venues = two_laptops(server, device)
        book = Casebook(office.vault)
        people = []
        for n in range(6):
            pid = create_participant(book, given_name=f"P{n}", family_name="Example").value.id
            for given in (ConsentScope.TEAM, ConsentScope.EVALUATION):
                record_consent(book, pid, given, True)
            people.append(pid)
        office.sync()
        venues.sync()
        record_consent(book, people[0], scope, False)
        sup = Supervisor.create(tmp_path)
        start = now_utc() - dt.timedelta(hours=1)
        bundles = []
        for minutes, dev in enumerate((office, venues)):
            out = tmp_path / f"{dev.path.stem}.age"
            when = start + dt.timedelta(minutes=10 * minutes)
            export.export_to_file(
                dev.store, out, kind="evaluation", recipients=[sup.recipient], now=when
            )
            bundles.append((out, keys.signing_key(dev.store).public.fingerprint))
    finally:
        for dev in made:
            dev.close()
        server.close()
    sup.vault.lock()

    for bundle, fingerprint in bundles:
        _imported(home, sup.path, bundle, fingerprint)
    listed = _evaluation_files(home, sup.path, tmp_path / "evaluation")
    assert len(listed) == 5  # the five who still consent, not the one who withdrew
    assert not [n for n in listed[0] if "consent" in n]  # kept in the copy only


def _evaluation_files(home: Path, vault: Path, folder: Path) -> list[dict[str, str]]:
    """The evaluation files' participants, written with ``linksdesk evaluation``."""
    args = ("evaluation", "--vault", str(vault), "--out", str(folder))
    assert linksdesk(home, *args, passphrase=PASSPHRASE).returncode == 0
    with (folder / "participant.csv").open(newline="") as f:
        return list(csv.DictReader(f))


def _team_of_two(tmp_path: Path, server: Any) -> tuple[str, Laptop, Laptop, list[Dev]]:
    """A new team on ``server`` with workers A and B, a laptop each, enrolled and opened
    again: the team's id, A's and B's laptops (with the kit's helpers), and the devices."""
    team = server.team()
    devs = [Dev.create(tmp_path, label) for label in ("worker-a", "worker-b")]
    laptops = []
    for dev in devs:
        dev.enrol(server, server.worker(team))
        dev.reopen()
        lap = Laptop(dev.path, dev.vault)
        lap.store = dev.store
        laptops.append(lap)
    return team, laptops[0], laptops[1], devs


def _left_out_said(done: Any, theirs: str, settles: str = "team's bundle") -> None:
    """An import that left a participant out, and said so in the supervisor's words (no id;
    ``settles``: the server's bundle it names)."""
    said = done.stdout + done.stderr
    assert done.returncode != 0
    assert "1 participant in this bundle was left out" in said
    assert f"{settles} from the server" in said
    assert theirs not in said


@dataclass(frozen=True)
class _Stick:
    """What a supervisor is handed: A's bundle, B's, the server's team bundle, their
    signers' fingerprints (A, B, server), B's participant and B's worker id."""

    mine: Path
    theirs_bundle: Path
    team: Path
    fingerprints: tuple[str, str, str]
    theirs: str
    worker_b: str


def _handed(
    tmp_path: Path,
    before: Callable[[Any, Supervisor, Laptop, list[Dev], str], Path],
    kind: str = "supervision",
    people: int = 1,
) -> _Stick:
    """A team of two on a server: B's ``people`` participants (alike) synced, then
    ``before(server, supervisor, A's laptop, the devices, B's first participant)`` makes A's
    bundle; B's laptop makes its bundle of ``kind`` after, and the server its team bundle of
    ``kind``. All closed, the vault locked."""
    server = new_server(tmp_path)
    sup = Supervisor.create(tmp_path)
    devs: list[Dev] = []
    try:
        team, a, b, devs = _team_of_two(tmp_path, server)
        theirs, *_alike = (b.person() for _ in range(people))
        devs[1].sync()
        mine = before(server, sup, a, devs, theirs)
        honest = bundle_of(b, sup, tmp_path / "b.age", kind)
        team_bundle = tmp_path / "team.age"
        sealed = server_bundles.export(server.db, team, kind=kind, recipients=[sup.recipient])
        sealed.write(team_bundle)
        server_fp = server_keys.public_key(server.db).fingerprint
        fingerprints = (_fingerprint(a), _fingerprint(b), server_fp)
        stick = _Stick(mine, honest, team_bundle, fingerprints, theirs, b.store.worker_id)
    finally:
        for dev in devs:
            dev.close()
        server.close()
    sup.vault.lock()
    return stick


@pytest.mark.parametrize("case", ["erase", "withdraw"])
def test_a_laptops_erasure_imported_first_cannot_keep_a_colleagues_case_out(
    tmp_path: Path, case: str
) -> None:
    """An honest laptop's bundle carries an erasure or a team withdrawal alone (the person's
    row is gone from the laptop), so the vault takes one for a participant it never held.
    From A's laptop, about B's participant, it made B's next honest bundle bring nothing of
    them, and B's import said all was up to date. Two laptops disagree: B's import says a
    participant was left out, and the server's team bundle (which checked who holds the
    case) settles it; B's bundle then imports again."""

    def forged(_server: Any, sup: Supervisor, a: Laptop, _devs: list[Dev], theirs: str) -> Path:
        a.contact(a.person())
        mine = _caseload(a)
        reach = [*mine, _reaching(case, a, theirs, mine)]
        return signed_by_laptop(a, sup, tmp_path / "a.age", reach)

    home, vault = tmp_path / "home", tmp_path / "supervisor.vault"
    got = _handed(tmp_path, forged)
    fps = got.fingerprints
    assert _import(home, vault, got.mine, fps[0]).returncode == 0
    _left_out_said(_import(home, vault, got.theirs_bundle, fps[1]), got.theirs)
    assert _held(vault, Participant, got.theirs) is None
    _imported(home, vault, got.team, fps[2])
    assert _held(vault, Participant, got.theirs) == got.worker_b
    _imported(home, vault, got.theirs_bundle, fps[1])  # again, once settled: taken
    assert _held(vault, Participant, got.theirs) == got.worker_b
    assert _held(vault, Consent, PLANTED) is None


def test_an_erasure_after_a_handover_stands_against_the_former_holders_stale_laptop(
    tmp_path: Path,
) -> None:
    """The honest case the laptops' disagreement must not undo: B handed the case to A, A
    erased it and synced, B's laptop (not synced since) made a bundle later. A's bundle
    imported first, B's says a participant was left out; the server's team bundle carries
    the erasure, which stands: B's bundle again brings nothing of the person back."""

    def erased(server: Any, sup: Supervisor, a: Laptop, devs: list[Dev], theirs: str) -> Path:
        admin.handover(server.db, theirs, a.store.worker_id)
        devs[0].sync()
        assert devs[0].get("participant", theirs) is not None
        devs[0].erase(theirs)
        devs[0].sync()
        return bundle_of(a, sup, tmp_path / "a.age")

    home, vault = tmp_path / "home", tmp_path / "supervisor.vault"
    got = _handed(tmp_path, erased)
    fps = got.fingerprints
    _imported(home, vault, got.mine, fps[0])
    _left_out_said(_import(home, vault, got.theirs_bundle, fps[1]), got.theirs)
    _imported(home, vault, got.team, fps[2])
    assert _held(vault, Participant, got.theirs) is None
    _imported(home, vault, got.theirs_bundle, fps[1])
    assert _held(vault, Participant, got.theirs) is None


def _b_left_out(
    tmp_path: Path, before: Callable[[Any, Supervisor, Laptop, list[Dev], str], Path]
) -> tuple[Path, Path, _Stick]:
    """Evaluation bundles (``_handed``: B six people alike): A's imported, then B's, which
    says it left a participant out. The home, the vault, and what the supervisor was handed."""
    home, vault = tmp_path / "home", tmp_path / "supervisor.vault"
    got = _handed(tmp_path, before, kind="evaluation", people=6)
    _imported(home, vault, got.mine, got.fingerprints[0])
    done = _import(home, vault, got.theirs_bundle, got.fingerprints[1])
    _left_out_said(done, got.theirs, settles="team's evaluation bundle")
    return home, vault, got


def _pseudonym(lap: Laptop, pid: str) -> str:
    """``pid``'s pseudonym under the programme key the laptop holds (from the server)."""
    with lap.store.read() as s:
        return evaluation.pseudonym(bytes.fromhex(state.get(s, keys.PROGRAMME_KEY)), pid)


@pytest.mark.parametrize("case", ["erase", "withdraw"])
def test_a_laptops_evaluation_withdrawal_imported_first_cannot_leave_a_colleagues_case_uncounted(
    tmp_path: Path, case: str
) -> None:
    """The same in the evaluation copy. A laptop holds the programme key, so A's computes
    B's participant's pseudonym and sends, as A's, its erasure or a withdrawal under consent
    versions no consent of the person's outranks (as an honest laptop sends a withdrawal or an
    erasure: alone). Imported first, it kept B's participant out of the evaluation files for
    good, and B's import said all was up to date. B's import now says a participant was left
    out (a withdrawal means "do not count me": a colleague's word is not overruled by a
    laptop), and the server's evaluation bundle settles it: the participant is counted."""

    def forged(_server: Any, sup: Supervisor, a: Laptop, _devs: list[Dev], theirs: str) -> Path:
        held = _pseudonym(a, theirs)
        reach = {"table": "participant", "id": held, "participant_id": held, "owner": None,
                 "op": "erase", "fields": {}}  # fmt: skip
        if case == "withdraw":
            reach = {**reach, "table": "withdrawal", "op": "upsert",
                     evaluation.CONSENTS: {"team": 99, "evaluation": 99}}  # fmt: skip
        with a.store.read() as s:
            key_id = evaluation.key_id(bytes.fromhex(state.get(s, keys.PROGRAMME_KEY)))
        pseudonyms = {"pseudonyms": {"method": "HMAC-SHA256", "key_id": key_id}}
        out = tmp_path / "a.age"
        return signed_by_laptop(a, sup, out, [reach], kind="evaluation", extra=pseudonyms)

    home, vault, got = _b_left_out(tmp_path, forged)
    assert len(_evaluation_files(home, vault, tmp_path / "before")) == 5
    fps = got.fingerprints
    _imported(home, vault, got.team, fps[2])
    assert len(_evaluation_files(home, vault, tmp_path / "settled")) == 6
    _imported(home, vault, got.theirs_bundle, fps[1])  # again, once settled: taken
    assert len(_evaluation_files(home, vault, tmp_path / "again")) == 6


def test_a_withdrawal_after_a_handover_keeps_the_person_uncounted_against_a_stale_laptop(
    tmp_path: Path,
) -> None:
    """Why a colleague's bundle does not simply win in the evaluation copy either: B handed
    the case to A, the person withdrew their evaluation consent on A's laptop (synced), and
    B's laptop, not synced since, makes its bundle later. A's bundle imported first, B's says
    a participant was left out (counting them would count a person who said "do not count
    me"); the server's evaluation bundle carries the withdrawal, which stands."""

    def withdrew(server: Any, sup: Supervisor, a: Laptop, devs: list[Dev], theirs: str) -> Path:
        admin.handover(server.db, theirs, a.store.worker_id)
        devs[0].sync()
        record_consent(Casebook(devs[0].vault), theirs, ConsentScope.EVALUATION, False)
        devs[0].sync()
        return bundle_of(a, sup, tmp_path / "a.age", "evaluation")

    home, vault, got = _b_left_out(tmp_path, withdrew)
    fps = got.fingerprints
    _imported(home, vault, got.team, fps[2])
    _imported(home, vault, got.theirs_bundle, fps[1])
    assert len(_evaluation_files(home, vault, tmp_path / "files")) == 5
