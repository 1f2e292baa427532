"""verify digests kept per visibility scope

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 09:00:00.000000
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.orm import Session


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('digest',
    sa.Column('scope', sa.String(length=80), nullable=False),
    sa.Column('table_name', sa.String(length=32), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.Column('total', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'table_name')
    )
    # fill it from what the server already holds (the upkeep only follows later changes)
    from linksdesk.server.digests import rebuild

    session = Session(bind=op.get_bind())
    rebuild(session)
    session.flush()


def downgrade() -> None:
    op.drop_table('digest')
