"""The guides' pages as people use them: writing with photos and the preview, the public page without login (no
names unless chosen), one step per screen, versions and their differences, and the sections on the tool's, the
ticket's and the session's pages and on the passport."""

from __future__ import annotations

import sqlalchemy as sa

from repairlab import clock
from repairlab.extensions import db
from repairlab.guides import services
from repairlab.guides.models import CreditChoice, Guide, GuideKind, GuideStatus, GuideUse, Helped
from repairlab.inventory import services as inventory
from repairlab.inventory.models import ItemKind
from repairlab.programme import attendance
from repairlab.programme.models import ActivityKind
from repairlab.repairs import tickets
from tests.guides.helpers import content, fields, jpeg, ords, write


def _editor_form(**extra) -> dict:
    data = {
        "title": "Bouilloire qui ne chauffe plus",
        "language": "fr",
        "licence": "CC-BY-SA-4.0",
        "repair_category_id": str(ords("Kettle")),
        "summary": "L’eau reste **froide**.",
        "safety": "Débranchez-la.",
        "steps-0-title": "Ouvrir le socle",
        "steps-0-text": "Dévissez les vis *triangle*.",
        "action": "publish",
    }
    data.update(extra)
    return data


def test_a_lab_manager_writes_a_guide_with_a_photo(client, login, manager, territory):
    login(manager)
    page = client.get("/guides/new?kind=repair")
    assert page.status_code == 200 and "Nouveau guide de réparation" in page.text
    response = client.post(
        "/guides/new?kind=repair",
        data={**_editor_form(), "steps-0-photos": [(jpeg(), "socle.jpg")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    guide = db.session.scalar(sa.select(Guide))
    assert (guide.status, guide.published_number, guide.slug) == (
        GuideStatus.PUBLISHED,
        1,
        "bouilloire-qui-ne-chauffe-plus",
    )
    [photo] = guide.latest.steps[0].photos
    page = client.get(response.location).text
    assert "Ouvrir le socle" in page and f"/photos/{photo.id}/full" in page
    assert "<em>triangle</em>" in page  # the Markdown, rendered


def test_a_refused_photo_is_shown_next_to_its_step(client, login, manager, territory):
    login(manager)
    response = client.post(
        "/guides/new?kind=repair",
        data={**_editor_form(), "steps-0-photos": [(__import__("io").BytesIO(b"not a photo"), "x.jpg")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert 'id="steps-0-photos-error"' in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Guide)) == 0


def test_the_preview_button_renders_without_javascript(client, login, writer, territory):
    login(writer)
    response = client.post(
        "/guides/new?kind=repair", data=_editor_form(**{"preview": "1", "steps-0-text": "**fort** <script>x</script>"})
    )
    assert response.status_code == 200
    assert "<strong>fort</strong> &lt;script&gt;x&lt;/script&gt;" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Guide)) == 0


def test_the_live_preview_answers_sanitised_html(client, login, writer, territory):
    login(writer)
    answer = client.post("/guides/preview", data={"text": "**a** <img src=x onerror=alert(1)> [b](javascript:x)"})
    assert answer.json["html"] == "<p><strong>a</strong> &lt;img src=x onerror=alert(1)&gt; [b](javascript:x)</p>\n"


def test_the_live_preview_needs_the_csrf_token(client, login, writer, territory, csrf_enabled):
    login(writer)
    assert client.post("/guides/preview", data={"text": "a"}).status_code == 400


def test_a_talent_proposes_and_cannot_publish(client, login, writer, territory):
    login(writer)
    page = client.get("/guides/new?kind=repair").text
    assert "Enregistrer et publier" not in page and "Enregistrer et proposer à la relecture" in page
    client.post("/guides/new?kind=repair", data=_editor_form(action="publish"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Guide)) == 0  # refused
    client.post("/guides/new?kind=repair", data=_editor_form(action="propose"))
    guide = db.session.scalar(sa.select(Guide))
    assert guide.status == GuideStatus.PROPOSED
    client.get("/logout")
    client.post("/logout")
    assert client.get(f"/guides/{guide.slug}").status_code == 404  # not public before review


def test_editing_makes_a_new_version_and_keeps_the_photos(client, login, manager, territory):
    guide = services.create_guide(
        manager,
        territory,
        fields(),
        content(steps=[services.StepInput("Ouvrir", "Texte", new_photos=[jpeg()])]),
        services.SaveAction.PUBLISH,
    )
    db.session.commit()
    photo = guide.latest.steps[0].photos[0]
    login(manager)
    form = client.get(f"/guides/{guide.slug}/edit").text
    assert f'name="steps-0-keep_photos" value="{photo.id}" checked' in form
    response = client.post(
        f"/guides/{guide.slug}/edit",
        data=_editor_form(
            **{
                "steps-0-title": "Ouvrir",
                "steps-0-text": "Texte corrigé",
                "steps-0-keep_photos": str(photo.id),
                "change_note": "Texte corrigé",
                "action": "draft",
            }
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    guide = db.session.get(Guide, guide.id)
    assert (guide.latest_number, guide.published_number) == (2, 1)
    assert guide.latest.steps[0].photos[0].key == photo.key
    diff = client.get(f"/guides/{guide.slug}/diff?from=1&to=2").text
    assert "Texte corrigé" in diff and 'class="diff-changed"' in diff


def test_the_public_page_needs_no_login_and_names_only_who_chose(client, login, writer, mentor, territory):
    guide = write(writer, territory, action=services.SaveAction.PROPOSE)
    services.publish(mentor, guide)
    db.session.commit()
    page = client.get(f"/guides/{guide.slug}")
    assert page.status_code == 200
    assert "CC BY-SA 4.0" in page.text and "https://creativecommons.org/licenses/by-sa/4.0/" in page.text
    assert "Zoé" not in page.text and "Marc Mentor" not in page.text
    versions = client.get(f"/guides/{guide.slug}/versions").text
    assert "Zoé" not in versions and "Marc" not in versions
    services.set_credit(writer, guide, CreditChoice.FIRST_NAME)
    db.session.commit()
    page = client.get(f"/guides/{guide.slug}").text
    assert "Écrit par Zoé." in page and "Martin" not in page
    assert "Zoé" in client.get(f"/guides/{guide.slug}/versions").text
    assert client.get(f"/guides/{guide.slug}/edit").status_code == 302  # to log in


def test_one_step_per_screen(client, manager, territory):
    guide = write(
        manager,
        territory,
        steps=[services.StepInput("Ouvrir", "Un"), services.StepInput("Mesurer", "Deux")],
    )
    first = client.get(f"/guides/{guide.slug}/step/1").text
    assert "Étape 1 sur 2" in first and f"/guides/{guide.slug}/step/2" in first and 'rel="prev"' not in first
    last = client.get(f"/guides/{guide.slug}/step/2").text
    assert 'rel="prev"' in last and "Terminé\u00a0: retour au guide" in last
    assert client.get(f"/guides/{guide.slug}/step/3").status_code == 404


def test_an_unpublished_version_is_not_public(client, manager, territory):
    guide = write(manager, territory)
    services.save_version(manager, guide, fields(), content(title="Brouillon v2"), services.SaveAction.DRAFT)
    db.session.commit()
    assert client.get(f"/guides/{guide.slug}/v/1").status_code == 200
    assert client.get(f"/guides/{guide.slug}/v/2").status_code == 404
    assert "Brouillon v2" not in client.get(f"/guides/{guide.slug}").text
    services.withdraw(manager, guide)
    db.session.commit()
    assert client.get(f"/guides/{guide.slug}").status_code == 404
    assert client.get(f"/guides/{guide.slug}/v/1").status_code == 404


def test_the_public_list_searches(client, manager, territory):
    write(manager, territory, steps=[services.StepInput("Thermostat", "Tester le thermostat")])
    write(manager, territory, title="Détartrer la bouilloire")
    page = client.get("/guides/?q=thermostat").text
    assert "Bouilloire qui ne chauffe plus" in page and "Détartrer" not in page
    page = client.get(f"/guides/?category_id={ords('Kettle')}").text
    assert "Bouilloire" in page


def _soldering_station(manager, lab):
    """A "Soudure" category and a soldering station in it, committed."""
    category = inventory.create_category(manager, "Soudure")
    tool = inventory.create_item(
        manager, lab, inventory.ItemFields(name="Station de soudage", kind=ItemKind.TOOL, category_id=category.id)
    )
    db.session.commit()
    return category, tool


def test_the_tool_page_offers_its_guides_and_safety_briefing(client, login, manager, writer, lab, territory):
    category, tool = _soldering_station(manager, lab)
    write(
        manager,
        territory,
        kind=GuideKind.WORKSHOP,
        title="Premier atelier de soudure",
        safety="Fer à **350 °C**.",
        tool_category_ids=[category.id],
    )
    login(writer)
    page = client.get(f"/inventory/items/{tool.id}").text
    assert 'href="#guides-tool"' in page  # one tap under the tool's name
    assert "Guides et consignes de sécurité" in page and "Premier atelier de soudure" in page
    assert "<strong>350 °C</strong>" in page


def test_a_visitor_and_another_territory_scanning_the_tool_see_its_public_guides_only(
    client, login, manager, other_mentor, lab, territory
):
    category, tool = _soldering_station(manager, lab)
    write(
        manager,
        territory,
        title="Premier atelier de soudure",
        safety="Fer à **350 °C**.",
        tool_category_ids=[category.id],
    )
    write(manager, territory, action=services.SaveAction.DRAFT, title="Brouillon", tool_category_ids=[category.id])
    for who in (None, other_mentor):  # a visitor, then a member of another territory
        if who is not None:
            login(who)
        page = client.get(f"/inventory/items/{tool.id}").text
        assert 'href="#guides-tool"' in page and "Premier atelier de soudure" in page
        assert "<strong>350 °C</strong>" in page and "Brouillon" not in page  # published guides only
        assert "Emprunter" not in page and "Signaler un problème" not in page  # the members' sections stay theirs


def test_the_ticket_suggests_guides_and_records_the_one_followed(client, login, manager, writer, lab, territory):
    guide = write(manager, territory)
    ticket = tickets.take_in(manager, lab, tickets.IntakeFields(category_id=ords("Kettle"), problem="Froide"))
    db.session.commit()
    login(writer)
    page = client.get(f"/repairs/tickets/{ticket.id}").text
    assert "Guides pour cet objet" in page and "Bouilloire qui ne chauffe plus" in page
    assert f"/guides/{guide.slug}/step/1" in page
    response = client.post(f"/guides/tickets/{ticket.id}/uses", data={"guide_id": guide.id, "helped": "partly"})
    assert response.status_code == 302
    use = db.session.scalar(sa.select(GuideUse))
    assert (use.ticket_id, use.helped, use.recorded_by_id) == (ticket.id, Helped.PARTLY, writer.id)
    assert "En partie" in client.get(f"/repairs/tickets/{ticket.id}").text


def test_the_session_runs_a_workshop_plan(client, login, manager, territory):
    plan = write(manager, territory, kind=GuideKind.WORKSHOP, title="Premier atelier de soudure")
    session = attendance.create_session(
        manager, territory, kind=ActivityKind.WORKSHOP, title="Soudure", held_on=clock.today()
    )
    db.session.commit()
    login(manager)
    assert "Choisir le plan utilisé" in client.get(f"/programme/sessions/{session.id}").text
    client.post(f"/guides/sessions/{session.id}/plan", data={"guide_id": plan.id})
    page = client.get(f"/programme/sessions/{session.id}").text
    assert "Cette séance suit" in page and "Premier atelier de soudure" in page


def test_the_passport_shows_the_guides_written(client, login, writer, mentor, territory):
    guide = write(writer, territory, action=services.SaveAction.PROPOSE)
    services.publish(mentor, guide)
    db.session.commit()
    login(writer)
    page = client.get("/passport").text
    assert "Guides écrits" in page and f"/guides/{guide.slug}" in page


def test_the_reviewers_home_lists_the_proposals(client, login, writer, mentor, other_mentor, territory):
    guide = write(writer, territory, action=services.SaveAction.PROPOSE, title="Changer un câble de frein")
    login(mentor)
    page = client.get("/").text
    assert "Guides à relire" in page and f"/guides/{guide.slug}" in page
    login(other_mentor)
    assert "Changer un câble de frein" not in client.get("/").text  # another territory's proposal
