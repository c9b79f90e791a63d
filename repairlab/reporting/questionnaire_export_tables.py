"""The research export's questionnaire tables: the questionnaires as they were asked (versions, scales, items and
their options: the programme's own text), the talents' responses and item-level answers, the scales' scores, and
the mentors' observations.

Only the talents whose consent to the evaluation holds: a talent who withdrew it is left out of every table made
after. Never a free-text answer (text items are left out of the answers, and their column is never read) nor a
mentor's comment; people only by pseudonymous id.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from repairlab.people.models import Territory
from repairlab.programme.questionnaires.models import (
    ItemKind,
    MentorObservation,
    ObservationRating,
    Questionnaire,
    QuestionnaireAnswer,
    QuestionnaireItem,
    QuestionnaireOption,
    QuestionnaireResponse,
    QuestionnaireScale,
    QuestionnaireVersion,
    ResponseStatus,
    ScaleMethod,
    VersionStatus,
)
from repairlab.reporting.export_tables import PID, TERRITORY, _stream
from repairlab.reporting.questionnaire_scores import consenting_talents, item_points, scale_scores, score
from repairlab.reporting.registry import ExportField, ExportTable, export_tables
from repairlab.reporting.selection import Selection

F = ExportField
QUESTIONNAIRE = F("questionnaire_id", "integer", _l("Id of the questionnaire (the same for all its versions)."))
VERSION = F("version_id", "integer", _l("Id of the questionnaire's version (see questionnaires.csv)."))
RESPONSE = F("response_id", "integer", _l("Id of the response (see questionnaire_responses.csv)."))
SCALE = F("scale_id", "integer", _l("Id of the scale in its version (see questionnaire_scales.csv)."))
ITEM = F("item_id", "integer", _l("Id of the item in its version (see questionnaire_items.csv)."))
SCALE_KEY = F("scale_key", "string", _l("Key of the scale, the same from one version to the next."))
MOMENT = F(
    "moment",
    "string",
    _l("intake, weeks_after_enrolment, exit, follow_up_6, follow_up_12 or follow_up_24 (months after the exit)."),
)
WEEKS = F("weeks", "integer", _l("The N of weeks_after_enrolment; 0 for the other moments."))


def _asked(version=QuestionnaireVersion) -> sa.ColumnElement[bool]:
    """Versions that were asked (published, or retired since): drafts never leave."""
    return version.status != VersionStatus.DRAFT


def _of_consenting(column, sel: Selection) -> list:
    """The selection's talents whose consent to the evaluation holds."""
    return [column.in_(sel.talent_ids()), column.in_(consenting_talents())]


def _responses(sel: Selection) -> list:
    r = QuestionnaireResponse
    return [*_of_consenting(r.talent_id, sel), *sel.on_days(r.due_on)]


# --- The questionnaires as asked ---------------------------------------------------------------------------------


def versions(sel: Selection):
    """Every version asked of every questionnaire."""
    v = QuestionnaireVersion
    return _stream(
        sa.select(v.id, v.questionnaire_id, Questionnaire.key, v.number, v.status, v.title_fr, v.title_en)
        .add_columns(v.published_at, v.retired_at)
        .join(Questionnaire, Questionnaire.id == v.questionnaire_id)
        .where(_asked())
        .order_by(v.questionnaire_id, v.number)
    )


def scales(sel: Selection):
    """Every scale of those versions, with its number of items and the lowest and highest score it can take."""
    s, i = QuestionnaireScale, QuestionnaireItem
    points = item_points(i)
    sizes = (
        sa.select(
            i.scale_id,
            sa.func.count(i.id).label("items"),
            sa.func.sum(points).label("total"),
            sa.func.max(points).label("top"),
        )
        .where(i.scale_id.is_not(None))
        .group_by(i.scale_id)
        .subquery()
    )
    mean = s.method == ScaleMethod.MEAN
    return _stream(
        sa.select(
            s.id,
            s.version_id,
            s.key,
            s.position,
            s.label_fr,
            s.label_en,
            s.method,
            s.max_missing,
            sa.func.coalesce(sizes.c["items"], 0),
            sa.case((sizes.c["items"].is_(None), sa.null()), (mean, 1), else_=sizes.c["items"]),
            sa.case((mean, sizes.c.top), else_=sizes.c.total),
        )
        .join(QuestionnaireVersion, QuestionnaireVersion.id == s.version_id)
        .outerjoin(sizes, sizes.c.scale_id == s.id)
        .where(_asked())
        .order_by(s.version_id, s.position)
    )


def items(sel: Selection):
    """Every item of those versions (the questionnaire's own text)."""
    i = QuestionnaireItem
    return _stream(
        sa.select(
            i.id,
            i.version_id,
            i.position,
            i.key,
            i.kind,
            i.scale_id,
            i.reversed,
            item_points(i),
            i.min_value,
            i.max_value,
            i.text_fr,
            i.text_en,
        )
        .join(QuestionnaireVersion, QuestionnaireVersion.id == i.version_id)
        .where(_asked())
        .order_by(i.version_id, i.position)
    )


def options(sel: Selection):
    """The labelled values of every scale item and choice of those versions."""
    o = QuestionnaireOption
    return _stream(
        sa.select(o.item_id, o.value, o.label_fr, o.label_en)
        .join(QuestionnaireItem, QuestionnaireItem.id == o.item_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == QuestionnaireItem.version_id)
        .where(_asked())
        .order_by(o.item_id, o.value)
    )


# --- What the talents answered ------------------------------------------------------------------------------------


def responses(sel: Selection):
    """Every response of a consenting talent of the selection, moment due within the dates."""
    r = QuestionnaireResponse
    return _stream(
        sa.select(
            r.id,
            r.talent_id,
            Territory.code,
            r.questionnaire_id,
            r.version_id,
            r.moment,
            r.weeks,
            r.due_on,
            r.status,
            r.status == ResponseStatus.DECLINED,
            r.assisted_by_id.is_not(None),
            r.assisted_by_id,
            r.started_at,
            r.completed_at,
            r.declined_at,
            r.postponed_until,
        )
        .join(Territory, Territory.id == r.territory_id)
        .where(*_responses(sel))
        .order_by(r.id)
    )


def answers(sel: Selection):
    """The item-level answers of those responses once completed: values only, never a text."""
    a, i, r = QuestionnaireAnswer, QuestionnaireItem, QuestionnaireResponse
    return _stream(
        sa.select(a.response_id, a.item_id, i.key, a.value, a.skipped, a.assisted_by_id.is_not(None), a.answered_at)
        .join(i, i.id == a.item_id)
        .join(r, r.id == a.response_id)
        .where(i.kind != ItemKind.TEXT, r.status == ResponseStatus.COMPLETED, *_responses(sel))
        .order_by(a.response_id, i.position)
    )


def scores(sel: Selection) -> Iterator[tuple]:
    """Every scale's score of those responses once completed (computed in the database)."""
    found = scale_scores(*_responses(sel)).subquery()
    for row in _stream(
        sa.select(
            found.c.response_id,
            found.c.scale_id,
            found.c.scale_key,
            found.c["items"],
            found.c.answered,
            found.c.hundredths,
        ).order_by(found.c.response_id, found.c.scale_id)
    ):
        yield (*row[:5], score(row[5]))


def observations(sel: Selection):
    """The mentors' observations of consenting talents of the selection, within the dates."""
    o = MentorObservation
    return _stream(
        sa.select(o.id, o.talent_id, Territory.code, o.mentor_id, o.moment, o.weeks, o.observed_on)
        .join(Territory, Territory.id == o.territory_id)
        .where(*_of_consenting(o.talent_id, sel), *sel.on_days(o.observed_on))
        .order_by(o.id)
    )


def ratings(sel: Selection):
    """The points of those observations, never the comments."""
    o, g = MentorObservation, ObservationRating
    return _stream(
        sa.select(g.observation_id, g.dimension, g.value)
        .join(o, o.id == g.observation_id)
        .where(*_of_consenting(o.talent_id, sel), *sel.on_days(o.observed_on))
        .order_by(g.observation_id, g.dimension)
    )


def register_tables() -> None:
    """Put the questionnaire tables in the research export, after the repairs."""
    tables = [
        ExportTable(
            "questionnaires",
            _l("Questionnaires"),
            _l("One row per version of a questionnaire that was asked (published, or retired since)."),
            (
                VERSION,
                QUESTIONNAIRE,
                F("questionnaire_key", "string", _l("Stable key of the questionnaire, e.g. mon-parcours.")),
                F("version", "integer", _l("Number of the version: 1, 2, …")),
                F("status", "string", _l("published (asked now) or retired (replaced by a newer version).")),
                F("title_fr", "string", _l("Title in French.")),
                F("title_en", "string", _l("Title in English.")),
                F("published_on", "date", _l("Day the version was published."), "date"),
                F("retired_on", "date", _l("Day it was replaced; empty while it is asked."), "date"),
            ),
            versions,
            ("version_id",),
        ),
        ExportTable(
            "questionnaire_scales",
            _l("Questionnaire scales"),
            _l(
                "The scored scales of each version. A score is the mean of the items answered, or for a sum that "
                "mean times the number of items (prorated), reversed items turned round, to two decimals; it is "
                "missing when more items are unanswered than max_missing. Higher is always better."
            ),
            (
                SCALE,
                VERSION,
                SCALE_KEY,
                F("position", "integer", _l("Place of the scale in the version.")),
                F("label_fr", "string", _l("Name of the scale in French.")),
                F("label_en", "string", _l("Name of the scale in English.")),
                F("method", "string", _l("mean or sum of the items.")),
                F("max_missing", "integer", _l("How many items may be unanswered with the score still computed.")),
                F("items", "integer", _l("Number of items in the scale.")),
                F("score_min", "number", _l("Lowest score possible; empty without items.")),
                F("score_max", "number", _l("Highest score possible; empty without items.")),
            ),
            scales,
            ("scale_id",),
        ),
        ExportTable(
            "questionnaire_items",
            _l("Questionnaire items"),
            _l("The items of each version, with their statement (the questionnaire's text, not an answer)."),
            (
                ITEM,
                VERSION,
                F("position", "integer", _l("Place of the item in the version.")),
                F("item_key", "string", _l("Key of the item, the same from one version to the next.")),
                F(
                    "kind",
                    "string",
                    _l(
                        "likert4 or likert5 (a point on a scale), choice, number or text (free text: its answers "
                        "are never exported)."
                    ),
                ),
                F("scale_id", "integer", _l("Scale the item counts in; empty if none.")),
                F("reversed", "boolean", _l("Whether the item counts turned round in its scale (points + 1 − value).")),
                F("points", "integer", _l("Number of points of a scale item (4 or 5); empty otherwise.")),
                F("min_value", "integer", _l("Lowest number accepted, for a number item.")),
                F("max_value", "integer", _l("Highest number accepted, for a number item.")),
                F("text_fr", "string", _l("Statement in French.")),
                F("text_en", "string", _l("Statement in English.")),
            ),
            items,
            ("item_id",),
        ),
        ExportTable(
            "questionnaire_item_options",
            _l("Questionnaire item options"),
            _l("What each value of a scale item or a choice means."),
            (
                ITEM,
                F("value", "integer", _l("The value an answer holds (see questionnaire_answers.csv).")),
                F("label_fr", "string", _l("Words of the option in French.")),
                F("label_en", "string", _l("Words of the option in English.")),
            ),
            options,
            ("item_id", "value"),
        ),
        ExportTable(
            "questionnaire_responses",
            _l("Questionnaire responses"),
            _l(
                "One row per questionnaire a talent began, answered or declined at a moment of their path; only "
                "talents whose consent to the evaluation holds (never those who withdrew it)."
            ),
            (
                RESPONSE,
                PID,
                TERRITORY,
                QUESTIONNAIRE,
                VERSION,
                MOMENT,
                WEEKS,
                F("due_on", "date", _l("Day the moment came."), "date"),
                F("status", "string", _l("completed, declined or in_progress.")),
                F("declined", "boolean", _l("Whether the talent chose not to answer.")),
                F("assisted", "boolean", _l("Whether a mentor filled it in with the talent.")),
                F("assisted_by_pid", "string", _l("Pseudonymous id of that mentor; empty if none."), "pid"),
                F("started_on", "date", _l("Day it was begun."), "date"),
                F("completed_on", "date", _l("Day it was completed; empty otherwise."), "date"),
                F("declined_on", "date", _l("Day it was declined; empty otherwise."), "date"),
                F("postponed_until", "date", _l("Day the talent put it off to, while in progress."), "date"),
            ),
            responses,
            ("response_id",),
        ),
        ExportTable(
            "questionnaire_answers",
            _l("Questionnaire answers"),
            _l(
                "The item-level answers of the completed responses: the value given (the option's value or the "
                "number) or skipped. Free-text answers are never exported."
            ),
            (
                RESPONSE,
                ITEM,
                F("item_key", "string", _l("Key of the item.")),
                F("value", "number", _l("Value given; empty when skipped.")),
                F("skipped", "boolean", _l("Whether the talent passed the item.")),
                F("assisted", "boolean", _l("Whether a mentor filled this answer in with the talent.")),
                F("answered_on", "date", _l("Day of the answer."), "date"),
            ),
            answers,
            ("response_id", "item_id"),
        ),
        ExportTable(
            "questionnaire_scores",
            _l("Questionnaire scores"),
            _l("The score of each scale of each completed response, computed as questionnaire_scales.csv says."),
            (
                RESPONSE,
                SCALE,
                SCALE_KEY,
                F("items", "integer", _l("Number of items in the scale.")),
                F("answered", "integer", _l("Number of its items answered.")),
                F("score", "number", _l("Score of the scale; empty when too many items are unanswered.")),
            ),
            scores,
            ("response_id", "scale_id"),
        ),
        ExportTable(
            "mentor_observations",
            _l("Mentor observations"),
            _l("A mentor's structured observation of a talent at a moment of the path (never the comments)."),
            (
                F("observation_id", "integer", _l("Id of the observation.")),
                PID,
                TERRITORY,
                F("mentor_pid", "string", _l("Pseudonymous id of the mentor; empty if the account is gone."), "pid"),
                MOMENT,
                WEEKS,
                F("observed_on", "date", _l("Day of the observation."), "date"),
            ),
            observations,
            ("observation_id",),
        ),
        ExportTable(
            "observation_ratings",
            _l("Observation ratings"),
            _l("The points of each observation, dimension by dimension; the comments are never exported."),
            (
                F("observation_id", "integer", _l("Id of the observation (see mentor_observations.csv).")),
                F("dimension", "string", _l("autonomy, punctuality, teamwork or technical_progress.")),
                F("value", "integer", _l("1 (lowest) to 4; empty when not observed.")),
            ),
            ratings,
            ("observation_id", "dimension"),
        ),
    ]
    for order, table in enumerate(tables):
        export_tables.register(table.name, table, order=1600 + order)
