"""EST meetings: agenda, creator/closer and public summary on situation; action ← meeting, its
area, public flag.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('situation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('period_kind', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('title', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('area_ids', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('public_summary', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('created_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('closed_by', sa.String(length=200), nullable=True))

    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('situation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('area_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('public', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.create_foreign_key(batch_op.f('fk_action_situation_id_situation'), 'situation',
                                    ['situation_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_action_area_id_area'), 'area',
                                    ['area_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_action_area_id_area'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_action_situation_id_situation'), type_='foreignkey')
        batch_op.drop_column('area_id')
        batch_op.drop_column('public')
        batch_op.drop_column('situation_id')

    with op.batch_alter_table('situation', schema=None) as batch_op:
        for column in ('closed_by', 'created_by', 'public_summary', 'area_ids', 'title',
                       'period_kind'):
            batch_op.drop_column(column)
