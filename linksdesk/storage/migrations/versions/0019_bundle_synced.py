"""the bundle ledger keeps when each worker last synced, as a team's bundle from the server says

A whole-team supervision bundle from the server names, for each worker of the team, when
their laptop last finished a sync (``server.bundles.last_synced``): the server held all
they had recorded by then. The ledger keeps it (``synced``: worker id -> UTC time, ISO) and
the reports' "Data as of" reads it (reports/data.py ``_as_of``): a worker who synced this
morning but recorded nothing for a week is as of this morning, not a week ago.

Rows recorded before are left empty (this migration writes no value): those bundles' manifests
did not say, and they are read as before.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


# in place, as revisions 0016 and 0017: no table rebuild
def upgrade() -> None:
    op.add_column("bundle_ledger", sa.Column("synced", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("bundle_ledger", "synced")
