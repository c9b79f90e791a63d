"""`flask --app app badge-keys list | new | retire NAME`: the keys that sign Open Badges (see badge_keys.py).

Rotation: `badge-keys new` adds a key, which signs from the next request (it is the newest, unless
BADGE_CURRENT_KEY names another); `badge-keys retire OLD` then keeps only the old key's public half, so that the
badges it signed still verify and it can sign no more.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from repairlab.config import ConfigError
from repairlab.skills import badge_keys

badge_keys_command = AppGroup("badge-keys", help="The keys that sign Open Badges.")


def _ring() -> badge_keys.KeyRing:
    try:
        return badge_keys.load(badge_keys.keys_folder(), current_app.config.get("BADGE_CURRENT_KEY") or None)
    except ConfigError as error:
        raise click.ClickException(str(error)) from error


@badge_keys_command.command("list")
def list_command():
    """List the keys: name, size, whether it signs or only verifies, and which one signs now."""
    ring = _ring()
    click.echo(f"Folder: {ring.folder}")
    if not ring.keys:
        click.echo("No key: signed badges are unavailable. Create one with `flask --app app badge-keys new`.")
    for key in ring.keys:
        role = "signs new badges" if key is ring.current else ("private" if key.can_sign else "public only")
        click.echo(f"{key.name}  RSA {key.bits} bits  {role}")


@badge_keys_command.command("new")
@click.option("--name", default=None, help="The key's name (default: the UTC time, e.g. 20270115T093000Z).")
@click.option("--bits", default=badge_keys.NEW_KEY_BITS, show_default=True, help="Size of the RSA key.")
def new_command(name: str | None, bits: int):
    """Create a private key in the folder (readable by its owner only)."""
    folder = badge_keys.keys_folder()
    try:
        key = badge_keys.new_key(folder, name, bits)
    except (ConfigError, FileExistsError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {folder / (key.name + badge_keys.SUFFIX)} (RSA {key.bits} bits).")
    current = current_app.config.get("BADGE_CURRENT_KEY")
    if current:
        click.echo(f"BADGE_CURRENT_KEY is {current!r}: set it to {key.name!r} to sign with the new key.")
    else:
        click.echo("It signs new badges from now on. Keep the older keys: badges they signed verify")
        click.echo("only while their public keys are published (`badge-keys retire NAME` keeps only that half).")


@badge_keys_command.command("retire")
@click.argument("name")
def retire_command(name: str):
    """Keep only the public half of a key: it signs no more; the badges it signed still verify."""
    ring = _ring()
    if ring.current is not None and ring.current.name == name:
        raise click.ClickException(f"{name} signs new badges: create or name another key first.")
    try:
        badge_keys.retire(ring.folder, name)
    except ConfigError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{name} now holds its public key only: it verifies the badges it signed and signs no more.")
