"""Repairs' use cases: events, intake, the status machine, work, parts, tools, the outcome and its impact."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask import g

from repairlab import clock
from repairlab.audit.models import AuditEntry
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.inventory.models import Code, Item, ItemKind
from repairlab.people.models import Role
from repairlab.repairs import events, tickets
from repairlab.repairs.models import (
    Barrier,
    DutyRole,
    Outcome,
    RepairableNeed,
    RepairStatusChange,
    TicketStatus,
)


@pytest.fixture(autouse=True)
def english_messages(db):
    """Messages in English, so that tests can read them."""
    g.lang = "en"


def _event_fields(**kwargs) -> events.EventFields:
    values = {
        "title": "Repair Café",
        "day": clock.today() + timedelta(days=3),
        "starts_at": time(14),
        "ends_at": time(18),
    }
    values.update(kwargs)
    return events.EventFields(**values)


# --- Events -----------------------------------------------------------------------------------------


def test_a_lab_manager_plans_an_event_with_the_people_on_duty(db, lab, manager, make_talent, make_user):
    talent, mentor = make_talent(name="Zoé"), make_user(Role.MENTOR)
    event = events.create_event(
        manager, lab, _event_fields(staff=[(talent.id, DutyRole.TALENT), (mentor.id, DutyRole.VOLUNTEER)])
    )
    db.session.commit()
    assert {(s.user_id, s.role) for s in event.staff} == {
        (talent.id, DutyRole.TALENT),
        (mentor.id, DutyRole.VOLUNTEER),
    }
    assert event.territory_id == lab.territory_id
    assert db.session.scalar(
        sa.select(AuditEntry.action).where(
            AuditEntry.object_type == "repair_events", AuditEntry.object_id == str(event.id)
        )
    ) == ("repair_event.create")


def test_an_event_ends_after_it_starts(lab, manager):
    with pytest.raises(ValidationError) as refused:
        events.create_event(manager, lab, _event_fields(starts_at=time(18), ends_at=time(14)))
    assert refused.value.field == "ends_at"


def test_only_talents_are_on_duty_as_talents_and_only_of_the_territory(
    lab, manager, make_user, make_talent, other_territory
):
    mentor = make_user(Role.MENTOR)
    with pytest.raises(ValidationError, match="not a talent"):
        events.create_event(manager, lab, _event_fields(staff=[(mentor.id, DutyRole.TALENT)]))
    stranger = make_talent(territory_=other_territory)
    with pytest.raises(ValidationError, match="territory"):
        events.create_event(manager, lab, _event_fields(staff=[(stranger.id, DutyRole.TALENT)]))


def test_mentors_and_talents_do_not_plan_events(lab, make_user, make_talent, other_manager):
    for user in (make_user(Role.MENTOR), make_talent(), other_manager):
        with pytest.raises(PermissionDenied):
            events.create_event(user, lab, _event_fields())


def test_an_event_with_objects_is_not_cancelled_and_its_day_follows_to_the_tickets(db, lab, manager, make_ticket):
    event = events.create_event(manager, lab, _event_fields())
    db.session.commit()
    ticket = make_ticket(event=event)
    assert ticket.event_date == event.day
    with pytest.raises(Conflict):
        events.cancel_event(manager, event)
    later = event.day + timedelta(days=7)
    events.update_event(manager, event, lab, _event_fields(day=later))
    db.session.commit()
    db.session.refresh(ticket)
    assert ticket.event_date == later


def test_an_empty_event_is_cancelled_and_takes_no_more_objects(db, lab, manager, make_ticket):
    event = events.create_event(manager, lab, _event_fields())
    events.cancel_event(manager, event)
    db.session.commit()
    assert event.cancelled_at is not None
    with pytest.raises(ValidationError) as refused:
        make_ticket(event=event)
    assert refused.value.field == "event_id"


# --- Intake -----------------------------------------------------------------------------------------


def test_intake_gives_the_territorys_next_code_pointing_at_the_ticket(db, make_ticket, lab):
    first, second = make_ticket(brand="Moulinex"), make_ticket("Lamp")
    assert first.code == "RBX-0001" and second.code == "RBX-0002"
    code = db.session.scalar(sa.select(Code).where(Code.code == first.code))
    assert (code.target_type, code.target_id) == (tickets.TICKET_TARGET, first.id)
    assert first.status == TicketStatus.RECEIVED and first.event_date == clock.today()
    [change] = first.changes
    assert (change.from_status, change.to_status) == (None, TicketStatus.RECEIVED)
    assert tickets.ticket_names([first.id, second.id]) == {first.id: "Moulinex", second.id: "Lamp"}


def test_the_owner_is_optional_and_kept_only_with_consent(make_ticket):
    anonymous = make_ticket()
    assert anonymous.owner_first_name == "" and anonymous.owner_consent_at is None
    with pytest.raises(ValidationError) as refused:
        make_ticket(owner_first_name="Nadia", owner_email="nadia@example.org")
    assert refused.value.field == "owner_consent"
    kept = make_ticket(owner_first_name="Nadia", owner_email="Nadia@Example.org", owner_consent=True)
    assert kept.owner_email == "nadia@example.org" and kept.owner_consent_at is not None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"owner_email": "nadia-at-home", "owner_consent": True}, "owner_email"),
        ({"owner_phone": "call me", "owner_consent": True}, "owner_phone"),
        ({"problem": "  "}, "problem"),
        ({"problem": "x" * 2001}, "problem"),
        ({"brand": "b" * 81}, "brand"),
        ({"year_of_manufacture": 1850}, "year_of_manufacture"),
        ({"year_of_manufacture": 2999}, "year_of_manufacture"),
        ({"product_age": Decimal(-1)}, "product_age"),
        ({"estimated_weight_kg": Decimal(-2)}, "estimated_weight_kg"),
        ({"estimated_weight_kg": Decimal(0)}, "estimated_weight_kg"),
    ],
)
def test_intake_refuses_wrong_values_on_their_field_and_changes_nothing(db, make_ticket, fields, field):
    with pytest.raises(ValidationError) as refused:
        make_ticket(**fields)
    assert refused.value.field == field
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Code)) == 0


@pytest.mark.parametrize("name", ["Misc", "Bicycle", "Textile", "Other"])
def test_a_category_without_reference_weight_needs_an_estimate(make_ticket, name):
    with pytest.raises(ValidationError) as refused:
        make_ticket(name, estimated_weight_kg=None)
    assert refused.value.field == "estimated_weight_kg"
    assert make_ticket(name, estimated_weight_kg=Decimal("3.5")).estimated_weight_kg == Decimal("3.5")


def test_only_the_desk_of_the_territory_takes_objects_in(make_ticket, make_user, make_talent, other_manager):
    for user in (make_user(Role.MENTOR), make_talent(), make_user(Role.RESEARCHER), other_manager):
        with pytest.raises(PermissionDenied):
            make_ticket(actor=user)
    assert make_ticket(actor=make_user(Role.ADMIN)).code


def test_the_audit_log_never_holds_the_owners_details(db, make_ticket):
    ticket = make_ticket(owner_first_name="Nadia", owner_email="nadia@example.org", owner_consent=True)
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.object_type == "repair_tickets", AuditEntry.object_id == str(ticket.id))
    )
    assert entry.action == "repair.intake"
    assert "nadia" not in str(entry.after).lower() and entry.after["owner"] is True


# --- The status machine -----------------------------------------------------------------------------


def test_a_ticket_goes_through_the_lab_each_step_dated_and_by_whom(db, make_ticket, manager, make_talent):
    ticket = make_ticket()
    talent = make_talent()
    tickets.change_status(talent, ticket, TicketStatus.DIAGNOSED)
    tickets.change_status(talent, ticket, "in_repair")
    with pytest.raises(ValidationError) as refused:
        tickets.change_status(talent, ticket, TicketStatus.READY)
    assert refused.value.field == "outcome"
    tickets.set_outcome(talent, ticket, Outcome.FIXED)
    tickets.change_status(talent, ticket, TicketStatus.READY)
    with pytest.raises(PermissionDenied):
        tickets.change_status(talent, ticket, TicketStatus.RETURNED)
    tickets.change_status(manager, ticket, TicketStatus.RETURNED)
    db.session.commit()
    steps = db.session.execute(
        sa.select(RepairStatusChange.from_status, RepairStatusChange.to_status, RepairStatusChange.changed_by_id)
        .where(RepairStatusChange.ticket_id == ticket.id)
        .order_by(RepairStatusChange.id)
    ).all()
    assert steps == [
        (None, TicketStatus.RECEIVED, manager.id),
        (TicketStatus.RECEIVED, TicketStatus.DIAGNOSED, talent.id),
        (TicketStatus.DIAGNOSED, TicketStatus.IN_REPAIR, talent.id),
        (TicketStatus.IN_REPAIR, TicketStatus.READY, talent.id),
        (TicketStatus.READY, TicketStatus.RETURNED, manager.id),
    ]
    assert ticket.closed_at is not None
    with pytest.raises(Conflict):
        tickets.change_status(manager, ticket, TicketStatus.IN_REPAIR)
    with pytest.raises(Conflict):
        tickets.record_notes(manager, ticket, "trop tard", "")


def test_a_ticket_cannot_skip_to_returned_nor_take_an_unknown_status(make_ticket, manager):
    ticket = make_ticket()
    with pytest.raises(Conflict, match="cannot go"):
        tickets.change_status(manager, ticket, TicketStatus.RETURNED)
    with pytest.raises(ValidationError):
        tickets.change_status(manager, ticket, "fixed")


def test_abandoning_needs_an_outcome_then_closes(db, make_ticket, manager):
    ticket = make_ticket()
    with pytest.raises(ValidationError):
        tickets.change_status(manager, ticket, TicketStatus.ABANDONED)
    tickets.set_outcome(manager, ticket, Outcome.UNKNOWN)
    tickets.change_status(manager, ticket, TicketStatus.ABANDONED)
    assert ticket.closed_at is not None


def test_next_statuses_depend_on_the_role(make_ticket, manager, make_talent):
    ticket = make_ticket()
    assert tickets.next_statuses(manager, ticket) == [
        TicketStatus.DIAGNOSED,
        TicketStatus.IN_REPAIR,
        TicketStatus.READY,
        TicketStatus.ABANDONED,
    ]
    assert tickets.next_statuses(make_talent(), ticket) == [
        TicketStatus.DIAGNOSED,
        TicketStatus.IN_REPAIR,
        TicketStatus.READY,
    ]


# --- Work, parts, tools -----------------------------------------------------------------------------


def test_talents_record_their_own_time_and_staff_anyones(make_ticket, make_talent, make_user):
    ticket = make_ticket()
    zoe, yanis, mentor = make_talent(), make_talent(), make_user(Role.MENTOR)
    assert tickets.record_work(zoe, ticket, zoe, 45).minutes == 45
    with pytest.raises(PermissionDenied):
        tickets.record_work(zoe, ticket, yanis, 30)
    assert tickets.record_work(mentor, ticket, yanis, 30).talent_id == yanis.id
    with pytest.raises(ValidationError) as refused:
        tickets.record_work(mentor, ticket, mentor, 30)
    assert refused.value.field == "talent_id"
    for minutes in (0, -5, 24 * 60 + 1, None):
        with pytest.raises(ValidationError):
            tickets.record_work(zoe, ticket, zoe, minutes)


def test_a_part_leaves_the_stock_in_the_same_transaction(db, make_ticket, make_item, make_talent):
    ticket = make_ticket()
    fuse = make_item("Fusible 10 A", kind=ItemKind.PART, quantity=3)
    talent = make_talent()
    use = tickets.take_part(talent, ticket, fuse, 2)
    db.session.commit()
    assert db.session.get(Item, fuse.id).quantity == 1 and use.quantity == 2
    with pytest.raises(Conflict, match="Not enough in stock: 1 Fusible 10 A left"):
        tickets.take_part(talent, ticket, fuse, 2)
    db.session.rollback()
    assert db.session.get(Item, fuse.id).quantity == 1


def test_parts_come_from_the_tickets_own_lab(make_ticket, make_item, manager, other_lab, make_lab):
    ticket = make_ticket()
    elsewhere = make_item("Courroie", make_lab("Atelier Wattrelos"), kind=ItemKind.PART, quantity=5)
    with pytest.raises(ValidationError, match="another lab"):
        tickets.take_part(manager, ticket, elsewhere, 1)
    tool = make_item("Fer à souder")
    with pytest.raises(ValidationError):
        tickets.take_part(manager, ticket, tool, 1)
    with pytest.raises(ValidationError):
        tickets.take_part(manager, ticket, make_item("Vis", kind=ItemKind.PART, quantity=5), 0)


def test_a_tool_is_recorded_by_its_code_once(db, make_ticket, make_item, manager):
    ticket = make_ticket()
    iron = make_item("Fer à souder")
    found = tickets.find_tool(iron.code.lower().replace("-", ""))
    assert found.id == iron.id
    tickets.use_tool(manager, ticket, found)
    tickets.use_tool(manager, ticket, found)
    db.session.commit()
    assert [t.item_id for t in ticket.tools] == [iron.id]
    with pytest.raises(ValidationError):
        tickets.use_tool(manager, ticket, tickets.find_tool("RBX-9999"))
    with pytest.raises(ValidationError):
        tickets.use_tool(manager, ticket, make_item("Vis", kind=ItemKind.PART, quantity=3))


def test_a_skill_gated_tool_follows_the_lending_rule(db, make_ticket, make_item, make_talent, manager, admin):
    from repairlab.inventory import requirements
    from repairlab.skills import catalogue, validations

    ticket = make_ticket()
    station = make_item("Station de soudage")
    domain = catalogue.create_domain(admin, name="Électronique")
    skill = catalogue.create_skill(admin, domain=domain, name="Souder des composants", is_safety=True)
    requirements.add_requirement(admin, item=station, skill=skill, min_level=2)
    db.session.commit()
    talent = make_talent()
    with pytest.raises(PermissionDenied, match="Souder des composants"):
        tickets.use_tool(talent, ticket, station)
    validations.validate_skill(manager, talent, skill, level=2, validated_on=clock.today())
    db.session.commit()
    assert tickets.use_tool(talent, ticket, station).item_id == station.id


# --- The outcome and its impact ---------------------------------------------------------------------


def test_a_fixed_repair_stores_its_impact_from_the_table(db, make_ticket, manager):
    toaster = make_ticket("Toaster")
    tickets.set_outcome(manager, toaster, Outcome.FIXED)
    db.session.commit()
    # Toaster: 1.47 kg, 8.13 kg CO2e; CO2e prevented = 8.13 x 0.5.
    assert toaster.waste_prevented_kg == Decimal("1.470")
    assert toaster.co2e_prevented_kg == Decimal("4.065")
    assert (toaster.impact_weight_kg, toaster.impact_footprint_kg, toaster.impact_displacement) == (
        Decimal("1.47"),
        Decimal("8.13"),
        Decimal("0.5"),
    )


def test_misc_and_unpowered_objects_count_from_their_estimate(db, make_ticket, manager):
    misc = make_ticket("Misc", estimated_weight_kg=Decimal(2))
    bike = make_ticket("Bicycle", estimated_weight_kg=Decimal(12))
    for ticket in (misc, bike):
        tickets.set_outcome(manager, ticket, Outcome.FIXED)
    db.session.commit()
    assert misc.waste_prevented_kg == Decimal(2)
    assert misc.co2e_prevented_kg == Decimal("32.067")  # 2 x 32.06679233 x 0.5
    assert bike.co2e_prevented_kg == Decimal("106.209")  # 12 x 17.70147059 x 0.5


def test_an_outcome_other_than_fixed_counts_nothing_and_clears_the_figures(db, make_ticket, manager):
    ticket = make_ticket("Kettle")
    tickets.set_outcome(manager, ticket, Outcome.FIXED)
    assert ticket.co2e_prevented_kg is not None
    tickets.set_outcome(manager, ticket, Outcome.END_OF_LIFE, barrier=Barrier.SPARE_PARTS_NOT_AVAILABLE)
    assert ticket.waste_prevented_kg is None and ticket.co2e_prevented_kg is None
    assert ticket.barrier == Barrier.SPARE_PARTS_NOT_AVAILABLE


def test_end_of_life_needs_its_barrier_and_repairable_its_need(make_ticket, manager):
    ticket = make_ticket()
    with pytest.raises(ValidationError) as refused:
        tickets.set_outcome(manager, ticket, Outcome.END_OF_LIFE)
    assert refused.value.field == "barrier"
    with pytest.raises(ValidationError) as refused:
        tickets.set_outcome(manager, ticket, Outcome.REPAIRABLE)
    assert refused.value.field == "repairable_need"
    tickets.set_outcome(
        manager, ticket, Outcome.REPAIRABLE, need=RepairableNeed.PART_TO_ORDER, barrier=Barrier.TOO_WORN_OUT
    )
    assert ticket.repairable_need == RepairableNeed.PART_TO_ORDER and ticket.barrier is None
    with pytest.raises(ValidationError):
        tickets.set_outcome(manager, ticket, "broken")


def test_a_later_change_of_the_table_does_not_rewrite_a_stored_impact(db, make_ticket, manager):
    from repairlab.repairs.models import ImpactConstant

    ticket = make_ticket("Toaster")
    tickets.set_outcome(manager, ticket, Outcome.FIXED)
    db.session.commit()
    constant = db.session.get(ImpactConstant, "displacement")
    original = constant.value
    try:
        constant.value = Decimal("0.25")
        db.session.commit()
        db.session.refresh(ticket)
        assert ticket.co2e_prevented_kg == Decimal("4.065")
        other = make_ticket("Toaster")
        tickets.set_outcome(manager, other, Outcome.FIXED)
        assert other.co2e_prevented_kg == Decimal("2.033")
    finally:
        db.session.rollback()
        constant = db.session.get(ImpactConstant, "displacement")
        constant.value = original
        db.session.commit()
