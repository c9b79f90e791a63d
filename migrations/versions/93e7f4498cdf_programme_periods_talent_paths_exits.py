"""programme: periods and their targets, cohorts' periods, talents' intakes, path events, activity sessions and
attendance, exits and follow-ups; users.erased_at for erasure on request

Revision ID: 93e7f4498cdf
Revises: 7218114fcdef
Create Date: 2026-12-06 10:52:10.748617

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '93e7f4498cdf'
down_revision = '7218114fcdef'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('programme_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('target_talents', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_programme_periods_dates_ordered')),
    sa.CheckConstraint('number BETWEEN 1 AND 9', name=op.f('ck_programme_periods_number_range')),
    sa.CheckConstraint('target_talents >= 0', name=op.f('ck_programme_periods_target_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_periods')),
    sa.UniqueConstraint('name', name=op.f('uq_programme_periods_name')),
    sa.UniqueConstraint('number', name=op.f('uq_programme_periods_number'))
    )
    op.create_table('period_territory_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('target_talents', sa.Integer(), nullable=False),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_period_territory_targets_dates_ordered')),
    sa.CheckConstraint('target_talents >= 0', name=op.f('ck_period_territory_targets_target_not_negative')),
    sa.ForeignKeyConstraint(['period_id'], ['programme_periods.id'], name=op.f('fk_period_territory_targets_period_id_programme_periods'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['territory_id'], ['territories.id'], name=op.f('fk_period_territory_targets_territory_id_territories'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_period_territory_targets')),
    sa.UniqueConstraint('period_id', 'territory_id', name=op.f('uq_period_territory_targets_period_id_territory_id'))
    )
    with op.batch_alter_table('period_territory_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_period_territory_targets_territory_id'), ['territory_id'], unique=False)

    op.create_table('cohort_periods',
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_periods_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['period_id'], ['programme_periods.id'], name=op.f('fk_cohort_periods_period_id_programme_periods'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('cohort_id', name=op.f('pk_cohort_periods'))
    )
    with op.batch_alter_table('cohort_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_periods_period_id'), ['period_id'], unique=False)

    op.create_table('activity_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('lab_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('workshop', 'repair_cafe', 'training', 'collective_info', 'company_visit', 'other', name='activity_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('duration_minutes BETWEEN 1 AND 1440', name=op.f('ck_activity_sessions_duration_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_activity_sessions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lab_id'], ['labs.id'], name=op.f('fk_activity_sessions_lab_id_labs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['territory_id'], ['territories.id'], name=op.f('fk_activity_sessions_territory_id_territories'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_sessions'))
    )
    with op.batch_alter_table('activity_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_sessions_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_sessions_lab_id'), ['lab_id'], unique=False)
        batch_op.create_index('ix_activity_sessions_territory_id_held_on', ['territory_id', 'held_on'], unique=False)

    op.create_table('path_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('talent_id', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('enrolment', 'track_chosen', 'track_changed', 'suspension', 'resumption', name='path_event_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('track', sa.Enum('employment', 'entrepreneurship', name='path_event_track', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(kind IN ('track_chosen', 'track_changed')) = (track IS NOT NULL)", name=op.f('ck_path_events_track_only_on_track_events')),
    sa.CheckConstraint("kind = 'enrolment' OR cohort_id IS NULL", name=op.f('ck_path_events_cohort_only_on_enrolment')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_path_events_cohort_id_cohorts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_path_events_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['talent_id'], ['users.id'], name=op.f('fk_path_events_talent_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['territory_id'], ['territories.id'], name=op.f('fk_path_events_territory_id_territories'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_path_events'))
    )
    with op.batch_alter_table('path_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_path_events_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_path_events_recorded_by_id'), ['recorded_by_id'], unique=False)
        batch_op.create_index('ix_path_events_talent_id_occurred_on', ['talent_id', 'occurred_on'], unique=False)
        batch_op.create_index('ix_path_events_territory_id_kind_occurred_on', ['territory_id', 'kind', 'occurred_on'], unique=False)
        batch_op.create_index('uq_path_events_talent_id_enrolment', ['talent_id'], unique=True, sqlite_where=sa.text("kind = 'enrolment'"), postgresql_where=sa.text("kind = 'enrolment'"))
        batch_op.create_index('uq_path_events_talent_id_track_chosen', ['talent_id'], unique=True, sqlite_where=sa.text("kind = 'track_chosen'"), postgresql_where=sa.text("kind = 'track_chosen'"))

    op.create_table('talent_exits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('talent_id', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('exit_date', sa.Date(), nullable=False),
    sa.Column('category', sa.Enum('durable_employment', 'transition_employment', 'positive_exit', 'other_exit', name='exit_category', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('subtype', sa.Enum('permanent_contract', 'fixed_term_6_months_or_more', 'temping_6_months_or_more', 'civil_service', 'business_creation', 'fixed_term_under_6_months', 'temping_under_6_months', 'subsidised_contract', 'qualifying_training', 'other_inclusion_structure', 'job_seeking', 'inactivity', 'moved_away', 'unknown', name='exit_subtype', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('evidence', sa.Enum('declared', 'proven', name='exit_evidence', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("((category = 'durable_employment' AND subtype IN ('permanent_contract', 'fixed_term_6_months_or_more', 'temping_6_months_or_more', 'civil_service', 'business_creation')) OR (category = 'transition_employment' AND subtype IN ('fixed_term_under_6_months', 'temping_under_6_months', 'subsidised_contract')) OR (category = 'positive_exit' AND subtype IN ('qualifying_training', 'other_inclusion_structure')) OR (category = 'other_exit' AND subtype IN ('job_seeking', 'inactivity', 'moved_away', 'unknown')))", name=op.f('ck_talent_exits_subtype_in_category')),
    sa.CheckConstraint("project_id IS NULL OR subtype = 'business_creation'", name=op.f('ck_talent_exits_project_only_on_creation')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_talent_exits_project_id_projects'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_talent_exits_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['talent_id'], ['users.id'], name=op.f('fk_talent_exits_talent_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['territory_id'], ['territories.id'], name=op.f('fk_talent_exits_territory_id_territories'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_exits')),
    sa.UniqueConstraint('talent_id', name=op.f('uq_talent_exits_talent_id'))
    )
    with op.batch_alter_table('talent_exits', schema=None) as batch_op:
        batch_op.create_index('ix_talent_exits_category', ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_talent_exits_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_talent_exits_recorded_by_id'), ['recorded_by_id'], unique=False)
        batch_op.create_index('ix_talent_exits_territory_id_exit_date', ['territory_id', 'exit_date'], unique=False)

    op.create_table('talent_intakes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('talent_id', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('intake_date', sa.Date(), nullable=False),
    sa.Column('evaluation_consent', sa.Boolean(), nullable=False),
    sa.Column('consent_date', sa.Date(), nullable=True),
    sa.Column('consent_notice_version', sa.String(length=20), nullable=True),
    sa.Column('age_band', sa.Enum('under_26', '26_to_44', '45_to_54', '55_and_over', name='intake_age_band', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('gender', sa.Enum('woman', 'man', 'other', 'not_said', name='intake_gender', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('residence_area', sa.Enum('qpv', 'rural', 'neither', name='intake_residence_area', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('receives_minimum_social_benefits', sa.Boolean(), nullable=True),
    sa.Column('diploma_level', sa.Enum('none', 'level_3', 'level_4', 'level_5', 'level_6_plus', name='intake_diploma_level', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('time_out_of_employment', sa.Enum('under_6_months', '6_to_12_months', '12_to_24_months', 'over_24_months', 'never_employed', name='intake_time_out_of_employment', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('is_neet', sa.Boolean(), nullable=True),
    sa.Column('sourcing_partner', sa.Enum('france_travail', 'mission_locale', 'social_services', 'association', 'inclusion_structure', 'word_of_mouth', 'social_media', 'other', name='intake_sourcing_partner', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(evaluation_consent AND consent_date IS NOT NULL AND consent_notice_version IS NOT NULL) OR (NOT evaluation_consent AND consent_date IS NULL AND consent_notice_version IS NULL AND age_band IS NULL AND gender IS NULL AND residence_area IS NULL AND receives_minimum_social_benefits IS NULL AND diploma_level IS NULL AND time_out_of_employment IS NULL AND is_neet IS NULL AND sourcing_partner IS NULL)', name=op.f('ck_talent_intakes_evaluation_needs_consent')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_talent_intakes_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['talent_id'], ['users.id'], name=op.f('fk_talent_intakes_talent_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['territory_id'], ['territories.id'], name=op.f('fk_talent_intakes_territory_id_territories'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_intakes')),
    sa.UniqueConstraint('talent_id', name=op.f('uq_talent_intakes_talent_id'))
    )
    with op.batch_alter_table('talent_intakes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_talent_intakes_recorded_by_id'), ['recorded_by_id'], unique=False)
        batch_op.create_index('ix_talent_intakes_territory_id_intake_date', ['territory_id', 'intake_date'], unique=False)

    op.create_table('exit_follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('talent_exit_id', sa.Integer(), nullable=False),
    sa.Column('talent_id', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('months_after_exit', sa.Integer(), nullable=False),
    sa.Column('contacted_on', sa.Date(), nullable=False),
    sa.Column('reached', sa.Boolean(), nullable=False),
    sa.Column('category', sa.Enum('durable_employment', 'transition_employment', 'positive_exit', 'other_exit', name='follow_up_category', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('subtype', sa.Enum('permanent_contract', 'fixed_term_6_months_or_more', 'temping_6_months_or_more', 'civil_service', 'business_creation', 'fixed_term_under_6_months', 'temping_under_6_months', 'subsidised_contract', 'qualifying_training', 'other_inclusion_structure', 'job_seeking', 'inactivity', 'moved_away', 'unknown', name='follow_up_subtype', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('evidence', sa.Enum('declared', 'proven', name='follow_up_evidence', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(reached AND category IS NOT NULL AND subtype IS NOT NULL AND evidence IS NOT NULL AND ((category = 'durable_employment' AND subtype IN ('permanent_contract', 'fixed_term_6_months_or_more', 'temping_6_months_or_more', 'civil_service', 'business_creation')) OR (category = 'transition_employment' AND subtype IN ('fixed_term_under_6_months', 'temping_under_6_months', 'subsidised_contract')) OR (category = 'positive_exit' AND subtype IN ('qualifying_training', 'other_inclusion_structure')) OR (category = 'other_exit' AND subtype IN ('job_seeking', 'inactivity', 'moved_away', 'unknown')))) OR (NOT reached AND category IS NULL AND subtype IS NULL AND evidence IS NULL)", name=op.f('ck_exit_follow_ups_situation_when_reached')),
    sa.CheckConstraint('months_after_exit IN (6, 12, 24)', name=op.f('ck_exit_follow_ups_milestone_known')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_exit_follow_ups_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['talent_exit_id'], ['talent_exits.id'], name=op.f('fk_exit_follow_ups_talent_exit_id_talent_exits'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['talent_id'], ['users.id'], name=op.f('fk_exit_follow_ups_talent_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['territory_id'], ['territories.id'], name=op.f('fk_exit_follow_ups_territory_id_territories'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exit_follow_ups')),
    sa.UniqueConstraint('talent_id', 'months_after_exit', name=op.f('uq_exit_follow_ups_talent_id_months_after_exit'))
    )
    with op.batch_alter_table('exit_follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exit_follow_ups_recorded_by_id'), ['recorded_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exit_follow_ups_talent_exit_id'), ['talent_exit_id'], unique=False)
        batch_op.create_index('ix_exit_follow_ups_territory_id_months_after_exit', ['territory_id', 'months_after_exit'], unique=False)

    op.create_table('session_attendances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('talent_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.Enum('list', 'card', name='attendance_method', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_session_attendances_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['activity_sessions.id'], name=op.f('fk_session_attendances_session_id_activity_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['talent_id'], ['users.id'], name=op.f('fk_session_attendances_talent_id_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_attendances')),
    sa.UniqueConstraint('session_id', 'talent_id', name=op.f('uq_session_attendances_session_id_talent_id'))
    )
    with op.batch_alter_table('session_attendances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_attendances_recorded_by_id'), ['recorded_by_id'], unique=False)
        batch_op.create_index('ix_session_attendances_talent_id', ['talent_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('erased_at')

    with op.batch_alter_table('session_attendances', schema=None) as batch_op:
        batch_op.drop_index('ix_session_attendances_talent_id')
        batch_op.drop_index(batch_op.f('ix_session_attendances_recorded_by_id'))

    op.drop_table('session_attendances')
    with op.batch_alter_table('exit_follow_ups', schema=None) as batch_op:
        batch_op.drop_index('ix_exit_follow_ups_territory_id_months_after_exit')
        batch_op.drop_index(batch_op.f('ix_exit_follow_ups_talent_exit_id'))
        batch_op.drop_index(batch_op.f('ix_exit_follow_ups_recorded_by_id'))

    op.drop_table('exit_follow_ups')
    with op.batch_alter_table('talent_intakes', schema=None) as batch_op:
        batch_op.drop_index('ix_talent_intakes_territory_id_intake_date')
        batch_op.drop_index(batch_op.f('ix_talent_intakes_recorded_by_id'))

    op.drop_table('talent_intakes')
    with op.batch_alter_table('talent_exits', schema=None) as batch_op:
        batch_op.drop_index('ix_talent_exits_territory_id_exit_date')
        batch_op.drop_index(batch_op.f('ix_talent_exits_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_talent_exits_project_id'))
        batch_op.drop_index('ix_talent_exits_category')

    op.drop_table('talent_exits')
    with op.batch_alter_table('path_events', schema=None) as batch_op:
        batch_op.drop_index('uq_path_events_talent_id_track_chosen', sqlite_where=sa.text("kind = 'track_chosen'"), postgresql_where=sa.text("kind = 'track_chosen'"))
        batch_op.drop_index('uq_path_events_talent_id_enrolment', sqlite_where=sa.text("kind = 'enrolment'"), postgresql_where=sa.text("kind = 'enrolment'"))
        batch_op.drop_index('ix_path_events_territory_id_kind_occurred_on')
        batch_op.drop_index('ix_path_events_talent_id_occurred_on')
        batch_op.drop_index(batch_op.f('ix_path_events_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_path_events_cohort_id'))

    op.drop_table('path_events')
    with op.batch_alter_table('activity_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_sessions_territory_id_held_on')
        batch_op.drop_index(batch_op.f('ix_activity_sessions_lab_id'))
        batch_op.drop_index(batch_op.f('ix_activity_sessions_created_by_id'))

    op.drop_table('activity_sessions')
    with op.batch_alter_table('cohort_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_periods_period_id'))

    op.drop_table('cohort_periods')
    with op.batch_alter_table('period_territory_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_period_territory_targets_territory_id'))

    op.drop_table('period_territory_targets')
    op.drop_table('programme_periods')
