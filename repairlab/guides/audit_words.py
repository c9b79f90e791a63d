"""What guides' audit entries mean in words: actions, the kind of object, fields and coded values."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from repairlab.audit.labels import register
from repairlab.guides.models import HELPED_LABELS, STATUS_LABELS


def register_audit_words() -> None:
    """Name guides' actions, fields and values on the audit page."""
    values: dict = {("status", k.value): v for k, v in STATUS_LABELS.items()}
    values.update({("helped", k.value): v for k, v in HELPED_LABELS.items()})
    register(
        actions={
            "guide.create": _l("guide started"),
            "guide.version": _l("new version of a guide"),
            "guide.propose": _l("guide proposed for review"),
            "guide.publish": _l("guide published"),
            "guide.draft": _l("guide saved as a draft"),
            "guide.send_back": _l("guide sent back to its author"),
            "guide.withdraw": _l("guide withdrawn"),
            "guide.credit": _l("author's credit chosen"),
            "guide.use": _l("guide followed on a repair"),
            "guide.use_remove": _l("guide followed removed"),
            "guide.session_plan": _l("workshop plan of a session chosen"),
            "guide.session_plan_remove": _l("workshop plan of a session removed"),
            "guide.import": _l("guide imported"),
        },
        objects={
            "guides": _l("Guide"),
            "guide_versions": _l("Version of a guide"),
            "guide_steps": _l("Step of a guide"),
            "guide_step_photos": _l("Photo of a guide"),
            "guide_tool_categories": _l("Tool of a guide"),
            "guide_parts": _l("Part of a guide"),
            "guide_skills": _l("Skill of a guide"),
            "guide_publications": _l("Publication of a guide"),
            "guide_credits": _l("Credit of an author"),
            "guide_uses": _l("Guide followed"),
            "guide_session_plans": _l("Workshop plan of a session"),
        },
        fields={
            "latest_number": _l("Latest version"),
            "published_number": _l("Published version"),
            "licence": _l("Licence"),
            "guide": _l("Guide"),
            "helped": _l("Did it help?"),
            "credit": _l("Credit"),
            "note": _l("Note"),
            "version": _l("Version"),
        },
        values=values,
    )
