"""`flask --app app api-token EMAIL`: a personal API token for an account, from the server's shell (scripts, a first
try of the API); the same service as the account page, so it is listed, revocable and audited there."""

from __future__ import annotations

from datetime import timedelta

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from repairlab import clock
from repairlab.api import tokens
from repairlab.api.models import SCOPES
from repairlab.errors import DomainError
from repairlab.extensions import db
from repairlab.people.models import User


@click.command("api-token")
@click.argument("email")
@click.option("--name", default="Script", show_default=True, help="What the token is for (shown on the account page).")
@click.option(
    "--scopes", type=click.Choice(SCOPES), default="read write", show_default=True, help="What the token may do."
)
@click.option("--days", type=click.IntRange(1, tokens.MAX_DAYS), default=tokens.DEFAULT_DAYS, show_default=True)
@with_appcontext
def api_token_command(email: str, name: str, scopes: str, days: int) -> None:
    """Create a personal API token for the account EMAIL and print its secret (shown once: keep it)."""
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        raise click.ClickException(f"No active account with the e-mail {email!r}.")
    try:
        _token, secret = tokens.create_token(
            user, name=name, scopes=scopes, expires_on=clock.today() + timedelta(days=days)
        )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(secret)
