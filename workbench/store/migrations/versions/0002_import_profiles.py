"""Import profiles, category mapping and area indicators (issue: import every source).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('category_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('original', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_category_mapping_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category_mapping')),
    sa.UniqueConstraint('organisation_id', 'kind', 'original', name=op.f('uq_category_mapping_organisation_id'))
    )
    with op.batch_alter_table('category_mapping', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_category_mapping_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('import_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('source_kind', sa.String(length=40), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('crs', sa.String(length=20), nullable=True),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_import_profile_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_profile')),
    sa.UniqueConstraint('organisation_id', 'name', name=op.f('uq_import_profile_organisation_id'))
    )
    with op.batch_alter_table('import_profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_profile_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('area_indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.String(length=200), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_area_indicator_area_id_area'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_area_indicator_batch_id_import_batch'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_area_indicator_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_area_indicator')),
    sa.UniqueConstraint('area_id', 'year', 'indicator', name=op.f('uq_area_indicator_area_id'))
    )
    with op.batch_alter_table('area_indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_area_indicator_organisation_id'), ['organisation_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('area_indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_area_indicator_organisation_id'))

    op.drop_table('area_indicator')
    with op.batch_alter_table('import_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_profile_organisation_id'))

    op.drop_table('import_profile')
    with op.batch_alter_table('category_mapping', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_category_mapping_organisation_id'))

    op.drop_table('category_mapping')

