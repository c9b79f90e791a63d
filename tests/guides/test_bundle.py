"""The bundle for the next territory: every published guide as Markdown with its photos and a manifest, imported
into a fresh instance with the same guides, versions and photos; nothing imported twice, nothing refused silently."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
import sqlalchemy as sa

from repairlab import create_app, images
from repairlab.extensions import db
from repairlab.guides import bundle, services
from repairlab.guides.models import CreditChoice, Guide, GuideKind, GuidePublication, GuideStatus, GuideVersion
from repairlab.inventory import services as inventory
from repairlab.people import services as people
from repairlab.repairs.reference import ensure_reference_data
from tests.guides.helpers import content, fields, jpeg, write


def _two_versions(manager, writer, mentor, territory):
    """A kettle guide in two published versions with photos (by a lab manager), a talent's guide credited by first
    name, a workshop plan, and a draft that is not exported."""
    soldering = inventory.create_category(manager, "Soudure")
    kettle = services.create_guide(
        manager,
        territory,
        fields(),
        content(
            steps=[services.StepInput("Ouvrir", "Dévisser", new_photos=[jpeg("blue")])],
            tool_category_ids=[soldering.id],
        ),
        services.SaveAction.PUBLISH,
    )
    steps = [
        services.StepInput("Ouvrir", "Dévisser", keep_photo_ids=[kettle.latest.steps[0].photos[0].id]),
        services.StepInput("Mesurer", "20 à 40 Ω", new_photos=[jpeg("green")]),
    ]
    services.save_version(
        manager,
        kettle,
        fields(),
        content(steps=steps, change_note="Mesure", tool_category_ids=[soldering.id]),
        services.SaveAction.PUBLISH,
    )
    talents = write(writer, territory, action=services.SaveAction.PROPOSE, title="Détartrer")
    services.set_credit(writer, talents, CreditChoice.FIRST_NAME)
    services.publish(mentor, talents)
    write(manager, territory, kind=GuideKind.WORKSHOP, title="Premier atelier de soudure")
    write(manager, territory, action=services.SaveAction.DRAFT, title="Brouillon")
    db.session.commit()
    return kettle


def _export(territory=None) -> bytes:
    out = io.BytesIO()
    bundle.export_bundle(out, territory)
    return out.getvalue()


def test_the_bundle_holds_markdown_photos_and_the_manifest(manager, writer, mentor, territory):
    kettle = _two_versions(manager, writer, mentor, territory)
    with zipfile.ZipFile(io.BytesIO(_export())) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
        names = set(zipped.namelist())
        markdown = zipped.read(f"guides/{kettle.slug}/v2.md").decode()
    slugs = [g["slug"] for g in manifest["guides"]]
    assert len(slugs) == 3 and "brouillon" not in slugs  # published guides only
    entry = next(g for g in manifest["guides"] if g["slug"] == kettle.slug)
    assert entry["licence"] == {
        "id": "CC-BY-SA-4.0",
        "name": "CC BY-SA 4.0",
        "url": "https://creativecommons.org/licenses/by-sa/4.0/",
    }
    assert entry["ords_category"] == {"id": 14, "name": "Kettle"}
    assert [v["number"] for v in entry["versions"]] == [1, 2]
    assert entry["authors"] == [manager.full_name]
    assert entry["versions"][1]["tool_categories"] == ["Soudure"]
    # One file per photo, the kept one not twice.
    photo_files = {p["file"] for v in entry["versions"] for s in v["steps"] for p in s["photos"]}
    assert len(photo_files) == 2 and photo_files <= names
    assert "## Étape 2 · Mesurer" in markdown and "CC BY-SA 4.0" in markdown
    talents = next(g for g in manifest["guides"] if g["slug"] == "detartrer")
    assert talents["authors"] == ["Zoé"] and talents["versions"][0]["credited"] == "Zoé"
    assert "Martin" not in json.dumps(manifest)  # the talent chose the first name only


def test_the_bundle_imports_into_a_fresh_instance(manager, writer, mentor, territory, tmp_path):
    _two_versions(manager, writer, mentor, territory)
    data = _export()
    fresh = create_app(
        {
            "REPAIRLAB_ENV": "testing",
            "SECRET_KEY": "x",
            "DATABASE_URL": f"sqlite:///{tmp_path}/fresh.sqlite3",
            "STORAGE_PATH": str(tmp_path / "storage"),
        }
    )
    with fresh.app_context():
        db.create_all()
        ensure_reference_data()
        new_territory = people.create_territory(None, code="MRS", name="Marseille")
        inventory.create_category(None, "Soudure")
        db.session.commit()
        report = bundle.import_bundle(None, io.BytesIO(data), new_territory)
        db.session.commit()
        assert report.ok and len(report.imported) == 3 and report.left_out == []
        kettle = db.session.scalar(sa.select(Guide).where(Guide.slug == "bouilloire-qui-ne-chauffe-plus"))
        assert (kettle.territory_id, kettle.status, kettle.latest_number, kettle.published_number) == (
            new_territory.id,
            GuideStatus.PUBLISHED,
            2,
            2,
        )
        assert [v.number for v in kettle.versions] == [1, 2]
        assert kettle.versions[1].change_note == "Mesure"
        assert [t.category.path for t in kettle.versions[1].tool_categories] == ["Soudure"]
        photos = [p for s in kettle.versions[1].steps for p in s.photos]
        assert len(photos) == 2 and all(images.read_image(p.key)[:2] == b"\xff\xd8" for p in photos)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(GuidePublication)) == 4
        talents = db.session.scalar(sa.select(Guide).where(Guide.slug == "detartrer"))
        assert talents.versions[0].credited_as == "Zoé" and talents.versions[0].created_by_id is None
        # Importing the same bundle again imports nothing twice.
        again = bundle.import_bundle(None, io.BytesIO(data), new_territory)
        db.session.commit()
        assert again.imported == [] and len(again.already_there) == 3
        assert db.session.scalar(sa.select(sa.func.count()).select_from(GuideVersion)) == 4
        db.session.remove()
        db.engine.dispose()


def test_an_import_into_the_same_instance_adds_only_new_versions(manager, writer, mentor, territory):
    kettle = _two_versions(manager, writer, mentor, territory)
    data = _export()
    report = bundle.import_bundle(None, io.BytesIO(data), territory)
    assert report.imported == [] and len(report.already_there) == 3
    # A bundle whose version 2 is not the one written here (another instant) is refused, with the reason.
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
        files = {name: zipped.read(name) for name in zipped.namelist()}
    entry = next(g for g in manifest["guides"] if g["slug"] == kettle.slug)
    entry["versions"][1]["created_at"] = "2020-01-01T00:00:00+00:00"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zipped:
        for name, body in files.items():
            zipped.writestr(name, json.dumps(manifest) if name == "manifest.json" else body)
    out.seek(0)
    report = bundle.import_bundle(None, out, territory)
    assert len(report.refused) == 1 and report.refused[0].startswith(kettle.slug)
    assert "La version 2 de ce guide" in report.refused[0]


def _bundle_with(change) -> io.BytesIO:
    """A small bundle whose one guide's entry `change` alters."""
    guide = {
        "uid": "0b6e2f8e-4c1b-4a53-9d0c-1f2e3d4c5b6a",
        "slug": "velo",
        "kind": "repair",
        "language": "fr",
        "licence": {"id": "CC-BY-4.0"},
        "ords_category": {"name": "Bicycle"},
        "versions": [
            {
                "number": 1,
                "created_at": "2026-11-02T10:00:00+00:00",
                "published_at": "2026-11-03T10:00:00+00:00",
                "title": "Régler les freins",
                "steps": [{"title": "Patins", "text": "Vérifier", "photos": [{"file": "photos/a.jpg"}]}],
                "skills": [{"name": "Mécanique vélo", "level": 2}],
                "tool_categories": ["Cycles > Outils vélo"],
            }
        ],
    }
    change(guide)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zipped:
        zipped.writestr(
            "manifest.json", json.dumps({"format": "repairlab-guides", "format_version": 1, "guides": [guide]})
        )
        zipped.writestr("photos/a.jpg", jpeg().getvalue())
    out.seek(0)
    return out


def test_what_an_import_leaves_out_is_said(territory):
    report = bundle.import_bundle(None, _bundle_with(lambda g: None), territory)
    assert report.imported == ["velo\u00a0: versions 1"]
    assert report.left_out == [
        "velo\u00a0: catégorie d’outils «\u00a0Cycles > Outils vélo\u00a0»",
        "velo\u00a0: compétence «\u00a0Mécanique vélo\u00a0»",
    ]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda g: g["licence"].update(id="GPL-3.0"), "licence"),
        (lambda g: g.update(ords_category={"name": "Spaceship"}), "Spaceship"),
        (lambda g: g["versions"][0]["steps"][0]["photos"][0].update(file="photos/missing.jpg"), "missing.jpg"),
        (lambda g: g["versions"][0].update(title=""), "titre"),
        (lambda g: g["versions"][0].update(created_at="hier"), "hier"),
        (lambda g: g.update(versions=[]), "version"),
    ],
)
def test_a_refused_guide_is_named_with_the_reason(territory, change, reason):
    report = bundle.import_bundle(None, _bundle_with(change), territory)
    assert report.imported == [] and len(report.refused) == 1
    assert report.refused[0].startswith("velo") and reason in report.refused[0]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Guide)) == 0


def test_a_file_that_is_not_a_bundle_is_refused(territory):
    with pytest.raises(bundle.BundleError):
        bundle.import_bundle(None, io.BytesIO(b"not a zip"), territory)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zipped:
        zipped.writestr("manifest.json", json.dumps({"format": "other"}))
    with pytest.raises(bundle.BundleError):
        bundle.import_bundle(None, out, territory)


def test_the_commands_export_and_import(app, manager, writer, mentor, territory, tmp_path):
    _two_versions(manager, writer, mentor, territory)
    runner = app.test_cli_runner()
    path = tmp_path / "guides.zip"
    result = runner.invoke(args=["guides-export", "-o", str(path), "--territory", "RBX"])
    assert result.exit_code == 0 and "3 published guide(s)" in result.output
    result = runner.invoke(args=["guides-import", str(path), "--territory", "RBX"])
    assert result.exit_code == 0 and "0 imported, 3 already there, 0 refused." in result.output
    result = runner.invoke(args=["guides-import", str(path), "--territory", "ZZZ"])
    assert result.exit_code != 0 and "No territory" in result.output


def test_the_page_button_downloads_the_bundle(db, manager, writer, mentor, territory, live_client):
    _two_versions(manager, writer, mentor, territory)
    response = live_client(manager).get("/guides/export.zip")
    assert response.status == 200 and response.headers["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.body)) as zipped:
        assert len(json.loads(zipped.read("manifest.json"))["guides"]) == 3
