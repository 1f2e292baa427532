"""case notes, referrals in and goals marked entered in error: when, and the worker's reason

A case note written in the wrong participant's record, a referral recorded twice, a goal set
by mistake is kept, struck through, and reaches nothing outside the worker's record view
(core.vocab.IN_ERROR_COLUMN; a note's revisions and a goal's steps go with it). Both
columns are empty for every row recorded before: none was marked.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

MARKED = ("note", "referral", "goal")


def upgrade() -> None:
    for table in MARKED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("in_error_at", sa.DateTime(), nullable=True))
            batch_op.add_column(sa.Column("in_error_reason", sa.String(length=500), nullable=True))


def downgrade() -> None:
    for table in MARKED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("in_error_reason")
            batch_op.drop_column("in_error_at")
