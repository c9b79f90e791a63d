"""The indicators through the API: reporting's own sections for the page's filters, within the user's territory."""

from __future__ import annotations

from repairlab.api.views.indicators import _value
from repairlab.people.models import Role
from repairlab.reporting.registry import sections
from repairlab.reporting.selection import Selection


def test_a_lab_manager_reads_the_figures_of_the_page_for_their_territory(app, api, manager, territory, talent):
    body = api(manager, lang="fr").get("/api/v1/indicators")
    assert body.status_code == 200
    assert body.json["selection"] == {"territory": str(territory.id)}
    assert [s["key"] for s in body.json["sections"]] == [key for key, _section in sections.items()]
    [enrolment] = [s for s in body.json["sections"] if s["key"] == "enrolment"]
    with app.test_request_context():  # in French, the default, as asked
        expected = sections.get("enrolment").compute(Selection(territory_id=territory.id))
        assert [f["value"] for f in enrolment["figures"]] == [_value(f.value) for f in expected.figures]
        assert [t["key"] for t in enrolment["tables"]] == [t.key for t in expected.tables]
        assert [t["rows"] for t in enrolment["tables"]] == [
            [[_value(v) for v in row] for row in t.rows] for t in expected.tables
        ]
    one = api(manager, lang="fr").get("/api/v1/indicators/enrolment").json
    assert one == enrolment


def test_the_filters_are_the_pages_with_its_words(api, manager, admin, other_territory, territory):
    caller = api(manager)
    assert caller.get("/api/v1/indicators", query_string={"territory": other_territory.id}).status_code == 404
    bad = caller.get("/api/v1/indicators", query_string={"from": "2026-13-45"})
    assert (bad.status_code, bad.json["field"]) == (422, "from")
    assert bad.json["detail"] == "Enter a date as YYYY-MM-DD, between the years 1900 and 2100."
    backwards = caller.get("/api/v1/indicators/enrolment", query_string={"from": "2026-05-01", "to": "2026-04-01"})
    assert backwards.json["detail"] == "The end date must be on or after the start date."
    assert caller.get("/api/v1/indicators/nothing").status_code == 404
    everywhere = api(admin).get("/api/v1/indicators/enrolment", query_string={"territory": other_territory.id})
    assert everywhere.status_code == 200
    assert api(admin).get("/api/v1/indicators").json["selection"] == {}


def test_talents_do_not_read_indicators(api, talent, make_user):
    assert api(talent).get("/api/v1/indicators").status_code == 403
    assert api(make_user(Role.RESEARCHER)).get("/api/v1/indicators/enrolment").status_code == 200
