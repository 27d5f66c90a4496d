"""A "date only" flag on incidents and fault reports: rows whose source gave a date without a time
of day count per day but stay out of hour-of-day figures (never piled up at 00:00).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

TABLES = ('incident', 'fault_report')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('date_only', sa.Boolean(), server_default=sa.false(),
                                       nullable=False))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('date_only')
