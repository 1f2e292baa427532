"""bundles: server signing and programme keys, device signing keys, deprivation lookup, log

The keys are made here, so `linksdesk-server init` (which runs the migrations) makes them.

Revision ID: 0005
Revises: 0002
"""

import os
import time

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("device") as batch_op:
        batch_op.add_column(sa.Column("signing_key", sa.String(64), nullable=True))
    key_table = op.create_table(
        "server_key",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("signing_seed", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("programme_key", sa.String(64), nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(
        key_table,
        [
            {
                "id": 1,
                "signing_seed": os.urandom(32).hex(),
                "key_id": os.urandom(8).hex(),
                "programme_key": os.urandom(32).hex(),
                "created_ms": time.time_ns() // 1_000_000,
            }
        ],
    )
    op.create_table(
        "deprivation_decile",
        sa.Column("postcode", sa.String(10), primary_key=True),
        sa.Column("decile", sa.Integer, nullable=False),
    )
    op.create_table(
        "deprivation_source",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("year", sa.String(16), nullable=False),
        sa.Column("postcodes", sa.Integer, nullable=False),
        sa.Column("imported_ms", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "bundle_log",
        sa.Column("bundle_id", sa.String(36), primary_key=True),
        sa.Column("team_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("counts", sa.JSON, nullable=False),
        sa.Column("recipients", sa.JSON, nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_bundle_log_team_id", "bundle_log", ["team_id"])


def downgrade() -> None:
    op.drop_index("ix_bundle_log_team_id", "bundle_log")
    for name in ("bundle_log", "deprivation_source", "deprivation_decile", "server_key"):
        op.drop_table(name)
    with op.batch_alter_table("device") as batch_op:
        batch_op.drop_column("signing_key")
