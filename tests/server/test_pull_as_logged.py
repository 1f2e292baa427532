"""A pull page is written from the change log's stored text, byte for byte the model's JSON.

The server hands a logged change on as the text it sealed, without decoding it or making a
model of it, when that text is already what the model would write. These tests hold it to
that: every page must be exactly ``PullResponse``'s own JSON of what it says (so a device
reads the same thing it read when the server wrote every change through the model), for
awkward text and numbers, for rows with per-field clocks, and for rows an older server
logged in other forms.
"""

from __future__ import annotations

import json
from typing import Any

from server_kit import Device, Programme

from linksdesk.core.ids import uuid7
from linksdesk.server.db import Counter, Database, now_ms
from linksdesk.server.models import ChangeLog
from linksdesk.server.sealing import SEALED, is_sealed, keyring_of, sealed_parts
from linksdesk.sync.protocol import Change, PullResponse

AWKWARD = 'Zoë "Z" O\'Brien \\ back\nslash\t\x01 \u2028 \U0001f600 e-05'
# a problem report as devices read it, with keys of a later version (and a small float)
REPORT = {"id": "r1", "reported_on": "2026-12-01", "text": AWKWARD, "note": AWKWARD, "at": 1.5e-05}


def _pull_pages(dev: Device, limit: int = 5) -> list[bytes]:
    """Every page from 0, each as the bytes the server sent; each must be the model's own
    JSON of what it holds (a fixed point of reading and writing it)."""
    bodies, cursor = [], 0
    while True:
        r = dev.post("pull", {"cursor": cursor, "limit": limit})
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "application/json"
        page = PullResponse.model_validate_json(r.content)
        assert page.model_dump_json().encode() == r.content
        bodies.append(r.content)
        cursor = page.next_cursor
        if not page.has_more:
            return bodies


def _pulled(dev: Device) -> dict[str, Any]:
    """Every change pulled, by change id, as the device reads it."""
    return {
        c.change_id: c
        for body in _pull_pages(dev)
        for c in PullResponse.model_validate_json(body).changes
    }


def test_pages_are_the_models_json_for_awkward_text_numbers_and_clocks(
    programme: Programme,
) -> None:
    worker = programme.worker(programme.team())
    writer, reader = programme.enrol(worker), programme.enrol(worker)
    p = writer.participant(given_name=AWKWARD, family_name="Ünïcødé")
    pid = p["row_id"]
    measures = [
        writer.change(
            "measure",
            participant_id=pid,
            fields={
                "kind": "wemwbs",
                "taken_on": "2026-12-01",
                "context": "baseline",
                "assisted": False,
                "items": [1, 2, 3],
                "total": 6,
                "metric": metric,
            },
        )
        for metric in (1e-07, 0.1 + 0.2, 1e16, -0.0, 12.5)
    ]
    resource = writer.change(
        "resource",
        fields={
            "organisation": AWKWARD,
            "service": "Advice",
            "categories": ["money", AWKWARD],
            "capacity": "open",
            "problem_reports": [REPORT],
        },
    )
    answer = writer.push([*writer.shared(p), *measures, resource])
    assert {r["status"] for r in answer["results"]} == {"applied"}
    # an edit based on what the writer held, and a concurrent one from another laptop of
    # the same worker: the server logs what it merged, with its per-field clocks
    other = programme.enrol(worker)
    first = writer.change("participant", pid, fields={"given_name": "Ana"}, base={})
    second = other.change("participant", pid, fields={"family_name": "Bee"}, base={})
    for dev, change in ((writer, first), (other, second)):
        assert dev.push_one(change)["status"] in ("applied", "merged")

    pulled = _pulled(reader)
    assert pulled[p["change_id"]].fields["given_name"] == AWKWARD
    assert pulled[resource["change_id"]].fields["organisation"] == AWKWARD
    assert [pulled[m["change_id"]].fields["metric"] for m in measures] == [
        1e-07,
        0.1 + 0.2,
        1e16,
        -0.0,
        12.5,
    ]
    assert pulled[resource["change_id"]].fields["problem_reports"] == [REPORT]
    seqs = [c.server_seq for c in pulled.values()]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


def _log_raw(
    db: Database, team_id: str, payload: dict[str, Any], *, seal: bool, keys_reversed: bool = False
) -> int:
    """Append one change-log row holding ``payload`` as given (an older server's form)."""
    with db.writing() as s:
        counter = Counter(s)
        seq = counter.next()
        pid = payload.get("participant_id")
        stored = keyring_of(s).seal(s, pid, team_id, payload) if seal and pid else payload
        if keys_reversed:  # stored as another JSON writer might (jsonb orders keys its way)
            stored = dict(reversed(stored.items()))
        s.add(
            ChangeLog(
                server_seq=seq,
                change_id=payload["change_id"],
                table_name=payload["table"],
                row_id=payload["row_id"],
                team_id=team_id,
                owner=payload["owner"],
                participant_id=pid,
                extra_worker=None,
                payload=stored,
                created_ms=now_ms(),
            )
        )
        counter.save()
        assert is_sealed(stored) == seal
    return seq


def test_rows_an_older_server_logged_in_other_forms_still_pull_as_the_model_writes(
    programme: Programme,
) -> None:
    worker = programme.worker(programme.team())
    writer, reader = programme.enrol(worker), programme.enrol(worker)
    p = writer.participant()
    pid = p["row_id"]
    writer.push(writer.shared(p))
    hlc = writer.clock.now().encode()
    earlier = writer.clock.now().encode()
    # in-memory clocks (protocol 2's form) and the change's own number inside it
    note = Change(
        change_id=uuid7(),
        table="contact",
        row_id=uuid7(),
        op="upsert",
        hlc=hlc,
        origin=writer.device_id,
        owner=worker,
        participant_id=pid,
        participant_shared=True,
        fields={"kind": "phone", "minutes": 5},
        field_hlc={"minutes": earlier},
    )
    old_form = {**note.model_dump(), "server_seq": 0}
    sealed_seq = _log_raw(programme.db, writer.team_id, old_form, seal=True)
    reordered = {**writer.change("contact", participant_id=pid), "fields": {"kind": "visit"}}
    reordered_seq = _log_raw(
        programme.db, writer.team_id, {**reordered, "field_hlc": {}}, seal=True, keys_reversed=True
    )
    # as an older server logged it (it kept new rows however little they held)
    clear = {
        **writer.change("resource"),
        "fields": {"organisation": "Lunch club"},
        "field_hlc": {},
    }
    clear_seq = _log_raw(programme.db, writer.team_id, clear, seal=False)

    pulled = _pulled(reader)
    got = pulled[note.change_id]
    assert got.server_seq == sealed_seq  # the row's number, not the one inside
    assert got.field_hlc == {"minutes": earlier} and got.fields["minutes"] == 5
    assert pulled[clear["change_id"]].server_seq == clear_seq
    assert pulled[clear["change_id"]].fields == {"organisation": "Lunch club"}
    assert pulled[reordered["change_id"]].server_seq == reordered_seq
    assert pulled[reordered["change_id"]].fields == {"kind": "visit"}


def test_sealed_text_is_read_straight_only_where_it_reads_as_json_would() -> None:
    """The shortcut past the JSON decoder for a sealed value's stored text answers what
    decoding it would, or declines (and the caller decodes it)."""
    texts = [
        json.dumps({SEALED: "QUJD+/9=", "p": "01a244cc-ac21-7338-ab18-0e3c3f90c1e2"}),
        json.dumps({SEALED: "QUJD", "p": ""}),
        json.dumps({"p": "pid", SEALED: "QUJD"}),  # other key order
        json.dumps({SEALED: "QUJD", "p": 'a"b'}),  # an escaped quote in the id
        json.dumps({SEALED: "QUJD", "p": "Zoë"}),  # \u escapes
        json.dumps({SEALED: "QUJD", "p": "pid", "q": "x"}),
        json.dumps({SEALED: "QUJD", "p": "pid"}, separators=(",", ":")),
        '{"$sealed": "QUJD", "p": "}',  # not JSON at all
        '{"$sealed": "QU"JD", "p": "pid"}',
    ]
    read = 0
    for text in texts:
        parts = sealed_parts(text)
        if parts is None:
            continue
        value = json.loads(text)
        assert parts == (value["p"], value[SEALED])
        read += 1
    assert read == 2  # the serializer's own shape; everything else is decoded as JSON
