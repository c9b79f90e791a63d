"""Lending rules per lab and category: the nearest rule up the tree wins; desk-only categories; durations."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from repairlab import clock
from repairlab.audit.models import AuditEntry
from repairlab.errors import PermissionDenied, ValidationError
from repairlab.lending import policies, services
from repairlab.lending.models import LendingPolicy, Loan
from tests.inventory.conftest import english


@pytest.fixture(autouse=True)
def english_messages(db):
    """Messages in English, so that tests can read them."""
    from flask import g

    g.lang = "en"


@pytest.fixture
def tree(make_category):
    """Outillage électroportatif > Découpe, and Électronique."""
    power = make_category("Outillage électroportatif")
    return {"power": power, "cutting": make_category("Découpe", power), "electronics": make_category("Électronique")}


@pytest.fixture
def saw(make_item, tree):
    """A jigsaw in Outillage électroportatif > Découpe."""
    return make_item("Scie sauteuse", category_id=tree["cutting"].id)


def _set(db, actor, lab, category, self_service=False, default_days=2, max_days=5):
    policy = policies.set_policy(
        actor, lab, category, self_service=self_service, default_days=default_days, max_days=max_days
    )
    db.session.commit()
    return policy


def test_without_a_category_or_a_rule_an_item_follows_the_defaults(db, app, make_item, saw):
    for item in (make_item("Sans catégorie"), saw):
        rule = policies.rule_for_item(item)
        assert rule.self_service and rule.source_path is None
        assert (rule.default_days, rule.max_days) == (app.config["LOAN_DEFAULT_DAYS"], app.config["LOAN_MAX_DAYS"])


def test_a_parent_rule_applies_to_the_categories_under_it(db, lab, manager, tree, saw):
    _set(db, manager, lab, tree["power"])
    rule = policies.rule_for_item(saw)
    assert not rule.self_service and rule.inherited
    assert rule.source_path == "Outillage électroportatif"


def test_the_nearest_rule_wins(db, lab, manager, tree, saw):
    _set(db, manager, lab, tree["power"], self_service=False)
    _set(db, manager, lab, tree["cutting"], self_service=True, default_days=1, max_days=3)
    rule = policies.rule_for_item(saw)
    assert rule.self_service and rule.own and (rule.default_days, rule.max_days) == (1, 3)


def test_a_rule_is_per_lab(db, lab, make_lab, manager, tree, make_item):
    other = make_lab("Repair Café de Fives")
    _set(db, manager, other, tree["power"])
    here = make_item("Scie", category_id=tree["cutting"].id)
    there = make_item("Scie", lab_=other, category_id=tree["cutting"].id)
    assert policies.rule_for_item(here).self_service
    assert not policies.rule_for_item(there).self_service


def test_the_policy_page_lists_every_category_with_its_effective_rule(db, lab, manager, tree):
    _set(db, manager, lab, tree["power"])
    rows = {row.category.path: row for row in policies.rules_of_lab(lab)}
    assert rows["Outillage électroportatif"].rule.own
    assert rows["Outillage électroportatif > Découpe"].rule.source_path == "Outillage électroportatif"
    assert rows["Outillage électroportatif > Découpe"].depth == 1
    assert rows["Électronique"].rule.self_service and rows["Électronique"].rule.source_path is None


def test_setting_a_rule_again_changes_it_and_is_audited(db, lab, manager, tree):
    _set(db, manager, lab, tree["power"], default_days=2)
    _set(db, manager, lab, tree["power"], default_days=4, max_days=9)
    [policy] = db.session.scalars(sa.select(LendingPolicy)).all()
    assert (policy.default_days, policy.max_days) == (4, 9)
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.object_type == "lending_policies"))
    assert list(actions) == ["lending_policy.set", "lending_policy.set"]


def test_clearing_a_rule_falls_back_to_the_category_above(db, lab, manager, tree, saw):
    _set(db, manager, lab, tree["power"], self_service=False)
    _set(db, manager, lab, tree["cutting"], self_service=True)
    policies.clear_policy(manager, lab, tree["cutting"])
    db.session.commit()
    assert not policies.rule_for_item(saw).self_service


@pytest.mark.parametrize(
    ("default_days", "max_days", "field"),
    [(0, 5, "default_days"), (3, 400, "max_days"), (6, 5, "default_days"), ("x", 5, "default_days")],
)
def test_bad_durations_are_refused(db, lab, manager, tree, default_days, max_days, field):
    with pytest.raises(ValidationError) as info:
        policies.set_policy(
            manager, lab, tree["power"], self_service=True, default_days=default_days, max_days=max_days
        )
    assert info.value.field == field
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(LendingPolicy.id))) == 0


def test_only_the_desk_of_the_territory_sets_rules(db, lab, talent, other_manager, tree):
    for actor in (talent, other_manager):
        with pytest.raises(PermissionDenied):
            policies.set_policy(actor, lab, tree["power"], self_service=False, default_days=1, max_days=2)
        db.session.rollback()


def test_the_database_keeps_default_within_max(db, lab, tree):
    db.session.add(LendingPolicy(lab_id=lab.id, category_id=tree["power"].id, default_days=9, max_days=3))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


# --- The rule at the moment of borrowing ---------------------------------------------------------------


def test_a_talent_cannot_borrow_a_desk_only_tool_by_themselves(db, lab, manager, talent, tree, saw):
    _set(db, manager, lab, tree["power"])
    with pytest.raises(PermissionDenied, match=r"Ask at the desk: .*Outillage électroportatif"):
        services.check_out_item(talent, saw, talent, kind="in_lab")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Loan.id))) == 0


def test_the_desk_still_lends_a_desk_only_tool(db, lab, manager, talent, tree, saw, lend):
    _set(db, manager, lab, tree["power"])
    assert lend(manager, saw, talent, kind="in_lab").borrower_id == talent.id


def test_the_category_default_duration_is_used(db, lab, manager, talent, tree, saw, lend):
    _set(db, manager, lab, tree["power"], self_service=True, default_days=2, max_days=5)
    loan = lend(talent, saw, talent, kind="take_home")
    assert loan.due_at.astimezone(clock.LAB_TZ).date() == clock.today() + timedelta(days=2)


def test_beyond_the_category_maximum_is_refused_with_the_latest_date(db, lab, manager, talent, tree, saw):
    _set(db, manager, lab, tree["power"], self_service=True, default_days=2, max_days=5)
    with pytest.raises(ValidationError, match=r"5 days at most\. Bring it back by") as info:
        services.check_out_item(talent, saw, talent, kind="take_home", due_at=clock.today() + timedelta(days=6))
    assert info.value.field == "due_on"


# --- Pages ----------------------------------------------------------------------------------------------


def test_the_item_page_tells_a_talent_to_ask_at_the_desk(db, client, login, lab, manager, talent, tree, saw):
    _set(db, manager, lab, tree["power"])
    english(login(talent))
    page = client.get(f"/inventory/items/{saw.id}").get_data(as_text=True)
    assert "Ask at the desk" in page and f'action="/lending/items/{saw.id}/borrow"' not in page
    assert f'action="/lending/items/{saw.id}/reserve"' not in page


def test_the_item_page_proposes_the_category_default_date(db, client, login, lab, manager, talent, tree, saw):
    _set(db, manager, lab, tree["power"], self_service=True, default_days=2, max_days=5)
    login(talent)
    page = client.get(f"/inventory/items/{saw.id}").get_data(as_text=True)
    assert f'value="{(clock.today() + timedelta(days=2)).isoformat()}"' in page


def test_a_manager_sets_and_clears_a_rule_from_the_page(db, client, login, lab, manager, tree):
    english(login(manager))
    page = client.get(f"/lending/policies?lab={lab.id}").get_data(as_text=True)
    assert "Outillage électroportatif" in page and "(programme's rule)" in page
    cid = tree["power"].id
    response = client.post(
        f"/lending/policies/{lab.id}/{cid}",
        data={f"c{cid}-self_service": "0", f"c{cid}-default_days": "2", f"c{cid}-max_days": "4"},
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert "Rule saved" in text and "At the desk only." in text
    assert db.session.scalar(sa.select(LendingPolicy.max_days)) == 4
    response = client.post(f"/lending/policies/{lab.id}/{cid}/clear", follow_redirects=True)
    assert "Own rule removed" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(LendingPolicy.id))) == 0


def test_a_bad_rule_form_changes_nothing_and_says_why(db, client, login, lab, manager, tree):
    english(login(manager))
    cid = tree["power"].id
    response = client.post(
        f"/lending/policies/{lab.id}/{cid}",
        data={f"c{cid}-self_service": "0", f"c{cid}-default_days": "9", f"c{cid}-max_days": "abc"},
        follow_redirects=True,
    )
    assert "durations between 1 and 365 days" in response.get_data(as_text=True)
    response = client.post(
        f"/lending/policies/{lab.id}/{cid}",
        data={f"c{cid}-self_service": "1", f"c{cid}-default_days": "9", f"c{cid}-max_days": "3"},
        follow_redirects=True,
    )
    assert "cannot be longer than the longest" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(LendingPolicy.id))) == 0


def test_unknown_lab_or_category_is_a_404(db, client, login, lab, manager, tree):
    login(manager)
    assert client.get("/lending/policies?lab=999999").status_code == 404
    assert client.get("/lending/policies?lab=99999999999999").status_code == 404
    assert client.post(f"/lending/policies/{lab.id}/999999", data={}).status_code == 404
    assert client.post(f"/lending/policies/999999/{tree['power'].id}/clear").status_code == 404


def test_the_policy_page_runs_the_same_queries_for_few_or_many_categories(
    db, client, login, lab, manager, make_category, query_counter
):
    login(manager)

    def count():
        with query_counter() as counted:
            assert client.get(f"/lending/policies?lab={lab.id}").status_code == 200
        return counted.value

    parent = make_category("Textile")
    few = count()
    for n in range(12):
        category = make_category(f"Sous-catégorie {n}", parent)
        if n % 3 == 0:
            _set(db, manager, lab, category)
    assert count() == few
