"""The pages: a talent answers one question per screen and comes back after a dropped connection; mentors see who
has one to answer, never the answers, and fill one in with a talent; postponing, declining, withdrawing; the
editor; observations."""

import re

import sqlalchemy as sa

from repairlab import clock
from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.programme.questionnaires import answering
from repairlab.programme.questionnaires.models import (
    MentorObservation,
    MomentKind,
    QuestionnaireAnswer,
    QuestionnaireResponse,
    QuestionnaireVersion,
    ResponseStatus,
    VersionStatus,
)


def _html(response) -> str:
    return response.get_data(as_text=True)


def _response():
    return db.session.scalar(sa.select(QuestionnaireResponse))


def _post(client, response_id, position, **data):
    return client.post(f"/programme/questionnaires/{response_id}/{position}", data=data)


def test_a_talent_answers_one_question_per_screen_and_comes_back_after_a_dropped_connection(
    app, client, login, answering_talent, published
):
    login(answering_talent)
    home = _html(client.get("/"))
    assert "Un questionnaire à remplir" in home
    intro_url = re.search(r'href="(/programme/questionnaires/talents/[^"]+)"', home).group(1)
    intro = _html(client.get(intro_url))
    assert "Mon parcours" in intro and "Bonjour." in intro and "6 questions" in intro and "Commencer" in intro
    started = client.post(intro_url + "/begin")
    response = _response()
    assert started.location.endswith(f"/programme/questionnaires/{response.id}/1")

    first = _html(client.get(started.location))
    assert "Question 1 sur 6" in first and "Phrase 1" in first
    assert 'type="radio" name="value" value="4"' in first and "Tout à fait d’accord" in first
    assert 'class="secondary outline q-listen"' in first and "Écouter" in first
    assert _post(client, response.id, 1, value="3", go="next").location.endswith("/2")
    # Back to the first question: the answer given to the second is saved, the first is still chosen.
    assert _post(client, response.id, 2, value="2", go="back").location.endswith("/1")
    assert 'value="3" checked' in _html(client.get(f"/programme/questionnaires/{response.id}/1"))

    # The connection drops: a new visit on another device goes back to the first question not answered.
    other = app.test_client()
    login(answering_talent, other)
    again = _html(other.get("/"))
    assert "Continuer\u00a0: Mon parcours" in again
    assert other.get(f"/programme/questionnaires/{response.id}").location.endswith("/3")
    assert _post(other, response.id, 3, go="skip").location.endswith("/4")
    assert _post(other, response.id, 4, value="1", go="next").location.endswith("/5")
    assert _post(other, response.id, 5, value="12", go="next").location.endswith("/6")
    assert _post(other, response.id, 6, text="Merci pour tout", go="next").location.endswith("/end")
    review = _html(other.get(f"/programme/questionnaires/{response.id}/end"))
    assert "Envoyer mes réponses" in review and "Passée" in review and "Merci pour tout" in review
    sent = other.post(f"/programme/questionnaires/{response.id}/complete")
    assert sent.location.endswith("/account#progress")
    db.session.expire_all()
    assert _response().status == ResponseStatus.COMPLETED
    account = _html(other.get("/account"))
    assert "Mes progrès" in account and "Votre score «\u00a0Confiance\u00a0»" in account and "<svg" in account
    assert "Un questionnaire à remplir" not in _html(other.get("/"))


def test_next_without_an_answer_is_refused_next_to_the_question(client, login, answering_talent, published):
    response = answering.begin(answering_talent, answering_talent, published.questionnaire_id, MomentKind.INTAKE)
    db.session.commit()
    login(answering_talent)
    refused = _post(client, response.id, 1, go="next")
    assert refused.status_code == 400
    assert "Choisissez une réponse, ou passez cette question." in _html(refused)
    wrong = _post(client, response.id, 5, value="99", go="next")
    assert wrong.status_code == 400 and "Entrez un nombre jusqu’à 50." in _html(wrong) and 'value="99"' in _html(wrong)
    assert db.session.scalar(sa.select(sa.func.count(QuestionnaireAnswer.id))) == 0


def test_a_mentor_sees_who_has_one_to_answer_but_never_the_answers(
    client, login, answering_talent, published, mentor, admin, make_user, start_path
):
    response = answering.begin(answering_talent, answering_talent, published.questionnaire_id, MomentKind.INTAKE)
    answering.save_answer(answering_talent, response, published.items[0], value="4")
    answering.save_answer(answering_talent, response, published.items[5], text="Mon secret")
    answering.complete(answering_talent, response)
    waiting = start_path(make_user(Role.PARTICIPANT, name="Wassim Attente"))
    db.session.commit()
    login(mentor)
    home = _html(client.get("/"))
    assert "questionnaires à remplir" in home
    attention = _html(client.get("/programme/"))
    assert "Questionnaires à remplir (1)" in attention and "Wassim Attente" in attention
    path_page = _html(client.get(f"/programme/talents/{answering_talent.id}"))
    assert "répondu le" in path_page
    assert (
        "Mon secret" not in path_page
        and "Tout à fait d’accord" not in path_page
        and "Voir les réponses" not in path_page
    )
    assert client.get(f"/programme/questionnaires/{response.id}/answers").status_code == 403
    assert client.get(f"/programme/talents/{waiting.id}").status_code == 200
    login(admin)
    answers = _html(client.get(f"/programme/questionnaires/{response.id}/answers"))
    assert "Mon secret" in answers and "Tout à fait d’accord" in answers
    login(answering_talent)
    assert "Mon secret" in _html(client.get(f"/programme/questionnaires/{response.id}/answers"))


def test_a_mentor_fills_it_in_with_the_talent(client, login, answering_talent, published, mentor):
    response = answering.begin(answering_talent, answering_talent, published.questionnaire_id, MomentKind.INTAKE)
    answering.save_answer(answering_talent, response, published.items[0], value="1")
    db.session.commit()
    login(mentor)
    path_page = _html(client.get(f"/programme/talents/{answering_talent.id}"))
    assert f"Le remplir avec {answering_talent.full_name}" in path_page
    first = _html(client.get(f"/programme/questionnaires/{response.id}/1"))
    # What the talent answered alone is not shown to the mentor.
    assert "déjà une réponse donnée sans aide" in first and "checked" not in first
    assert f"Avec {answering_talent.full_name}" in first
    assert _post(client, response.id, 2, value="4", go="next").status_code == 302
    db.session.expire_all()
    answers = {a.item.key: a for a in _response().answers}
    assert answers["conf-2"].assisted_by_id == mentor.id and answers["conf-1"].assisted_by_id is None
    assert _response().assisted_by_id == mentor.id
    done = client.post(f"/programme/questionnaires/{response.id}/complete")
    assert done.location.endswith(f"/programme/talents/{answering_talent.id}#questionnaires")


def test_a_mentor_of_another_territory_finds_nothing(
    client, login, answering_talent, published, make_user, make_territory
):
    response = answering.begin(answering_talent, answering_talent, published.questionnaire_id, MomentKind.INTAKE)
    db.session.commit()
    login(make_user(Role.MENTOR, territory_=make_territory()))
    assert client.get(f"/programme/questionnaires/{response.id}/1").status_code == 404
    assert _post(client, response.id, 1, value="2", go="next").status_code == 404


def test_postponing_and_declining_from_the_first_page(client, login, answering_talent, published):
    login(answering_talent)
    slot = f"/programme/questionnaires/talents/{answering_talent.id}/{published.questionnaire_id}/intake/0"
    assert "Répondre plus tard" in _html(client.get(slot))
    later = client.post(slot + "/postpone", data={"until": ""})
    assert later.location.endswith("/")
    assert "nous vous le redemanderons le" in _html(client.get("/"))
    assert "Un questionnaire à remplir" not in _html(client.get("/"))
    declined = client.post(slot + "/decline")
    assert declined.status_code == 302
    db.session.expire_all()
    assert _response().status == ResponseStatus.DECLINED


def test_the_talent_withdraws_from_their_account_page(client, login, answering_talent, published):
    login(answering_talent)
    account = _html(client.get("/account"))
    url = f"/programme/questionnaires/talents/{answering_talent.id}/withdraw"
    assert url in account
    assert client.post(url, data={}).status_code == 400  # the box is not ticked: nothing changes
    assert client.post(url, data={"confirm": "y"}).location.endswith("/account")
    assert "Un questionnaire à remplir" not in _html(client.get("/"))
    assert "Ne plus participer" not in _html(client.get("/account"))


def test_an_admin_writes_and_publishes_a_questionnaire(client, login, admin):
    login(admin)
    created = client.post(
        "/programme/questionnaires/admin",
        data={"key": "bilan", "title_fr": "Bilan", "title_en": "Review", "intro_fr": "", "intro_en": ""},
    )
    version = db.session.scalar(sa.select(QuestionnaireVersion))
    assert created.location.endswith(f"/versions/{version.id}")
    page = _html(client.get(created.location))
    assert "Aucun item pour l’instant." in page and "La version n’a aucun item." in page
    base = f"/programme/questionnaires/admin/versions/{version.id}"
    client.post(
        base + "/scales",
        data={"key": "moral", "label_fr": "Moral", "label_en": "Mood", "method": "mean", "max_missing": "0"},
    )
    scale_id = version.scales[0].id
    item = client.post(
        base + "/items/new",
        data={
            "key": "moral-1",
            "kind": "likert4",
            "text_fr": "Je vais bien.",
            "text_en": "I am well.",
            "scale_id": scale_id,
        },
    )
    assert item.status_code == 302
    refused = client.post(
        base + "/items/new",
        data={"key": "choix", "kind": "choice", "text_fr": "Choix", "text_en": "Choice", "options": "Oui | Yes"},
    )
    assert refused.status_code == 400 and "Donnez de 2 à 10 choix, un par ligne." in _html(refused)
    client.post(
        base + "/items/new",
        data={
            "key": "choix",
            "kind": "choice",
            "text_fr": "Choix",
            "text_en": "Choice",
            "options": "Oui | Yes\nNon | No",
        },
    )
    client.post(f"/programme/questionnaires/admin/{version.questionnaire_id}/moments", data={"moment": "exit"})
    assert client.post(base + "/publish").status_code == 302
    db.session.expire_all()
    version = db.session.get(QuestionnaireVersion, version.id)
    assert version.status == VersionStatus.PUBLISHED
    assert [(o.value, o.label_en) for o in version.items[1].options] == [(1, "Yes"), (2, "No")]
    published_page = _html(client.get(base))
    assert "Cette version est publiée" in published_page and "Ajouter un item" not in published_page
    changed = client.post(
        f"/programme/questionnaires/admin/items/{version.items[0].id}",
        data={"key": "moral-1", "kind": "likert4", "text_fr": "Changé", "text_en": "Changed"},
    )
    assert changed.status_code == 400 and "Une version publiée ne change jamais" in _html(changed)
    assert client.post(f"/programme/questionnaires/admin/{version.questionnaire_id}/versions").status_code == 302
    assert db.session.scalar(sa.select(sa.func.max(QuestionnaireVersion.number))) == 2


def test_a_mentor_records_an_observation(client, login, answering_talent, mentor):
    login(mentor)
    url = f"/programme/questionnaires/talents/{answering_talent.id}/observations/new"
    assert "Autonomie" in _html(client.get(url))
    refused = client.post(url, data={"moment": "intake", "observed_on": clock.today().isoformat()})
    assert refused.status_code == 400 and "Notez au moins une dimension." in _html(refused)
    saved = client.post(
        url,
        data={
            "moment": "intake",
            "observed_on": clock.today().isoformat(),
            "autonomy_value": "3",
            "teamwork_value": "4",
            "teamwork_comment": "Aide les autres.",
        },
    )
    assert saved.status_code == 302
    observation = db.session.scalar(sa.select(MentorObservation))
    assert {r.dimension.value: r.value for r in observation.ratings}["teamwork"] == 4
    assert "Autonomie 3/4" in _html(client.get(f"/programme/talents/{answering_talent.id}"))
    login(answering_talent)
    assert client.get(url).status_code == 403


def test_the_path_page_with_questionnaires_runs_a_bounded_number_of_queries(
    client, login, answering_talent, published, mentor, query_counter
):
    response = answering.begin(answering_talent, answering_talent, published.questionnaire_id, MomentKind.INTAKE)
    answering.save_answer(answering_talent, response, published.items[0], value="4")
    db.session.commit()
    login(mentor)
    client.get(f"/programme/talents/{answering_talent.id}")
    with query_counter() as count:
        assert client.get(f"/programme/talents/{answering_talent.id}").status_code == 200
    assert count.value <= 25, count.statements


def test_a_forged_answer_is_refused_and_shown_again(client, login, answering_talent, published):
    response = answering.begin(answering_talent, answering_talent, published.questionnaire_id, MomentKind.INTAKE)
    db.session.commit()
    login(answering_talent)
    refused = _post(client, response.id, 1, value="beaucoup", go="next")
    assert refused.status_code == 400 and "Entrez un nombre." in _html(refused)
    assert _post(client, response.id, 99, value="1").status_code == 404
