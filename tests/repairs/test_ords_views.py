"""The ORDS pages: import with a preview and a per-row report, then all or nothing; export of a selection."""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.repairs import ords
from repairlab.repairs.models import RepairTicket, TicketSource

DATA = Path(__file__).parent / "data" / "ords"
TORONTO = DATA / "OpenRepairData_v0.3_RepairCafeToronto_202507.csv"
HEADER = ",".join(ords.COLUMNS)


@pytest.fixture(autouse=True)
def english(client):
    """Assert on English text: the French catalogue is maintained separately."""
    client.post("/language", data={"lang": "en"})


@pytest.fixture
def lab(make_lab):
    return make_lab("Atelier de Roubaix")


@pytest.fixture
def other_lab(make_lab, make_territory):
    return make_lab("Atelier de Marseille", territory_=make_territory("MRS", "Aix-Marseille"))


@pytest.fixture
def manager(make_user):
    return make_user(Role.LAB_MANAGER, locale="en")


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _upload(client, target, data: bytes, name="ords.csv"):
    return client.post(
        "/repairs/ords/import",
        data={"target": str(target), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(RepairTicket))


def _token(page: str) -> str:
    start = page.index('name="token" value="') + len('name="token" value="')
    return page[start : start + 32]


def test_a_lab_manager_previews_then_imports_a_real_file(client, login, manager, lab):
    login(manager)
    preview = _upload(client, lab.id, TORONTO.read_bytes())
    page = _text(preview)
    assert preview.status_code == 200
    assert "Rows read</dt><dd>5567" in page
    assert "New records</dt><dd>5567" in page
    assert "rctoronto_6912" in page
    assert _count() == 0  # a preview writes nothing
    done = client.post(
        "/repairs/ords/import/confirm", data={"target": str(lab.id), "token": _token(page)}, follow_redirects=True
    )
    assert "5567 repair records imported." in _text(done)
    assert _count() == 5567
    assert set(db.session.scalars(sa.select(RepairTicket.lab_id).distinct())) == {lab.id}
    # The same file again: nothing new.
    again = _text(_upload(client, lab.id, TORONTO.read_bytes()))
    assert "Already there (skipped)</dt><dd>5567" in again
    assert "Every record of this file is already there" in again


def test_a_refused_row_shows_its_line_and_reason_and_nothing_is_imported(client, login, manager, lab):
    login(manager)
    data = f"{HEADER}\np_1,P,CAN,,Lamp,15,,,,Fixed,,G,2025-06-07,\np_2,P,CAN,,Lamp,15,,,,Mended,,G,2025-06-07,\n"
    response = _upload(client, lab.id, data.encode())
    page = _text(response)
    assert response.status_code == 400
    assert "1 row refused: nothing was imported" in page
    reason = "Write Fixed, Repairable, End of life or Unknown."
    assert f"<li><strong>Line 3</strong> · <code>repair_status</code> — {reason}</li>" in page
    assert 'name="token"' not in page
    assert _count() == 0


def test_an_unreadable_file_is_refused_next_to_the_field(client, login, manager, lab):
    login(manager)
    response = _upload(client, lab.id, b"name,kind\nPerceuse,tool\n")
    assert response.status_code == 400
    assert "The file needs these columns" in _text(response)


def test_a_lab_manager_cannot_import_elsewhere_nor_as_reference_data(client, login, manager, lab, other_lab):
    login(manager)
    page = _text(client.get("/repairs/ords/import"))
    assert (
        "Atelier de Roubaix" in page
        and "Atelier de Marseille" not in page
        and "External reference data (no lab)" not in page
    )
    data = f"{HEADER}\np_1,P,CAN,,Lamp,15,,,,Fixed,,G,2025-06-07,\n".encode()
    for target in (other_lab.id, "reference"):
        assert _upload(client, target, data).status_code == 400
    confirm = client.post("/repairs/ords/import/confirm", data={"target": str(other_lab.id), "token": "0" * 32})
    assert confirm.status_code == 404
    assert _count() == 0


def test_an_admin_imports_reference_data(client, login, make_user):
    login(make_user(Role.ADMIN, locale="en"))
    data = f"{HEADER}\np_1,P,CAN,,Lamp,15,,,,Fixed,,G,2025-06-07,\n".encode()
    page = _text(_upload(client, "reference", data))
    client.post("/repairs/ords/import/confirm", data={"target": "reference", "token": _token(page)})
    ticket = db.session.scalar(sa.select(RepairTicket))
    assert (ticket.source, ticket.lab_id, ticket.external_id) == (TicketSource.REFERENCE, None, "p_1")


def test_an_expired_preview_says_so(client, login, manager, lab):
    login(manager)
    response = client.post(
        "/repairs/ords/import/confirm", data={"target": str(lab.id), "token": "0" * 32}, follow_redirects=True
    )
    assert "This import has expired" in _text(response)


def _import(client, target, rows: list[str]) -> None:
    page = _text(_upload(client, target, "\n".join([HEADER, *rows]).encode()))
    client.post("/repairs/ords/import/confirm", data={"target": str(target), "token": _token(page)})


def test_the_export_holds_the_users_territory_only(client, login, make_user, lab, other_lab, live_client):
    login(make_user(Role.ADMIN, locale="en"))
    _import(
        client, lab.id, ["p_1,P,CAN,,Lamp,15,,,,Fixed,,G,2025-06-07,", "p_2,P,CAN,,Bicycle,,,,,Fixed,,G,2025-06-07,"]
    )
    _import(client, other_lab.id, ["q_1,Q,CAN,,Kettle,14,,,,Fixed,,H,2025-06-08,"])
    _import(client, "reference", ["r_1,R,USA,,Iron,40,,,,Unknown,,I,2025-06-09,"])
    assert _count() == 4

    def export(user, query=""):
        visitor = live_client(user)
        response = visitor.get("/repairs/ords/export.csv" + query)
        assert response.status == 200 and response.headers.get_content_type() == "text/csv"
        assert "attachment" in response.headers["Content-Disposition"]
        assert response.text.startswith(HEADER + "\n")
        return [row["id"] for row in csv.DictReader(io.StringIO(response.text))]

    assert export(make_user(Role.LAB_MANAGER, locale="en")) == ["p_1"]
    assert export(make_user(Role.RESEARCHER, locale="en")) == ["p_1", "q_1", "r_1"]
    assert export(make_user(Role.RESEARCHER, locale="en"), f"?lab={other_lab.id}") == ["q_1"]
    assert export(make_user(Role.RESEARCHER, locale="en"), "?source=reference") == ["r_1"]
    assert export(make_user(Role.RESEARCHER, locale="en"), "?from=2025-06-08&to=2025-06-08") == ["q_1"]
    unpowered = live_client(make_user(Role.MENTOR, locale="en")).get("/repairs/ords/unpowered.csv")
    assert unpowered.text.endswith("P,Unpowered - Bicycle,Fixed,1\n")


def test_the_export_page_counts_the_selection(client, login, make_user, lab):
    login(make_user(Role.ADMIN, locale="en"))
    _import(
        client, lab.id, ["p_1,P,CAN,,Lamp,15,,,,Fixed,,G,2025-06-07,", "p_2,P,CAN,,Lamp,15,,,,Fixed,,G,2025-06-08,"]
    )
    page = _text(client.get("/repairs/ords?from=2025-06-08"))
    assert "1 repair in the ORDS file" in page
    assert "/repairs/ords/export.csv?from=2025-06-08" in page
    assert "Import an ORDS file" in page
    login(make_user(Role.RESEARCHER, locale="en"))
    page = _text(client.get("/repairs/ords"))
    assert "2 repairs in the ORDS file" in page and "Import an ORDS file" not in page


def test_malformed_filters_are_no_filters(client, login, make_user, lab):
    login(make_user(Role.RESEARCHER, locale="en"))
    response = client.get(
        "/repairs/ords?territory=²&lab=x&event=99999999999&source=nope&outcome=&from=2026-02-31&to=9999-01-01"
    )
    assert response.status_code == 200
    assert "0 repairs in the ORDS file" in _text(response)
    assert client.get("/repairs/ords/export.csv?lab=²&from=nope").status_code == 200
