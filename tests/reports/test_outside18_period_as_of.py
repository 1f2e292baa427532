"""A worker hands their supervisor a bundle of one quarter (``--period 2026-04..2026-06``).

It holds the cases open in April to June, with every record of theirs, and nothing of the
cases referred since. "Data as of" said the day the bundle was made (the clock of its newest
record, or its making): a supervisor writing July to November's figures read them as up to
date, and a board's PDF said so, while every case referred after June was missing. The
ledger keeps the period each bundle covered, and "Data as of" says the end of that period,
with a warning naming it; a later bundle of the whole caseload brings it up to date. An
evaluation bundle brings nothing the figures count, and moves "Data as of" no more."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from documents_kit import pdf_text
from small_team import laptop_and_supervisor, sharing_person

from linksdesk.casework import bundles, contacts, supervision
from linksdesk.core.vocab import ContactKind
from linksdesk.reports.build import report_from_store
from linksdesk.reports.scope import Period, Scope
from linksdesk.sync import state
from linksdesk.sync.bundle import keys

QUARTER = "2026-04..2026-06"
END_OF_JUNE = dt.datetime(2026, 6, 30, 23, 59, 59)
SCOPE = Scope(Period.parse("2026-04..2026-11"))


def test_a_period_bundle_says_its_data_ends_with_its_period(tmp_path: Path) -> None:
    with laptop_and_supervisor(tmp_path) as (laptop, sup, carry):
        with laptop.store.write() as tx:  # as a sync gives it: evaluation bundles need it
            state.put(tx.session, keys.PROGRAMME_KEY, "ab" * 32)
        may = sharing_person(laptop, 0, referred=dt.date(2026, 5, 4))
        sharing_person(laptop, 1, referred=dt.date(2026, 11, 2))  # after the quarter
        # a contact with May's person recorded today: its record is newer than the quarter
        contacts.record_contact(
            laptop, may, kind=ContactKind.APPOINTMENT, at=dt.datetime(2026, 6, 20, 10)
        )
        recipient = bundles.bundle_key_state(sup)[1]
        assert recipient is not None
        fingerprint = bundles.show_keys(laptop).signing.fingerprint
        for kind, name, period in (("supervision", "q2", QUARTER), ("evaluation", "eval", None)):
            out = tmp_path / f"{name}.age"
            bundles.export_bundle(laptop, out, kind=kind, recipients=[recipient], period=period)
            bundles.import_file(sup, out, trust=fingerprint)

        report = report_from_store(sup.store, SCOPE, audience="internal")
        assert report.data_as_of == END_OF_JUNE
        fresh = report.section("freshness").table("freshness")
        [(_worker, as_of, _days, on_record)] = fresh.rows
        assert as_of == END_OF_JUNE and on_record == 1  # November's case is not here
        assert any("April to June 2026" in w for w in fresh.warnings), fresh.warnings
        # what a board reads in the PDF
        pdf = tmp_path / "board.pdf"
        supervision.write_report(sup, SCOPE, "pdf", pdf, audience="external")
        text = pdf_text(pdf)
        assert "30 June 2026" in text and "April to June 2026" in text

        # the whole caseload, carried later: up to date again
        made = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        carry()
        later = report_from_store(sup.store, SCOPE, audience="internal")
        assert later.data_as_of is not None and later.data_as_of >= made - dt.timedelta(1)
        fresh = later.section("freshness").table("freshness")
        assert not any("April to June 2026" in w for w in fresh.warnings)
        assert fresh.rows[0][3] == 2
