"""Content an older server kept in clear is sealed when ``init`` runs after the upgrade."""

from __future__ import annotations

from pathlib import Path

from server_kit import Programme
from sqlalchemy import create_engine, select, text

from linksdesk.server.db import init_database
from linksdesk.server.models import ChangeLog, Record
from linksdesk.server.sealing import is_sealed, keyring_of


def test_init_seals_what_an_older_server_stored_in_clear(
    programme: Programme, db_url: str, tmp_path: Path
) -> None:
    dev = programme.enrol(programme.worker(programme.team()))
    p = dev.participant(given_name="OLD-CLEAR-NAME")
    dev.push(dev.shared(p))
    pid = p["row_id"]
    # what the older server kept: the same rows with their content in clear
    with programme.db.reading() as s:
        recs = [(r.table_name, r.row_id, dict(r.fields)) for r in s.scalars(select(Record))]
        ring = keyring_of(s)
        logs = [(c.server_seq, ring.open(s, c.payload)) for c in s.scalars(select(ChangeLog))]
    engine = create_engine(db_url)
    with engine.begin() as conn:
        for table, row_id, fields in recs:
            conn.execute(
                Record.__table__.update()  # type: ignore[attr-defined]
                .where(text("table_name = :t AND row_id = :r"))
                .values(fields=fields),
                {"t": table, "r": row_id},
            )
        for seq, payload in logs:
            conn.execute(
                ChangeLog.__table__.update()  # type: ignore[attr-defined]
                .where(text("server_seq = :q"))
                .values(payload=payload),
                {"q": seq},
            )
    with engine.connect() as conn:
        stored = [row[0] for row in conn.execute(select(Record.fields))]
    engine.dispose()
    assert any(v.get("given_name") == "OLD-CLEAR-NAME" for v in stored)

    init_database(db_url)  # the upgrade's init

    engine = create_engine(db_url)
    with engine.connect() as conn:
        raw = [row[0] for row in conn.execute(select(Record.fields))]
        payloads = [row[0] for row in conn.execute(select(ChangeLog.payload))]
    engine.dispose()
    assert raw and all(is_sealed(v) for v in raw)
    assert payloads and all(is_sealed(v) for v in payloads)
    pulled, _ = programme.enrol(dev.worker_id).pull_all()
    assert any(c["fields"].get("given_name") == "OLD-CLEAR-NAME" for c in pulled)
    assert all(c["participant_id"] == pid for c in pulled)
