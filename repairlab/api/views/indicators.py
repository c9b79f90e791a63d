"""The indicators: the reporting page's sections, computed by reporting for the page's filters, as JSON."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import request
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from repairlab.api.problems import refusals, refuse
from repairlab.api.schemas import IndicatorArgs, IndicatorsOut, SectionOut
from repairlab.api.web import allow
from repairlab.reporting.access import PAGE_ROLES
from repairlab.reporting.registry import Section, SectionData, sections
from repairlab.reporting.selection import Selection, parse_selection

indicators = Blueprint(
    "indicators", __name__, url_prefix="/api/v1/indicators", description="The programme's indicators."
)


def _value(value):
    """A figure or a cell as JSON: numbers as numbers (rates from 0 to 1), dates as YYYY-MM-DD, words as text."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _section(key: str, section: Section, data: SectionData) -> dict:
    return {
        "key": key,
        "title": str(section.title),
        "intro": str(section.intro),
        "note": str(data.note or ""),
        "figures": [
            {"label": str(f.label), "value": _value(f.value), "definition": str(f.definition), "kind": f.kind}
            for f in data.figures
        ],
        "tables": [
            {
                "key": t.key,
                "title": str(t.title),
                "definition": str(t.definition),
                "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in t.columns],
                "rows": [[_value(v) for v in row] for row in t.rows],
            }
            for t in data.tables
        ],
    }


def _selection() -> Selection:
    """The page's filters read by reporting within the user's scope; a wrong one is refused with its message."""
    parsed = parse_selection(request.args, current_user)
    if parsed.errors:
        field, message = next(iter(parsed.errors.items()))
        errors = {"query": {name: [text] for name, text in parsed.errors.items()}}
        raise refuse(422, message, field=field, errors=errors)
    return parsed.selection


@indicators.route("")
class IndicatorList(MethodView):
    """Every section of the indicators page."""

    @refusals(indicators, 403, 404, 422)
    @indicators.arguments(IndicatorArgs, location="query")
    @indicators.response(200, IndicatorsOut)
    def get(self, _args):
        """The figures and tables of every section of the indicators page, for its filters (administrators and
        researchers: every territory; lab managers and mentors: their own)."""
        allow(*PAGE_ROLES)
        selection = _selection()
        shown = [_section(key, section, section.compute(selection)) for key, section in sections.items()]
        return {"selection": selection.args(), "sections": shown}


@indicators.route("/<string:section_key>")
class IndicatorSection(MethodView):
    """One section of the indicators page."""

    @refusals(indicators, 403, 404, 422)
    @indicators.arguments(IndicatorArgs, location="query")
    @indicators.response(200, SectionOut)
    def get(self, _args, section_key: str):
        """One section's figures and tables (its key, e.g. `enrolment`, as in the full list), for the filters."""
        allow(*PAGE_ROLES)
        section = sections.get(section_key)
        if section is None:
            raise refuse(404)
        return _section(section_key, section, section.compute(_selection()))
