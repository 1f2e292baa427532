"""concerns marked entered in error: when, and the worker's reason

A concern added to the wrong participant (or twice) is kept, struck through, and reaches
nothing outside the worker's record view: no GP summary, own record, count, report or
evaluation file (core.vocab.IN_ERROR_COLUMN), as revision 0016's onward referrals. Both
columns are empty for every row recorded before: none was marked.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


# SQLite adds and drops a column in place, as revision 0016 does: no table rebuild (which
# reflects the table, and would lose any expression index on it)
def upgrade() -> None:
    op.add_column("concern", sa.Column("in_error_at", sa.DateTime(), nullable=True))
    op.add_column("concern", sa.Column("in_error_reason", sa.String(length=500), nullable=True))


def downgrade() -> None:
    op.drop_column("concern", "in_error_reason")
    op.drop_column("concern", "in_error_at")
