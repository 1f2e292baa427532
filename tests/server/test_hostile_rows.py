"""A hostile or broken device against the real server over HTTP: rows it makes up.

A colleague takes a worker's future monthly-totals row first, a device sends new rows
without the details every row of their kind has or with a value no laptop can read, and
request ids are used again by another laptop or for other changes. Each is refused with a
reason in the worker's terms, and the server's database shows nothing of it kept.
"""

from __future__ import annotations

from typing import Any

from server_kit import CANARY, Programme, whole
from sqlalchemy import select

from linksdesk.core import registry, validate
from linksdesk.core.ids import uuid7
from linksdesk.server.models import AppliedOp, Record, RefusalLog


def _raw(dev: Any, table: str, fields: dict[str, Any], **envelope: Any) -> dict[str, Any]:
    """A change written out by hand, as a crafted request carries it."""
    return {
        "change_id": uuid7(),
        "table": table,
        "row_id": uuid7(),
        "op": "upsert",
        "hlc": dev.clock.now().encode(),
        "origin": dev.device_id,
        "owner": dev.worker_id,
        "participant_id": None,
        "sharing": "team",
        "participant_shared": None,
        "fields": fields,
        **envelope,
    }


def _reasons(p: Programme, change_ids: list[str]) -> list[str]:
    with p.db.reading() as s:
        return list(
            s.scalars(select(RefusalLog.reason).where(RefusalLog.change_id.in_(change_ids)))
        )


def test_a_colleague_cannot_take_a_workers_future_monthly_totals_first(
    served: Programme,
) -> None:
    team = served.team()
    worker = served.enrol(served.worker(team))
    colleague = served.enrol(served.worker(team))
    month = "2026-12"
    # the id the worker's laptop will derive next month, worked out from its device id
    theirs = registry.derived_id("monthly_total", {"origin": worker.device_id, "month": month})
    squat = colleague.change(
        "monthly_total", theirs, fields={"month": month, "counts": {"contacts": 0}}
    )
    tombstone = colleague.change("monthly_total", theirs, op="delete")
    answer = colleague.push([squat, tombstone])
    for result in answer["results"]:
        assert result["status"] == "rejected" and "colleague's" in result["reason"]
    with served.db.reading() as s:
        assert s.get(Record, ("monthly_total", theirs)) is None

    # the worker's own totals of that month come in, and the colleague's own too
    own = worker.totals(month, {"contacts": 5})
    assert own["row_id"] == theirs
    assert worker.push_one(own)["status"] == "applied"
    assert colleague.push_one(colleague.totals(month, {"contacts": 1}))["status"] == "applied"
    with served.db.reading() as s:
        held = s.get(Record, ("monthly_total", theirs))
        assert held is not None and held.owner == worker.worker_id
        assert held.fields["counts"] == {"contacts": 5}
    # an id the device does not derive (another month's, or made up) is refused too
    wrong = worker.change("monthly_total", fields={"month": month, "counts": {}})
    assert worker.push_one(wrong)["status"] == "rejected"
    assert set(_reasons(served, [squat["change_id"], wrong["change_id"]])) == {"not_your_totals"}


def test_new_rows_without_the_details_their_kind_requires_are_refused_row_by_row(
    served: Programme,
) -> None:
    dev = served.enrol(served.worker(served.team()))
    part = dev.participant()
    pid = part["row_id"]
    assert [r["status"] for r in dev.push(dev.shared(part))["results"]] == ["applied"] * 2
    linked = {"participant_id": pid, "participant_shared": True}
    no_service = _raw(dev, "resource", {"organisation": CANARY})
    whole = _raw(
        dev,
        "resource",
        {
            "organisation": "Library",
            "service": "Warm space",
            "categories": [],
            "capacity": "open",
            "problem_reports": [],
        },
    )
    no_time = _raw(dev, "contact", {"kind": "phone", "status": "attended"}, **linked)
    orphan = _raw(dev, "note_revision", {"body": CANARY, "revision": 1}, **linked)
    empty_person = _raw(dev, "participant", {"status": "active"}, row_id=uuid7())
    empty_person.update(participant_id=empty_person["row_id"], participant_shared=True)
    # a tombstone of a row the server never held stays acceptable (devices keep it so)
    gone = _raw(dev, "contact", {}, op="delete", **linked)
    batch = [no_service, whole, no_time, orphan, gone]
    r = dev.post("push", {"batch_key": uuid7(), "changes": batch})
    assert r.status_code == 200 and CANARY not in r.text
    results = r.json()["results"]
    assert [x["status"] for x in results] == [
        "rejected",
        "applied",
        "rejected",
        "rejected",
        "applied",
    ]
    assert "lacks details" in results[0]["reason"]
    assert results[0]["reason"].endswith(
        "(missing: service, categories, capacity, problem_reports)"
    )
    assert results[2]["reason"].endswith("(missing: scheduled_at)")
    assert results[3]["reason"].endswith("(missing: note_id, written_at)")
    assert _reasons(served, [no_service["change_id"]]) == ["incomplete_row"]
    with served.db.reading() as s:
        for change in (no_service, no_time, orphan):
            assert s.get(Record, (change["table"], change["row_id"])) is None
    # a new participant without a name, under a team consent of their own
    person = dev.push([dev.consent(empty_person["row_id"]), empty_person])["results"]
    assert [x["status"] for x in person] == ["applied", "rejected"]
    assert "given_name" in person[1]["reason"]

    # an edit of a row the server holds carries only what changed: still taken
    edit = _raw(dev, "resource", {"cost": "free"}, row_id=whole["row_id"])
    assert dev.push_one(edit)["status"] == "applied"
    # and what was missing, sent whole, comes in
    no_service["fields"] = {**whole["fields"], "organisation": "Food bank"}
    no_service["change_id"] = uuid7()
    assert dev.push_one(no_service)["status"] == "applied"


def test_a_resource_value_no_laptop_can_read_is_refused(served: Programme) -> None:
    dev = served.enrol(served.worker(served.team()))
    odd = dev.change(
        "resource", fields={"organisation": "Hub", "service": "Food", "capacity": "plenty"}
    )
    result = dev.push_one(odd)
    assert result["status"] == "rejected"
    assert "capacity is not one of the values devices know" in result["reason"]
    assert "plenty" not in result["reason"]
    fine = dev.change("resource", fields={"organisation": "Hub", "service": "Food"})
    fine["fields"]["capacity"] = "waiting_list"
    assert dev.push_one(fine)["status"] == "applied"


def test_a_batch_key_used_again_for_other_changes_is_refused_not_answered_wrongly(
    served: Programme,
) -> None:
    dev = served.enrol(served.worker(served.team()))
    key = uuid7()
    first = dev.change("resource", fields={"organisation": "Hub", "service": "Food"})
    assert dev.push([first], batch_key=key)["results"][0]["status"] == "applied"
    other = dev.change("resource", fields={"organisation": "Club", "service": "Lunch"})
    r = dev.post("push", {"batch_key": key, "changes": [other]})
    assert r.status_code == 409 and "other changes" in r.json()["detail"]
    with served.db.reading() as s:
        assert s.get(Record, ("resource", other["row_id"])) is None
    # the same changes again are answered as the first time; under a new key, the other
    again = dev.push([first], batch_key=key)
    assert again["replayed"] is True and again["results"][0]["status"] == "applied"
    assert dev.push_one(other)["status"] == "applied"


def test_a_change_taken_from_the_workers_second_laptop_is_recorded_as_that_laptops(
    served: Programme,
) -> None:
    """A change refused from one laptop and taken later from the worker's other laptop:
    the answer kept is the second laptop's. A pull leaves out only the echo of what the
    laptop told "applied" sent, so the first laptop, told "refused", still gets it."""
    worker = served.worker(served.team())
    laptop, tablet = served.enrol(worker), served.enrol(worker)
    part = laptop.participant()
    pid = part["row_id"]
    contact = laptop.change(
        "contact", fields={"kind": "phone", "purpose": "first call"}, participant_id=pid
    )
    assert laptop.push_one(contact)["status"] == "rejected"  # no consent on the server yet
    # the tablet (a copy of the same vault) sends the case with the same change
    taken = tablet.push([*tablet.shared(part), contact])["results"]
    assert [r["status"] for r in taken] == ["applied"] * 3
    with served.db.reading() as s:
        op = s.get(AppliedOp, contact["change_id"])
        assert op is not None and (op.device_id, op.status) == (tablet.device_id, "applied")
    head = taken[-1]["server_seq"]

    def pulled(dev: Any) -> list[str]:
        r = dev.post("pull", {"cursor": 0, "own_through": head})
        assert r.status_code == 200, r.text
        return [c["change_id"] for c in r.json()["changes"]]

    assert contact["change_id"] in pulled(laptop)
    assert contact["change_id"] not in pulled(tablet)


def test_a_value_outside_its_vocabulary_is_refused_in_every_column_that_names_one(
    served: Programme,
) -> None:
    """Laptops (and the supervisor's figures) read these columns into their vocabulary:
    a colleague's laptop after a handover, or the team's report, would fail on any other
    value. Every column the registry marks ``one of`` is tried."""
    odd = "odd-word"  # short: it fits every column's length, and no vocabulary
    dev = served.enrol(served.worker(served.team()))
    part = dev.participant()
    pid = part["row_id"]
    hub = dev.change("resource", fields={"organisation": "Hub", "service": "Food"})
    assert [r["status"] for r in dev.push([*dev.shared(part), hub])["results"]] == ["applied"] * 3
    tried = []
    for table, columns in validate.COLUMNS.items():
        for name in sorted(n for n, spec in columns.items() if spec.choices):
            fields: dict[str, Any] = {name: odd}
            if "resource_id" in columns:
                fields["resource_id"] = hub["row_id"]
            if table == "participant":
                change = dev.change(table, pid, fields={name: odd})
            elif table == "resource":
                change = dev.change(table, fields=fields)
            else:
                change = dev.change(table, fields=fields, participant_id=pid)
            result = dev.push_one(change)
            assert result["status"] == "rejected", (table, name)
            assert f"{name} is not one of the values devices know" in result["reason"]
            assert odd not in result["reason"]
            tried.append((table, name))
    assert ("contact", "kind") in tried and ("referral", "source") in tried and len(tried) >= 16
    with served.db.reading() as s:
        held = s.get(Record, ("participant", pid))
        assert held is not None and odd not in str(held.fields)


def test_whose_a_row_is_and_consent_are_told_before_what_it_lacks(served: Programme) -> None:
    """An edit of a row the server dropped (team sharing withdrawn) carries only what
    changed: the laptop is told why it was refused, not that the row lacks details; nor
    does the server tell a colleague anything about a case by what it finds missing."""
    team = served.team()
    worker = served.worker(team)
    laptop, tablet = served.enrol(worker), served.enrol(worker)
    colleague = served.enrol(served.worker(team))
    part = laptop.participant()
    pid = part["row_id"]
    contact = laptop.change("contact", participant_id=pid)
    assert [r["status"] for r in laptop.push([*laptop.shared(part), contact])["results"]] == [
        "applied"
    ] * 3
    assert laptop.push_one(laptop.consent(pid, given=False, version=2))["status"] == "applied"
    edit = tablet.change("contact", contact["row_id"], fields={"purpose": "x"}, participant_id=pid)
    refused = tablet.push_one(edit)
    assert refused["status"] == "rejected" and "withdrew consent" in refused["reason"]
    theirs = colleague.change("contact", uuid7(), fields={"purpose": "x"}, participant_id=pid)
    refused = colleague.push_one(theirs)
    assert refused["status"] == "rejected" and "not on your caseload" in refused["reason"]
    reasons = sorted(_reasons(served, [edit["change_id"], theirs["change_id"]]))
    assert reasons == ["not_your_case", "team_consent_withdrawn"]


def test_a_new_row_may_come_over_several_changes_of_one_batch_but_only_whole(
    served: Programme,
) -> None:
    """As a laptop's repair sends it (one change per field clock), a new row whose changes
    in the batch together hold every required column comes in; a change that would have
    made it whole but is refused itself does not count, so no part of the row is kept."""
    dev = served.enrol(served.worker(served.team()))
    fields = whole("resource", {"organisation": "Hub", "service": "Food"})
    first = _raw(dev, "resource", {k: v for k, v in fields.items() if k != "capacity"})
    rest = _raw(dev, "resource", {"capacity": "open"}, row_id=first["row_id"])
    assert [r["status"] for r in dev.push([first, rest])["results"]] == ["applied"] * 2
    with served.db.reading() as s:
        held = s.get(Record, ("resource", first["row_id"]))
        assert held is not None and held.fields["capacity"] == "open"

    part = _raw(dev, "resource", {k: v for k, v in fields.items() if k != "capacity"})
    broken = _raw(dev, "resource", {"capacity": "plenty"}, row_id=part["row_id"])
    results = dev.push([part, broken])["results"]
    assert [r["status"] for r in results] == ["rejected"] * 2
    assert results[0]["reason"].endswith("(missing: capacity)")
    with served.db.reading() as s:
        assert s.get(Record, ("resource", part["row_id"])) is None


def test_a_change_id_given_twice_in_a_batch_is_checked_as_first_sent(served: Programme) -> None:
    """The first of two changes under one id is the one applied (the second gets its
    answer): a fitting second must not stand in for it when values are checked, nor
    count towards a row being whole."""
    dev = served.enrol(served.worker(served.team()))
    fields = whole("resource", {"organisation": "Hub", "service": "Food"})
    odd = _raw(dev, "resource", {**fields, "capacity": "plenty"})
    fine = {**odd, "fields": fields}
    results = dev.push([odd, fine])["results"]
    assert [r["status"] for r in results] == ["rejected"] * 2
    assert "capacity is not one of" in results[0]["reason"]
    part = _raw(dev, "resource", {k: v for k, v in fields.items() if k != "capacity"})
    rest = {**part, "fields": {"capacity": "open"}}  # same change id, same row
    assert [r["status"] for r in dev.push([part, rest])["results"]] == ["rejected"] * 2
    with served.db.reading() as s:
        for change in (odd, part):
            assert s.get(Record, ("resource", change["row_id"])) is None
