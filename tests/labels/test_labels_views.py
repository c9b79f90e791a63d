"""The public resolver /q/<code>, label images and sheets, the print page and pre-printed (blank) codes."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from repairlab.inventory import services
from repairlab.inventory.models import Code, CodeCounter
from repairlab.people.models import Role
from tests.inventory import conftest as inventory
from tests.inventory.conftest import english

# The inventory's fixtures, shared here (tests/labels has no conftest of its own).
lab, make_item, make_place, manager = inventory.lab, inventory.make_item, inventory.make_place, inventory.manager
other_lab, other_manager, other_territory = inventory.other_lab, inventory.other_manager, inventory.other_territory

BASE = "https://repairlab.test"


def _codes(db) -> list[Code]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Code).order_by(Code.id)))


@pytest.fixture
def as_manager(client, login, manager):
    login(manager)
    return english(client)


@pytest.fixture
def blank(db, territory, manager):
    """A pre-printed code of the home territory, not attached yet."""
    [code] = services.issue_blank_codes(manager, territory, 1)
    db.session.commit()
    return code


# --- /q/<code> ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "RBX-0001",
        "rbx-0001",
        "RBX0001",
        "rbx 1",
        "RBX-OOO1",
        "rbx-oool",
        "https://repairlab.test/q/RBX-0001",
        "rbx-0001/",
    ],
)
def test_an_items_code_opens_its_page_for_anyone(client, make_item, typed):
    item = make_item()
    response = client.get(f"/q/{typed}")
    assert response.status_code == 302 and response.location == f"/inventory/items/{item.id}"


def test_a_places_code_opens_its_page(client, make_place):
    place = make_place()
    assert client.get(f"/q/{place.code.lower()}").location == f"/inventory/places/{place.id}"


def test_a_retired_items_code_still_opens_it(client, db, make_item, manager):
    item = make_item()
    services.retire_item(manager, item, "HS")
    db.session.commit()
    assert client.get(f"/q/{item.code}").location == f"/inventory/items/{item.id}"


def test_an_unknown_code_is_a_friendly_404_with_a_search_box(client, make_item):
    make_item()
    response = english(client).get("/q/RBX-0999")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "No thing has this code" in html and "RBX-0999" in html
    assert re.search(r'<input[^>]*name="code"', html)


@pytest.mark.parametrize(
    "raw",
    [
        "%00",
        "../../etc/passwd",
        "..%2F..%2Fetc%2Fpasswd",
        "x" * 5000,
        "RBX-" + "9" * 3000,
        "%FF%FE",
        "%C3%28",
        "'; DROP TABLE codes; --",
        "%0d%0aSet-Cookie:x=1",
        "é" * 300,
        "RBX-0001?next=//evil.example",
        "q/q/q/q",
    ],
)
def test_garbage_never_gives_a_500(client, make_item, raw):
    make_item()
    response = client.get(f"/q/{raw}")
    assert response.status_code in (302, 404)
    assert "Set-Cookie" not in str(response.headers.get("Location", ""))


def test_an_unassigned_code_sends_its_territorys_manager_to_the_attach_page(as_manager, blank):
    response = as_manager.get(f"/q/{blank.code.lower()}")
    assert response.status_code == 302 and response.location == f"/inventory/attach/{blank.code}"


def test_an_unassigned_code_sends_an_admin_to_the_attach_page(client, login, admin, blank):
    login(admin)
    assert client.get(f"/q/{blank.code}").location == f"/inventory/attach/{blank.code}"


@pytest.mark.parametrize("who", ["anonymous", "talent", "mentor", "other_manager"])
def test_an_unassigned_code_is_a_friendly_404_for_others(client, login, make_user, other_manager, blank, who):
    if who == "talent":
        login(make_user(Role.PARTICIPANT))
    elif who == "mentor":
        login(make_user(Role.MENTOR))
    elif who == "other_manager":
        login(other_manager)
    response = english(client).get(f"/q/{blank.code}")
    assert response.status_code == 404
    assert "This label is not attached to anything yet." in response.get_data(as_text=True)


# --- One label ------------------------------------------------------------------------------------


def _decode(png: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)), formats=zxingcpp.BarcodeFormat.QRCode)]


def test_the_label_png_decodes_to_the_public_url(as_manager, make_item):
    item = make_item("Perceuse")
    response = as_manager.get(f"/labels/{item.code}.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert _decode(response.data) == [f"{BASE}/q/{item.code}"]


@pytest.mark.parametrize("layout", ["a4-2x7", "a4-4x10", "thermal-62", "nonsense"])
def test_the_label_png_decodes_in_every_layout(as_manager, make_item, layout):
    item = make_item()
    response = as_manager.get(f"/labels/{item.code.lower()}.png?layout={layout}")
    assert _decode(response.data) == [f"{BASE}/q/{item.code}"]


def test_a_blank_labels_png_decodes_to_its_url(as_manager, blank):
    assert _decode(as_manager.get(f"/labels/{blank.code}.png").data) == [f"{BASE}/q/{blank.code}"]


def test_the_label_svg(as_manager, make_item):
    item = make_item("Perceuse <Bosch> & fils")
    response = as_manager.get(f"/labels/{item.code}.svg")
    svg = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert item.code in svg and "<Bosch>" not in svg


def test_labels_of_unknown_codes_are_not_found(as_manager):
    assert as_manager.get("/labels/RBX-0404.png").status_code == 404
    assert as_manager.get("/labels/not-a-code.svg").status_code == 404


def test_a_manager_cannot_print_another_territorys_label(as_manager, make_item, other_lab):
    theirs = make_item(lab_=other_lab)
    assert as_manager.get(f"/labels/{theirs.code}.png").status_code == 404
    assert as_manager.get(f"/labels/{theirs.code}.svg").status_code == 404


# --- Print page and sheets ------------------------------------------------------------------------


def test_the_print_page_lists_the_selection(as_manager, make_item):
    a, b = make_item("Perceuse"), make_item("Scie")
    make_item("Ponceuse")
    response = as_manager.get("/labels/print", query_string={"code": [b.code, a.code]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 labels" in html and "Perceuse" in html and "Scie" in html and "Ponceuse" not in html
    assert html.index("RBX-0002") < html.index("RBX-0001")  # the order asked for
    assert 'name="code" value="RBX-0002"' in html and 'name="code" value="RBX-0001"' in html
    assert 'name="layout" value="a4-3x7" checked' in html


def test_the_print_page_of_a_range(as_manager, make_item):
    for _ in range(5):
        make_item()
    html = as_manager.get("/labels/print", query_string={"from": "rbx-2", "to": "RBX-0004"}).get_data(as_text=True)
    assert "3 labels" in html and "RBX-0002" in html and "RBX-0004" in html and "RBX-0005" not in html


def test_the_print_page_without_codes_is_not_found(as_manager):
    assert as_manager.get("/labels/print").status_code == 404
    assert as_manager.get("/labels/print?code=garbage").status_code == 404
    assert as_manager.get("/labels/print?from=RBX-0001&to=PAR-0009").status_code == 404


def test_the_print_page_leaves_out_another_territorys_codes(as_manager, make_item, other_lab):
    mine, theirs = make_item("Perceuse"), make_item("Scie de Paris", other_lab)
    html = as_manager.get("/labels/print", query_string={"code": [mine.code, theirs.code]}).get_data(as_text=True)
    assert "1 label" in html and "Scie de Paris" not in html
    assert as_manager.get("/labels/print", query_string={"code": theirs.code}).status_code == 404
    assert as_manager.get("/labels/print", query_string={"from": "PAR-0001", "to": "PAR-0001"}).status_code == 404


def _pages(response) -> int:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return len(PdfReader(io.BytesIO(response.data)).pages)


@pytest.fixture
def many(db, territory, manager):
    """25 blank codes: RBX-0001 … RBX-0025."""
    services.issue_blank_codes(manager, territory, 25)
    db.session.commit()
    return {"from": "RBX-0001", "to": "RBX-0025"}


@pytest.mark.parametrize(
    ("layout", "skip", "pages"),
    [
        ("a4-3x7", 0, 2),
        ("a4-3x7", 17, 2),
        ("a4-3x7", 18, 3),
        ("a4-4x10", 0, 1),
        ("a4-4x10", 15, 1),
        ("a4-4x10", 16, 2),
        ("a4-2x7", 0, 2),
        ("thermal-62", 5, 25),
    ],
)
def test_the_sheet_has_the_right_number_of_pages(as_manager, many, layout, skip, pages):
    response = as_manager.get("/labels/sheet.pdf", query_string={**many, "layout": layout, "skip": skip})
    assert _pages(response) == pages


def test_the_sheet_page_size_follows_the_layout(as_manager, many):
    a4 = PdfReader(io.BytesIO(as_manager.get("/labels/sheet.pdf", query_string=many).data)).pages[0]
    roll = PdfReader(
        io.BytesIO(as_manager.get("/labels/sheet.pdf", query_string={**many, "layout": "thermal-62"}).data)
    ).pages[0]
    assert round(float(a4.mediabox.width) / 72 * 25.4) == 210
    assert round(float(roll.mediabox.width) / 72 * 25.4) == 62


@pytest.mark.parametrize("skip", ["-5", "500", "abc", ""])
def test_an_out_of_range_skip_is_clamped_not_an_error(as_manager, many, skip):
    assert _pages(as_manager.get("/labels/sheet.pdf", query_string={**many, "skip": skip})) in (2, 3)


def test_the_sheet_of_a_selection(as_manager, make_item):
    a, b = make_item(), make_item()
    response = as_manager.get("/labels/sheet.pdf", query_string={"code": [a.code, b.code]})
    assert _pages(response) == 1
    assert "labels-RBX-0001-RBX-0002.pdf" in response.headers["Content-Disposition"]


def test_the_sheet_leaves_out_another_territorys_codes(as_manager, make_item, other_lab):
    theirs = make_item(lab_=other_lab)
    assert as_manager.get("/labels/sheet.pdf", query_string={"code": theirs.code}).status_code == 404


# --- Blank codes ----------------------------------------------------------------------------------


def test_blank_codes_are_issued_then_printed(as_manager, db, territory, make_item, manager):
    make_item()
    response = as_manager.post("/labels/blank", data={"territory_id": territory.id, "count": "5", "layout": "a4-4x10"})
    assert response.status_code == 302
    assert response.location == "/labels/print?from=RBX-0002&to=RBX-0006&layout=a4-4x10"
    blanks = _codes(db)[1:]
    assert [c.code for c in blanks] == ["RBX-0002", "RBX-0003", "RBX-0004", "RBX-0005", "RBX-0006"]
    assert all(c.target_type is None and c.target_id is None for c in blanks)
    html = as_manager.get(response.location).get_data(as_text=True)
    assert "5 labels" in html and 'name="layout" value="a4-4x10" checked' in html
    from repairlab.audit.models import AuditEntry

    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "issue_blank_codes")).all()
    assert entry.actor_id == manager.id and entry.after == {"count": 5, "first": "RBX-0002", "last": "RBX-0006"}


def test_issuing_blank_codes_says_which_codes_were_issued(as_manager, territory):
    response = english(as_manager).post(
        "/labels/blank", data={"territory_id": territory.id, "count": "3", "layout": "a4-3x7"}, follow_redirects=True
    )
    assert "3 new codes, from RBX-0001 to RBX-0003." in response.get_data(as_text=True)


def test_the_blank_form_offers_only_the_managers_territory(as_manager, territory, other_territory):
    html = as_manager.get("/labels/blank").get_data(as_text=True)
    assert territory.name in html and other_territory.name not in html


@pytest.mark.parametrize("count", ["0", "1001", "-3", "many", ""])
def test_a_bad_count_is_refused_with_a_message(as_manager, db, territory, count):
    response = as_manager.post("/labels/blank", data={"territory_id": territory.id, "count": count, "layout": "a4-3x7"})
    assert response.status_code == 400 and 'class="field-error"' in response.get_data(as_text=True)
    assert _codes(db) == [] and db.session.get(CodeCounter, territory.id) is None


def test_the_service_refuses_a_bad_count(db, territory, manager):
    from repairlab.errors import ValidationError

    for count in (0, 1001, None):
        with pytest.raises(ValidationError) as error:
            services.issue_blank_codes(manager, territory, count)
        assert error.value.field == "count"


def test_a_manager_cannot_issue_codes_for_another_territory(as_manager, db, other_territory):
    response = as_manager.post(
        "/labels/blank", data={"territory_id": other_territory.id, "count": "3", "layout": "a4-3x7"}
    )
    assert response.status_code == 400 and "Not a valid choice." in response.get_data(as_text=True)
    assert _codes(db) == []


def test_an_admin_issues_codes_for_any_territory(client, login, admin, db, other_territory):
    login(admin)
    response = client.post("/labels/blank", data={"territory_id": other_territory.id, "count": "2", "layout": "a4-3x7"})
    assert response.status_code == 302 and [c.code for c in _codes(db)] == ["PAR-0001", "PAR-0002"]


def test_a_talent_cannot_print_or_issue_codes(client, login, make_user, db, territory, make_item):
    item = make_item()
    login(make_user(Role.PARTICIPANT))
    assert client.post("/labels/blank", data={"territory_id": territory.id, "count": "3"}).status_code == 403
    for url in (
        "/labels/blank",
        f"/labels/print?code={item.code}",
        f"/labels/sheet.pdf?code={item.code}",
        f"/labels/{item.code}.png",
        f"/labels/{item.code}.svg",
    ):
        assert client.get(url).status_code == 403, url
    assert len(_codes(db)) == 1
