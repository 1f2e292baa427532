"""participant keys for sealed content, the server key's check value, erasures per team

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-05 00:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('participant_key',
    sa.Column('participant_id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=False),
    sa.Column('wrapped', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('participant_id')
    )
    with op.batch_alter_table('participant_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_key_team_id'), ['team_id'], unique=False)
    with op.batch_alter_table('server_meta', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_check', sa.String(length=120), nullable=True))
    # an erasure receipt is kept per team: a new table keyed by (participant, team)
    op.create_table('erasure_by_team',
    sa.Column('participant_id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=64), nullable=False),
    sa.Column('change_id', sa.String(length=36), nullable=False),
    sa.Column('at_ms', sa.BigInteger(), nullable=False),
    sa.Column('rows_removed', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('participant_id', 'team_id', name='pk_erasure_by_team')
    )
    op.execute(
        'INSERT INTO erasure_by_team '
        '(participant_id, team_id, device_id, change_id, at_ms, rows_removed) '
        'SELECT participant_id, team_id, device_id, change_id, at_ms, rows_removed FROM erasure'
    )
    op.drop_table('erasure')
    op.rename_table('erasure_by_team', 'erasure')


def downgrade() -> None:
    op.create_table('erasure_one',
    sa.Column('participant_id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=64), nullable=False),
    sa.Column('change_id', sa.String(length=36), nullable=False),
    sa.Column('at_ms', sa.BigInteger(), nullable=False),
    sa.Column('rows_removed', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('participant_id', name='pk_erasure_one')
    )
    op.execute(
        'INSERT INTO erasure_one '
        '(participant_id, team_id, device_id, change_id, at_ms, rows_removed) '
        'SELECT participant_id, MIN(team_id), MIN(device_id), MIN(change_id), MIN(at_ms), '
        'MIN(rows_removed) FROM erasure GROUP BY participant_id'
    )
    op.drop_table('erasure')
    op.rename_table('erasure_one', 'erasure')
    with op.batch_alter_table('server_meta', schema=None) as batch_op:
        batch_op.drop_column('key_check')
    with op.batch_alter_table('participant_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_key_team_id'))
    op.drop_table('participant_key')
