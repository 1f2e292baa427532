"""bundles: ledger, trusted signers, imported-row provenance, evaluation rows, deprivation

Revision ID: 0009
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bundle_ledger",
        sa.Column("bundle_id", sa.String(36), primary_key=True),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("signer", sa.String(16), nullable=False),
        sa.Column("sender_kind", sa.String(8), nullable=False),
        sa.Column("worker_id", sa.String(36)),
        sa.Column("team_id", sa.String(36)),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("counts", sa.JSON, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "trusted_signer",
        sa.Column("fingerprint", sa.String(16), primary_key=True),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("worker_id", sa.String(36)),
        sa.Column("device_id", sa.String(64)),
        sa.Column("team_id", sa.String(36)),
        sa.Column("label", sa.String(100)),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("added_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "imported_row",
        sa.Column("table_name", sa.String(32), primary_key=True),
        sa.Column("row_id", sa.String(36), primary_key=True),
        sa.Column("participant_id", sa.String(36)),
        sa.Column("worker_id", sa.String(36), nullable=False),
        sa.Column("signer", sa.String(16), nullable=False),
        sa.Column("bundle_id", sa.String(36), nullable=False),
    )
    op.create_table(
        "evaluation_record",
        sa.Column("table_name", sa.String(32), primary_key=True),
        sa.Column("record_id", sa.String(64), primary_key=True),
        sa.Column("participant_key", sa.String(64)),
        sa.Column("owner_key", sa.String(64)),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("fields", sa.JSON, nullable=False),
        sa.Column("signer", sa.String(16), nullable=False),
        sa.Column("bundle_id", sa.String(36), nullable=False),
        sa.Column("bundle_created", sa.DateTime, nullable=False),
    )
    op.create_index("ix_imported_row_participant_id", "imported_row", ["participant_id"])
    op.create_index("ix_imported_row_worker_id", "imported_row", ["worker_id"])
    op.create_index(
        "ix_evaluation_record_participant_key", "evaluation_record", ["participant_key"]
    )
    op.create_table(
        "deprivation_decile",
        sa.Column("postcode", sa.String(10), primary_key=True),
        sa.Column("decile", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for name in (
        "deprivation_decile",
        "evaluation_record",
        "imported_row",
        "trusted_signer",
        "bundle_ledger",
    ):
        op.drop_table(name)
