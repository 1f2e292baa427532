"""programme id blocks leased to devices (ids unique per programme by construction)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 23:50:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('id_block',
    sa.Column('first', sa.BigInteger(), nullable=False),
    sa.Column('last', sa.BigInteger(), nullable=False),
    sa.Column('device_id', sa.String(length=64), nullable=False),
    sa.Column('request_id', sa.String(length=36), nullable=False),
    sa.Column('leased_ms', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['device.id'], ),
    sa.PrimaryKeyConstraint('first'),
    sa.UniqueConstraint('last'),
    sa.UniqueConstraint('request_id')
    )
    with op.batch_alter_table('id_block', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_id_block_device_id'), ['device_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('id_block', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_id_block_device_id'))
    op.drop_table('id_block')
