"""Problem reports: anyone of the territory reports (with an optional photo), lab managers list and close them."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from repairlab import images
from repairlab.audit.models import AuditEntry
from repairlab.errors import Conflict, ValidationError
from repairlab.inventory import services
from repairlab.inventory.models import ProblemReport, ReportStatus
from repairlab.people.models import Role
from tests.inventory import imaging
from tests.inventory.conftest import english


def _reports(db) -> list[ProblemReport]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(ProblemReport).order_by(ProblemReport.id)))


def _files(app) -> list[Path]:
    root = Path(app.config["STORAGE_PATH"]) / "images"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def item(make_item):
    return make_item("Machine à coudre")


@pytest.fixture
def as_talent(client, login, talent):
    login(talent)
    return english(client)


def _report(client, item, description: str, photo: bytes | None = None, **kw):
    data = {"description": description}
    if photo is not None:
        data["photo"] = imaging.upload(photo)
    return client.post(f"/inventory/items/{item.id}/report", data=data, content_type="multipart/form-data", **kw)


def test_report_form_is_shown_to_a_talent(as_talent, item):
    html = as_talent.get(f"/inventory/items/{item.id}/report").get_data(as_text=True)
    assert "What is wrong?" in html and 'type="file"' in html and 'enctype="multipart/form-data"' in html


def test_a_talent_reports_a_problem(as_talent, db, item, talent):
    response = _report(as_talent, item, "L'aiguille est cassée", follow_redirects=True)
    assert "Thank you. The lab team has been told." in response.get_data(as_text=True)
    [report] = _reports(db)
    assert (report.item_id, report.reporter_id, report.territory_id) == (item.id, talent.id, item.territory_id)
    assert (report.description, report.status, report.photo_key) == ("L'aiguille est cassée", ReportStatus.OPEN, None)
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "report")).all()
    assert entry.actor_id == talent.id and entry.object_type == "problem_reports"


def test_a_talent_reports_with_a_photo(as_talent, db, item):
    _report(as_talent, item, "Le pied presseur est tordu", imaging.jpeg_bytes(gps=True))
    [report] = _reports(db)
    assert report.photo_key and report.photo_thumb_key
    with Image.open(images._path_for(report.photo_key)) as image:
        assert image.format == "JPEG" and dict(image.getexif()) == {}


def test_a_report_with_a_bad_photo_is_refused_and_nothing_is_written(as_talent, app, db, item):
    before = _files(app)
    response = _report(as_talent, item, "Le moteur chauffe", b"not an image at all")
    assert response.status_code == 400
    assert "This file is not a photo we can read." in response.get_data(as_text=True)
    assert _reports(db) == [] and _files(app) == before


@pytest.mark.parametrize("description", ["", "  ", "ab"])
def test_a_too_short_description_is_refused(as_talent, db, item, description):
    response = _report(as_talent, item, description)
    assert response.status_code == 400 and 'class="field-error"' in response.get_data(as_text=True)
    assert _reports(db) == []


def test_service_refuses_a_too_short_description(db, item, talent):
    with pytest.raises(ValidationError) as error:
        services.report_problem(talent, item, "  ok  ")
    assert error.value.field == "description"


def test_a_talent_of_another_territory_cannot_report(client, login, make_user, other_territory, db, item):
    login(make_user(Role.PARTICIPANT, territory_=other_territory))
    assert _report(client, item, "Je ne suis pas d'ici").status_code == 404
    assert _reports(db) == []


def test_a_visitor_is_asked_to_log_in(client, db, item):
    response = _report(client, item, "Anonyme")
    assert response.status_code == 302 and "/login" in response.location
    assert _reports(db) == []


# --- Handling them ----------------------------------------------------------------------------------


@pytest.fixture
def open_reports(db, item, talent, make_item, other_lab, make_user, other_territory):
    """One open report here with a photo, one closed here, one open in the other territory."""
    here = services.report_problem(talent, item, "Le fil casse sans arrêt", _photo())
    closed = services.report_problem(talent, item, "Bobine manquante")
    theirs = services.report_problem(
        make_user(Role.PARTICIPANT, territory_=other_territory), make_item("Scie de Paris", other_lab), "Lame émoussée"
    )
    db.session.flush()
    services.close_report(talent, closed, "Bobine retrouvée")
    db.session.commit()
    return here, closed, theirs


def _photo():
    import io

    return io.BytesIO(imaging.jpeg_bytes())


@pytest.fixture
def as_manager(client, login, manager):
    login(manager)
    return english(client)


def test_manager_lists_the_open_reports_of_the_territory(as_manager, open_reports, talent):
    html = as_manager.get("/inventory/reports").get_data(as_text=True)
    assert "Le fil casse sans arrêt" in html and talent.full_name in html
    assert "Bobine manquante" not in html  # closed
    assert "Lame émoussée" not in html  # another territory
    assert "1 result" in html


def test_manager_lists_the_closed_reports(as_manager, open_reports):
    html = as_manager.get("/inventory/reports?status=closed").get_data(as_text=True)
    assert "Bobine manquante" in html and "Bobine retrouvée" in html and "Le fil casse" not in html


def test_admin_lists_every_territorys_reports(client, login, admin, open_reports):
    login(admin)
    html = client.get("/inventory/reports").get_data(as_text=True)
    assert "Le fil casse sans arrêt" in html and "Lame émoussée" in html


def test_manager_closes_a_report_with_a_resolution(as_manager, db, open_reports, manager):
    here = open_reports[0]
    html = as_manager.post(
        f"/inventory/reports/{here.id}/close", data={"resolution": "Tension réglée"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Report closed." in html and "No problem to handle. Well done!" in html
    db.session.refresh(here)
    assert (here.status, here.resolution, here.closed_by_id) == (ReportStatus.CLOSED, "Tension réglée", manager.id)
    assert here.closed_at is not None
    [entry] = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "close", AuditEntry.object_id == str(here.id))
    ).all()
    assert entry.after == {"status": "closed", "resolution": "Tension réglée"} and entry.actor_id == manager.id


def test_closing_needs_a_resolution(as_manager, db, open_reports):
    here = open_reports[0]
    html = as_manager.post(
        f"/inventory/reports/{here.id}/close", data={"resolution": " "}, follow_redirects=True
    ).get_data(as_text=True)
    assert "This field is required." in html
    db.session.refresh(here)
    assert here.status == ReportStatus.OPEN


def test_service_refuses_a_blank_resolution(db, open_reports, manager):
    with pytest.raises(ValidationError) as error:
        services.close_report(manager, open_reports[0], "")
    assert error.value.field == "resolution"


def test_closing_twice_is_refused(as_manager, db, open_reports):
    closed = open_reports[1]
    html = as_manager.post(
        f"/inventory/reports/{closed.id}/close", data={"resolution": "Encore"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "This report is already closed." in html
    db.session.refresh(closed)
    assert closed.resolution == "Bobine retrouvée"


def test_service_refuses_closing_twice(db, open_reports, manager):
    with pytest.raises(Conflict):
        services.close_report(manager, open_reports[1], "Encore")


def test_another_territorys_report_cannot_be_closed(as_manager, db, open_reports):
    theirs = open_reports[2]
    assert as_manager.post(f"/inventory/reports/{theirs.id}/close", data={"resolution": "x"}).status_code == 404
    db.session.refresh(theirs)
    assert theirs.status == ReportStatus.OPEN


def test_a_talent_cannot_list_or_close_reports(as_talent, db, open_reports):
    assert as_talent.get("/inventory/reports").status_code == 403
    assert as_talent.post(f"/inventory/reports/{open_reports[0].id}/close", data={"resolution": "x"}).status_code == 403


def test_the_report_photo_is_for_the_territorys_managers_only(
    app, client, login, manager, talent, other_manager, open_reports
):
    here = open_reports[0]
    url = f"/inventory/reports/{here.id}/photo"
    login(manager)
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert "private" in response.headers["Cache-Control"]
    login(talent)
    assert client.get(url).status_code == 403
    login(other_manager)
    assert client.get(url).status_code == 404
    assert app.test_client().get(url).status_code == 302  # a visitor is sent to log in


def test_a_report_without_photo_has_no_photo_page(as_manager, open_reports):
    assert as_manager.get(f"/inventory/reports/{open_reports[1].id}/photo").status_code == 404


def test_the_home_page_of_a_manager_counts_open_problems(as_manager, open_reports):
    html = as_manager.get("/").get_data(as_text=True)
    assert "In the lab today" in html and "Le fil casse sans arrêt" in html and "Lame émoussée" not in html


def test_a_report_whose_reporter_was_erased_says_someone(db, open_reports, talent, as_manager):
    here = open_reports[0]
    here.reporter_id = None
    db.session.commit()
    assert "someone" in as_manager.get("/inventory/reports").get_data(as_text=True)
