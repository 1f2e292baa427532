"""A push's JSON columns hold exactly the text SQLAlchemy's JSON type writes: ``json.dumps``.

The push hands the driver JSON text it made itself (``server/bulk.py``, sealed values by
formatting, a batch's stored answer joined from its answers' texts); what is stored must
be byte for byte what ``json.dumps`` makes of the value read back, on both databases.
"""

from __future__ import annotations

import json

from server_kit import Programme
from sqlalchemy import create_engine, text

from linksdesk.server.sealing import SEALED

COLUMNS = [
    ("record", "fields"),
    ("record", "field_hlc"),
    ("change_log", "payload"),
    ("applied_ops", "result"),
    ("batch", "response"),
]


def test_json_columns_hold_json_dumps_text(programme: Programme, db_url: str) -> None:
    dev = programme.enrol(programme.worker(programme.team()))
    person = dev.participant(given_name='Zoë "Q" 😀')
    pid = person["row_id"]
    contact = dev.change(
        "contact",
        fields={"kind": "phone", "purpose": "Café check-in", "minutes": 15, "participant_id": pid},
        participant_id=pid,
    )
    # a team row is stored in clear: its non-ASCII text is escaped as json.dumps escapes it
    resource = dev.change("resource", fields={"organisation": "Bibliothèque", "service": "Livres"})
    first = dev.push([*dev.shared(person), contact, resource])
    assert {r["status"] for r in first["results"]} == {"applied"}
    stale = dev.change(  # written before the contact's clock: its purpose loses
        "contact", contact["row_id"], participant_id=pid, hlc=contact["hlc"],
        fields={"purpose": "Earlier wording"},
    )  # fmt: skip
    dev.push([stale, dev.participant(pid, status="closed")])

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            stored = {
                (table, column): list(
                    conn.execute(text(f"SELECT CAST({column} AS TEXT) FROM {table}")).scalars()
                )
                for table, column in COLUMNS
            }
    finally:
        engine.dispose()
    for (table, column), texts in stored.items():
        assert texts, (table, column)
        for stored_text in texts:
            assert stored_text == json.dumps(json.loads(stored_text)), (table, column)
    sealed = [t for t in stored["change_log", "payload"] if t.startswith(f'{{"{SEALED}": "')]
    assert len(sealed) >= 4  # the participant's rows are sealed, each in the one shape
    assert any("\\u00e8" in t for t in stored["record", "fields"])  # the resource, in clear
    assert len(stored["batch", "response"]) == 2
