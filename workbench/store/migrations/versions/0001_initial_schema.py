"""Initial schema: every table of the data model in DESIGN.md.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('verb', sa.String(length=30), nullable=False),
    sa.Column('entity', sa.String(length=50), nullable=False),
    sa.Column('entity_id', sa.String(length=50), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('municipality_code', sa.String(length=4), nullable=True),
    sa.Column('police_area', sa.String(length=200), nullable=True),
    sa.Column('boundary_wkb', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('name', name=op.f('uq_organisation_name'))
    )
    op.create_table('agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('parties', sa.JSON(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('source_text', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_agreement_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement'))
    )
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('layer', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=True),
    sa.Column('population', sa.Integer(), nullable=True),
    sa.Column('approximate', sa.Boolean(), nullable=False),
    sa.Column('geom_wkb', sa.LargeBinary(), nullable=False),
    sa.Column('x', sa.Float(), nullable=True),
    sa.Column('y', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_area_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_area')),
    sa.UniqueConstraint('organisation_id', 'layer', 'name', name=op.f('uq_area_organisation_id'))
    )
    with op.batch_alter_table('area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_area_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=40), nullable=False),
    sa.Column('file_name', sa.String(length=500), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('imported_by', sa.String(length=200), nullable=False),
    sa.Column('imported_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('n_imported', sa.Integer(), nullable=False),
    sa.Column('n_duplicates', sa.Integer(), nullable=False),
    sa.Column('n_rejected', sa.Integer(), nullable=False),
    sa.Column('n_redacted', sa.Integer(), nullable=False),
    sa.Column('crs', sa.String(length=20), nullable=True),
    sa.Column('problems', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_import_batch_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch'))
    )
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batch_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('situation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('meeting_date', sa.Date(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('area_statuses', sa.JSON(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_situation_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_situation'))
    )
    with op.batch_alter_table('situation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_situation_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('citizen_promise',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=200), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_citizen_promise_agreement_id_agreement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_citizen_promise'))
    )
    op.create_table('fault_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('source_id', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('category_original', sa.String(length=200), nullable=True),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.Column('fixed_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=50), nullable=True),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('area_code', sa.String(length=50), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('x', sa.Float(), nullable=True),
    sa.Column('y', sa.Float(), nullable=True),
    sa.Column('geom_wkb', sa.LargeBinary(), nullable=True),
    sa.Column('precision', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_fault_report_area_id_area'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_fault_report_batch_id_import_batch'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_fault_report_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fault_report')),
    sa.UniqueConstraint('organisation_id', 'source', 'source_id', name=op.f('uq_fault_report_organisation_id'))
    )
    with op.batch_alter_table('fault_report', schema=None) as batch_op:
        batch_op.create_index('ix_fault_report_org_time', ['organisation_id', 'reported_at'], unique=False)

    op.create_table('focus_area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_focus_area_agreement_id_agreement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_focus_area'))
    )
    op.create_table('incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('source_id', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('category_original', sa.String(length=200), nullable=True),
    sa.Column('occurred_from', sa.DateTime(), nullable=False),
    sa.Column('occurred_to', sa.DateTime(), nullable=True),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('area_code', sa.String(length=50), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('x', sa.Float(), nullable=True),
    sa.Column('y', sa.Float(), nullable=True),
    sa.Column('geom_wkb', sa.LargeBinary(), nullable=True),
    sa.Column('precision', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_incident_area_id_area'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_incident_batch_id_import_batch'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_incident_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident')),
    sa.UniqueConstraint('organisation_id', 'source', 'source_id', name=op.f('uq_incident_organisation_id'))
    )
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_index('ix_incident_org_time', ['organisation_id', 'occurred_from'], unique=False)

    op.create_table('place',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=50), nullable=True),
    sa.Column('radius_m', sa.Float(), nullable=True),
    sa.Column('geom_wkb', sa.LargeBinary(), nullable=False),
    sa.Column('x', sa.Float(), nullable=True),
    sa.Column('y', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_place_area_id_area'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_place_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_place')),
    sa.UniqueConstraint('organisation_id', 'name', name=op.f('uq_place_organisation_id'))
    )
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('safety_walk',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('ref', sa.String(length=100), nullable=False),
    sa.Column('walk_date', sa.Date(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('area_name', sa.String(length=200), nullable=True),
    sa.Column('participants', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_safety_walk_area_id_area'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_safety_walk_batch_id_import_batch'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_safety_walk_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safety_walk')),
    sa.UniqueConstraint('organisation_id', 'ref', name=op.f('uq_safety_walk_organisation_id'))
    )
    with op.batch_alter_table('safety_walk', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safety_walk_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('cause_analysis',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=True),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('triangle', sa.JSON(), nullable=True),
    sa.Column('whys', sa.JSON(), nullable=True),
    sa.Column('hypotheses', sa.Text(), nullable=True),
    sa.Column('evidence', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_cause_analysis_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_cause_analysis_place_id_place'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cause_analysis'))
    )
    with op.batch_alter_table('cause_analysis', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cause_analysis_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('commitment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('focus_area_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=200), nullable=False),
    sa.Column('party_kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['focus_area_id'], ['focus_area.id'], name=op.f('fk_commitment_focus_area_id_focus_area'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment'))
    )
    op.create_table('walk_observation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('walk_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('category_original', sa.String(length=200), nullable=True),
    sa.Column('observed_at', sa.DateTime(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('photo_ref', sa.String(length=500), nullable=True),
    sa.Column('status', sa.String(length=50), nullable=True),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('x', sa.Float(), nullable=True),
    sa.Column('y', sa.Float(), nullable=True),
    sa.Column('geom_wkb', sa.LargeBinary(), nullable=True),
    sa.Column('precision', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_walk_observation_area_id_area'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_walk_observation_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['walk_id'], ['safety_walk.id'], name=op.f('fk_walk_observation_walk_id_safety_walk'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_walk_observation')),
    sa.UniqueConstraint('walk_id', 'source_id', name=op.f('uq_walk_observation_walk_id'))
    )
    with op.batch_alter_table('walk_observation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_walk_observation_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('responsible_party', sa.String(length=200), nullable=False),
    sa.Column('responsible_role', sa.String(length=200), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=True),
    sa.Column('cause_analysis_id', sa.Integer(), nullable=True),
    sa.Column('follow_up_method', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cause_analysis_id'], ['cause_analysis.id'], name=op.f('fk_action_cause_analysis_id_cause_analysis'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_action_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_action_place_id_place'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action'))
    )
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('action_citizen_promise',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('citizen_promise_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_action_citizen_promise_action_id_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['citizen_promise_id'], ['citizen_promise.id'], name=op.f('fk_action_citizen_promise_citizen_promise_id_citizen_promise'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('action_id', 'citizen_promise_id', name=op.f('pk_action_citizen_promise'))
    )
    op.create_table('action_commitment',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_action_commitment_action_id_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitment.id'], name=op.f('fk_action_commitment_commitment_id_commitment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('action_id', 'commitment_id', name=op.f('pk_action_commitment'))
    )



def downgrade() -> None:

    op.drop_table('action_commitment')
    op.drop_table('action_citizen_promise')
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_organisation_id'))

    op.drop_table('action')
    with op.batch_alter_table('walk_observation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_walk_observation_organisation_id'))

    op.drop_table('walk_observation')
    op.drop_table('commitment')
    with op.batch_alter_table('cause_analysis', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cause_analysis_organisation_id'))

    op.drop_table('cause_analysis')
    with op.batch_alter_table('safety_walk', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safety_walk_organisation_id'))

    op.drop_table('safety_walk')
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_place_organisation_id'))

    op.drop_table('place')
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index('ix_incident_org_time')

    op.drop_table('incident')
    op.drop_table('focus_area')
    with op.batch_alter_table('fault_report', schema=None) as batch_op:
        batch_op.drop_index('ix_fault_report_org_time')

    op.drop_table('fault_report')
    op.drop_table('citizen_promise')
    with op.batch_alter_table('situation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_situation_organisation_id'))

    op.drop_table('situation')
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batch_organisation_id'))

    op.drop_table('import_batch')
    with op.batch_alter_table('area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_area_organisation_id'))

    op.drop_table('area')
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_organisation_id'))

    op.drop_table('agreement')
    op.drop_table('organisation')
    op.drop_table('audit_log')

