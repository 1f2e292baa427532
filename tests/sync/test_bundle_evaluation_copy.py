"""The supervisor's evaluation copy stays k-anonymous when it is read, not only when each
bundle was made: a withdrawal after import leaves a group of four, and whatever is written
from the copy (the evaluation team's CSV files, through the function and the command line)
leaves that group out with everything of its people."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from bundle_kit import PASSPHRASE, PROGRAMME_KEY, Laptop, Supervisor
from test_cli import linksdesk

from linksdesk.reports.evaluation import release_key, released_id, write_evaluation
from linksdesk.storage.tables import Consent
from linksdesk.sync.bundle import export, keys, receive
from linksdesk.sync.bundle.evaluation import pseudonym
from linksdesk.sync.bundle.format import now_utc


def _evaluation_bundle(lap: Laptop, sup: Supervisor, out: Path, when: dt.datetime) -> None:
    export.export_to_file(lap.store, out, kind="evaluation", recipients=[sup.recipient], now=when)


def _keys_in(folder: Path) -> set[str]:
    """Every participant pseudonym the files hold, in any column."""
    found = set()
    for path in folder.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                found |= {v for v in row.values() if v}
    return found


def _as_written(sup: Supervisor, pids: list[str]) -> set[str]:
    """The participants' ids as the vault's evaluation files give them."""
    with sup.store.write() as tx:
        key = release_key(tx.session)
    programme = bytes.fromhex(PROGRAMME_KEY)
    return {str(released_id(key, pseudonym(programme, pid))) for pid in pids}


def _participants(folder: Path) -> set[str]:
    with (folder / "participant.csv").open(newline="", encoding="utf-8") as fh:
        return {row["record_id"] for row in csv.DictReader(fh)}


def test_a_group_that_withdrawals_shrank_below_five_is_left_out_of_what_is_written(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    laptop.give_programme_key()
    small = [laptop.person(source="gp") for _ in range(5)]
    large = [laptop.person(source="self") for _ in range(6)]
    for pid in small + large:
        laptop.contact(pid)
    start = now_utc() - dt.timedelta(hours=2)
    first = tmp_path / "first.age"
    _evaluation_bundle(laptop, supervisor, first, start)
    fingerprint = keys.signing_key(laptop.store).public.fingerprint
    receive.import_bundle(supervisor.store, first, trust=fingerprint)
    everyone = _as_written(supervisor, small + large)
    before = write_evaluation(supervisor.store, tmp_path / "before")
    assert _participants(tmp_path / "before") == everyone and before.left_out == 0
    # one person of the small group withdraws evaluation consent; the next bundle says so
    with laptop.store.write() as tx:
        tx.insert(Consent(participant_id=small[0], scope="evaluation", given=False, version=2,
                          recorded_on=dt.date(2026, 6, 1), method="verbal"))  # fmt: skip
        tx.forget_consent_cache()
    second = tmp_path / "second.age"
    _evaluation_bundle(laptop, supervisor, second, start + dt.timedelta(hours=1))
    receive.import_bundle(supervisor.store, second)
    # the stored copy holds four of the small group: none of them is written
    kept = _as_written(supervisor, large)
    gone = _as_written(supervisor, small)
    done = write_evaluation(supervisor.store, tmp_path / "after")
    assert _participants(tmp_path / "after") == kept
    assert not _keys_in(tmp_path / "after") & gone
    assert done.left_out == 4 and done.participants == 6
    assert done.files["contact.csv"] == 6
    # the command line writes the same, and says why some were left out
    supervisor.vault.lock()
    cli = linksdesk(tmp_path, "evaluation", "--vault", str(supervisor.path),
                    "--out", str(tmp_path / "cli"), passphrase=PASSPHRASE)  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    assert "4 participants were left out" in cli.stdout
    assert _participants(tmp_path / "cli") == kept
    again = linksdesk(tmp_path, "evaluation", "--vault", str(supervisor.path),
                      "--out", str(tmp_path / "cli"), passphrase=PASSPHRASE)  # fmt: skip
    assert again.returncode != 0 and "already exists" in again.stderr
