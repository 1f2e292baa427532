"""The supervision copy's figures are worked out when a report is made: after a withdrawal
reached the vault, a group that was large enough to show (ten referrals from GPs) and now is
not (nine) is hidden in the next external report and file, not shown from an older count."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from bundle_kit import Laptop, Supervisor, bundle_of

from linksdesk.core.vocab import ReferralSource
from linksdesk.reports.build import report_from_store
from linksdesk.reports.export import export_report
from linksdesk.reports.model import SUPPRESSED_MARK, Table
from linksdesk.reports.scope import Period, Scope
from linksdesk.storage.tables import Consent
from linksdesk.sync.bundle import keys, receive

APRIL = Scope(Period.parse("2026-04"))


def _gp_referrals(sup: Supervisor) -> tuple[int, bool]:
    """April's referrals from GPs in the external report, and whether the cell is hidden."""
    report = report_from_store(sup.store, APRIL, audience="external")
    table: Table = report.section("referrals").table("referrals_by_source")
    row = next(i for i, r in enumerate(table.rows) if r[0] == ReferralSource.GP.label)
    column = table.column_index("2026-04")
    return int(table.rows[row][column] or 0), (row, column) in table.suppressed


def test_a_group_a_withdrawal_shrank_is_hidden_in_the_next_external_report(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    people = [laptop.person(source="gp") for _ in range(10)]
    first = bundle_of(laptop, supervisor, tmp_path / "1.age")
    receive.import_bundle(
        supervisor.store, first, trust=keys.signing_key(laptop.store).public.fingerprint
    )
    assert _gp_referrals(supervisor) == (10, False)
    with laptop.store.write() as tx:
        tx.insert(Consent(participant_id=people[0], scope="team", given=False, version=2,
                          recorded_on=dt.date(2026, 6, 1), method="verbal"))  # fmt: skip
        tx.forget_consent_cache()
    receive.import_bundle(supervisor.store, bundle_of(laptop, supervisor, tmp_path / "2.age"))
    assert _gp_referrals(supervisor)[1]  # nine: hidden
    out = tmp_path / "board.csv"
    export_report(supervisor.store, APRIL, "csv", out, audience="external")
    with out.open(newline="", encoding="utf-8") as fh:
        gp_rows = [r for r in csv.reader(fh) if r and r[0] == ReferralSource.GP.label]
    assert gp_rows and all(SUPPRESSED_MARK in r for r in gp_rows[:1])
    assert not any(cell == "9" for r in gp_rows for cell in r)
