"""participants in name order: the caseload's default sort read from an index, not sorted

Without it every caseload load sorted all open cases in memory, one allocation per row
(SQLite's in-memory sorter, as temp_store = MEMORY keeps sorts off the disk), each locked
and wiped under memory security.

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_participant_name "
        "ON participant (family_name COLLATE NOCASE, given_name COLLATE NOCASE, id)"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_participant_name")
