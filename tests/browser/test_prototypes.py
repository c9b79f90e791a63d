"""Browser journey on a phone: a talent adds a version of their prototype with a photo, and sees it."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from PIL import Image

from repairlab.extensions import db as _db
from repairlab.people.models import Role
from repairlab.projects.prototypes import services as protos
from repairlab.projects.prototypes.models import PrototypeVersion
from tests.conftest import TEST_PASSWORD
from tests.projects.conftest import make_project, make_stage, mentor, stages  # noqa: F401  (fixtures)

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail on CI) with the reason
    expect = None

pytestmark = pytest.mark.browser


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), "#1d6b4a").save(out, "PNG")
    return out.getvalue()


def test_a_talent_adds_a_version_with_a_photo_on_a_phone(
    new_page,
    make_user,
    territory,
    make_project,  # noqa: F811
    stages,  # noqa: F811
    mentor,  # noqa: F811
    screenshot_dir,
):
    talent = make_user(Role.PARTICIPANT, email="zoe@example.org", name="Zoé Lambert")
    project = make_project(territory, team=[talent], mentors=[mentor], stage=stages[2], name="Lampes du Nord")
    prototype = protos.create_prototype(mentor, project, name="Lampe de bureau", description="Une lampe LED.")
    protos.add_version(mentor, prototype, protos.VersionFields(description="Maquette en carton"))
    _db.session.commit()
    prototype_id = prototype.id

    page = new_page("phone")
    page.goto("/login")
    page.locator("#email").fill("zoe@example.org")
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("main form").get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")

    page.goto(f"/projects/prototypes/{prototype_id}")
    page.locator(f"main a[href='/projects/prototypes/{prototype_id}/versions/new']").first.click()
    page.wait_for_url(f"**/projects/prototypes/{prototype_id}/versions/new")
    page.locator("input[type=file][name=photo]").set_input_files(
        files=[{"name": "lampe.png", "mimeType": "image/png", "buffer": _png()}]
    )
    page.locator("#description").fill("Pied lesté avec des chutes de bois")
    page.locator("#status").select_option("testing")
    page.locator("#feedback").fill("Cinq personnes l'ont essayée : le pied est stable.")
    page.locator("#materials_cost").fill("18,30")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/projects/prototypes/{prototype_id}#version-2")

    version = page.locator("#version-2")
    expect(version).to_contain_text("Pied lesté avec des chutes de bois")
    expect(version).to_contain_text("18,30")
    photo = version.locator(".photos img")
    expect(photo).to_be_visible()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", photo.element_handle())
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.screenshot(path=str(screenshot_dir / "prototype-phone.png"), full_page=True)

    _db.session.expire_all()
    latest = _db.session.scalar(sa.select(PrototypeVersion).order_by(PrototypeVersion.number.desc()).limit(1))
    assert latest.number == 2 and len(latest.photos) == 1 and latest.created_by_id == talent.id


def test_a_mentor_sees_which_skills_a_prototype_lacks_and_who_could_help(
    new_page,
    make_user,
    territory,
    make_project,  # noqa: F811
    stages,  # noqa: F811
    mentor,  # noqa: F811
    screenshot_dir,
):
    from repairlab.skills import catalogue, validations

    admin = make_user(Role.ADMIN)
    domain = catalogue.create_domain(admin, name="Textile")
    sewing = catalogue.create_skill(admin, domain=domain, name="Couture à la machine")
    talent = make_user(Role.PARTICIPANT, name="Zoé Lambert")
    helper = make_user(Role.PARTICIPANT, name="Karim Benali")
    validations.validate_skill(mentor, helper, sewing, level=3)
    project = make_project(territory, team=[talent], mentors=[mentor], stage=stages[2], name="Sacs du Canal")
    prototype = protos.create_prototype(mentor, project, name="Cabas en bâche")
    _db.session.commit()
    prototype_id, skill_id = prototype.id, sewing.id

    page = new_page("desktop")
    page.goto("/login")
    page.locator("#email").fill(mentor.email)
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("main form").get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")

    page.goto(f"/projects/prototypes/{prototype_id}")
    add_skill = page.locator(f"form[action='/projects/prototypes/{prototype_id}/skills']")
    page.locator("#skills details.proto-manage > summary").click()
    add_skill.locator("select[name=skill_id]").select_option(str(skill_id))
    add_skill.locator("select[name=min_level]").select_option("2")
    add_skill.locator("button[type=submit]").click()
    page.wait_for_url(f"**/projects/prototypes/{prototype_id}#skills")

    gap = page.locator("#skills .proto-need-gap")
    expect(gap).to_contain_text("Couture à la machine")
    expect(gap.get_by_role("link", name="Karim Benali")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "prototype-skills-desktop.png"), full_page=True)
