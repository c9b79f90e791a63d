"""Backups that restore: one archive of the database and the storage folder, checked before anything is restored.

An archive (`.tar.gz`) holds:

- the database: on SQLite a copy made through sqlite3's online backup API (one consistent snapshot, taken while the
  app serves); on PostgreSQL a `pg_dump` in its custom format, of a snapshot exported by the transaction that counts
  the rows, so that the counts and the dump describe the same instant;
- the storage folder (photos, import previews) under `storage/`, copied after the database: every file the database
  refers to was written before the row that names it was committed, so it is in the archive;
- `manifest.json`, written last: the schema revision (`alembic_version`), the rows of every table, and the size and
  SHA-256 of every other member.

A restore refuses, before changing anything, an archive it cannot read, one whose members do not match the manifest,
one of another schema revision or engine, and a target database or storage folder that is not empty. It then loads the
database (on PostgreSQL in one transaction), checks the row counts against the manifest, and moves the storage files
into place.

This module knows no domain: it reads tables by name, whatever they hold.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import current_app

from repairlab.extensions import db

FORMAT = 1
APPLICATION = "RepairLab"
MANIFEST = "manifest.json"
STORAGE = "storage"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
_CHUNK = 1024 * 1024
# A file being written (repairlab/images.py writes `<key>.tmp`, then renames it): not yet a stored file.
_UNFINISHED_SUFFIX = ".tmp"
# URL options of a PostgreSQL DATABASE_URL passed on to pg_dump and pg_restore, as libpq's environment variables.
_LIBPQ_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
}


class BackupError(Exception):
    """A backup or a restore was refused or failed; the message says why and what to do. Nothing was changed."""


@dataclass
class Summary:
    """What a backup wrote or a restore loaded."""

    path: Path
    engine: str
    revision: str
    tables: dict[str, int]
    files: int = 0
    file_bytes: int = 0
    archive_bytes: int = 0
    seconds: float = 0.0
    vanished: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Rows in every table together."""
        return sum(self.tables.values())


# --- Backup ------------------------------------------------------------------------------------------------------


def create_backup(output: Path) -> Summary:
    """Write the archive of this app's database and storage folder to `output` (a folder: a dated file in it).

    The archive appears whole or not at all (written beside, then renamed), readable by its owner only.
    """
    started = time.monotonic()
    output = Path(output)
    if output.is_dir():
        output /= f"repairlab-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.tar.gz"
    if output.exists():
        raise BackupError(f"{output} already exists: choose another name (backups are never overwritten).")
    if not output.parent.is_dir():
        raise BackupError(f"The folder {output.parent} does not exist.")
    engine = _engine_name()
    work = Path(tempfile.mkdtemp(prefix=".repairlab-backup-", dir=output.parent))
    partial = output.with_name(output.name + ".part")
    try:
        member = DATABASE_MEMBERS[engine]
        dump = work / member
        revision, tables = _sqlite_snapshot(dump) if engine == "sqlite" else _pg_dump(dump)
        if revision is None:
            raise BackupError(
                "The database has no schema revision (no alembic_version row): run `flask --app app db upgrade` "
                "to put it under the migrations, then back it up."
            )
        files = {member: _file_entry(dump)}
        summary = Summary(output, engine, revision, tables)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
            tar.add(dump, arcname=member, recursive=False)
            _add_storage(tar, files, summary)
            manifest = {
                "format": FORMAT,
                "application": APPLICATION,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "engine": engine,
                "schema_revision": revision,
                "database": member,
                "tables": tables,
                "files": files,
            }
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    summary.archive_bytes = output.stat().st_size
    summary.seconds = time.monotonic() - started
    return summary


def _engine_name() -> str:
    name = db.engine.dialect.name
    if name not in DATABASE_MEMBERS:
        raise BackupError(f"Backups cover SQLite and PostgreSQL, not {name}.")
    return name


def _file_entry(path: Path) -> dict:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _storage_root() -> Path:
    return Path(current_app.config["STORAGE_PATH"])


def _add_storage(tar: tarfile.TarFile, files: dict, summary: Summary) -> None:
    """Add every regular file of the storage folder, each read once (its checksum is of the bytes archived)."""
    root = _storage_root()
    if not root.is_dir():
        return
    for folder, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(folder) / filename
            relative = path.relative_to(root).as_posix()
            if path.is_symlink() or not path.is_file() or filename.endswith(_UNFINISHED_SUFFIX):
                continue
            try:
                data = path.read_bytes()
            except FileNotFoundError:  # deleted since the database was copied (a photo replaced meanwhile)
                summary.vanished.append(relative)
                continue
            name = f"{STORAGE}/{relative}"
            _add_bytes(tar, name, data)
            files[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            summary.files += 1
            summary.file_bytes += len(data)


def _sqlite_path() -> Path:
    url = db.engine.url
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError("Only a SQLite database in a file can be backed up or restored.")
    return Path(url.database)


def _sqlite_snapshot(target: Path) -> tuple[str | None, dict[str, int]]:
    """Copy the live SQLite database through the online backup API (one step: one consistent snapshot)."""
    source_path = _sqlite_path()
    if not source_path.is_file():
        raise BackupError(f"The SQLite database {source_path} does not exist.")
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    except sqlite3.Error as error:
        raise BackupError(f"The SQLite database could not be copied: {error}") from error
    finally:
        source.close()
    try:
        # The copy stands alone: no write-ahead log beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        problem = copy.execute("PRAGMA quick_check").fetchone()[0]
        if problem != "ok":
            raise BackupError(f"The SQLite database is damaged ({problem}): not backed up.")
        return _sqlite_revision(copy), _sqlite_counts(copy)
    finally:
        copy.close()


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [name for (name,) in rows]


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in _sqlite_tables(conn)}


def _sqlite_revision(conn: sqlite3.Connection) -> str | None:
    if "alembic_version" not in _sqlite_tables(conn):
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def _pg_tool(name: str, server_major: int) -> str:
    """The path of pg_dump or pg_restore, of the server's major version; a clear refusal otherwise."""
    folder = current_app.config.get("PG_BIN_DIR")
    path = str(Path(folder) / name) if folder else shutil.which(name)
    if not path or not os.access(path, os.X_OK):
        where = f"in PG_BIN_DIR ({folder})" if folder else "on the PATH"
        raise BackupError(
            f"{name} was not found {where}. Install the PostgreSQL client of the server's version "
            f"(Debian: apt-get install postgresql-client-{server_major}), or set PG_BIN_DIR to the folder holding it."
        )
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=False).stdout
    found = re.search(r"\)\s*(\d+)", out) or re.search(r"(\d+)", out)
    major = int(found.group(1)) if found else None
    if major != server_major:
        raise BackupError(
            f"{name} is version {major} ({path}) but the database server is PostgreSQL {server_major}: they must "
            f"match. Install postgresql-client-{server_major} and set PG_BIN_DIR to its folder "
            f"(Debian: /usr/lib/postgresql/{server_major}/bin)."
        )
    return path


def _server_major(conn: sa.Connection) -> int:
    return int(conn.execute(sa.text("SHOW server_version_num")).scalar()) // 10000


def _libpq_env() -> dict[str, str]:
    """The connection of DATABASE_URL for pg_dump and pg_restore, as libpq environment variables (so that the
    password never shows in the process list)."""
    url = db.engine.url
    env = {**os.environ}
    values = {"PGHOST": url.host, "PGPORT": url.port, "PGUSER": url.username, "PGPASSWORD": url.password}
    values["PGDATABASE"] = url.database
    for key, value in url.query.items():
        if key in _LIBPQ_ENV:
            values[_LIBPQ_ENV[key]] = value if isinstance(value, str) else value[-1]
    for key, value in values.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = str(value)
    return env


def _pg_tables(conn: sa.Connection) -> list[tuple[str, str]]:
    rows = conn.execute(
        sa.text(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY table_schema, table_name"
        )
    )
    return [(schema, name) for schema, name in rows]


def _pg_counts(conn: sa.Connection) -> dict[str, int]:
    counts = {}
    for schema, name in _pg_tables(conn):
        key = name if schema == "public" else f"{schema}.{name}"
        counts[key] = conn.execute(sa.text(f'SELECT count(*) FROM "{schema}"."{name}"')).scalar()
    return counts


def _pg_revision(conn: sa.Connection) -> str | None:
    if ("public", "alembic_version") not in _pg_tables(conn):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(command, env=_libpq_env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = "\n".join(result.stderr.strip().splitlines()[-5:])
        raise BackupError(f"{what} failed (exit status {result.returncode}):\n{detail}")


def _pg_dump(target: Path) -> tuple[str | None, dict[str, int]]:
    """pg_dump of the snapshot in which the rows are counted."""
    with db.engine.connect() as conn:
        pg_dump = _pg_tool("pg_dump", _server_major(conn))
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
        # The transaction's snapshot, exported before anything else: the counts and the dump read the same one.
        snapshot = conn.execute(sa.text("SELECT pg_export_snapshot()")).scalar()
        revision, counts = _pg_revision(conn), _pg_counts(conn)
        command = [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"]
        _run([*command, f"--file={target}"], "pg_dump")
    return revision, counts


# --- Restore -----------------------------------------------------------------------------------------------------


@dataclass
class _Archive:
    manifest: dict
    staging: Path  # the members, extracted and checked


def check_backup(path: Path) -> Summary:
    """Read an archive and check every member against its manifest, and its revision against this code; change
    nothing."""
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix=".repairlab-check-"))
    try:
        archive = _open_checked(Path(path), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return _summary_of(Path(path), archive.manifest, started)


def restore_backup(path: Path) -> Summary:
    """Restore an archive into this app's database and storage folder, both empty; refuse before changing anything
    otherwise."""
    started = time.monotonic()
    path = Path(path)
    engine = _engine_name()
    _ensure_empty_target()
    root = _storage_root()
    root.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".repairlab-restore-", dir=root.parent))
    try:
        archive = _open_checked(path, work)
        manifest = archive.manifest
        if manifest["engine"] != engine:
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; the target database is {engine}. "
                "Restore it into a database of the same engine."
            )
        dump = archive.staging / manifest["database"]
        if engine == "sqlite":
            _sqlite_restore(dump)
        else:
            _pg_restore(dump)
        db.engine.dispose()  # connections opened before the restore would not see its schema
        _check_counts(manifest["tables"])
        _move_storage(archive.staging / STORAGE, root)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return _summary_of(path, manifest, started)


def _summary_of(path: Path, manifest: dict, started: float) -> Summary:
    storage = {name: entry for name, entry in manifest["files"].items() if name.startswith(f"{STORAGE}/")}
    return Summary(
        path,
        manifest["engine"],
        manifest["schema_revision"],
        manifest["tables"],
        files=len(storage),
        file_bytes=sum(entry["size"] for entry in storage.values()),
        archive_bytes=path.stat().st_size,
        seconds=time.monotonic() - started,
    )


def _expected_revisions() -> set[str]:
    directory = current_app.extensions["migrate"].directory
    return set(ScriptDirectory(directory).get_heads())


def _open_checked(path: Path, staging: Path) -> _Archive:
    """Extract the archive into `staging`, checking the manifest, the revision and every member's checksum."""
    try:
        with tarfile.open(path, mode="r:*") as tar:
            manifest = _read_manifest(tar)
            _check_revision(manifest)
            _extract_checked(tar, manifest, staging)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(f"{path} is not a readable RepairLab backup (damaged or cut short): {error}") from None
    return _Archive(manifest, staging)


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
        manifest = json.loads(tar.extractfile(member).read())
    except (KeyError, AttributeError, ValueError):
        raise BackupError(
            "This file is not a RepairLab backup, or it is damaged: it has no readable manifest.json."
        ) from None
    if not isinstance(manifest, dict) or manifest.get("application") != APPLICATION:
        raise BackupError("This file is not a RepairLab backup: its manifest is not RepairLab's.")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"This backup is in format {manifest.get('format')!r}; this version reads format {FORMAT}.")
    needed = ("engine", "schema_revision", "database", "tables", "files")
    if any(key not in manifest for key in needed) or manifest["database"] not in manifest["files"]:
        raise BackupError("The backup's manifest is incomplete: it cannot be restored.")
    return manifest


def _check_revision(manifest: dict) -> None:
    expected = _expected_revisions()
    if manifest["schema_revision"] not in expected:
        raise BackupError(
            f"This backup is of schema revision {manifest['schema_revision']}; this version of RepairLab is at "
            f"{', '.join(sorted(expected))}. Restore it with the version of RepairLab that made it, then upgrade "
            "(`flask --app app db upgrade`) and deploy this version."
        )


def _safe_member_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"The backup holds a member with an unsafe name ({name!r}): refused.")
    return path


def _extract_checked(tar: tarfile.TarFile, manifest: dict, staging: Path) -> None:
    expected = manifest["files"]
    seen = set()
    for member in tar:
        if member.name == MANIFEST:
            continue
        relative = _safe_member_path(member.name)
        entry = expected.get(member.name)
        if entry is None or not member.isfile():
            raise BackupError(f"The backup holds {member.name!r}, which its manifest does not list: refused.")
        target = staging.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        source = tar.extractfile(member)
        with target.open("wb") as out:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != entry.get("sha256") or member.size != entry.get("size"):
            raise BackupError(
                f"The checksum of {member.name} does not match the manifest: the backup is damaged. Nothing was "
                "restored; use another backup."
            )
        seen.add(member.name)
    missing = set(expected) - seen
    if missing:
        raise BackupError(f"The backup lacks {len(missing)} member(s) its manifest lists (e.g. {min(missing)}).")


def _ensure_empty_target() -> None:
    """Refuse a target database with tables, or a storage folder with files."""
    if db.engine.dialect.name == "sqlite":
        path = _sqlite_path()
        tables = []
        if path.exists() and path.stat().st_size:
            with sqlite3.connect(path) as conn:
                tables = _sqlite_tables(conn)
            conn.close()
    else:
        with db.engine.connect() as conn:
            tables = [name for _schema, name in _pg_tables(conn)]
    if tables:
        raise BackupError(
            f"The target database is not empty: it has {len(tables)} tables (e.g. {tables[0]}). A restore goes "
            "into a new, empty database only: create one, point DATABASE_URL at it, and run restore again."
        )
    root = _storage_root()
    if root.is_dir() and any(p.is_file() or p.is_symlink() for p in root.rglob("*")):
        raise BackupError(
            f"The storage folder {root} is not empty: a restore goes into an empty one. Point STORAGE_PATH at a new "
            "folder, or move this one away, and run restore again."
        )


def _sqlite_restore(dump: Path) -> None:
    target = _sqlite_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(dump)
    destination = sqlite3.connect(target)
    try:
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("The database in the backup is damaged: nothing was restored.")
        source.backup(destination)
        # The app's connections use a write-ahead log, as on a database it created itself.
        destination.execute("PRAGMA journal_mode=WAL")
    except sqlite3.Error as error:
        raise BackupError(f"The SQLite database could not be restored: {error}") from error
    finally:
        source.close()
        destination.close()


def _pg_restore(dump: Path) -> None:
    with db.engine.connect() as conn:
        pg_restore = _pg_tool("pg_restore", _server_major(conn))
    command = [pg_restore, "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
    _run([*command, "--dbname", db.engine.url.database, str(dump)], "pg_restore")


def _check_counts(expected: dict[str, int]) -> None:
    if db.engine.dialect.name == "sqlite":
        with sqlite3.connect(_sqlite_path()) as conn:
            counts = _sqlite_counts(conn)
        conn.close()
    else:
        with db.engine.connect() as conn:
            counts = _pg_counts(conn)
    if counts != expected:
        differ = sorted(name for name in set(counts) | set(expected) if counts.get(name) != expected.get(name))
        raise BackupError(
            f"The restored database does not hold the rows the manifest lists (tables {', '.join(differ[:5])}): "
            "drop it and report the problem."
        )


def _move_storage(staged: Path, root: Path) -> None:
    """Move the checked files into the storage folder (the same file system: renames)."""
    if not staged.is_dir():
        root.mkdir(parents=True, exist_ok=True)
        return
    for folder, _dirs, filenames in os.walk(staged):
        for filename in filenames:
            source = Path(folder) / filename
            target = root / source.relative_to(staged)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
