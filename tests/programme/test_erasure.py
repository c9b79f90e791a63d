"""Erasing a talent on request: identity, contact details and free text go; records stay, anonymous; the log keeps
that an erasure happened, not the values."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from PIL import Image

from repairlab import clock, images
from repairlab.audit.models import AuditEntry
from repairlab.errors import Conflict, PermissionDenied
from repairlab.extensions import db
from repairlab.inventory import services as inventory
from repairlab.inventory.models import ItemKind, ProblemReport
from repairlab.lending import cards
from repairlab.lending.models import Loan, MemberCard
from repairlab.lending.services import check_out_item
from repairlab.people.erasure import erase_person
from repairlab.people.models import Role, User
from repairlab.programme import attendance, queries, services
from repairlab.programme.models import (
    ActivityKind,
    Evidence,
    ExitCategory,
    ExitSubtype,
    PathEvent,
    PathEventKind,
    SessionAttendance,
    TalentExit,
    TalentIntake,
)


@pytest.fixture
def lived_path(mentor, talent, territory, make_lab, days_ago):
    """A talent with an intake, path steps with a note, a session attended, a loan, a problem report and an exit."""
    services.record_intake(mentor, talent, intake_date=days_ago(40), evaluation_consent=False)
    services.add_path_event(mentor, talent, PathEventKind.SUSPENSION, days_ago(30), note="Garde de ses enfants")
    services.add_path_event(mentor, talent, PathEventKind.RESUMPTION, days_ago(20))
    session = attendance.create_session(
        mentor, territory, kind=ActivityKind.WORKSHOP, title="Atelier", held_on=days_ago(10)
    )
    attendance.record_attendance(mentor, session, [talent.id])
    lab = make_lab("Atelier Nord")
    tool = inventory.create_item(None, lab, inventory.ItemFields(name="Perceuse", kind=ItemKind.TOOL))
    check_out_item(talent, tool, talent, kind="in_lab")
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(picture, "JPEG")
    picture.seek(0)
    inventory.report_problem(talent, tool, "Le mandrin de ma perceuse, signé Zoé 06 12 34 56 78", picture)
    cards.card_for(talent)
    services.record_exit(
        mentor,
        talent,
        exit_date=days_ago(5),
        category=ExitCategory.DURABLE_EMPLOYMENT,
        subtype=ExitSubtype.PERMANENT_CONTRACT,
        evidence=Evidence.PROVEN,
    )
    db.session.commit()
    return talent


def _figures(territory_id):
    here = queries.PathFilters(territory_id=territory_id)
    return (
        queries.exit_counts_by_category(here),
        queries.path_status_counts(here),
        queries.attendance_counts(here),
        queries.follow_up_counts(here),
    )


def test_erasure_removes_identity_and_keeps_records(admin, lived_path, territory):
    talent = lived_path
    name, email, talent_id = talent.full_name, talent.email, talent.id
    before = _figures(territory.id)
    photos = [
        images._path_for(k)
        for k in db.session.execute(sa.select(ProblemReport.photo_key, ProblemReport.photo_thumb_key)).one()
    ]
    assert all(p.exists() for p in photos)
    erase_person(admin, talent)
    db.session.commit()
    db.session.expire_all()
    assert not any(p.exists() for p in photos)  # the photo's files leave the storage folder too
    erased = db.session.get(User, talent_id)
    assert erased.full_name == f"Talent #{talent_id}" and email not in erased.email and erased.phone == ""
    assert not erased.active and erased.erased_at is not None and erased.cohort_id is not None
    # What they wrote is gone; what they did stays.
    assert db.session.scalar(sa.select(ProblemReport.description)) == "—"
    assert db.session.scalar(sa.select(ProblemReport.photo_key)) is None
    assert db.session.scalar(sa.select(PathEvent.note).where(PathEvent.kind == PathEventKind.SUSPENSION)) == ""
    assert db.session.scalar(sa.select(MemberCard.revoked_at)) is not None
    for model in (Loan, TalentExit, TalentIntake, SessionAttendance):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 1
    assert _figures(territory.id) == before
    # The log: the erasure happened; no entry still holds the name or the e-mail address.
    entries = db.session.scalars(sa.select(AuditEntry)).all()
    assert any(e.action == "erase" and e.object_id == str(talent_id) for e in entries)
    text = " ".join(f"{e.actor_label} {e.object_label} {e.before} {e.after}" for e in entries)
    assert name not in text and email not in text


def test_only_admins_erase_talents_once(admin, mentor, talent, make_user):
    with pytest.raises(PermissionDenied):
        erase_person(mentor, talent)
    with pytest.raises(PermissionDenied):
        erase_person(admin, make_user(Role.MENTOR))
    erase_person(admin, talent)
    with pytest.raises(Conflict):
        erase_person(admin, talent)


def test_an_erased_path_no_longer_changes(admin, mentor, talent):
    erase_person(admin, talent)
    with pytest.raises(Conflict):
        services.add_path_event(mentor, talent, PathEventKind.SUSPENSION, clock.today())


def test_the_confirm_page_erases_only_when_confirmed(client, login, admin, lived_path):
    login(admin)
    page = client.get(f"/programme/talents/{lived_path.id}/erase").get_data(as_text=True)
    assert lived_path.full_name in page
    assert client.post(f"/programme/talents/{lived_path.id}/erase", data={}).status_code == 400
    assert db.session.get(User, lived_path.id).erased_at is None
    response = client.post(f"/programme/talents/{lived_path.id}/erase", data={"confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, lived_path.id).erased_at is not None


def test_an_erased_talent_cannot_log_in(client, admin, talent):
    from tests.conftest import TEST_PASSWORD

    email = talent.email
    erase_person(admin, talent)
    db.session.commit()
    response = client.post("/login", data={"email": email, "password": TEST_PASSWORD})
    assert response.status_code in {400, 401}
