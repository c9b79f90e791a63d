"""Member cards: an opaque token per talent, printed as a QR code, that the desk scans to find them."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from repairlab.audit.services import record
from repairlab.errors import NotFound
from repairlab.extensions import db
from repairlab.lending.models import MemberCard
from repairlab.people.models import User

# Member-card tokens: no 0/O, 1/I/L, so that they can be read aloud and typed.
CARD_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


CARD_PREFIX = "M-"


CARD_LENGTH = 10


def new_token() -> str:
    """A fresh opaque card token, e.g. M-7K3QXH9A2D."""
    return CARD_PREFIX + "".join(secrets.choice(CARD_ALPHABET) for _ in range(CARD_LENGTH))


def card_for(user: User) -> MemberCard:
    """The talent's member card, created on first use."""
    card = db.session.scalar(sa.select(MemberCard).where(MemberCard.user_id == user.id))
    if card is not None:
        return card
    card = MemberCard(user_id=user.id, token=new_token())
    try:
        with db.session.begin_nested():
            db.session.add(card)
    except sa.exc.IntegrityError:
        # Created at the same moment by another request: use that one.
        return db.session.scalar(sa.select(MemberCard).where(MemberCard.user_id == user.id))
    record(None, "create", card, label=_("member card"), territory_id=user.territory_id)
    return card


def card_token(text: str) -> str:
    """The token in a typed or scanned text (a bare token, or a whole /m/<token> URL), upper-cased."""
    text = (text or "").strip()
    if "/m/" in text.lower():
        text = text[text.lower().rindex("/m/") + 3 :].split("?")[0]
    text = text.strip("/ ").upper()
    if text and not text.startswith(CARD_PREFIX):
        text = CARD_PREFIX + text.removeprefix("M")
    return text[:20]


def find_card(text: str) -> MemberCard | None:
    """The valid member card a typed or scanned text stands for, or None."""
    token = card_token(text)
    if len(token) <= len(CARD_PREFIX):
        return None
    return db.session.scalar(
        sa.select(MemberCard)
        .where(MemberCard.token == token, MemberCard.revoked_at.is_(None))
        .options(joinedload(MemberCard.user))
    )


def get_card(text: str) -> MemberCard:
    """Like find_card, but raise NotFound."""
    card = find_card(text)
    if card is None:
        raise NotFound(_("No member card has this code. Check it and try again."), field="card")
    return card
