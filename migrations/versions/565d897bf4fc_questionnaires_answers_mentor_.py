"""programme: questionnaires (versions, scales, items, options, moments), talents' responses and answers, mentors'
observations; the withdrawal of a talent's evaluation consent (talent_intakes.consent_withdrawn_on)

Revision ID: 565d897bf4fc
Revises: 3c8e5f7a9d21
Create Date: 2026-12-06 13:57:13.549085

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "565d897bf4fc"
down_revision = "3c8e5f7a9d21"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mentor_observations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=True),
        sa.Column(
            "moment",
            sa.Enum(
                "intake",
                "weeks_after_enrolment",
                "exit",
                "follow_up_6",
                "follow_up_12",
                "follow_up_24",
                name="mentor_observation_moment",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("weeks", sa.Integer(), nullable=False),
        sa.Column("observed_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(moment = 'weeks_after_enrolment' AND weeks BETWEEN 1 AND 520) OR (moment <> 'weeks_after_enrolment' AND weeks = 0)",
            name=op.f("ck_mentor_observations_weeks_only_after_enrolment"),
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["users.id"], name=op.f("fk_mentor_observations_mentor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["talent_id"], ["users.id"], name=op.f("fk_mentor_observations_talent_id_users"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["territory_id"],
            ["territories.id"],
            name=op.f("fk_mentor_observations_territory_id_territories"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_observations")),
        sa.UniqueConstraint(
            "talent_id",
            "moment",
            "weeks",
            "mentor_id",
            name=op.f("uq_mentor_observations_talent_id_moment_weeks_mentor_id"),
        ),
    )
    with op.batch_alter_table("mentor_observations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentor_observations_mentor_id"), ["mentor_id"], unique=False)
        batch_op.create_index(
            "ix_mentor_observations_territory_id_observed_on", ["territory_id", "observed_on"], unique=False
        )

    op.create_table(
        "questionnaires",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(key) BETWEEN 2 AND 40", name=op.f("ck_questionnaires_key_length")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_questionnaires_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaires")),
        sa.UniqueConstraint("key", name=op.f("uq_questionnaires_key")),
    )
    with op.batch_alter_table("questionnaires", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questionnaires_created_by_id"), ["created_by_id"], unique=False)

    op.create_table(
        "observation_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("observation_id", sa.Integer(), nullable=False),
        sa.Column(
            "dimension",
            sa.Enum(
                "autonomy",
                "punctuality",
                "teamwork",
                "technical_progress",
                name="observation_dimension",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("comment", sa.String(length=500), nullable=False),
        sa.CheckConstraint("value IS NULL OR value BETWEEN 1 AND 4", name=op.f("ck_observation_ratings_value_range")),
        sa.ForeignKeyConstraint(
            ["observation_id"],
            ["mentor_observations.id"],
            name=op.f("fk_observation_ratings_observation_id_mentor_observations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observation_ratings")),
        sa.UniqueConstraint(
            "observation_id", "dimension", name=op.f("uq_observation_ratings_observation_id_dimension")
        ),
    )
    op.create_table(
        "questionnaire_moments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column(
            "moment",
            sa.Enum(
                "intake",
                "weeks_after_enrolment",
                "exit",
                "follow_up_6",
                "follow_up_12",
                "follow_up_24",
                name="questionnaire_moment_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("weeks", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(moment = 'weeks_after_enrolment' AND weeks BETWEEN 1 AND 520) OR (moment <> 'weeks_after_enrolment' AND weeks = 0)",
            name=op.f("ck_questionnaire_moments_weeks_only_after_enrolment"),
        ),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaires.id"],
            name=op.f("fk_questionnaire_moments_questionnaire_id_questionnaires"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_moments")),
        sa.UniqueConstraint(
            "questionnaire_id", "moment", "weeks", name=op.f("uq_questionnaire_moments_questionnaire_id_moment_weeks")
        ),
    )
    op.create_table(
        "questionnaire_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "published",
                "retired",
                name="questionnaire_version_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title_fr", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("intro_fr", sa.Text(), nullable=False),
        sa.Column("intro_en", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(status = 'draft') = (published_at IS NULL)",
            name=op.f("ck_questionnaire_versions_published_at_once_published"),
        ),
        sa.CheckConstraint(
            "(status = 'retired') = (retired_at IS NOT NULL)",
            name=op.f("ck_questionnaire_versions_retired_at_when_retired"),
        ),
        sa.CheckConstraint("number >= 1", name=op.f("ck_questionnaire_versions_number_positive")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_questionnaire_versions_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["users.id"],
            name=op.f("fk_questionnaire_versions_published_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaires.id"],
            name=op.f("fk_questionnaire_versions_questionnaire_id_questionnaires"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_versions")),
        sa.UniqueConstraint(
            "questionnaire_id", "number", name=op.f("uq_questionnaire_versions_questionnaire_id_number")
        ),
    )
    with op.batch_alter_table("questionnaire_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questionnaire_versions_created_by_id"), ["created_by_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_questionnaire_versions_published_by_id"), ["published_by_id"], unique=False
        )
        batch_op.create_index(
            "uq_questionnaire_versions_questionnaire_id_draft",
            ["questionnaire_id"],
            unique=True,
            sqlite_where=sa.text("status = 'draft'"),
            postgresql_where=sa.text("status = 'draft'"),
        )
        batch_op.create_index(
            "uq_questionnaire_versions_questionnaire_id_published",
            ["questionnaire_id"],
            unique=True,
            sqlite_where=sa.text("status = 'published'"),
            postgresql_where=sa.text("status = 'published'"),
        )

    op.create_table(
        "questionnaire_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column(
            "moment",
            sa.Enum(
                "intake",
                "weeks_after_enrolment",
                "exit",
                "follow_up_6",
                "follow_up_12",
                "follow_up_24",
                name="questionnaire_response_moment",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("weeks", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "in_progress",
                "completed",
                "declined",
                name="questionnaire_response_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("postponed_until", sa.Date(), nullable=True),
        sa.Column("assisted_by_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("declined_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(moment = 'weeks_after_enrolment' AND weeks BETWEEN 1 AND 520) OR (moment <> 'weeks_after_enrolment' AND weeks = 0)",
            name=op.f("ck_questionnaire_responses_weeks_only_after_enrolment"),
        ),
        sa.CheckConstraint(
            "(status = 'completed') = (completed_at IS NOT NULL)",
            name=op.f("ck_questionnaire_responses_completed_at_when_completed"),
        ),
        sa.CheckConstraint(
            "(status = 'declined') = (declined_at IS NOT NULL)",
            name=op.f("ck_questionnaire_responses_declined_at_when_declined"),
        ),
        sa.CheckConstraint(
            "status = 'in_progress' OR postponed_until IS NULL",
            name=op.f("ck_questionnaire_responses_postponed_only_in_progress"),
        ),
        sa.ForeignKeyConstraint(
            ["assisted_by_id"],
            ["users.id"],
            name=op.f("fk_questionnaire_responses_assisted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaires.id"],
            name=op.f("fk_questionnaire_responses_questionnaire_id_questionnaires"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["talent_id"], ["users.id"], name=op.f("fk_questionnaire_responses_talent_id_users"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["territory_id"],
            ["territories.id"],
            name=op.f("fk_questionnaire_responses_territory_id_territories"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["questionnaire_versions.id"],
            name=op.f("fk_questionnaire_responses_version_id_questionnaire_versions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_responses")),
        sa.UniqueConstraint(
            "talent_id",
            "questionnaire_id",
            "moment",
            "weeks",
            name=op.f("uq_questionnaire_responses_talent_id_questionnaire_id_moment_weeks"),
        ),
    )
    with op.batch_alter_table("questionnaire_responses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questionnaire_responses_assisted_by_id"), ["assisted_by_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_questionnaire_responses_questionnaire_id"), ["questionnaire_id"], unique=False
        )
        batch_op.create_index(
            "ix_questionnaire_responses_territory_id_status", ["territory_id", "status"], unique=False
        )
        batch_op.create_index("ix_questionnaire_responses_version_id", ["version_id"], unique=False)

    op.create_table(
        "questionnaire_scales",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label_fr", sa.String(length=120), nullable=False),
        sa.Column("label_en", sa.String(length=120), nullable=False),
        sa.Column(
            "method",
            sa.Enum(
                "sum", "mean", name="questionnaire_scale_method", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("max_missing", sa.Integer(), nullable=False),
        sa.CheckConstraint("max_missing >= 0", name=op.f("ck_questionnaire_scales_max_missing_not_negative")),
        sa.CheckConstraint("position >= 1", name=op.f("ck_questionnaire_scales_position_positive")),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["questionnaire_versions.id"],
            name=op.f("fk_questionnaire_scales_version_id_questionnaire_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_scales")),
        sa.UniqueConstraint("version_id", "key", name=op.f("uq_questionnaire_scales_version_id_key")),
        sa.UniqueConstraint("version_id", "position", name=op.f("uq_questionnaire_scales_version_id_position")),
    )
    op.create_table(
        "questionnaire_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "likert4",
                "likert5",
                "choice",
                "number",
                "text",
                name="questionnaire_item_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("text_fr", sa.String(length=500), nullable=False),
        sa.Column("text_en", sa.String(length=500), nullable=False),
        sa.Column("scale_id", sa.Integer(), nullable=True),
        sa.Column("reversed", sa.Boolean(), nullable=False),
        sa.Column("min_value", sa.Integer(), nullable=True),
        sa.Column("max_value", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind = 'number' OR (min_value IS NULL AND max_value IS NULL)",
            name=op.f("ck_questionnaire_items_bounds_only_on_numbers"),
        ),
        sa.CheckConstraint(
            "scale_id IS NULL OR kind IN ('likert4', 'likert5')",
            name=op.f("ck_questionnaire_items_scale_only_on_likert"),
        ),
        sa.CheckConstraint(
            "NOT reversed OR scale_id IS NOT NULL", name=op.f("ck_questionnaire_items_reversed_only_in_a_scale")
        ),
        sa.CheckConstraint(
            "min_value IS NULL OR max_value IS NULL OR min_value <= max_value",
            name=op.f("ck_questionnaire_items_bounds_ordered"),
        ),
        sa.CheckConstraint("position >= 1", name=op.f("ck_questionnaire_items_position_positive")),
        sa.ForeignKeyConstraint(
            ["scale_id"],
            ["questionnaire_scales.id"],
            name=op.f("fk_questionnaire_items_scale_id_questionnaire_scales"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["questionnaire_versions.id"],
            name=op.f("fk_questionnaire_items_version_id_questionnaire_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_items")),
        sa.UniqueConstraint("version_id", "key", name=op.f("uq_questionnaire_items_version_id_key")),
        sa.UniqueConstraint("version_id", "position", name=op.f("uq_questionnaire_items_version_id_position")),
    )
    with op.batch_alter_table("questionnaire_items", schema=None) as batch_op:
        batch_op.create_index("ix_questionnaire_items_scale_id", ["scale_id"], unique=False)

    op.create_table(
        "questionnaire_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("assisted_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(skipped AND value IS NULL AND text IS NULL) OR (NOT skipped AND ((value IS NULL) <> (text IS NULL)))",
            name=op.f("ck_questionnaire_answers_one_value_unless_skipped"),
        ),
        sa.ForeignKeyConstraint(
            ["assisted_by_id"],
            ["users.id"],
            name=op.f("fk_questionnaire_answers_assisted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["questionnaire_items.id"],
            name=op.f("fk_questionnaire_answers_item_id_questionnaire_items"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["questionnaire_responses.id"],
            name=op.f("fk_questionnaire_answers_response_id_questionnaire_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_answers")),
        sa.UniqueConstraint("response_id", "item_id", name=op.f("uq_questionnaire_answers_response_id_item_id")),
    )
    with op.batch_alter_table("questionnaire_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questionnaire_answers_assisted_by_id"), ["assisted_by_id"], unique=False)
        batch_op.create_index("ix_questionnaire_answers_item_id", ["item_id"], unique=False)

    op.create_table(
        "questionnaire_item_options",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("label_fr", sa.String(length=120), nullable=False),
        sa.Column("label_en", sa.String(length=120), nullable=False),
        sa.CheckConstraint("value BETWEEN 1 AND 20", name=op.f("ck_questionnaire_item_options_value_range")),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["questionnaire_items.id"],
            name=op.f("fk_questionnaire_item_options_item_id_questionnaire_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_item_options")),
        sa.UniqueConstraint("item_id", "value", name=op.f("uq_questionnaire_item_options_item_id_value")),
    )
    with op.batch_alter_table("talent_intakes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent_withdrawn_on", sa.Date(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_talent_intakes_withdrawal_after_consent"),
            "consent_withdrawn_on IS NULL OR (evaluation_consent AND consent_withdrawn_on >= consent_date)",
        )


def downgrade():
    with op.batch_alter_table("talent_intakes", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_talent_intakes_withdrawal_after_consent"), type_="check")
        batch_op.drop_column("consent_withdrawn_on")

    op.drop_table("questionnaire_item_options")
    with op.batch_alter_table("questionnaire_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_questionnaire_answers_item_id")
        batch_op.drop_index(batch_op.f("ix_questionnaire_answers_assisted_by_id"))

    op.drop_table("questionnaire_answers")
    with op.batch_alter_table("questionnaire_items", schema=None) as batch_op:
        batch_op.drop_index("ix_questionnaire_items_scale_id")

    op.drop_table("questionnaire_items")
    op.drop_table("questionnaire_scales")
    with op.batch_alter_table("questionnaire_responses", schema=None) as batch_op:
        batch_op.drop_index("ix_questionnaire_responses_version_id")
        batch_op.drop_index("ix_questionnaire_responses_territory_id_status")
        batch_op.drop_index(batch_op.f("ix_questionnaire_responses_questionnaire_id"))
        batch_op.drop_index(batch_op.f("ix_questionnaire_responses_assisted_by_id"))

    op.drop_table("questionnaire_responses")
    with op.batch_alter_table("questionnaire_versions", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_questionnaire_versions_questionnaire_id_published",
            sqlite_where=sa.text("status = 'published'"),
            postgresql_where=sa.text("status = 'published'"),
        )
        batch_op.drop_index(
            "uq_questionnaire_versions_questionnaire_id_draft",
            sqlite_where=sa.text("status = 'draft'"),
            postgresql_where=sa.text("status = 'draft'"),
        )
        batch_op.drop_index(batch_op.f("ix_questionnaire_versions_published_by_id"))
        batch_op.drop_index(batch_op.f("ix_questionnaire_versions_created_by_id"))

    op.drop_table("questionnaire_versions")
    op.drop_table("questionnaire_moments")
    op.drop_table("observation_ratings")
    with op.batch_alter_table("questionnaires", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_questionnaires_created_by_id"))

    op.drop_table("questionnaires")
    with op.batch_alter_table("mentor_observations", schema=None) as batch_op:
        batch_op.drop_index("ix_mentor_observations_territory_id_observed_on")
        batch_op.drop_index(batch_op.f("ix_mentor_observations_mentor_id"))

    op.drop_table("mentor_observations")
