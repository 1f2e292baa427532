"""Pulled rows whose parent this laptop does not hold (the vault keeps no foreign keys for
them): what the worker's record view, search, Today, export and GP summary make of them.

A server before this version kept rows that lacked details every laptop needs (a person's
family name, a note's date, a resource's service), and laptops set them aside as
incomplete while the rows pointing at them arrived all the same. The server now refuses
such rows, so these tests sync whole rows from another device of the worker over real
HTTP, then take the parent out of the laptop's vault as a set-aside row would have left
it. Real server on 127.0.0.1, real vault.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from server_kit import Device
from sqlalchemy import text
from sync_kit import Dev, shared_by

from linksdesk.casework import gp_summary, lists, notes, own_record, record, search
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.core.vocab import ConsentScope

DAY = "2026-11-02"


def _person(other: Device, programme_id: str, **fields: Any) -> str:
    return shared_by(other, programme_id, DAY, **fields)


def _note(other: Device, pid: str, body: str, **note_fields: Any) -> str:
    note = other.change("note", participant_id=pid, fields={"participant_id": pid, **note_fields})
    revision = other.change(
        "note_revision",
        participant_id=pid,
        fields={
            "participant_id": pid,
            "note_id": note["row_id"],
            "revision": 1,
            "body": body,
            "written_at": f"{DAY}T10:00:00",
        },
    )
    assert {r["status"] for r in other.push([note, revision])["results"]} == {"applied"}
    return str(note["row_id"])


def _never_arrived(laptop: Dev, table: str, row_id: str) -> None:
    """``table``'s row as a laptop holds a row it set aside: not there, nothing else touched
    (the rows pointing at it, and the search index's entries, stay)."""
    with laptop.store.applying() as s:  # as pulled rows are written: no foreign keys
        s.execute(text(f"DELETE FROM {table} WHERE id = :id"), {"id": row_id})
    assert laptop.get(table, row_id) is None


def test_search_finds_no_note_whose_person_or_note_this_laptop_does_not_hold(
    laptop_and_other: tuple[Dev, Device],
) -> None:
    laptop, other = laptop_and_other
    held = _person(other, "P9001")
    unheld = _person(other, "P9002")
    _note(other, unheld, "allotment visit went well", written_at=f"{DAY}T10:00:00")
    bicycle = _note(other, held, "bicycle repair course", written_at=f"{DAY}T10:00:00")
    kept = _note(other, held, "talked about gardening", written_at=f"{DAY}T10:00:00")
    assert laptop.sync().verified
    _never_arrived(laptop, "participant", unheld)
    _never_arrived(laptop, "note", bicycle)

    cb = Casebook(laptop.vault)
    assert search.search(cb, "allotment") == []
    assert search.search(cb, "bicycle") == []
    hits = search.search(cb, "gardening")
    assert [(h.kind, h.row_id) for h in hits] == [("note", kept)]
    for hit in hits:  # every hit opens: its record, and its note in it
        assert record.open_record(cb, str(hit.participant_id)).participant.programme_id == "P9001"
        assert notes.get_note(cb, hit.row_id).latest.text == "talked about gardening"


def test_an_onward_referral_whose_resource_never_arrived_is_still_shown(
    laptop_and_other: tuple[Dev, Device],
) -> None:
    laptop, other = laptop_and_other
    pid = _person(other, "P9003", date_of_birth="1980-01-01")
    resource = other.change(
        "resource",
        fields={"organisation": "Food bank", "service": "Parcels", "capacity": "open"},
    )
    referral = other.change(
        "onward_referral",
        participant_id=pid,
        fields={
            "participant_id": pid,
            "resource_id": resource["row_id"],
            "kind": "referral",
            "status": "made",
            "made_on": DAY,
        },
    )
    assert {r["status"] for r in other.push([resource, referral])["results"]} == {"applied"}
    assert laptop.sync().verified
    _never_arrived(laptop, "resource", resource["row_id"])

    cb = Casebook(laptop.vault)
    shown = record.open_record(cb, pid).onward
    assert [o.id for o in shown] == [referral["row_id"]]  # the record view lists it
    assert "not in this laptop's directory" in shown[0].resource_name
    waiting = lists.awaiting_outcome(cb, today=dt.date(2026, 11, 20))
    assert [w.onward_id for w in waiting] == [referral["row_id"]]  # Today asks for its outcome
    # the record view, the person's own record and the GP summary tell the same
    exported = own_record.gather_record(cb, pid, include_private=True)
    assert [o.resource_name for o in exported.onward] == [shown[0].resource_name]
    record_consent(cb, pid, ConsentScope.GP, True)
    letter = gp_summary.export_gp_summary(cb, pid, "text").content
    assert isinstance(letter, str) and shown[0].resource_name in letter
