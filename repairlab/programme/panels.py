"""The programme's home panel: who needs attention in the viewer's territory (staff)."""

from __future__ import annotations

from repairlab.auth import territory_scope
from repairlab.pages import HomePanel, home_panels
from repairlab.people.models import User
from repairlab.programme import queries
from repairlab.programme.access import PATH_STAFF
from repairlab.programme.questionnaires import queries as questionnaire_queries

# The panel names this many people of each list; the page has them all.
PANEL_NAMES = 3


def attention_context(user: User) -> dict | None:
    """The attention counts and the first names of each list (three queries), and the questionnaires to answer;
    hidden when nobody needs it."""
    scope = territory_scope(user)
    found = queries.attention(scope)
    questionnaires = questionnaire_queries.due_in_territory(scope)
    if not found.total and not questionnaires:
        return None
    return {
        "attention": found,
        "questionnaires": questionnaires,
        "overdue": sum(1 for row in questionnaires if row.overdue),
        "names": PANEL_NAMES,
        "limit": queries.ATTENTION_ROWS,
    }


def register_panels() -> None:
    """Add the attention panel to the home page of mentors, lab managers and admins."""
    home_panels.register(
        "programme.attention",
        HomePanel(frozenset(PATH_STAFF), "programme/panels/attention.html", attention_context),
        order=25,
    )
