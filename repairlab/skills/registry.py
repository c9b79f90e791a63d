"""What later domains add to the skills passport: evidence of a talent's practice that they keep (the repairs a
talent worked on), shown on the passport and to the mentor or lab manager who validates a skill."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from repairlab.people.models import User
from repairlab.registry import Registry


@dataclass(frozen=True)
class EvidenceSource:
    """A section of evidence: a template and a context function (talent, viewer) -> context, or None to hide it.

    The skill ids a piece of evidence exercises may be given in the context, so that the validation page shows the
    evidence of the skill being validated first."""

    template: str
    context: Callable[[User, User], dict[str, Any] | None]


# The passport's evidence sections, by key ("repairs.tickets").
passport_evidence: Registry[EvidenceSource] = Registry("passport evidence")


def evidence_for(talent: User, viewer: User) -> list[tuple[EvidenceSource, dict[str, Any]]]:
    """The evidence sections this viewer sees of this talent, with their contexts."""
    out = []
    for source in passport_evidence:
        ctx = source.context(talent, viewer)
        if ctx is not None:
            out.append((source, ctx))
    return out
