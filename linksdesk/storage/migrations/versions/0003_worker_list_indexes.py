"""indexes for the worker's lists: duplicate check by date of birth, resource demand

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode so the same ops work on SQLite (which cannot ALTER most things)
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.create_index("ix_participant_date_of_birth", ["date_of_birth"], unique=False)
    with op.batch_alter_table("onward_referral", schema=None) as batch_op:
        batch_op.create_index(
            "ix_onward_referral_resource_made", ["resource_id", "made_on"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("onward_referral", schema=None) as batch_op:
        batch_op.drop_index("ix_onward_referral_resource_made")
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_index("ix_participant_date_of_birth")
