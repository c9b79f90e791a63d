"""Who may use each inventory route (read from the views' decorators); see tests/core/test_permissions.py."""

import io

from PIL import Image

from repairlab.extensions import db
from repairlab.inventory import requirements
from repairlab.people.models import Role
from repairlab.skills import catalogue
from tests.permissions import ALL_ROLES, Route

MANAGERS = frozenset({Role.LAB_MANAGER, Role.ADMIN})
MEMBERS = frozenset({Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})


def _jpeg():
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "JPEG")
    out.seek(0)
    return out, "photo.jpg"


def _item(w, key="item"):
    return f"/inventory/items/{w[key].id}"


def _skill(w, name="Perceuse à colonne"):
    """A safety skill of the catalogue, created once per world."""
    key = f"req_skill_{name}"
    if key not in w:
        admin = w["users"][Role.ADMIN]
        if "req_domain" not in w:
            w["req_domain"] = catalogue.create_domain(admin, name="Sécurité machines")
        w[key] = catalogue.create_skill(admin, domain=w["req_domain"], name=name, is_safety=True)
        db.session.commit()
    return w[key]


def _requirement(w, key):
    """The id of a requirement of w[key] (a tool or the category), created once per world.

    Its skill is not the one the "add" routes post, so that adding first never makes it a duplicate.
    """
    name = f"requirement_{key}"
    if name not in w:
        target = {"category": w[key]} if key == "category" else {"item": w[key]}
        w[name] = requirements.add_requirement(
            w["users"][Role.ADMIN], skill=_skill(w, "Meuleuse d'angle"), min_level=2, **target
        ).id
        db.session.commit()
    return w[name]


def _requirement_post(w):
    return {"skill_id": _skill(w).id, "min_level": "3"}


MATRIX = [
    Route("inventory.items", lambda w: "/inventory/?q=perceuse&kind=tool", MEMBERS),
    Route(
        "inventory.bulk",
        lambda w: "/inventory/bulk",
        MANAGERS,
        method="POST",
        data=lambda w: {"action": "labels", "ids": [w["item"].id, w["part"].id]},
    ),
    # Public: a scanned label shows a summary to anyone, including other territories (so no other_url).
    Route("inventory.item", _item, ALL_ROLES, anonymous=True),
    Route("inventory.item_photo", lambda w: f"/inventory/photos/{w['photo'].id}/thumb", ALL_ROLES, anonymous=True),
    Route("inventory.item_new", lambda w: "/inventory/items/new", MANAGERS),
    Route(
        "inventory.item_edit",
        lambda w: _item(w) + "/edit",
        MANAGERS,
        other_url=lambda w: _item(w, "other_item") + "/edit",
    ),
    Route(
        "inventory.item_status",
        lambda w: _item(w) + "/status",
        MANAGERS,
        method="POST",
        data=lambda w: {"status": "under_repair"},
        other_url=lambda w: _item(w, "other_item") + "/status",
    ),
    Route(
        "inventory.item_retire",
        lambda w: _item(w) + "/retire",
        MANAGERS,
        method="POST",
        data=lambda w: {"reason": "Moteur grillé"},
        other_url=lambda w: _item(w, "other_item") + "/retire",
    ),
    Route(
        "inventory.item_quantity",
        lambda w: _item(w, "part") + "/quantity",
        MANAGERS,
        method="POST",
        data=lambda w: {"quantity": "4"},
        other_url=lambda w: _item(w, "other_part") + "/quantity",
    ),
    Route(
        "inventory.item_photo_add",
        lambda w: _item(w) + "/photos",
        MANAGERS,
        method="POST",
        data=lambda w: {"photo": _jpeg()},
        other_url=lambda w: _item(w, "other_item") + "/photos",
    ),
    Route(
        "inventory.item_photo_delete",
        lambda w: f"/inventory/photos/{w['photo_to_delete'].id}/delete",
        MANAGERS,
        method="POST",
        other_url=lambda w: f"/inventory/photos/{w['other_photo_to_delete'].id}/delete",
    ),
    Route(
        "inventory.item_requirement_add",
        lambda w: _item(w) + "/requirements",
        MANAGERS,
        method="POST",
        data=_requirement_post,
        other_url=lambda w: _item(w, "other_item") + "/requirements",
    ),
    Route(
        "inventory.requirement_delete",
        lambda w: f"/inventory/requirements/{_requirement(w, 'item')}/delete",
        MANAGERS,
        method="POST",
        other_url=lambda w: f"/inventory/requirements/{_requirement(w, 'other_item')}/delete",
    ),
    Route(
        "inventory.report",
        lambda w: _item(w) + "/report",
        MEMBERS,
        other_url=lambda w: _item(w, "other_item") + "/report",
    ),
    Route("inventory.reports", lambda w: "/inventory/reports", MANAGERS),
    Route(
        "inventory.report_photo",
        lambda w: f"/inventory/reports/{w['report'].id}/photo",
        MANAGERS,
        other_url=lambda w: f"/inventory/reports/{w['other_report'].id}/photo",
    ),
    Route(
        "inventory.report_close",
        lambda w: f"/inventory/reports/{w['report'].id}/close",
        MANAGERS,
        method="POST",
        data=lambda w: {"resolution": "Mandrin resserré"},
        other_url=lambda w: f"/inventory/reports/{w['other_report'].id}/close",
    ),
    Route("inventory.locations", lambda w: "/inventory/places", MEMBERS),
    Route(
        "inventory.location",
        lambda w: f"/inventory/places/{w['place'].id}",
        MEMBERS,
        other_url=lambda w: f"/inventory/places/{w['other_place'].id}",
    ),
    Route("inventory.location_new", lambda w: "/inventory/places/new", MANAGERS),
    Route(
        "inventory.location_edit",
        lambda w: f"/inventory/places/{w['place'].id}/edit",
        MANAGERS,
        other_url=lambda w: f"/inventory/places/{w['other_place'].id}/edit",
    ),
    # Categories are shared by every territory.
    Route("inventory.categories", lambda w: "/inventory/categories", MANAGERS),
    Route("inventory.category_new", lambda w: "/inventory/categories/new", MANAGERS),
    Route("inventory.category_edit", lambda w: f"/inventory/categories/{w['category'].id}/edit", MANAGERS),
    Route(
        "inventory.category_requirement_add",
        lambda w: f"/inventory/categories/{w['category'].id}/requirements",
        # What a shared category requires binds every territory: admins only (issue #16, item 7).
        frozenset({Role.ADMIN}),
        method="POST",
        data=_requirement_post,
    ),
    Route(
        "inventory.attach_code",
        lambda w: f"/inventory/attach/{w['blank'].code}",
        MANAGERS,
        other_url=lambda w: f"/inventory/attach/{w['other_blank'].code}",
    ),
    Route(
        "inventory.attach_code_new",
        lambda w: f"/inventory/attach/{w['blank'].code}/new",
        MANAGERS,
        method="POST",
        data=lambda w: {
            "name": "Grille-pain",
            "kind": "object",
            "lab_id": w["lab"].id,
            "condition": "broken",
            "source": "",
        },
        other_url=lambda w: f"/inventory/attach/{w['other_blank'].code}/new",
    ),
    Route("inventory.import_items", lambda w: "/inventory/import", MANAGERS),
    Route(
        "inventory.import_confirm",
        lambda w: "/inventory/import/confirm",
        MANAGERS,
        method="POST",
        data=lambda w: {"token": "0" * 32, "lab_id": w["lab"].id},
    ),
    Route("inventory.export_items", lambda w: "/inventory/export.csv?kind=tool", MANAGERS),
]
