"""The evaluation team's files never let a reader tell which worker is which. A laptop's
evaluation bundle names its worker beside their pseudonym and their participants' (and a
server's says which pseudonym is each worker's): files that carried the same pseudonyms
would give the link to whoever also saw one bundle. Two workers' laptops, real age and
minisign keys, the bundles opened with the real ``age`` tool as such a reader would: no id
in the files is anything a bundle holds, while each worker and each participant still has
one id across the files and across two writes. Synthetic data."""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

from bundle_kit import PROGRAMME_KEY, Laptop, Supervisor, bundle_of, fingerprint_of

from linksdesk.reports.evaluation import write_evaluation
from linksdesk.sync.bundle import receive
from linksdesk.sync.bundle.evaluation import pseudonym


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _cells(folder: Path) -> set[str]:
    """Every value in every file, any column."""
    return {
        value
        for path in folder.glob("*.csv")
        for row in _rows(folder, path.stem)
        for value in row.values()
        if value
    }


def _opened_with_age(bundle: Path, sup: Supervisor, tmp_path: Path) -> str:
    identity = tmp_path / "identity.txt"
    identity.write_text(sup.identity() + "\n")
    done = subprocess.run(["age", "-d", "-i", str(identity), str(bundle)],
                          check=True, capture_output=True)  # fmt: skip
    return done.stdout.decode()


def test_no_id_in_the_evaluation_files_is_one_a_bundle_carries(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    other = Laptop.create(tmp_path, "colleague")
    try:
        other.give_programme_key()
        bundles = []
        for lap in (laptop, other):
            for _ in range(5):
                lap.contact(lap.person(source="gp"))
            out = bundle_of(lap, supervisor, tmp_path / f"{lap.path.stem}.age", "evaluation")
            receive.import_bundle(supervisor.store, out, trust=fingerprint_of(lap))
            bundles.append(out)
        files = tmp_path / "files"
        write_evaluation(supervisor.store, files)
        # what a reader who also saw the bundles holds: every pseudonym, beside the worker
        seen = set()
        for bundle in bundles:
            seen |= set(re.findall(r"[0-9a-f]{64}", _opened_with_age(bundle, supervisor, tmp_path)))
        key = bytes.fromhex(PROGRAMME_KEY)
        workers = {lap.store.worker_id for lap in (laptop, other)}
        assert {pseudonym(key, w) for w in workers} <= seen  # the bundles do carry the link
        assert not _cells(files) & seen
        # yet the files still say which rows are one worker's and one participant's
        people = _rows(files, "participant")
        owners = [row["owner"] for row in people]
        assert len(set(owners)) == 2 and sorted(owners.count(o) for o in set(owners)) == [5, 5]
        contacts = _rows(files, "contact")
        assert len(contacts) == 10
        assert {row["participant"] for row in contacts} == {row["record_id"] for row in people}
        again = tmp_path / "again"
        write_evaluation(supervisor.store, again)
        assert _rows(again, "participant") == people
    finally:
        other.close()
