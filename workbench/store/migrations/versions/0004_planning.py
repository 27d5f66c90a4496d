"""Planning check: plan areas and their saved assessment versions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'plan_area',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('reference', sa.String(length=100), nullable=True),
        sa.Column('source', sa.String(length=300), nullable=True),
        sa.Column('geom_wkb', sa.LargeBinary(), nullable=False),
        sa.Column('buffer_m', sa.Float(), nullable=False),
        sa.Column('created_by', sa.String(length=200), nullable=True),
        sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_plan_area_organisation_id_organisation'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_area')),
        sa.UniqueConstraint('organisation_id', 'name', name=op.f('uq_plan_area_organisation_id')),
    )
    with op.batch_alter_table('plan_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_area_organisation_id'), ['organisation_id'], unique=False)
    op.create_table(
        'plan_assessment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_area_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('saved_at', sa.DateTime(), nullable=False),
        sa.Column('saved_by', sa.String(length=200), nullable=False),
        sa.Column('geom_wkb', sa.LargeBinary(), nullable=False),
        sa.Column('buffer_m', sa.Float(), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=True),
        sa.Column('period_end', sa.Date(), nullable=True),
        sa.Column('checklist', sa.JSON(), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['plan_area_id'], ['plan_area.id'],
                                name=op.f('fk_plan_assessment_plan_area_id_plan_area'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_assessment')),
        sa.UniqueConstraint('plan_area_id', 'version', name=op.f('uq_plan_assessment_plan_area_id')),
    )
    with op.batch_alter_table('plan_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_assessment_plan_area_id'), ['plan_area_id'], unique=False)


def downgrade() -> None:
    op.drop_table('plan_assessment')
    op.drop_table('plan_area')
