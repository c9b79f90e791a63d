"""Rules of prototypes: unique names, version numbers, costs, items of the territory only, skill levels, audit."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
import sqlalchemy as sa

from repairlab.audit.models import AuditEntry
from repairlab.errors import Conflict, NotFound, PermissionDenied, ValidationError
from repairlab.people.models import Role
from repairlab.projects.prototypes import services as protos
from repairlab.projects.prototypes.models import (
    Prototype,
    PrototypeItem,
    PrototypeSkill,
    PrototypeStatus,
    PrototypeVersion,
)
from tests.projects.prototype_fixtures import *  # noqa: F403  (fixtures)


def _actions(db, action):
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


# --- Names ------------------------------------------------------------------------------------------


def test_a_team_talent_creates_a_prototype_and_it_is_audited(db, project, team_talent):
    created = protos.create_prototype(team_talent, project, name="  Tabouret   palette ", description="Bois")
    db.session.commit()
    assert created.name == "Tabouret palette" and created.created_by_id == team_talent.id
    [entry] = _actions(db, "prototype.create")
    assert entry.actor_id == team_talent.id and entry.after == {"name": "Tabouret palette"}
    assert entry.territory_id == project.territory_id


def test_names_are_unique_per_project_whatever_the_case(db, project, prototype, mentor):
    with pytest.raises(Conflict) as error:
        protos.create_prototype(mentor, project, name="LAMPE DE BUREAU")
    assert "already has a prototype called “Lampe de bureau”" in str(error.value)
    assert error.value.field == "name"


def test_the_same_name_is_fine_in_another_project(db, make_project, territory, mentor, prototype):
    second = make_project(territory, mentors=[mentor])
    assert protos.create_prototype(mentor, second, name="Lampe de bureau").id != prototype.id


def test_renaming_to_another_prototypes_name_is_refused_but_keeping_ones_own_is_fine(db, project, prototype, mentor):
    other = protos.create_prototype(mentor, project, name="Tabouret")
    with pytest.raises(Conflict):
        protos.update_prototype(mentor, other, name="lampe de bureau", description="")
    db.session.rollback()
    protos.update_prototype(mentor, prototype, name="Lampe de Bureau", description="Nouvelle")
    assert prototype.name == "Lampe de Bureau"


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_an_empty_or_too_long_name_is_refused(db, project, mentor, name):
    with pytest.raises(ValidationError):
        protos.create_prototype(mentor, project, name=name)


# --- Permissions ------------------------------------------------------------------------------------


def test_control_characters_are_removed_from_a_prototypes_texts(db, project, mentor):
    # PostgreSQL refuses a NUL byte in text: a service called by an import or the demo must never send one.
    created = protos.create_prototype(mentor, project, name="Lampe\x00 de\x07 bureau", description="LED\x00")
    db.session.commit()
    assert (created.name, created.description) == ("Lampe de bureau", "LED")


def test_a_talent_of_another_team_cannot_change_a_prototype(db, prototype, make_user):
    stranger = make_user(Role.PARTICIPANT)
    with pytest.raises(PermissionDenied):
        protos.add_version(stranger, prototype, protos.VersionFields(description="Essai"))


def test_a_lab_manager_cannot_change_a_prototype(db, prototype, make_user):
    with pytest.raises(PermissionDenied):
        protos.create_prototype(make_user(Role.LAB_MANAGER), prototype.project, name="Autre")


def test_a_mentor_of_another_territory_cannot_change_a_prototype(db, prototype, make_user, other_territory):
    with pytest.raises(PermissionDenied):
        protos.update_prototype(make_user(Role.MENTOR, territory_=other_territory), prototype, name="X", description="")


# --- Versions ---------------------------------------------------------------------------------------


def test_versions_are_numbered_one_after_the_other(db, prototype, team_talent, make_version):
    make_version(prototype)
    make_version(prototype)
    third = protos.add_version(
        team_talent,
        prototype,
        protos.VersionFields(
            description="Pied lesté", status="testing", feedback="Trop léger", materials_cost=Decimal("18.3")
        ),
    )
    db.session.commit()
    assert third.number == 3 and third.status == PrototypeStatus.TESTING
    assert third.materials_cost == Decimal("18.30") and third.feedback == "Trop léger"
    entry = _actions(db, "prototype.version_add")[-1]
    assert entry.after["number"] == 3 and entry.after["materials_cost"] == "18.30"


def test_numbering_follows_the_highest_number_even_after_a_gap(db, prototype, make_version):
    first = make_version(prototype)
    first.number = 7
    db.session.commit()
    assert make_version(prototype).number == 8


def test_a_number_taken_meanwhile_is_skipped_not_duplicated(db, prototype, mentor, monkeypatch):
    """Two adds at once: the second one's insert hits the unique constraint and retries with the next number."""
    real_scalar = db.session.scalar
    calls = {"n": 0}

    def stale_max(stmt, *args, **kwargs):
        value = real_scalar(stmt, *args, **kwargs)
        if "max(prototype_versions.number)" in str(stmt).lower() and calls["n"] == 0:
            calls["n"] += 1
            # Someone else inserts version 1 between our read and our insert.
            db.session.execute(
                sa.insert(PrototypeVersion).values(
                    prototype_id=prototype.id, number=1, description="Concurrente", status="design"
                )
            )
        return value

    monkeypatch.setattr(db.session, "scalar", stale_max)
    version = protos.add_version(mentor, prototype, protos.VersionFields(description="La mienne"))
    monkeypatch.undo()
    db.session.commit()
    numbers = sorted(db.session.scalars(sa.select(PrototypeVersion.number)))
    assert numbers == [1, 2] and version.number == 2


@pytest.mark.parametrize(
    ("cost", "message"),
    [
        ("-1", "A cost cannot be negative."),
        ("100000.01", "That cost looks wrong"),
        ("douze", "Write the cost as a number of euros"),
        ("NaN", "Write the cost as a number of euros"),
        (Decimal("Infinity"), "Write the cost as a number of euros"),
        ("12.345", "Write the cost as a number of euros"),
        ("1e400", "That cost looks wrong"),
        ("-1e400", "A cost cannot be negative."),
    ],
)
def test_a_bad_cost_is_refused_with_a_clear_message(db, prototype, mentor, cost, message):
    with pytest.raises(ValidationError) as error:
        protos.add_version(mentor, prototype, protos.VersionFields(description="V", materials_cost=cost))
    assert message in str(error.value) and error.value.field == "materials_cost"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(PrototypeVersion.id))) == 0


@pytest.mark.parametrize(
    ("cost", "stored"),
    [
        ("0", Decimal("0.00")),
        ("12,5", Decimal("12.50")),
        ("12.500", Decimal("12.50")),
        ("1\u202f234,50 €", Decimal("1234.50")),
        (" ", None),
        (None, None),
    ],
)
def test_a_cost_may_be_zero_a_french_decimal_or_empty(db, prototype, mentor, cost, stored):
    version = protos.add_version(mentor, prototype, protos.VersionFields(description="V", materials_cost=cost))
    assert version.materials_cost == stored


def test_a_version_needs_a_description_and_a_known_status(db, prototype, mentor):
    with pytest.raises(ValidationError):
        protos.add_version(mentor, prototype, protos.VersionFields(description="  "))
    with pytest.raises(ValidationError):
        protos.add_version(mentor, prototype, protos.VersionFields(description="V", status="launched"))


def test_editing_a_version_keeps_its_number_and_audits_before_and_after(db, prototype, team_talent, make_version):
    version = make_version(prototype, materials_cost="10")
    protos.update_version(
        team_talent,
        version,
        protos.VersionFields(description="Maquette", status="validated", feedback="Ça marche", materials_cost="9.99"),
    )
    db.session.commit()
    assert version.number == 1 and version.status == PrototypeStatus.VALIDATED
    [entry] = _actions(db, "prototype.version_update")
    assert entry.before["materials_cost"] == "10.00" and entry.after["materials_cost"] == "9.99"
    assert entry.after["feedback"] == "Ça marche"


# --- Items ------------------------------------------------------------------------------------------


def test_an_item_is_found_by_its_code_typed_loosely(db, project, make_item):
    item = make_item("Station de soudage")
    typed = item.code.lower().replace("-", " ")
    assert protos.find_item(project, typed).id == item.id
    assert protos.find_item(project, f"https://repairlab.test/q/{item.code}").id == item.id


def test_an_item_of_another_territory_is_refused(db, prototype, mentor, make_item, make_lab, other_territory):
    foreign = make_item("Scie", make_lab("Atelier Paris", other_territory))
    with pytest.raises(NotFound):
        protos.find_item(prototype.project, foreign.code)
    with pytest.raises(NotFound):
        protos.link_item(mentor, prototype, foreign)
    assert db.session.scalar(sa.select(sa.func.count(PrototypeItem.id))) == 0


def test_an_unknown_or_unreadable_code_is_refused_clearly(db, project):
    with pytest.raises(NotFound) as error:
        protos.find_item(project, "RBX-9999")
    assert "RBX-9999" in str(error.value)
    with pytest.raises(ValidationError):
        protos.find_item(project, "une perceuse")


def test_an_item_is_linked_once_and_can_be_unlinked(db, prototype, team_talent, make_item):
    item = make_item("Perceuse")
    link = protos.link_item(team_talent, prototype, item, note="Pour percer le pied")
    db.session.commit()
    with pytest.raises(Conflict):
        protos.link_item(team_talent, prototype, item)
    db.session.rollback()
    protos.unlink_item(team_talent, db.session.get(PrototypeItem, link.id))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(PrototypeItem.id))) == 0
    assert [e.action for e in _actions(db, "prototype.item_link") + _actions(db, "prototype.item_unlink")] == [
        "prototype.item_link",
        "prototype.item_unlink",
    ]


def test_search_finds_items_of_the_territory_only(db, project, make_item, make_lab, other_territory):
    make_item("Perceuse à colonne")
    make_item("Perceuse", make_lab("Atelier Paris", other_territory))
    assert [i.name for i in protos.search_items(project, "perc")] == ["Perceuse à colonne"]
    assert protos.search_items(project, "p") == []


# --- Skills -----------------------------------------------------------------------------------------


def test_a_skill_is_needed_once_at_a_level_that_can_change(db, prototype, mentor, make_skill):
    skill = make_skill("Soudure à l'étain")
    need = protos.add_skill(mentor, prototype, skill, 2)
    db.session.commit()
    with pytest.raises(Conflict) as error:
        protos.add_skill(mentor, prototype, skill, 3)
    assert "Change its level instead" in str(error.value)
    db.session.rollback()
    protos.set_skill_level(mentor, db.session.get(PrototypeSkill, need.id), 4)
    db.session.commit()
    assert db.session.get(PrototypeSkill, need.id).min_level == 4
    protos.remove_skill(mentor, db.session.get(PrototypeSkill, need.id))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(PrototypeSkill.id))) == 0


@pytest.mark.parametrize("level", [0, 5, None, "3", True])
def test_a_level_outside_1_to_4_is_refused(db, prototype, mentor, make_skill, level):
    with pytest.raises(ValidationError):
        protos.add_skill(mentor, prototype, make_skill("Couture"), level)


def test_a_retired_skill_cannot_be_added(db, prototype, mentor, make_skill):
    with pytest.raises(ValidationError):
        protos.add_skill(mentor, prototype, make_skill("Ancienne", active=False), 2)


def test_matching_shows_team_holders_gaps_and_helpers(
    db, prototype, mentor, team_talent, make_skill, make_user, validate
):
    welding, sewing = make_skill("Soudure à l'étain"), make_skill("Couture")
    protos.add_skill(mentor, prototype, welding, 2)
    protos.add_skill(mentor, prototype, sewing, 3)
    db.session.commit()
    validate(mentor, team_talent, welding, 3)
    helper = make_user(Role.PARTICIPANT, name="Karim Benali")
    validate(mentor, helper, sewing, 4)
    result = protos.prototype_matching(protos.load_prototype(prototype.id), mentor)
    by_skill = {n.need.skill.name: n for n in result.needs}
    assert [u.id for u in by_skill["Soudure à l'étain"].team_holders] == [team_talent.id]
    assert [n.need.skill.name for n in result.gaps] == ["Couture"]
    assert [u.full_name for u in by_skill["Couture"].helpers] == ["Karim Benali"]
    talent_view = protos.prototype_matching(protos.load_prototype(prototype.id), team_talent)
    assert talent_view.gaps[0].helpers == [] and talent_view.helper_total == 1


def test_two_threads_adding_versions_get_distinct_numbers(app, db, prototype, mentor):
    """Real concurrency: two sessions add a version at the same time; both succeed with numbers 1 and 2."""
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite serialises writers; the retry path is covered by the test above")
    ids = (prototype.id, mentor.id)
    barrier = threading.Barrier(2)
    errors = []

    def add():
        with app.app_context():
            try:
                from repairlab.extensions import db as db_

                proto = db_.session.get(Prototype, ids[0])
                actor = db_.session.get(type(mentor), ids[1])
                barrier.wait(timeout=5)
                protos.add_version(actor, proto, protos.VersionFields(description="En même temps"))
                db_.session.commit()
            except Exception as error:
                errors.append(error)
            finally:
                db_.session.remove()

    threads = [threading.Thread(target=add) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert errors == []
    assert sorted(db.session.scalars(sa.select(PrototypeVersion.number))) == [1, 2]
