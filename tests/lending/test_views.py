"""Lending pages: borrow and return from the item page, the desk, my loans, member cards, query counts."""

from __future__ import annotations

import io
import threading
from datetime import timedelta

import sqlalchemy as sa
import zxingcpp
from PIL import Image

from repairlab import clock
from repairlab.clock import utcnow
from repairlab.extensions import db as _db
from repairlab.inventory.models import Item, ItemStatus, ProblemReport
from repairlab.lending import cards, queries, services
from repairlab.lending.models import Loan, LoanKind
from repairlab.people.models import Role
from tests.inventory.conftest import english


def _open_loans():
    return _db.session.scalars(sa.select(Loan).where(Loan.returned_at.is_(None))).all()


def test_a_talent_borrows_from_the_item_page_and_gives_it_back(db, client, login, tool, talent):
    english(login(talent))
    page = client.get(f"/inventory/items/{tool.id}").get_data(as_text=True)
    assert "Available: borrow it." in page and "Take it home" in page
    due = (clock.today() + timedelta(days=2)).isoformat()
    response = client.post(f"/lending/items/{tool.id}/borrow", data={"kind": "take_home", "due_on": due})
    assert response.status_code == 302 and response.location.endswith(f"/inventory/items/{tool.id}")
    [loan] = _open_loans()
    assert loan.borrower_id == talent.id and loan.kind == LoanKind.TAKE_HOME
    page = client.get(f"/inventory/items/{tool.id}").get_data(as_text=True)
    assert "Lent to you until" in page and "Give it back" in page
    response = client.post(f"/lending/loans/{loan.id}/return", data={"condition": "good", "note": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert _open_loans() == []
    assert db.session.get(Item, tool.id).status == ItemStatus.AVAILABLE


def test_a_refused_borrow_changes_nothing_and_says_why(db, client, login, make_item, talent, manager):
    tool = make_item("Fer à souder")
    from repairlab.inventory import services as inventory

    inventory.set_status(manager, [tool], ItemStatus.OUT_OF_SERVICE)
    db.session.commit()
    english(login(talent))
    response = client.post(f"/lending/items/{tool.id}/borrow", data={"kind": "in_lab"}, follow_redirects=True)
    assert "not available: it is out of service" in response.get_data(as_text=True)
    assert _open_loans() == []


def test_others_see_on_loan_without_the_name_and_the_desk_sees_it(
    db, client, login, tool, talent, make_user, manager, lend
):
    talent.full_name = "Zoé Emprunteuse"
    db.session.commit()
    lend(talent, tool, talent)
    english(login(make_user(Role.PARTICIPANT)))
    page = client.get(f"/inventory/items/{tool.id}").get_data(as_text=True)
    assert "On loan until" in page and "Zoé Emprunteuse" not in page and "Give it back" not in page
    english(login(manager))
    page = client.get(f"/inventory/items/{tool.id}").get_data(as_text=True)
    assert "Borrowed by Zoé Emprunteuse" in page and "Record the return" in page


def test_a_damaged_return_from_the_page_opens_a_report(db, client, login, tool, talent, lend):
    loan = lend(talent, tool, talent)
    login(talent)
    client.post(f"/lending/loans/{loan.id}/return", data={"condition": "broken", "note": "Câble coupé"})
    assert db.session.scalar(sa.select(ProblemReport.description)) == "Câble coupé"


def test_someone_else_cannot_return_a_loan(db, client, login, tool, talent, make_user, lend):
    loan = lend(talent, tool, talent)
    login(make_user(Role.PARTICIPANT))
    assert client.post(f"/lending/loans/{loan.id}/return", data={"condition": "good"}).status_code == 404
    assert len(_open_loans()) == 1


def test_the_desk_lends_by_item_code_and_member_card(db, client, login, tool, talent, manager):
    card = cards.card_for(talent)
    db.session.commit()
    english(login(manager))
    response = client.post(
        "/lending/desk/lend",
        data={"item_code": tool.code.lower(), "card": f"https://repairlab.test/m/{card.token}", "kind": "in_lab"},
    )
    assert response.status_code == 302
    [loan] = _open_loans()
    assert (loan.borrower_id, loan.lent_by_id) == (talent.id, manager.id)


def test_the_desk_says_what_is_wrong_and_changes_nothing(db, client, login, tool, talent, manager):
    english(login(manager))
    response = client.post(
        "/lending/desk/lend", data={"item_code": tool.code, "card": "M-WRONGCODE2", "kind": "in_lab"}
    )
    assert response.status_code == 400
    assert "No member card has this code" in response.get_data(as_text=True)
    response = client.post("/lending/desk/lend", data={"item_code": "RBX-9999", "card": "x", "kind": "in_lab"})
    assert "No item has this code" in response.get_data(as_text=True)
    assert _open_loans() == []


def _past_loan(item, talent, manager, *, started: int, due: int) -> Loan:
    now = utcnow()
    loan = Loan(
        item_id=item.id,
        territory_id=item.territory_id,
        borrower_id=talent.id,
        lent_by_id=manager.id,
        kind=LoanKind.TAKE_HOME,
        started_at=now - timedelta(days=started),
        due_at=now + timedelta(days=due),
    )
    item.status = ItemStatus.ON_LOAN
    _db.session.add(loan)
    return loan


def test_the_desk_lists_overdue_with_how_to_reach_the_talent(db, client, login, make_item, talent, manager):
    talent.full_name, talent.phone = "Yanis Retard", "06 12 34 56 78"
    _past_loan(make_item("Ponceuse"), talent, manager, started=20, due=-10)
    _past_loan(make_item("Scie"), talent, manager, started=2, due=5)
    db.session.commit()
    english(login(manager))
    page = client.get("/lending/desk").get_data(as_text=True)
    overdue = page[page.index('id="overdue-title"') : page.index('id="due-today-title"')]
    assert "Ponceuse" in overdue and "Yanis Retard" in overdue and "10 days late" in overdue
    assert "tel:06 12 34 56 78" in overdue and f"mailto:{talent.email}" in overdue
    out = page[page.index('id="due-later-title"') :]
    assert "Scie" in out and "Ponceuse" not in out


def test_desk_lists_are_cut_to_their_first_rows_with_the_full_counts(db, make_item, talent, manager):
    for days in (3, 2, 1):
        _past_loan(make_item(f"Overdue {days}"), talent, manager, started=20, due=-days)
    _past_loan(make_item("Later"), talent, manager, started=2, due=5)
    db.session.commit()
    lists = queries.desk_lists(talent.territory_id, limit=2)
    assert [loan.item.name for loan in lists.overdue] == ["Overdue 3", "Overdue 2"]
    assert [loan.item.name for loan in lists.out] == ["Later"] and lists.due_today == []
    assert lists.totals == {"overdue": 3, "due_today": 0, "out": 1}


def test_the_desk_says_when_a_list_is_cut(db, client, login, make_item, talent, manager, monkeypatch):
    monkeypatch.setattr(queries, "DESK_ROWS", 1)
    monkeypatch.setattr(queries.desk_lists, "__kwdefaults__", {"limit": 1})
    for days in (2, 1):
        _past_loan(make_item(f"Overdue {days}"), talent, manager, started=20, due=-days)
    db.session.commit()
    english(login(manager))
    page = client.get("/lending/desk").get_data(as_text=True)
    overdue = page[page.index('id="overdue-title"') : page.index('id="due-today-title"')]
    assert "Overdue (2)" in overdue and "The first 1 of 2, soonest due first." in overdue
    assert "Overdue 2" in overdue and "Overdue 1" not in overdue


def test_the_desk_opens_the_item_brought_back_from_its_code(db, client, login, make_item, talent, manager):
    item = make_item("Ponceuse")
    _past_loan(item, talent, manager, started=3, due=1)
    db.session.commit()
    login(manager)
    response = client.get("/scan/go", query_string={"code": item.code.lower()}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.request.path == f"/inventory/items/{item.id}" and 'class="return-form"' in page


def test_my_loans_lists_open_and_past_loans(db, client, login, make_item, tool, talent, manager, lend):
    _past_loan(make_item("Ponceuse"), talent, manager, started=20, due=-10)
    loan = lend(talent, tool, talent)
    services.return_item(talent, loan, condition="good")
    db.session.commit()
    english(login(talent))
    page = client.get("/lending/my-loans").get_data(as_text=True)
    now = page[page.index('id="now-title"') : page.index('id="past-title"')]
    assert "Ponceuse" in now and "10 days late" in now
    assert "Perceuse-visseuse" in page[page.index('id="past-title"') :]
    home = client.get("/").get_data(as_text=True)
    assert "My loans" in home and "Ponceuse" in home


def test_the_member_card_qr_carries_only_the_opaque_url(db, app, client, login, talent):
    login(talent)
    page = client.get("/lending/card").get_data(as_text=True)
    token = cards.card_for(talent).token
    assert token in page
    image = Image.open(io.BytesIO(client.get("/lending/card.png").data))
    [text] = [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
    assert text == f"{app.config['PUBLIC_BASE_URL']}/m/{token}"
    assert talent.full_name not in text and talent.email not in text


def test_a_scanned_card_names_no_one_but_opens_the_desk_for_a_manager(db, client, login, talent, manager):
    token = cards.card_for(talent).token
    db.session.commit()
    page = client.get(f"/m/{token}").get_data(as_text=True)
    assert talent.full_name not in page and talent.email not in page
    login(manager)
    response = client.get(f"/m/{token.lower()}")
    assert response.status_code == 302 and f"card={token}" in response.location
    assert f'value="{token}"' in client.get(response.location).get_data(as_text=True)


def test_home_panel_of_the_desk_counts_loans(db, client, login, make_item, talent, manager):
    _past_loan(make_item("Ponceuse"), talent, manager, started=20, due=-10)
    db.session.commit()
    assert queries.desk_counts(manager.territory_id) == {"out": 1, "due_today": 0, "overdue": 1}
    english(login(manager))
    assert "Lending desk" in client.get("/").get_data(as_text=True)


def _many_loans(make_item, make_user, manager, count):
    for n in range(count):
        borrower = make_user(Role.PARTICIPANT)
        _past_loan(make_item(f"Outil {n}"), borrower, manager, started=5, due=(n % 3) - 1)
    _db.session.commit()


def test_desk_and_my_loans_run_the_same_queries_with_3_or_20_loans(
    fresh_renders, db, client, login, make_item, make_user, talent, manager, query_counter
):
    def count(url, user):
        login(user)
        with query_counter() as counted:
            assert client.get(url).status_code == 200
        return counted.value

    _many_loans(make_item, make_user, manager, 3)
    for n in range(3):
        _past_loan(make_item(f"Mien {n}"), talent, manager, started=3, due=n)
    _db.session.commit()
    small = (count("/lending/desk", manager), count("/lending/my-loans", talent))
    _many_loans(make_item, make_user, manager, 17)
    for n in range(17):
        item = make_item(f"Rendu {n}")
        loan = _past_loan(item, talent, manager, started=9, due=-2)
        loan.returned_at = utcnow()
        item.status = ItemStatus.AVAILABLE
    _db.session.commit()
    large = (count("/lending/desk", manager), count("/lending/my-loans", talent))
    assert large == small, (small, large)


def test_two_concurrent_borrow_posts_make_one_loan(app, db, login, tool, make_user):
    talents = [make_user(Role.PARTICIPANT) for _ in range(2)]
    clients = [login(t, app.test_client()) for t in talents]
    barrier = threading.Barrier(2)
    statuses = [None, None]
    url = f"/lending/items/{tool.id}/borrow"

    def post(i):
        barrier.wait()
        statuses[i] = clients[i].post(url, data={"kind": "in_lab"}).status_code

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert statuses == [302, 302]
    db.session.expire_all()
    assert len(_open_loans()) == 1


def _require_a_skill(db, admin, tool):
    from repairlab.inventory import requirements
    from repairlab.skills import catalogue

    domain = catalogue.create_domain(admin, name="Sécurité")
    skill = catalogue.create_skill(admin, domain=domain, name="Perceuse à colonne", is_safety=True)
    requirements.add_requirement(admin, item=tool, skill=skill, min_level=2)
    db.session.commit()


def test_a_talent_without_the_skill_sees_why_and_no_borrow_button(db, client, login, tool, talent, admin):
    _require_a_skill(db, admin, tool)
    english(login(talent))
    page = client.get(f"/inventory/items/{tool.id}").get_data(as_text=True)
    assert "You cannot borrow it yet" in page and "Perceuse à colonne" in page
    assert f'action="/lending/items/{tool.id}/borrow"' not in page and "Available: borrow it." not in page
    response = client.post(f"/lending/items/{tool.id}/borrow", data={"kind": "in_lab"}, follow_redirects=True)
    assert "Perceuse à colonne" in response.get_data(as_text=True)
    assert _open_loans() == []


def test_the_desk_overrides_a_skill_refusal_only_with_a_reason(db, client, login, tool, talent, manager, admin):
    _require_a_skill(db, admin, tool)
    card = cards.card_for(talent)
    db.session.commit()
    english(login(manager))
    form = {"item_code": tool.code, "card": card.token, "kind": "in_lab"}
    response = client.post("/lending/desk/lend", data=form)
    assert response.status_code == 400 and "write why in the override reason" in response.get_data(as_text=True)
    assert _open_loans() == []
    assert client.post("/lending/desk/lend", data={**form, "override_reason": "Je reste à côté"}).status_code == 302
    [loan] = _open_loans()
    assert loan.override_reason == "Je reste à côté"


def test_the_item_page_says_when_a_loan_is_late(db, client, login, make_item, talent, manager):
    item = make_item("Ponceuse")
    _past_loan(item, talent, manager, started=20, due=-10)
    db.session.commit()
    english(login(talent))
    assert "10 days late." in client.get(f"/inventory/items/{item.id}").get_data(as_text=True)
    english(login(manager))
    assert "10 days late." in client.get(f"/inventory/items/{item.id}").get_data(as_text=True)


def test_the_item_page_says_nothing_of_lateness_before_the_due_date(db, client, login, make_item, talent, manager):
    item = make_item("Scie")
    _past_loan(item, talent, manager, started=2, due=5)
    db.session.commit()
    english(login(manager))
    assert "late." not in client.get(f"/inventory/items/{item.id}").get_data(as_text=True)


def test_the_return_forms_labels_point_at_their_fields(db, client, login, tool, talent):
    """One return form per loan: each field has its own id, and its label, hint and error follow it."""
    loan = services.check_out_item(talent, tool, talent, kind=LoanKind.IN_LAB)
    db.session.commit()
    english(login(talent))
    page = client.get(f"/inventory/items/{tool.id}").get_data(as_text=True)
    form = page[page.index('class="return-form"') : page.index("</form>", page.index('class="return-form"'))]
    for name in ("condition", "note"):
        assert f'<label for="{name}-{loan.id}">' in form and f'id="{name}-{loan.id}"' in form
        assert f'<label for="{name}">' not in form
