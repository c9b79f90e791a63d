"""Who may read, write, review and use guides: one place for the domain's permission rules.

- anyone (anonymous included, researchers, other territories): the published guides, under their licence, with only
  the names their authors chose to show;
- talents of the territory: write guides and propose them for review; see and change their own until published
  (a change to their published guide is proposed again); choose how they are credited;
- mentors and lab managers of the territory: write, publish directly, review the talents' proposals (publish or send
  back with a note), withdraw a guide; attach a workshop plan to a session;
- administrators: all of it, in every territory;
- who repairs a ticket (repairs' rule) records the guide followed on it.

Another territory's drafts are unknown (404), as elsewhere.
"""

from __future__ import annotations

from repairlab.auth import can_access_territory, has_role
from repairlab.people.models import Role, User

# People who write guides (talents propose them, the others publish).
WRITER_ROLES = (Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN)
# People who publish, review proposals and withdraw guides.
REVIEWER_ROLES = (Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN)


def can_write(user: User | None, territory_id: int | None = None) -> bool:
    """Write a new guide (in that territory): talents, mentors and lab managers of it, administrators."""
    if not has_role(user, *WRITER_ROLES):
        return False
    return territory_id is None or can_access_territory(user, territory_id)


def is_reviewer(user: User | None, territory_id: int | None) -> bool:
    """Mentors and lab managers of the territory, and administrators: publish, review, withdraw."""
    return has_role(user, *REVIEWER_ROLES) and territory_id is not None and can_access_territory(user, territory_id)


def is_author(user: User | None, guide, author_ids: set[int] | None = None) -> bool:
    """Whether the user started the guide or wrote one of its versions (author_ids: those authors' ids, if known)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if guide.created_by_id == user.id:
        return True
    if author_ids is None:
        author_ids = {v.created_by_id for v in guide.versions}
    return user.id in author_ids


def can_edit(user: User | None, guide) -> bool:
    """Save a new version: the territory's reviewers; a talent, the guides they started."""
    if is_reviewer(user, guide.territory_id):
        return True
    return (
        has_role(user, Role.PARTICIPANT)
        and can_access_territory(user, guide.territory_id)
        and guide.created_by_id is not None
        and guide.created_by_id == user.id
    )


def can_see_work(user: User | None, guide) -> bool:
    """The guide's working pages (every version, drafts, the review note): whoever may change it."""
    return can_edit(user, guide)


def can_publish(user: User | None, guide) -> bool:
    """Publish a version, send a proposal back, withdraw: the reviewers of the guide's territory."""
    return is_reviewer(user, guide.territory_id)


def can_attach_plan(user: User | None, territory_id: int | None) -> bool:
    """Attach a workshop plan to a session: who runs the session (the programme's staff of its territory)."""
    return is_reviewer(user, territory_id)
