"""Someone who knows which links worker a person sees, and their age band, referral source
and when they were referred, looks them up in the evaluation files. Every row of the files
names its worker (pseudonymised, but one id per worker, and the board's report counts per
worker beside it); the copy's groups of five are counted across all workers. A laptop's
bundle holds one worker's people, so each bundle's groups are one worker's; after one of a
worker's five withdraws, their next bundle leaves the other four out, the copy keeps them
from the bundle before, and the files hold four people alike under one worker: with the
worker known, a group of four. The groups are now counted among one worker's people, in
every bundle and again in the copy. Synthetic data, real bundles, participant.csv read with
csv."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

from bundle_kit import Laptop, Supervisor, fingerprint_of

from linksdesk.reports.evaluation import write_evaluation
from linksdesk.storage.tables import Consent
from linksdesk.sync.bundle import export, receive
from linksdesk.sync.bundle.evaluation import QUASI_IDENTIFIERS, K
from linksdesk.sync.bundle.format import now_utc


def test_no_group_under_one_worker_is_smaller_than_five(tmp_path: Path) -> None:
    sup = Supervisor.create(tmp_path)
    laptops = [Laptop.create(tmp_path, f"worker{n}") for n in range(2)]
    try:
        start = now_utc() - dt.timedelta(hours=2)
        people = []
        for n, lap in enumerate(laptops):
            lap.give_programme_key()
            people.append([lap.person(source="gp") for _ in range(K)])
            out = tmp_path / f"first{n}.age"
            export.export_to_file(lap.store, out, kind="evaluation", recipients=[sup.recipient],
                                  now=start)  # fmt: skip
            receive.import_bundle(sup.store, out, trust=fingerprint_of(lap))
        with laptops[0].store.write() as tx:  # one of the first worker's five withdraws
            withdrawn = Consent(
                participant_id=people[0][0], scope="evaluation", given=False, version=2,
                recorded_on=dt.date(2026, 6, 1), method="verbal",
            )  # fmt: skip
            tx.insert(withdrawn)
            tx.forget_consent_cache()
        again = tmp_path / "again.age"
        later = start + dt.timedelta(hours=1)
        export.export_to_file(laptops[0].store, again, kind="evaluation",
                              recipients=[sup.recipient], now=later)  # fmt: skip
        receive.import_bundle(sup.store, again)
        written = write_evaluation(sup.store, tmp_path / "files")
    finally:
        for lap in laptops:
            lap.close()
        sup.vault.lock()
    with (tmp_path / "files" / "participant.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # the first worker's four left, alike, are left out: under their worker, they are four
    assert written.participants == len(rows) == K and written.left_out == K - 1
    groups = Counter(tuple(row[q] for q in ("owner", *QUASI_IDENTIFIERS)) for row in rows)
    assert min(groups.values()) >= K, sorted(groups.values())
