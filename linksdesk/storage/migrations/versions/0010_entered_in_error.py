"""contacts and wellbeing scores marked entered in error: when, and the worker's reason

A contact booked on the wrong participant or recorded twice, or a score typed wrong, is
kept, struck through, and counted nowhere (core.vocab.IN_ERROR_COLUMN). Both columns are
empty for every row recorded before: none was marked.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

MARKED = ("contact", "measure")


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
