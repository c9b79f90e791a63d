"""What the programme's erasure of a talent scrubs in its own tables (registered in init_app): the staff's notes on
the steps of their path. Every other domain registers its own hook from its `person_data.py`."""

from __future__ import annotations

import sqlalchemy as sa

from repairlab.extensions import db
from repairlab.people.models import User
from repairlab.programme.models import PathEvent


def scrub_programme(person: User) -> None:
    """The staff's notes on the talent's path steps."""
    db.session.execute(sa.update(PathEvent).where(PathEvent.talent_id == person.id).values(note=""))


HOOKS = {"programme": scrub_programme}
