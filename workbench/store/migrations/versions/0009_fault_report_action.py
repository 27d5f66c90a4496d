"""The link from a felanmälan to the åtgärd that answers it (one åtgärd can answer several).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'fault_report_action',
        sa.Column('fault_report_id', sa.Integer(), nullable=False),
        sa.Column('action_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['fault_report_id'], ['fault_report.id'],
                                name=op.f('fk_fault_report_action_fault_report_id_fault_report'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['action_id'], ['action.id'],
                                name=op.f('fk_fault_report_action_action_id_action'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('fault_report_id', 'action_id', name=op.f('pk_fault_report_action')),
    )
    op.create_index(op.f('ix_fault_report_action_action_id'), 'fault_report_action', ['action_id'])


def downgrade() -> None:
    op.drop_table('fault_report_action')
