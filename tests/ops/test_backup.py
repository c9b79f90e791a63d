"""`flask backup` and `flask restore`: an archive made while the app writes restores into a new instance with every
table and stored file equal; a damaged archive, another schema revision and a target that is not empty are refused
with nothing changed. On the suite's engine (SQLite, or PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import io
import json
import os
import stat
import tarfile
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from repairlab import backup
from repairlab.extensions import db as _db
from repairlab.inventory import services as inventory
from repairlab.inventory.models import ItemKind
from repairlab.lending import services as lending
from repairlab.people import services as people
from repairlab.people.models import Role
from tests.inventory import imaging
from tests.ops.conftest import TEST_PASSWORD, Instance, log_in

# Tables the writer appends to while the backup runs: the restored rows are the first ones of the source's.
APPENDED = ("item_photos", "audit_entries")
COUNTERS = "data_versions"  # raised by every committed write (repairlab/freshness.py)


def _populated(instance: Instance) -> Instance:
    """The instance under the migrations, with a territory, a lab, people, tools with photos and a loan."""
    with instance.app.app_context():
        upgrade()
        territory = people.create_territory(None, code="RBX", name="Roubaix-Lille")
        lab = people.create_lab(None, territory=territory, name="Atelier Roubaix")
        manager = people.create_user(
            None,
            email="lina@example.org",
            full_name="Lina Gestionnaire",
            password=TEST_PASSWORD,
            role=Role.LAB_MANAGER,
            territory=territory,
        )
        talent = people.create_user(
            None,
            email="zoe@example.org",
            full_name="Zoé Emprunteuse",
            password=TEST_PASSWORD,
            role=Role.PARTICIPANT,
            territory=territory,
        )
        tools = [
            inventory.create_item(manager, lab, inventory.ItemFields(name=name, kind=ItemKind.TOOL))
            for name in ("Perceuse-visseuse", "Fer à souder", "Scie sauteuse")
        ]
        for tool, color in zip(tools, ("orange", "navy", "green"), strict=True):
            inventory.add_photo(manager, tool, io.BytesIO(imaging.jpeg_bytes((320, 240), color)))
        lending.check_out_item(manager, tools[0], talent, kind="in_lab")
        _db.session.commit()
        instance.manager_id, instance.tool_id = manager.id, tools[1].id
        _db.session.remove()
    return instance


@pytest.fixture
def source(new_instance) -> Instance:
    """A new instance with data, for one test."""
    return _populated(new_instance())


@pytest.fixture(scope="module")
def shared_source(new_instance) -> Instance:
    """An instance with data that the module's tests read and never change."""
    return _populated(new_instance())


@pytest.fixture(scope="module")
def archive(shared_source, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "backup.tar.gz"
    result = shared_source.run("backup", "-o", str(path))
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def empty_target(new_instance) -> Instance:
    """A new instance that every refused restore must leave as it is: no table, no stored file."""
    return new_instance()


def _rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, sorted."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            names = sa.inspect(conn).get_table_names()
            return {
                name: sorted((tuple(row) for row in conn.execute(sa.text(f'SELECT * FROM "{name}"'))), key=repr)
                for name in names
            }
    finally:
        engine.dispose()


class Writer(threading.Thread):
    """Uploads photos to a tool through the app, one request after another, until stopped."""

    def __init__(self, instance: Instance):
        super().__init__(daemon=True)
        self.client = log_in(instance, instance.manager_id)
        self.url = f"/inventory/items/{instance.tool_id}/photos"
        self.done = 0
        self.failures: list[int] = []
        self.changed = threading.Condition()
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            image = imaging.jpeg_bytes((200, 150), (self.done * 7 % 256, 90, 160))
            response = self.client.post(self.url, data={"photo": (io.BytesIO(image), "photo.jpg")})
            with self.changed:
                if response.status_code != 302:
                    self.failures.append(response.status_code)
                    self.stop.set()
                self.done += 1
                self.changed.notify_all()

    def wait_for(self, uploads: int) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: self.done >= uploads or self.stop.is_set(), timeout=60)
        assert not self.failures, self.failures


def test_a_backup_made_while_the_app_writes_restores_every_table_and_file(source, new_instance, tmp_path, monkeypatch):
    archive = tmp_path / "backup.tar.gz"
    writer = Writer(source)
    writer.start()
    try:
        writer.wait_for(2)
        # The storage folder is copied after the database: let the writer commit one more photo in between.
        add_storage = backup._add_storage

        def after_a_write(*args):
            writer.wait_for(at_snapshot + 1)
            add_storage(*args)

        at_snapshot = writer.done
        monkeypatch.setattr(backup, "_add_storage", after_a_write)
        result = source.run("backup", "-o", str(archive))
        assert result.exit_code == 0, result.output
        writer.wait_for(writer.done + 2)
    finally:
        writer.stop.set()
        writer.join(timeout=60)
    assert "Backup written to" in result.output and "schema revision" in result.output
    assert stat.S_IMODE(os.stat(archive).st_mode) == 0o600  # personal data: for its owner only

    target = new_instance()
    assert target.tables() == []
    result = target.run("restore", str(archive))
    assert result.exit_code == 0, result.output
    assert "restored" in result.output

    before, after = _rows(source.url), _rows(target.url)
    assert sorted(after) == sorted(before) and len(after) > 50
    for name in APPENDED:
        # The restored rows are the source's first ones, up to some instant of the backup, with no gap.
        cut = max(row[0] for row in after[name])
        assert after[name] == [row for row in before[name] if row[0] <= cut], name
    photos_at_backup = len(after["item_photos"])
    assert 3 + 2 <= photos_at_backup < len(before["item_photos"])  # photos made before and after the backup
    for name in set(after) - set(APPENDED) - {COUNTERS}:
        assert after[name] == before[name], name
    # The counters of writes are the backup's: the source's went on with the photos added after it.
    restored, went_on = dict(after[COUNTERS]), dict(before[COUNTERS])
    assert set(restored) == set(went_on) and all(restored[name] <= went_on[name] for name in restored)
    assert restored["item_photos"] < went_on["item_photos"]
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["tables"] == {name: len(rows) for name, rows in after.items()}

    # Every photo the restored database names is there, as stored in the source.
    source_files, restored_files = source.stored_files(), target.stored_files()
    assert restored_files and all(source_files[name] == data for name, data in restored_files.items())
    keys = {key for row in after["item_photos"] for key in row if isinstance(key, str) and key.endswith(".jpg")}
    assert len(keys) == 2 * photos_at_backup
    assert {f"images/{key[:2]}/{key}" for key in keys} <= set(restored_files)

    # The restored instance serves its data.
    page = log_in(target, source.manager_id).get(f"/inventory/items/{source.tool_id}")
    assert page.status_code == 200 and "Fer à souder" in page.get_data(as_text=True)


def _rewrite(archive: Path, out: Path, change) -> Path:
    """A copy of the archive with each member's bytes passed through change(name, data)."""
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for member in src:
            data = change(member.name, src.extractfile(member).read())
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    return out


def _refused(target: Instance, path: Path, *words: str) -> None:
    result = target.run("restore", str(path))
    assert result.exit_code != 0
    for word in words:
        assert word in result.output, result.output
    assert target.tables() == [] and target.stored_files() == {}


def test_a_damaged_member_is_refused_and_nothing_is_restored(archive, empty_target, tmp_path):
    def damage(name, data):
        if name.startswith("storage/images/") and not name.endswith("_t.jpg"):
            return data[:100] + bytes([data[100] ^ 0xFF]) + data[101:]
        return data

    damaged = _rewrite(archive, tmp_path / "damaged.tar.gz", damage)
    _refused(empty_target, damaged, "checksum of storage/images/", "damaged", "Nothing was restored")
    result = empty_target.run("restore", "--check", str(damaged))
    assert result.exit_code != 0 and "does not match the manifest" in result.output


def test_a_cut_short_or_garbled_file_is_refused(archive, empty_target, tmp_path):
    data = archive.read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(data[: len(data) // 2])
    target = empty_target
    _refused(target, cut, "not a readable RepairLab backup")
    garbled = tmp_path / "garbled.tar.gz"
    garbled.write_bytes(data[:2000] + bytes(b ^ 0x55 for b in data[2000:2100]) + data[2100:])
    _refused(target, garbled, "backup")
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        info = tarfile.TarInfo("notes.txt")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"hello"))
    _refused(target, other, "not a RepairLab backup")
    plain = tmp_path / "plain.txt"
    plain.write_text("not an archive")
    _refused(target, plain, "not a readable RepairLab backup")


def test_a_backup_of_another_schema_revision_is_refused(archive, empty_target, tmp_path):
    def older(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["schema_revision"] = "0123456789ab"
            return json.dumps(manifest).encode()
        return data

    _refused(
        empty_target,
        _rewrite(archive, tmp_path / "older.tar.gz", older),
        "schema revision 0123456789ab",
        "this version of RepairLab is at",
    )


def test_a_member_the_manifest_does_not_list_is_refused(archive, empty_target, tmp_path):
    extra = tmp_path / "extra.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(extra, "w:gz") as dst:
        for member in src:
            dst.addfile(member, src.extractfile(member))
        info = tarfile.TarInfo("storage/images/zz/intruder.jpg")
        info.size = 3
        dst.addfile(info, io.BytesIO(b"bad"))
    _refused(empty_target, extra, "storage/images/zz/intruder.jpg", "does not list")


def test_a_database_that_is_not_empty_is_not_restored_into(archive, shared_source, new_instance):
    # The source itself: every row must stay as it is.
    before = _rows(shared_source.url)
    result = shared_source.run("restore", str(archive))
    assert result.exit_code != 0 and "The target database is not empty" in result.output
    assert _rows(shared_source.url) == before
    # A new database with one table of its own.
    target = new_instance()
    engine = sa.create_engine(target.url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE notes (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    result = target.run("restore", str(archive))
    assert result.exit_code != 0 and "not empty" in result.output and "notes" in result.output
    assert target.tables() == ["notes"] and target.stored_files() == {}


def test_a_storage_folder_that_is_not_empty_is_not_restored_into(archive, new_instance):
    target = new_instance()
    (target.storage / "images").mkdir(parents=True)
    (target.storage / "images" / "mine.jpg").write_bytes(b"mine")
    result = target.run("restore", str(archive))
    assert result.exit_code != 0 and "storage folder" in result.output and "not empty" in result.output
    assert target.tables() == [] and target.stored_files() == {"images/mine.jpg": b"mine"}


def test_check_reads_an_archive_without_changing_anything(archive, empty_target):
    result = empty_target.run("restore", "--check", str(archive))
    assert result.exit_code == 0 and "is whole and matches this version" in result.output
    assert empty_target.tables() == [] and empty_target.stored_files() == {}


def test_a_backup_is_never_written_over_an_existing_file(shared_source, tmp_path):
    existing = tmp_path / "kept.tar.gz"
    existing.write_bytes(b"an older backup")
    result = shared_source.run("backup", "-o", str(existing))
    assert result.exit_code != 0 and "already exists" in result.output
    assert existing.read_bytes() == b"an older backup"
    result = shared_source.run("backup", "-o", str(tmp_path))  # a folder: a dated name in it
    assert result.exit_code == 0
    [made] = tmp_path.glob("repairlab-*.tar.gz")
    assert shared_source.run("restore", "--check", str(made)).exit_code == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no work files left


def test_a_database_without_migrations_is_not_backed_up(new_instance, tmp_path):
    instance = new_instance()
    with instance.app.app_context():
        _db.create_all()
        _db.session.remove()
    result = instance.run("backup", "-o", str(tmp_path / "b.tar.gz"))
    assert result.exit_code != 0 and "no schema revision" in result.output
    assert not (tmp_path / "b.tar.gz").exists()


def test_pg_dump_missing_or_of_another_version_is_named(app, tmp_path, monkeypatch):
    """What a backup on PostgreSQL says when its client tools are not usable (checked without a server)."""
    monkeypatch.setitem(app.config, "PG_BIN_DIR", str(tmp_path))
    with pytest.raises(backup.BackupError, match=r"pg_dump was not found in PG_BIN_DIR .*postgresql-client-15"):
        backup._pg_tool("pg_dump", 15)
    fake = tmp_path / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 13.2'\n")
    fake.chmod(0o755)
    with pytest.raises(backup.BackupError, match=r"pg_dump is version 13 .* server is PostgreSQL 15: they must match"):
        backup._pg_tool("pg_dump", 15)
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)'\n")
    assert backup._pg_tool("pg_dump", 15) == str(fake)
