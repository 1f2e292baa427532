"""A tired worker adds "Debt" to the wrong participant (or twice). It could be resolved and
reopened but never taken back: it went on counting in the team's report, the person's GP
summary and their own record. Now a concern can be marked entered in error: kept, with when
and why, in the worker's record and the audit trail; counted nowhere; resolved or reopened
no more; and a mark made by mistake can be taken off. Synthetic data."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from linksdesk.casework import concerns, consent, gp_summary, own_record
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import Participant
from linksdesk.core.errors import MarkedInErrorError, ValidationError
from linksdesk.core.vocab import ConcernStage, ConsentScope
from linksdesk.reports.build import INTERNAL, report_from_store
from linksdesk.reports.scope import Period, Scope
from linksdesk.storage.tables import AuditEvent

SEEN = dt.date.today() - dt.timedelta(days=2)
WRONG = "Recorded on the wrong participant"


def _counted(cb: Casebook, pid: str) -> dict[str, object]:
    """Where a concern of the person's counts: the report's Debt row, the GP summary's
    concern lines and the person's own record."""
    table = (
        report_from_store(cb.store, Scope(Period.parse(f"{SEEN:%Y-%m}")), audience=INTERNAL)
        .section("concerns")
        .table("concerns")
    )
    letter = str(gp_summary.export_gp_summary(cb, pid, "text").content)
    record = own_record.gather_record(cb, pid, include_private=True)
    return {
        "reported": [tuple(r[:4]) for r in table.rows if r[0] == "Debt"],
        "letter": [line for line in letter.splitlines() if "Debt" in line],
        "own": sorted(c.id for c in record.concerns),
    }


def test_a_concern_on_the_wrong_participant_is_marked_kept_and_counted_nowhere(
    cb: Casebook, person: Participant
) -> None:
    consent.record_consent(cb, person.id, ConsentScope.GP, True)
    debt = concerns.add_concern(
        cb, person.id, "Debt", stage=ConcernStage.AT_REFERRAL, identified_on=SEEN
    ).value
    twice = concerns.add_concern(cb, person.id, "debt", identified_on=SEEN).value
    before = _counted(cb, person.id)
    assert before["reported"] == [("Debt", 1, 0, 1)]  # one person, counted once
    assert len(before["letter"]) == 2 and before["own"] == sorted([debt.id, twice.id])

    # a reason is needed, and nothing is written without one
    for blank in ("", "   "):
        with pytest.raises(ValidationError, match="Say why"):
            concerns.mark_in_error(cb, debt.id, blank)
    marked = concerns.mark_in_error(cb, debt.id, WRONG).value
    assert marked.in_error and marked.in_error_reason == WRONG
    with pytest.raises(ValidationError, match="already marked"):
        concerns.mark_in_error(cb, debt.id, "a second press")
    concerns.mark_in_error(cb, twice.id, "Recorded twice")

    # kept in the worker's record as it was recorded, with why
    kept = {c.id: c for c in concerns.list_concerns(cb, person.id)}
    assert kept.keys() == {debt.id, twice.id}
    assert kept[debt.id].in_error_reason == WRONG and kept[debt.id].category == "Debt"
    assert kept[debt.id].stage is ConcernStage.AT_REFERRAL
    # and counted nowhere: no report row, no line in the letter, not in their own record
    after = _counted(cb, person.id)
    assert after == {"reported": [], "letter": [], "own": []}
    letter = str(gp_summary.export_gp_summary(cb, person.id, "text").content)
    assert "Concerns identified:\n  None recorded." in letter
    # it is resolved or reopened no more until the mark is taken off
    with pytest.raises(MarkedInErrorError):
        concerns.resolve_concern(cb, debt.id, on=SEEN)
    with pytest.raises(MarkedInErrorError):
        concerns.reopen_concern(cb, debt.id)
    # the mark is a change in the audit trail
    with cb.store.read() as s:
        audited = [e.action for e in s.scalars(select(AuditEvent)) if e.entity_id == debt.id]
    assert audited == ["create", "change"]

    # the wrong one was marked: taken off, it counts again as it was recorded
    assert not concerns.restore_concern(cb, debt.id).value.in_error
    with pytest.raises(ValidationError, match="not marked"):
        concerns.restore_concern(cb, debt.id)
    assert _counted(cb, person.id)["reported"] == [("Debt", 1, 0, 1)]
    assert not concerns.resolve_concern(cb, debt.id, on=SEEN).value.in_error
