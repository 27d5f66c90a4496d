"""Trygghetsvandringar in the app: a walk's route (a line in EPSG:3006), its status (planned or
done) and who planned it; a walk observation's status reason (the vocabulary of observation
statuses) and the link from a walk observation to the åtgärd that answers it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('safety_walk') as batch:
        batch.add_column(sa.Column('route_wkb', sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column('status', sa.String(length=20), server_default='done',
                                   nullable=False))
        batch.add_column(sa.Column('created_by', sa.String(length=200), nullable=True))
    with op.batch_alter_table('walk_observation') as batch:
        batch.add_column(sa.Column('status_reason', sa.Text(), nullable=True))
    op.create_table(
        'walk_observation_action',
        sa.Column('walk_observation_id', sa.Integer(), nullable=False),
        sa.Column('action_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['walk_observation_id'], ['walk_observation.id'],
                                name=op.f('fk_walk_observation_action_walk_observation_id_walk_observation'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['action_id'], ['action.id'],
                                name=op.f('fk_walk_observation_action_action_id_action'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('walk_observation_id', 'action_id',
                                name=op.f('pk_walk_observation_action')),
    )
    op.create_index(op.f('ix_walk_observation_action_action_id'), 'walk_observation_action',
                    ['action_id'])


def downgrade() -> None:
    op.drop_table('walk_observation_action')
    with op.batch_alter_table('walk_observation') as batch:
        batch.drop_column('status_reason')
    with op.batch_alter_table('safety_walk') as batch:
        batch.drop_column('created_by')
        batch.drop_column('status')
        batch.drop_column('route_wkb')
