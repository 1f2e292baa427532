"""resource demand read from an index again: onward referrals by resource and the day first
recorded, coalesce(suggested_on, made_on) (``casework.onward.started_on``)

Since 0013 an onward referral keeps the day of each step, and resource demand counts one by
the day it was first recorded. ix_onward_referral_resource_made (0003) ranges over made_on
only, so the query read every onward referral a resource ever had and compared each row's
day; an index on the same expression ranges over the last 90 days again. It replaces the
made_on one, which no query ranges over any more (ix_onward_referral_resource_id still
serves a resource's own lookups).

SQLite matches an expression index only to the same expression in a query. SQLAlchemy does
not reflect an expression index on SQLite, so a later batch_alter_table of onward_referral
(which copies the table) must create this index again itself.

Revision ID: 0014
Revises: 0013
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_onward_referral_resource_started "
        "ON onward_referral (resource_id, coalesce(suggested_on, made_on))"
    )
    op.execute("DROP INDEX ix_onward_referral_resource_made")


def downgrade() -> None:
    op.execute(
        "CREATE INDEX ix_onward_referral_resource_made ON onward_referral (resource_id, made_on)"
    )
    op.execute("DROP INDEX ix_onward_referral_resource_started")
