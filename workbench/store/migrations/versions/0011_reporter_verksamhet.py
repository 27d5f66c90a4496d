"""The verksamhet a reporter reports for, on the membership (e.g. "Bostadsbolaget – Hässleholmen").

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('membership') as batch:
        batch.add_column(sa.Column('verksamhet', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('membership') as batch:
        batch.drop_column('verksamhet')
