"""onward referrals keep the day of each step: suggested_on, and made_on empty until made

Before, an onward referral held one day, made_on: the day it was suggested while it was a
suggestion, moved to the day it was made when it was, so the day of suggestion was lost.
Now each step keeps its own day (suggested_on, made_on, outcome_on), none moved by a later
one (core/onward.py).

Rows recorded before are left as they were recorded (this migration writes no value): a
laptop that pulls them from the server later gets them so too, and both read them by one
rule (core.onward.steps): a row still suggested has made_on as the day it was suggested;
a row that had moved on has made_on as the day it was made and no known day of
suggestion, so made_on stands for both where it counts from (the month it is reported in)
and it is in no time from suggestion to made. Its next step writes the days in their own
columns.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("onward_referral", schema=None) as batch_op:
        batch_op.add_column(sa.Column("suggested_on", sa.Date(), nullable=True))
        batch_op.alter_column("made_on", existing_type=sa.Date(), nullable=True)


def downgrade() -> None:
    # back to one day: a suggestion's day where nothing was made (as the old code kept it)
    op.execute(
        "UPDATE onward_referral SET made_on = coalesce(suggested_on, outcome_on) "
        "WHERE made_on IS NULL"
    )
    with op.batch_alter_table("onward_referral", schema=None) as batch_op:
        batch_op.alter_column("made_on", existing_type=sa.Date(), nullable=False)
        batch_op.drop_column("suggested_on")
