"""The list of repair tickets: what each role sees, the filters, the search (accents and case ignored), pagination,
a bounded number of queries whatever the number of tickets, and the CSV export through a real HTTP server."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest

from repairlab.clock import utcnow
from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.repairs.models import Outcome, TicketStatus
from tests.repairs import stats_data as data


@pytest.fixture
def lab(make_lab):
    return make_lab("Atelier Nord")


def _codes(html: str) -> set[str]:
    return set(re.findall(r'<span class="code">([^<]+)</span>', html))


def test_a_lab_manager_lists_the_tickets_of_the_territory(client, login, make_user, make_lab, make_territory, lab):
    mine = data.ticket(lab, "Toaster", brand="Seb", model="Toast'n Go")
    theirs = data.ticket(make_lab("Atelier Paris", make_territory("PAR", "Paris")), "Toaster")
    db.session.commit()
    login(make_user(Role.LAB_MANAGER))
    html = client.get("/repairs/tickets", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert mine.code in html and theirs.code not in html
    assert "Seb Toast&#39;n Go" in html and "Reçu" in html


def test_an_admin_lists_every_territory(client, login, admin, make_lab, make_territory, lab):
    a = data.ticket(lab, "Toaster")
    b = data.ticket(make_lab("Atelier Paris", make_territory("PAR", "Paris")), "Kettle")
    db.session.commit()
    login(admin)
    assert _codes(client.get("/repairs/tickets").get_data(as_text=True)) == {a.code, b.code}


def test_filters(client, login, make_user, lab):
    zoe = make_user(Role.PARTICIPANT, name="Zoé")
    cafe = data.event(lab, date(2026, 11, 14), "Repair Café")
    fixed = data.ticket(lab, "Toaster", Outcome.FIXED, event_=cafe, talents=((zoe, 20),))
    dead = data.ticket(lab, "Vacuum", Outcome.END_OF_LIFE, event_=cafe)
    ready = data.ticket(lab, "Lamp", Outcome.FIXED, status=TicketStatus.READY, day=date(2026, 10, 2))
    new = data.ticket(lab, "Toaster", day=date(2026, 9, 1))
    stale = data.ticket(lab, "Kettle", status=TicketStatus.IN_REPAIR, changed_at=utcnow() - timedelta(days=20))
    fresh = data.ticket(lab, "Kettle", status=TicketStatus.IN_REPAIR)
    db.session.commit()
    login(make_user(Role.LAB_MANAGER))

    def listed(query: str) -> set[str]:
        return _codes(client.get(f"/repairs/tickets?{query}").get_data(as_text=True))

    toaster = data.category("Toaster").id
    assert listed("status=received") == {new.code}
    assert listed("status=open") == {ready.code, new.code, stale.code, fresh.code}
    assert listed("outcome=fixed") == {fixed.code, ready.code}
    assert listed("outcome=none") == {new.code, stale.code, fresh.code}
    assert listed(f"category={toaster}") == {fixed.code, new.code}
    assert listed(f"event={cafe.id}") == {fixed.code, dead.code}
    assert listed(f"talent={zoe.id}") == {fixed.code}
    assert listed("from=2026-09-01&to=2026-10-31") == {ready.code, new.code}
    assert listed("stale=1") == {stale.code}
    assert listed(f"category={toaster}&outcome=fixed") == {fixed.code}
    # Unknown values are ignored, not errors.
    assert len(listed("status=lost&outcome=x&category=abc&from=31/02")) == 6


def test_search_ignores_accents_and_case(client, login, make_user, lab):
    cafetiere = data.ticket(lab, "Coffee maker", lab_category="Cafetière italienne", brand="Bialetti")
    seche = data.ticket(lab, "Hair dryer", brand="Rowenta", model="Éole 2000")
    data.ticket(lab, "Toaster", brand="Seb")
    db.session.commit()
    login(make_user(Role.MENTOR))

    def found(q: str) -> set[str]:
        return _codes(client.get("/repairs/tickets", query_string={"q": q}).get_data(as_text=True))

    assert found("CAFETIERE") == {cafetiere.code}
    assert found("eole") == {seche.code}
    assert found("bialetti") == {cafetiere.code}
    assert found(seche.code.lower()) == {seche.code}
    assert found("100%") == set()  # % is a plain character


def test_pagination(client, login, make_user, lab):
    for n in range(30):
        data.ticket(lab, "Toaster", day=date(2026, 1, 1) + timedelta(days=n))
    db.session.commit()
    login(make_user(Role.LAB_MANAGER))
    first = client.get("/repairs/tickets").get_data(as_text=True)
    second = client.get("/repairs/tickets?page=2").get_data(as_text=True)
    assert len(_codes(first)) == 25 and len(_codes(second)) == 5
    assert "Page 2 of 2" in second or "Page 2 sur 2" in second
    assert not _codes(first) & _codes(second)


@pytest.mark.parametrize("path", ["/repairs/tickets", "/repairs/tickets?q=toast&status=open", "/"])
def test_queries_are_bounded_whatever_the_number_of_tickets(
    fresh_renders, client, login, make_user, lab, query_counter, path
):
    """The list (and the home page's queues) run as many queries with 50 tickets as with 5."""
    user = make_user(Role.LAB_MANAGER)
    talent = make_user(Role.PARTICIPANT)
    cafe = data.event(lab, date(2026, 11, 14))
    login(user)
    counts = []
    for batch in (5, 45):
        for n in range(batch):
            status = (TicketStatus.RECEIVED, TicketStatus.IN_REPAIR, TicketStatus.READY)[n % 3]
            outcome = Outcome.FIXED if status == TicketStatus.READY else None
            data.ticket(lab, "Toaster", outcome, status=status, event_=cafe, brand="Toast", talents=((talent, 5),))
        db.session.commit()
        with query_counter() as count:
            assert client.get(path).status_code == 200
        counts.append(count.value)
    assert counts[0] == counts[1]


def test_talents_list_but_researchers_do_not(client, login, make_user, lab):
    data.ticket(lab, "Toaster")
    db.session.commit()
    login(make_user(Role.PARTICIPANT))
    assert client.get("/repairs/tickets").status_code == 200
    assert client.get("/repairs/tickets.csv").status_code == 403
    login(make_user(Role.RESEARCHER))
    assert client.get("/repairs/tickets").status_code == 403


def test_csv_export_of_the_filtered_list(make_user, make_lab, make_territory, lab, live_client):
    fixed = data.ticket(lab, "Toaster", Outcome.FIXED, brand="=HYPERLINK(1)", lab_category="Grille-pain")
    fixed.owner_first_name, fixed.owner_email = "Camille", "camille@example.org"
    data.ticket(lab, "Kettle")
    data.ticket(make_lab("Atelier Paris", make_territory("PAR", "Paris")), "Toaster", Outcome.FIXED)
    for n in range(600):  # more than one batch of the stream
        data.ticket(lab, "Lamp", Outcome.REPAIRABLE, day=date(2025, 1, 1) + timedelta(days=n % 300))
    db.session.commit()
    visitor = live_client(make_user(Role.LAB_MANAGER))
    response = visitor.get("/repairs/tickets.csv?outcome=fixed")
    assert response.status == 200 and response.headers.get_content_type() == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(response.text[1:])))
    assert [r["code"] for r in rows] == [fixed.code]
    row = rows[0]
    assert (row["category"], row["lab_category"], row["outcome"]) == ("Toaster", "Grille-pain", "fixed")
    assert (row["waste_prevented_kg"], row["co2e_prevented_kg"]) == ("1.470", "4.065")
    assert row["brand"] == "'=HYPERLINK(1)"  # inert in a spreadsheet
    assert "Camille" not in response.text and "camille@" not in response.text  # never the owner
    everything = visitor.get("/repairs/tickets.csv")
    assert len(list(csv.DictReader(io.StringIO(everything.text[1:])))) == 602


# --- Search through the text index (FTS5 trigram on SQLite, pg_trgm on PostgreSQL: the same cases on both) --------

TICKETS = [  # (category, brand, model, lab category)
    ("Toaster", "Seb", "Toast'n Go", ""),
    ("Coffee maker", "Bialetti", "Moka Express", "Cafetière italienne"),
    ("Hair dryer", "Rowenta", "Éole 2000", "Sèche-cheveux"),
    ("Kettle", "Dušan & fils", "100% inox", "Bouilloire"),
]
SEARCHES = [
    ("seb", ["Seb"]),
    ("SÈB", ["Seb"]),
    ("cafetiere", ["Bialetti"]),
    ("CAFETIÈRE ITAL", ["Bialetti"]),
    ("eole 2", ["Rowenta"]),
    ("dusan &", ["Dušan & fils"]),
    ("100%", ["Dušan & fils"]),
    ("%", ["Dušan & fils"]),
    ("seb toast", []),  # never across two fields
    ('"moka', []),
    ("moka OR seb", []),  # FTS5's query syntax is plain text
    ("ro", ["Rowenta"]),  # shorter than a trigram: the same rule without the index
    ("ox", ["Dušan & fils"]),
    ("zz", []),
]


@pytest.fixture
def searchable(lab):
    made = {brand: data.ticket(lab, c, brand=brand, model=m, lab_category=lc) for c, brand, m, lc in TICKETS}
    db.session.commit()
    return made


@pytest.mark.parametrize(("query", "brands"), SEARCHES)
def test_the_same_search_results_on_every_engine(client, login, make_user, searchable, query, brands):
    login(make_user(Role.LAB_MANAGER))
    html = client.get("/repairs/tickets", query_string={"q": query}).get_data(as_text=True)
    assert _codes(html) == {searchable[b].code for b in brands}


def test_a_ticket_is_found_by_its_code_first_and_every_change_keeps_the_index_in_step(
    client, login, make_user, searchable
):
    login(make_user(Role.LAB_MANAGER))

    def found(q: str) -> set[str]:
        return _codes(client.get("/repairs/tickets", query_string={"q": q}).get_data(as_text=True))

    seb = searchable["Seb"]
    assert found(seb.code.lower()) == {seb.code}
    seb.brand, seb.model = "Moulinex", "Subito"
    db.session.commit()
    assert found("seb") == set() and found("moulinex") == {seb.code} and found("subito") == {seb.code}
    db.session.delete(seb)
    db.session.commit()
    assert found("moulinex") == set()


def test_a_search_past_the_cap_lists_the_newest_tickets_latest_first(app, client, login, make_user, lab, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_CAP", 2)
    _old, newer, newest = (data.ticket(lab, "Toaster", brand="Seb", day=date(2026, 3, d)) for d in (30, 1, 15))
    db.session.commit()
    login(make_user(Role.LAB_MANAGER))
    html = client.get("/repairs/tickets", query_string={"q": "seb"}).get_data(as_text=True)
    codes = re.findall(r'<span class="code">([^<]+)</span>', html)
    assert codes == [newest.code, newer.code]  # the two added last, latest event first; not the oldest
    assert "Plus de 2 résultats" in html
