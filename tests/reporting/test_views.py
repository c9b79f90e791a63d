"""The indicators page and its CSV tables: what each role sees, filters, and refusals."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from repairlab.people.models import Role

NAMES = ("Alice Arnaud", "Bruno Barré", "Chloé Charpentier", "Dora Dupuis", "Émile Estienne")


def test_the_page_is_in_french_with_a_definition_for_every_number(programme, client, login):
    login(programme["admin"])
    page = client.get("/reporting/").get_data(as_text=True)
    assert "<h1>Indicateurs</h1>" in page
    assert "tout le programme, toutes les dates" in page
    assert "Talents inscrits" in page
    assert "Somme des objectifs des promotions affichées." in page
    assert page.count('<dd class="value">') == page.count('<dd class="definition">')
    assert 'role="img"' in page and "<desc" in page  # charts with a text alternative
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("who", ["admin", "researcher", "manager", "mentor"])
def test_no_talent_name_on_the_page(programme, client, login, who):
    login(programme[who])
    page = client.get("/reporting/").get_data(as_text=True)
    for name in NAMES:
        assert name not in page


def test_a_lab_manager_sees_only_their_territory(programme, client, login):
    login(programme["manager"])
    page = client.get("/reporting/").get_data(as_text=True)
    assert "Promo A" in page
    assert "Promo B" not in page and "PAR – Paris" not in page
    assert "Territoire RBX – Roubaix-Lille" in page.split('class="report-selection"', 1)[1].split("</p>", 1)[0]


@pytest.mark.parametrize("who", ["manager", "mentor"])
def test_another_territory_in_the_query_string_is_not_found(programme, client, login, who):
    login(programme[who])
    assert client.get(f"/reporting/?territory={programme['par'].id}").status_code == 404
    assert client.get(f"/reporting/?cohort={programme['promo_b'].id}").status_code == 404
    assert client.get(f"/reporting/enrolment/by_cohort.csv?territory={programme['par'].id}").status_code == 404
    # Their own territory, named, is fine.
    assert client.get(f"/reporting/?territory={programme['rbx'].id}").status_code == 200


def test_the_csv_of_a_manager_holds_only_their_territory(programme, client, login):
    login(programme["manager"])
    response = client.get("/reporting/enrolment/by_cohort.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows == [
        ["Territoire", "Promotion", "Talents inscrits", "Objectif", "De l’objectif"],
        ["RBX", "Promo A", "3", "10", "30.0"],
    ]


def test_admins_filter_any_territory(programme, client, login):
    login(programme["admin"])
    response = client.get(f"/reporting/enrolment/by_cohort.csv?territory={programme['par'].id}")
    assert "Promo B" in response.get_data(as_text=True)
    assert "Promo A" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-13-01", "from"),
        ("from=2026-03-01&to=2026-02-01", "to"),
        ("track=pirate", "track"),
        ("territory=abc", "territory"),
    ],
)
def test_bad_filters_are_shown_next_to_their_field(programme, client, login, query, field):
    login(programme["admin"])
    response = client.get(f"/reporting/?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert "Talents inscrits" not in page


def test_unknown_table_is_not_found(programme, client, login):
    login(programme["admin"])
    assert client.get("/reporting/enrolment/nothing.csv").status_code == 404
    assert client.get("/reporting/nothing/by_cohort.csv").status_code == 404


@pytest.mark.parametrize("role", [Role.PARTICIPANT])
def test_talents_do_not_see_the_indicators(programme, client, login, role):
    login(programme["alice"])
    assert client.get("/reporting/").status_code == 403


def test_the_export_button_only_for_researchers_and_admins(programme, client, login):
    login(programme["researcher"])
    page = client.get(f"/reporting/?territory={programme['rbx'].id}").get_data(as_text=True)
    assert 'action="/reporting/export.zip"' in page
    assert f'<input type="hidden" name="territory" value="{programme["rbx"].id}">' in page
    assert 'name="months"' in page
    login(programme["manager"])
    assert "/reporting/export.zip" not in client.get("/reporting/").get_data(as_text=True)


def _another_loan(db, item_name: str, **changes):
    """Add a loan of the named item like its first one (to the same talent), with `changes`; return the item."""
    from repairlab.inventory.models import Item
    from repairlab.lending.models import Loan

    item = db.session.scalar(sa.select(Item).where(Item.name == item_name))
    loan = db.session.scalar(sa.select(Loan).where(Loan.item_id == item.id).order_by(Loan.id))
    fields = ("item_id", "territory_id", "borrower_id", "lent_by_id", "kind", "started_at", "due_at", "returned_at")
    db.session.add(Loan(**({name: getattr(loan, name) for name in fields} | changes)))
    return item


def _loans_csv(client) -> list[list[str]]:
    response = client.get("/reporting/loans/by_category.csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_the_figures_are_reused_until_what_they_count_changes(still_clock, programme, client, login, db, query_counter):
    """The sections' figures are computed once and then checked in one query; each change of what they count shows
    at the next render (a loan, a returned loan, a category renamed), in each language apart."""
    from repairlab.inventory.models import Category

    login(programme["admin"])
    first = client.get("/reporting/").get_data(as_text=True)
    with query_counter() as warm:
        assert client.get("/reporting/").get_data(as_text=True) == first
    with query_counter() as again:
        client.get("/reporting/")
    assert again.value == warm.value and warm.value < 15  # not one query per section's figures

    assert _loans_csv(client)[1] == ["Sans catégorie", "4", "3"]
    item = _another_loan(db, "Perceuse")
    db.session.commit()
    assert _loans_csv(client)[1] == ["Sans catégorie", "5", "3"]

    category = Category(name="Perçage", path="Perçage")
    db.session.add(category)
    db.session.flush()
    item.category_id = category.id
    db.session.commit()
    rows = _loans_csv(client)
    assert ["Perçage", "4", "2"] in rows
    category.path = category.name = "Perceuses"
    db.session.commit()
    assert ["Perceuses", "4", "2"] in _loans_csv(client)

    client.post("/language", data={"lang": "en", "next": "/reporting/"})
    english = client.get("/reporting/").get_data(as_text=True)
    assert "Talents who borrowed" in english and "Talents ayant emprunté" not in english
    assert ["No category", "1", "1"] in _loans_csv(client)


def _figure(page: str, label: str) -> str:
    block = page.split(f"<dt>{label}</dt>", 1)[1]
    return block.split('<dd class="value">', 1)[1].split("</dd>", 1)[0]


def test_at_a_new_minute_only_the_figures_that_change_with_the_time_are_computed_again(
    programme, client, login, db, query_counter
):
    """A loan still out passes its due time with no write: the next minute's page counts it late. The sections that
    change only with the date are not computed again for that."""
    from datetime import timedelta

    import time_machine

    from repairlab.clock import this_minute

    start = this_minute() + timedelta(minutes=1)
    with time_machine.travel(start, tick=False) as traveller:
        _another_loan(
            db, "Scie", started_at=start - timedelta(days=1), due_at=start + timedelta(seconds=30), returned_at=None
        )
        db.session.commit()
        login(programme["admin"])
        with query_counter() as cold:
            first = client.get("/reporting/").get_data(as_text=True)
        assert _figure(first, "Rendus en retard") == "20,0 %"  # 1 of the 5 loans
        traveller.shift(timedelta(minutes=1))
        with query_counter() as next_minute:
            later = client.get("/reporting/").get_data(as_text=True)
        assert _figure(later, "Rendus en retard") == "40,0 %"  # the open one is now late too
        assert 2 < next_minute.value < cold.value - 10, (next_minute.value, cold.value)


def test_a_table_downloaded_through_a_server_arrives_whole_and_follows_a_change(programme, live_client, db):
    """The CSV of a table, read to its end through a real server, before and after a loan is added."""

    def download(visitor) -> list[list[str]]:
        response = visitor.get("/reporting/loans/by_category.csv")
        assert response.status == 200 and response.headers.get_content_type() == "text/csv"
        assert int(response.headers["Content-Length"]) == len(response.body)
        return list(csv.reader(io.StringIO(response.body.decode("utf-8").lstrip("\ufeff"))))

    visitor = live_client(programme["admin"])
    assert download(visitor) == [["Catégorie", "Prêts", "Talents ayant emprunté"], ["Sans catégorie", "4", "3"]]
    _another_loan(db, "Perceuse")
    db.session.commit()
    assert download(visitor)[1] == ["Sans catégorie", "5", "3"]
