"""The protokoll's närvarande (organisation and role per line), justering (who adjusts the
minutes) and nästa möte, stored with the meeting.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('situation') as batch:
        batch.add_column(sa.Column('attendees', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('adjusted_by', sa.String(length=300), nullable=True))
        batch.add_column(sa.Column('next_meeting', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('situation') as batch:
        batch.drop_column('next_meeting')
        batch.drop_column('adjusted_by')
        batch.drop_column('attendees')
