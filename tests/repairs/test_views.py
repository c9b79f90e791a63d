"""Repairs' pages as their users see them: intake, the ticket, the public scan view, events, labels, evidence."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from repairlab import clock
from repairlab.inventory.models import Item, ItemKind
from repairlab.people.models import Role
from repairlab.repairs import tickets
from repairlab.repairs.models import Outcome, RepairTicket, TicketStatus
from tests.repairs.conftest import category


@pytest.fixture
def owned(make_ticket):
    """A toaster whose owner, Nadia, left her details; a talent, Zoé Martin, worked on it."""
    return make_ticket(
        brand="Moulinex",
        owner_first_name="Nadia",
        owner_email="nadia@example.org",
        owner_phone="06 12 34 56 78",
        owner_consent=True,
    )


@pytest.fixture
def worked(db, owned, make_talent):
    """The toaster with Zoé Martin's 40 minutes on it."""
    zoe = make_talent(name="Zoé Martin")
    tickets.record_work(zoe, owned, zoe, 40)
    db.session.commit()
    return owned


def _intake_form(**values) -> dict:
    form = {"lab_id": "", "event_id": "", "category_id": category("Toaster").id, "problem": "Ne chauffe plus"}
    form.update(values)
    return form


# --- Intake -----------------------------------------------------------------------------------------


def test_a_lab_manager_takes_an_object_in_and_is_offered_its_label(db, client, login, lab, manager):
    login(manager)
    page = client.get("/repairs/intake").get_data(as_text=True)
    assert "Recevoir un objet" in page and "Grille-pain" in page and "Vélo (poids à estimer)" in page
    response = client.post(
        "/repairs/intake",
        data=_intake_form(lab_id=lab.id, brand="Moulinex", product_age="3,5", problem="Ne chauffe plus"),
        follow_redirects=True,
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "RBX-0001 reçu. Collez son étiquette sur l’objet." in html
    assert "/labels/print?code=RBX-0001" in html
    ticket = db.session.scalar(sa.select(RepairTicket))
    assert (ticket.brand, ticket.product_age) == ("Moulinex", Decimal("3.5"))


def test_a_refused_intake_says_why_next_to_the_field_and_keeps_nothing(db, client, login, lab, manager):
    login(manager)
    response = client.post(
        "/repairs/intake",
        data=_intake_form(lab_id=lab.id, category_id=category("Bicycle").id, owner_first_name="Nadia"),
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Ce type d’objet n’a pas de poids de référence" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RepairTicket)) == 0
    response = client.post(
        "/repairs/intake",
        data=_intake_form(lab_id=lab.id, owner_first_name="Nadia"),
    )
    assert "cochez la case" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RepairTicket)) == 0


def test_intake_at_an_event_goes_back_to_the_next_intake_of_the_event(db, client, login, lab, manager):
    from datetime import time

    from repairlab.repairs import events

    event = events.create_event(manager, lab, events.EventFields("Repair Café", clock.today(), time(14), time(18)))
    db.session.commit()
    login(manager)
    page = client.get(f"/repairs/intake?event={event.id}").get_data(as_text=True)
    assert f'<option selected value="{event.id}">' in page
    response = client.post("/repairs/intake", data=_intake_form(lab_id=lab.id, event_id=event.id))
    assert response.location.endswith(f"/repairs/intake?event={event.id}")
    ticket = db.session.scalar(sa.select(RepairTicket))
    assert ticket.event_id == event.id and ticket.event_date == event.day


# --- The ticket and its public scan view -----------------------------------------------------------


def test_the_scan_opens_the_ticket_for_the_team(client, login, worked, manager):
    login(manager)
    response = client.get(f"/q/{worked.code.lower()}")
    assert response.location.endswith(f"/repairs/tickets/{worked.id}")
    html = client.get(response.location).get_data(as_text=True)
    assert "Grille-pain Moulinex" in html and "Nadia" in html and "nadia@example.org" in html
    assert "Zoé Martin" in html and "40 minutes" in html


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.MENTOR])
def test_mentors_and_talents_see_the_ticket_but_not_the_owner(client, login, make_user, worked, role):
    login(make_user(role))
    html = client.get(f"/repairs/tickets/{worked.id}").get_data(as_text=True)
    assert "Zoé Martin" in html and "Ne chauffe plus" in html
    assert "Nadia" not in html and "nadia@example.org" not in html and "06 12" not in html


@pytest.mark.parametrize("who", ["anonymous", "researcher", "other_manager"])
def test_the_public_scan_view_shows_the_object_status_and_hours_never_a_name(
    db, client, login, make_user, lab, worked, manager, other_manager, who
):
    lab.opening_hours = "Mardi et jeudi, 14 h – 18 h"
    tickets.set_outcome(manager, worked, Outcome.FIXED)
    tickets.change_status(manager, worked, TicketStatus.READY)
    db.session.commit()
    if who == "researcher":
        login(make_user(Role.RESEARCHER))
    elif who == "other_manager":
        login(other_manager)
    response = client.get(f"/repairs/tickets/{worked.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Grille-pain Moulinex" in html and "Prêt à récupérer" in html and "Mardi et jeudi, 14 h – 18 h" in html
    for private in ("Nadia", "nadia@example.org", "06 12", "Zoé", "Martin", manager.full_name, "photo"):
        assert private not in html
    assert client.get(f"/repairs/tickets/{worked.id}/photo/thumb").status_code in {302, 403, 404}


def test_a_talent_records_the_repair_from_the_ticket_page(db, client, login, owned, make_talent, make_item):
    fuse = make_item("Fusible 10 A", kind=ItemKind.PART, quantity=1)
    iron = make_item("Fer à souder")
    zoe = make_talent(name="Zoé Martin")
    login(zoe)
    url = f"/repairs/tickets/{owned.id}"
    client.post(f"{url}/status", data={"status": "in_repair"})
    client.post(f"{url}/work", data={"talent_id": zoe.id, "minutes": 35})
    client.post(f"{url}/notes", data={"diagnosis": "Fusible grillé", "work_done": "Fusible changé"})
    client.post(f"{url}/parts", data={"item_id": fuse.id, "quantity": 1})
    client.post(f"{url}/tools", data={"code": iron.code})
    client.post(f"{url}/outcome", data={"outcome": "fixed"})
    client.post(f"{url}/status", data={"status": "ready"})
    refused = client.post(f"{url}/parts", data={"item_id": fuse.id, "quantity": 1}, follow_redirects=True)
    assert "Pas assez en stock\u00a0: il reste 0 Fusible 10 A." in refused.get_data(as_text=True)
    db.session.expire_all()
    ticket = db.session.get(RepairTicket, owned.id)
    assert ticket.status == TicketStatus.READY and ticket.outcome == Outcome.FIXED
    assert ticket.diagnosis == "Fusible grillé" and [w.minutes for w in ticket.work] == [35]
    assert db.session.get(Item, fuse.id).quantity == 0 and [t.item_id for t in ticket.tools] == [iron.id]
    assert ticket.waste_prevented_kg == Decimal("1.470")
    html = client.get(url).get_data(as_text=True)
    assert "1,47\u00a0kg" in html or "1,47 kg" in html


def test_a_talent_cannot_record_another_talents_time(db, client, login, owned, make_talent):
    zoe, yanis = make_talent(), make_talent(name="Yanis")
    login(zoe)
    response = client.post(
        f"/repairs/tickets/{owned.id}/work", data={"talent_id": yanis.id, "minutes": 10}, follow_redirects=True
    )
    assert "Vous ne notez que votre propre temps." in response.get_data(as_text=True)
    assert db.session.get(RepairTicket, owned.id).work == []


def test_the_ticket_page_runs_a_bounded_number_of_queries(db, client, login, worked, manager, query_counter, make_item):
    for n in range(5):
        part = make_item(f"Vis {n}", kind=ItemKind.PART, quantity=5)
        tickets.take_part(manager, worked, part, 1)
        tickets.use_tool(manager, worked, make_item(f"Tournevis {n}"))
    db.session.commit()
    login(manager)
    client.get(f"/repairs/tickets/{worked.id}")
    with query_counter() as count:
        assert client.get(f"/repairs/tickets/{worked.id}").status_code == 200
    assert count.value <= 16


# --- Events and labels ------------------------------------------------------------------------------


def test_a_lab_manager_plans_an_event_and_prints_its_labels(db, client, login, lab, manager, make_talent, make_ticket):
    zoe = make_talent(name="Zoé Martin")
    login(manager)
    day = clock.today() + timedelta(days=4)
    response = client.post(
        "/repairs/events/new",
        data={
            "lab_id": lab.id,
            "title": "Repair Café de décembre",
            "day": day.isoformat(),
            "starts_at": "14:00",
            "ends_at": "18:00",
            "talents": [zoe.id],
        },
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "« Repair Café de décembre » est planifié." in html.replace("\u00a0", " ")
    assert "Zoé Martin" in html
    from repairlab.repairs.models import RepairEvent

    event = db.session.scalar(sa.select(RepairEvent))
    first, second = make_ticket(event=event, brand="Moulinex"), make_ticket("Lamp", event=event)
    page = client.get(f"/repairs/events/{event.id}").get_data(as_text=True)
    assert first.code in page and second.code in page and "Imprimer les étiquettes" in page
    pdf = client.get(f"/labels/sheet.pdf?code={first.code}&code={second.code}&layout=thermal-62")
    assert pdf.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert first.code in text and second.code in text and "Moulinex" in text and "Lampe" in text


def test_events_of_another_territory_are_not_found(db, client, login, other_lab, other_manager, manager):
    from datetime import time

    from repairlab.repairs import events

    event = events.create_event(
        other_manager, other_lab, events.EventFields("Atelier vélo de Montreuil", clock.today(), time(14), time(18))
    )
    db.session.commit()
    login(manager)
    assert client.get(f"/repairs/events/{event.id}").status_code == 404
    assert "Atelier vélo de Montreuil" not in client.get("/repairs/events").get_data(as_text=True)


# --- Skills -----------------------------------------------------------------------------------------


def test_the_passport_and_the_validation_page_list_the_repairs_with_the_skills_they_exercise(
    db, client, login, worked, admin, manager
):
    from repairlab.repairs.evidence import set_category_skills
    from repairlab.skills import catalogue

    domain = catalogue.create_domain(admin, name="Électricité")
    skill = catalogue.create_skill(admin, domain=domain, name="Diagnostiquer un petit électroménager")
    set_category_skills(admin, worked.category, [skill.id])
    db.session.commit()
    zoe = worked.work[0].talent
    login(zoe)
    html = client.get("/passport").get_data(as_text=True)
    assert "Réparations effectuées" in html and worked.code in html and "Grille-pain Moulinex" in html
    assert "Diagnostiquer un petit électroménager" in html
    login(manager)
    html = client.get(f"/passport/{zoe.id}/validate").get_data(as_text=True)
    assert worked.code in html and "Compétences exercées" in html


def test_an_admin_chooses_the_skills_of_a_category(db, client, login, admin):
    from repairlab.skills import catalogue

    domain = catalogue.create_domain(admin, name="Électricité")
    skill = catalogue.create_skill(admin, domain=domain, name="Changer un fusible")
    db.session.commit()
    login(admin)
    toaster = category("Toaster")
    response = client.post(f"/repairs/categories/{toaster.id}/skills", data={"skills": [skill.id]})
    assert response.status_code == 302
    db.session.expire_all()
    assert [s.name for s in category("Toaster").skills] == ["Changer un fusible"]
    assert "Changer un fusible" in client.get("/repairs/categories").get_data(as_text=True)


def test_the_lab_form_edits_the_opening_hours(db, client, login, admin, lab):
    login(admin)
    response = client.post(
        f"/admin/labs/{lab.id}/edit",
        data={"territory_id": lab.territory_id, "name": lab.name, "opening_hours": "Mardi 14 h – 18 h", "active": "y"},
    )
    assert response.status_code == 302
    db.session.refresh(lab)
    assert lab.opening_hours == "Mardi 14 h – 18 h"


def test_the_item_page_lists_the_repairs_a_part_went_into_for_the_team_only(
    db, client, login, owned, manager, make_item
):
    fuse = make_item("Fusible 10 A", kind=ItemKind.PART, quantity=5)
    tickets.take_part(manager, owned, fuse, 2)
    db.session.commit()
    anonymous = client.get(f"/inventory/items/{fuse.id}").get_data(as_text=True)
    assert "Utilisé dans des réparations" not in anonymous and owned.code not in anonymous
    login(manager)
    html = client.get(f"/inventory/items/{fuse.id}").get_data(as_text=True)
    assert "Utilisé dans des réparations" in html and owned.code in html and "2 pièces" in html


def test_the_desk_corrects_what_was_typed_at_intake(db, client, login, owned, manager):
    login(manager)
    form = {
        "category_id": category("Kettle").id,
        "problem": "Fuit par le fond",
        "brand": "Seb",
        "owner_first_name": "",
        "owner_email": "",
        "owner_phone": "",
        "owner_locale": "fr",
    }
    assert "Nadia" in client.get(f"/repairs/tickets/{owned.id}/edit").get_data(as_text=True)
    response = client.post(f"/repairs/tickets/{owned.id}/edit", data=form)
    assert response.status_code == 302
    db.session.expire_all()
    ticket = db.session.get(RepairTicket, owned.id)
    assert (ticket.category.name, ticket.brand, ticket.problem) == ("Kettle", "Seb", "Fuit par le fond")
    assert ticket.owner_first_name == "" and ticket.owner_consent_at is None


def test_intake_takes_a_photo_and_refuses_a_file_that_is_not_one(db, client, login, lab, manager):
    from PIL import Image

    login(manager)
    refused = client.post(
        "/repairs/intake",
        data=_intake_form(lab_id=lab.id, photo=(io.BytesIO(b"not an image"), "panne.jpg")),
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    assert "Ce fichier n’est pas une photo" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RepairTicket)) == 0
    jpeg = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(jpeg, "JPEG")
    jpeg.seek(0)
    client.post(
        "/repairs/intake",
        data=_intake_form(lab_id=lab.id, photo=(jpeg, "grille-pain.jpg")),
        content_type="multipart/form-data",
    )
    ticket = db.session.scalar(sa.select(RepairTicket))
    assert ticket.photo_key and ticket.photo_thumb_key
    response = client.get(f"/repairs/tickets/{ticket.id}/photo/thumb")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"


def test_an_imported_record_is_the_teams_only(db, client, login, lab, manager):
    from repairlab.clock import today, utcnow

    now = utcnow()
    db.session.execute(
        sa.insert(RepairTicket),
        {
            "source": "history",
            "lab_id": lab.id,
            "territory_id": lab.territory_id,
            "category_id": category("Toaster").id,
            "event_date": today(),
            "data_provider": "Repair Café Roubaix",
            "external_id": "rcr_12",
            "status": "returned",
            "outcome": "fixed",
            "brand": "Seb",
            "closed_at": now,
            "received_at": now,
            "status_changed_at": now,
            "created_at": now,
            "updated_at": now,
        },
    )
    db.session.commit()
    ticket_id = db.session.scalar(sa.select(RepairTicket.id))
    assert client.get(f"/repairs/tickets/{ticket_id}").status_code == 404
    login(manager)
    html = client.get(f"/repairs/tickets/{ticket_id}").get_data(as_text=True)
    assert "rcr_12" in html and "Grille-pain Seb" in html and "Imprimer son étiquette" not in html


def test_the_steps_mark_a_skipped_step_as_skipped_not_done(client, login, make_ticket, manager, db):
    ticket = make_ticket("Toaster")
    tickets.change_status(manager, ticket, TicketStatus.DIAGNOSED)
    tickets.set_outcome(manager, ticket, Outcome.FIXED)
    tickets.change_status(manager, ticket, TicketStatus.READY)  # straight to ready: never "in repair"
    db.session.commit()
    login(manager)
    html = client.get(f"/repairs/tickets/{ticket.id}").get_data(as_text=True)
    steps = html[html.index('class="repair-steps"') :]
    steps = steps[: steps.index("</ol>")]
    items = re.findall(r'<li class="([^"]*)"[^>]*>(.*?)</li>', steps, re.DOTALL)
    words = [(kind, " ".join(re.sub(r"<[^>]+>", " ", text).split())) for kind, text in items]
    assert words[:4] == [
        ("step-done", "✔ Reçu"),
        ("step-done", "✔ Diagnostiqué"),
        ("step-skipped", "– En réparation (étape sautée)"),
        ("step-current", "➜ Prêt à récupérer"),
    ]
