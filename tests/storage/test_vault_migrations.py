"""An older vault opens in this LinksDesk: upgraded to head, rows kept, and searchable."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import text
from vault_kit import PASSPHRASE, add_note, add_team_consent

from linksdesk.core.ids import uuid7
from linksdesk.storage import keyfile, migrate, search
from linksdesk.storage.engine import make_engine, vault_salt
from linksdesk.storage.tables import NoteRevision, Participant
from linksdesk.storage.vault import Vault
from linksdesk.sync.policy import SyncPolicy

SYNC = "hlc, origin, deleted, sharing, owner, field_hlc"


def _sync_values(device: str, worker: str, n: int) -> dict[str, object]:
    return {
        "hlc": f"{1_760_000_000_000 + n:015d}-00000-{device}",
        "origin": device,
        "deleted": 0,
        "sharing": "team",
        "owner": worker,
        "field_hlc": "{}",
    }


def make_0001_vault(path: Path) -> dict[str, str]:
    """A vault as the first release wrote it: schema 0001 only, rows put in with plain SQL."""
    kpath = keyfile.keyfile_path(path)
    key, _ = keyfile.create_keyfile(kpath, PASSPHRASE)
    vault_id = keyfile.read_vault_id(kpath)
    engine = make_engine(path, key, salt=vault_salt(vault_id))
    ids = {"device": uuid7(), "worker": uuid7(), "participant": uuid7(), "note": uuid7()}
    ids["rev1"], ids["rev2"] = uuid7(), uuid7()
    try:
        migrate.upgrade(engine, "0001")
        with engine.begin() as conn:
            for k, v in (
                ("vault_id", vault_id),
                ("device_id", ids["device"]),
                ("worker_id", ids["worker"]),
            ):
                conn.execute(
                    text("INSERT INTO local_setting (key, value) VALUES (:k, :v)"),
                    {"k": k, "v": json.dumps(v)},
                )
            sync = _sync_values(ids["device"], ids["worker"], 1)
            conn.execute(
                text(
                    "INSERT INTO participant (id, programme_id, given_name, family_name, "
                    "preferred_name, postcode, status, created_on, " + SYNC + ") VALUES "
                    "(:id, 'P0042', 'Morag', 'Quillfeather', 'Mo', 'KY1 1AA', 'active', "
                    "'2025-02-03', :hlc, :origin, :deleted, :sharing, :owner, :field_hlc)"
                ),
                {"id": ids["participant"], **sync},
            )
            conn.execute(
                text(
                    "INSERT INTO note (id, participant_id, written_at, " + SYNC + ") VALUES "
                    "(:id, :p, '2025-02-03 10:00:00.000000', "
                    ":hlc, :origin, :deleted, :sharing, :owner, :field_hlc)"
                ),
                {"id": ids["note"], "p": ids["participant"], **sync},
            )
            for n, (rev, body) in enumerate(
                [
                    (ids["rev1"], "First visit: talked about the allotment society."),
                    (ids["rev2"], "First visit: talked about the bowling club and pottery."),
                ],
                start=1,
            ):
                conn.execute(
                    text(
                        "INSERT INTO note_revision (id, note_id, participant_id, revision, "
                        "body, written_at, " + SYNC + ") VALUES (:id, :note, :p, :n, :body, "
                        "'2025-02-03 10:00:00.000000', "
                        ":hlc, :origin, :deleted, :sharing, :owner, :field_hlc)"
                    ),
                    {
                        "id": rev,
                        "note": ids["note"],
                        "p": ids["participant"],
                        "n": n,
                        "body": body,
                        **_sync_values(ids["device"], ids["worker"], 1 + n),
                    },
                )
        assert migrate.current_revision(engine) == "0001"
    finally:
        engine.dispose()
    return ids


def test_a_0001_vault_is_upgraded_on_unlock_with_its_rows_searchable(vault_path: Path) -> None:
    ids = make_0001_vault(vault_path)
    assert migrate.head_revision() != "0001"  # otherwise this test proves nothing

    vault = Vault.unlock(vault_path, PASSPHRASE)
    try:
        assert migrate.current_revision(vault.engine) == migrate.head_revision()
        assert (vault.device_id, vault.worker_id) == (ids["device"], ids["worker"])
        with vault.store().read() as s:
            person = s.get(Participant, ids["participant"])
            assert person is not None and person.given_name == "Morag"
            assert s.get(NoteRevision, ids["rev2"]) is not None
            # the search index arrived in 0002 and was built from the existing rows
            hits = search.search(s, "bowling")
            assert [(h.entity, h.row_id, h.participant_id) for h in hits] == [
                ("note", ids["note"], ids["participant"])
            ]
            assert search.search(s, "allotment") == []  # only the latest revision counts
            assert [h.row_id for h in search.search(s, "Quillfeather")] == [ids["participant"]]
            assert [h.row_id for h in search.search(s, "P0042")] == [ids["participant"]]

        # the upgraded vault takes new writes like any other, with their change log
        with vault.store(SyncPolicy()).write() as tx:
            add_team_consent(tx, ids["participant"])
            add_note(tx, ids["participant"], "Second visit: joined the pottery group.")
        with vault.store().read() as s:
            assert len(search.search(s, "pottery")) == 2
            queued = s.execute(text("SELECT table_name FROM outbox ORDER BY seq")).scalars()
            assert list(queued) == ["consent", "note", "note_revision"]
        assert vault.integrity_check().ok
    finally:
        vault.lock()

    # and the next unlock finds nothing left to do
    again = Vault.unlock(vault_path, PASSPHRASE)
    try:
        assert migrate.current_revision(again.engine) == migrate.head_revision()
    finally:
        again.lock()


def test_every_revision_step_is_known_and_refuses_nothing_it_shipped() -> None:
    for revision in ("0001", migrate.head_revision()):
        assert migrate.is_known_revision(revision)
        migrate.refuse_newer(revision)  # does not raise
    assert not migrate.is_known_revision("9001_from_the_future")


# the outbox's expression index (migration 0005) cannot be reflected; it is not compared
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
# reflecting the whole vault meets ix_onward_referral_resource_started (0014), an index on
# an expression, which SQLAlchemy does not reflect on SQLite: it says so and goes on
@pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index:sqlalchemy.exc.SAWarning"
)
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_migration_0009_matches_the_bundle_tables(vault_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from linksdesk.storage import bundle_tables
    from linksdesk.storage.tables import Base

    names = {
        t.__tablename__
        for t in (
            bundle_tables.BundleLedger,
            bundle_tables.TrustedSigner,
            bundle_tables.ImportedRow,
            bundle_tables.EvaluationRecord,
            bundle_tables.DeprivationDecile,
        )
    }
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    try:
        with vault.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            conn.rollback()
    finally:
        vault.lock()
    assert [d for d in diff if any(n in repr(d) for n in names)] == []


def test_migration_0014_builds_the_index_the_models_describe(vault_path: Path) -> None:
    """Alembic cannot compare an index on an expression on SQLite: the DDL is compared."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex

    from linksdesk.storage.tables import Base

    [index] = [
        ix
        for ix in Base.metadata.tables["onward_referral"].indexes
        if ix.name == "ix_onward_referral_resource_started"
    ]
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    try:
        with vault.engine.connect() as conn:
            built = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'ix_onward_referral_resource_started'"
            ).scalar_one()
            conn.rollback()
    finally:
        vault.lock()
    assert built == str(CreateIndex(index).compile(dialect=sqlite.dialect())).strip()


def test_migration_0015_upgrades_a_ledger_that_kept_no_periods(vault_path: Path) -> None:
    """A supervisor's vault from before 0015: its ledger's bundles kept no period, and are
    read as whole-caseload bundles, as they were; the vault opens and takes periods since."""
    from linksdesk.reports import data as team_data
    from linksdesk.storage.bundle_tables import BundleLedger

    ids = make_0001_vault(vault_path)
    kpath = keyfile.keyfile_path(vault_path)
    key = keyfile.unlock_with_passphrase(kpath, PASSPHRASE)
    engine = make_engine(vault_path, key, salt=vault_salt(keyfile.read_vault_id(kpath)))
    bundle = uuid7()
    try:
        migrate.upgrade(engine, "0014")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO bundle_ledger (bundle_id, direction, kind, signer, sender_kind, "
                    "worker_id, team_id, created_at, expires_at, counts, at) VALUES (:b, "
                    "'import', 'supervision', '0123456789ABCDEF', 'device', :w, NULL, "
                    "'2026-05-01 09:00:00.000000', '2026-05-31 09:00:00.000000', "
                    "'{\"participant\": 1}', '2026-05-02 10:00:00.000000')"
                ),
                {"b": bundle, "w": ids["worker"]},
            )
    finally:
        engine.dispose()

    vault = Vault.unlock(vault_path, PASSPHRASE)
    try:
        assert migrate.current_revision(vault.engine) == migrate.head_revision() != "0014"
        with vault.store().read() as s:
            row = s.get(BundleLedger, bundle)
            assert row is not None and row.counts == {"participant": 1}
            assert (row.period_first, row.period_last) == (None, None)
            loaded = team_data.load(s, None)
        # the record is of October 2025, the bundle of May 2026: as of its making, no period
        assert loaded.latest[ids["worker"]] == dt.datetime(2026, 5, 1, 9, 0)
        assert loaded.covered == {}
    finally:
        vault.lock()
