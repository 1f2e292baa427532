"""device.synced_ms: when each laptop last finished a sync, for a team bundle's manifest

``last_seen_ms`` moves with any request, a handshake alone too, so it cannot say when the
server last held everything a laptop had to send. ``synced_ms`` moves only when the server
answers a laptop's pull with its last page, or its digests (``server.admin.note_synced``):
a laptop asks for either only after its push has sent all it had queued. A whole-team
supervision bundle names each worker's newest (``server.bundles.last_synced``). Devices
enrolled before are left empty: their next sync fills it.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("device") as batch_op:
        batch_op.add_column(sa.Column("synced_ms", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("device") as batch_op:
        batch_op.drop_column("synced_ms")
