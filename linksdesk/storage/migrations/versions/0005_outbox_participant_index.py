"""outbox by participant: dropping one person's unsent changes without reading every row

Withdrawal of team consent and erasure drop a participant's queued changes; without this
index that delete parsed the JSON payload of every outbox row (seconds on a large outbox).

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_outbox_payload_participant "
        "ON outbox (json_extract(payload, '$.participant_id'))"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_outbox_payload_participant")
