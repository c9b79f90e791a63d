"""Helpers of the guides tests: a small photo, a guide written through the services."""

from __future__ import annotations

import io

import sqlalchemy as sa
from PIL import Image

from repairlab.extensions import db
from repairlab.guides import services
from repairlab.guides.models import GuideKind
from repairlab.repairs.models import RepairCategory


def jpeg(colour: str = "red", size: tuple[int, int] = (32, 24)) -> io.BytesIO:
    """A small JPEG photo."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    out.seek(0)
    return out


def ords(name: str = "Kettle") -> int:
    """An ORDS category's id by its English name."""
    return db.session.scalar(sa.select(RepairCategory.id).where(RepairCategory.name == name))


def content(title: str = "Bouilloire qui ne chauffe plus", steps=None, **kwargs) -> services.VersionInput:
    """A version's content with one step by default."""
    if steps is None:
        steps = [services.StepInput("Ouvrir le socle", "Retournez la bouilloire, **débranchée**.")]
    return services.VersionInput(title=title, summary="Le voyant s’allume, l’eau reste froide.", steps=steps, **kwargs)


def fields(kind: GuideKind = GuideKind.REPAIR, category: str | None = "Kettle", **kwargs) -> services.GuideFields:
    """A guide's fields: a kettle repair guide by default."""
    return services.GuideFields(kind, repair_category_id=ords(category) if category else None, **kwargs)


def write(actor, territory, *, action=services.SaveAction.PUBLISH, kind=GuideKind.REPAIR, **kwargs):
    """A guide written (and by default published) by actor in territory, committed."""
    category = "Kettle" if kind == GuideKind.REPAIR else None
    guide = services.create_guide(actor, territory, fields(kind, category), content(**kwargs), action)
    db.session.commit()
    return guide
