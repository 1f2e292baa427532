"""the bundle ledger keeps the period a bundle covered (period_first, period_last: YYYY-MM)

A bundle made with a period (``--period 2026-04..2026-06``) holds the cases open in it and
nothing of the cases referred after it. The ledger kept when the bundle was made, not what
it covered, so a supervisor's "Data as of" said the day it was made, as if the worker's
whole caseload up to then had come (reports/data.py). Both columns are empty for a bundle of
no period (the whole caseload).

Rows recorded before are left as they were (this migration writes no value): the bundles'
periods were not kept and cannot be known, so they are read as whole-caseload bundles, as
before. A bundle imported again is refused as a replay; its next bundle records its period.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bundle_ledger", schema=None) as batch_op:
        batch_op.add_column(sa.Column("period_first", sa.String(7), nullable=True))
        batch_op.add_column(sa.Column("period_last", sa.String(7), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bundle_ledger", schema=None) as batch_op:
        batch_op.drop_column("period_last")
        batch_op.drop_column("period_first")
