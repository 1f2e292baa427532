"""onward referrals marked entered in error: when, and the worker's reason

An onward referral or signposting recorded on the wrong participant (or twice) is kept,
struck through, and reaches nothing outside the worker's record view: no GP summary, own
record, count, report or evaluation file (core.vocab.IN_ERROR_COLUMN), as revision 0011's
case notes, referrals in and goals. Both columns are empty for every row recorded before:
none was marked.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


# SQLite adds and drops a column in place: no table rebuild, which would reflect the table
# and lose its expression index (ix_onward_referral_resource_started, revision 0014)
def upgrade() -> None:
    op.add_column("onward_referral", sa.Column("in_error_at", sa.DateTime(), nullable=True))
    op.add_column(
        "onward_referral", sa.Column("in_error_reason", sa.String(length=500), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("onward_referral", "in_error_reason")
    op.drop_column("onward_referral", "in_error_at")
