"""Weekly inrapportering from the verksamheter: weekly reports, observations and the link from an
observation to the åtgärd that answers it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'weekly_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('verksamhet', sa.String(length=200), nullable=False),
        sa.Column('iso_year', sa.Integer(), nullable=False),
        sa.Column('iso_week', sa.Integer(), nullable=False),
        sa.Column('nothing_to_report', sa.Boolean(), nullable=False),
        sa.Column('reporter', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_weekly_report_organisation_id_organisation'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_weekly_report')),
        sa.UniqueConstraint('organisation_id', 'verksamhet', 'iso_year', 'iso_week',
                            name=op.f('uq_weekly_report_organisation_id')),
    )
    op.create_index(op.f('ix_weekly_report_organisation_id'), 'weekly_report', ['organisation_id'])
    op.create_table(
        'observation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=True),
        sa.Column('category', sa.String(length=200), nullable=False),
        sa.Column('x', sa.Float(), nullable=True),
        sa.Column('y', sa.Float(), nullable=True),
        sa.Column('place', sa.String(length=200), nullable=True),
        sa.Column('area', sa.String(length=200), nullable=True),
        sa.Column('occurred_from', sa.DateTime(), nullable=False),
        sa.Column('occurred_to', sa.DateTime(), nullable=True),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('assessment', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=40), nullable=False),
        sa.Column('status_reason', sa.Text(), nullable=True),
        sa.Column('created_by', sa.String(length=200), nullable=True),
        sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_observation_organisation_id_organisation'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['report_id'], ['weekly_report.id'],
                                name=op.f('fk_observation_report_id_weekly_report'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_observation')),
    )
    op.create_index(op.f('ix_observation_organisation_id'), 'observation', ['organisation_id'])
    op.create_index(op.f('ix_observation_report_id'), 'observation', ['report_id'])
    op.create_table(
        'observation_action',
        sa.Column('observation_id', sa.Integer(), nullable=False),
        sa.Column('action_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['observation_id'], ['observation.id'],
                                name=op.f('fk_observation_action_observation_id_observation'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['action_id'], ['action.id'],
                                name=op.f('fk_observation_action_action_id_action'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('observation_id', 'action_id', name=op.f('pk_observation_action')),
    )
    op.create_index(op.f('ix_observation_action_action_id'), 'observation_action', ['action_id'])


def downgrade() -> None:
    op.drop_table('observation_action')
    op.drop_table('observation')
    op.drop_table('weekly_report')
