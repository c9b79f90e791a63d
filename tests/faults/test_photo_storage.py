"""A photo upload when the storage folder is full or read-only: the person reads a clear message in French, and
nothing is recorded, neither a row (photo, report, audit line) nor a file (no orphan, no half-written photo).

The disk is made full, or read-only, where the photo is written (Pillow's save): a full disk fails part-way through
a file, here the thumbnail's, after the photo itself was written; a read-only folder fails at the first file."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from repairlab.extensions import db as _db
from repairlab.inventory.models import ItemPhoto, ProblemReport
from repairlab.people.models import Role
from tests.faults.test_killed_imports import row_counts
from tests.inventory import imaging
from tests.inventory.conftest import lab, make_item  # noqa: F401  (fixtures)

MESSAGE = "La photo n’a pas pu être enregistrée"


def _files(app) -> list[Path]:
    root = Path(app.config["STORAGE_PATH"]) / "images"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture(params=["full", "read-only"])
def broken_storage(request, monkeypatch):
    """The storage folder full (the second file fails after part of it is written) or read-only (the first fails)."""
    real_save = Image.Image.save
    calls = []

    def save(image, fp, *args, **kwargs):
        if not isinstance(fp, str | os.PathLike):  # in memory (the test's own photo, a PDF...): no disk involved
            return real_save(image, fp, *args, **kwargs)
        calls.append(fp)
        if request.param == "read-only":
            raise OSError(errno.EROFS, "Read-only file system", str(fp))
        if len(calls) == 1:
            return real_save(image, fp, *args, **kwargs)
        Path(fp).write_bytes(b"\xff\xd8\xff\xe0 half a thumbnail")  # what fitted before the disk was full
        raise OSError(errno.ENOSPC, "No space left on device", str(fp))

    monkeypatch.setattr(Image.Image, "save", save)
    yield request.param
    assert calls, "the upload never reached the storage"


def _refused(response, app, before_files, before_rows) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code < 500
    assert MESSAGE in html, html[:3000]
    assert _files(app) == before_files  # nothing left behind, not even a temporary file
    after = row_counts()
    assert after == before_rows, {k: (before_rows[k], after[k]) for k in after if after[k] != before_rows[k]}


def test_an_item_photo_on_a_full_or_read_only_storage_is_refused_clearly(
    app,
    client,
    login,
    make_user,
    make_item,  # noqa: F811
    broken_storage,
):
    item = make_item("Perceuse")
    login(make_user(Role.LAB_MANAGER))
    before_files, before_rows = _files(app), row_counts()
    response = client.post(
        f"/inventory/items/{item.id}/photos",
        data={"photo": imaging.upload(imaging.jpeg_bytes((800, 600)), "photo.jpg")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    _refused(response, app, before_files, before_rows)
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(ItemPhoto)) == 0


def test_a_problem_report_with_a_photo_on_a_full_or_read_only_storage_records_nothing(
    app,
    client,
    login,
    make_user,
    make_item,  # noqa: F811
    broken_storage,
):
    item = make_item("Scie sauteuse")
    login(make_user(Role.PARTICIPANT))
    before_files, before_rows = _files(app), row_counts()
    response = client.post(
        f"/inventory/items/{item.id}/report",
        data={
            "description": "La lame est tordue.",
            "photo": imaging.upload(imaging.jpeg_bytes((640, 480)), "lame.jpg"),
        },
        content_type="multipart/form-data",
    )
    _refused(response, app, before_files, before_rows)
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(ProblemReport)) == 0
