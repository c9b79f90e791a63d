"""Command-line tools: create-user, seed-demo, backup and restore, and housekeeping."""

from __future__ import annotations

import os
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext

from repairlab import backup
from repairlab.demo import seed
from repairlab.errors import DomainError
from repairlab.extensions import db
from repairlab.people.models import Role, Territory, User
from repairlab.people.services import create_user, purge_login_attempts

DEMO_ACCOUNTS_FILE = "demo-accounts.txt"


def _demo_file() -> Path:
    return Path(current_app.instance_path) / DEMO_ACCOUNTS_FILE


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True, help="The account's role.")
@click.option("--territory", "territory_code", default=None, help="Territory code (e.g. RBX), for territory roles.")
@click.option("--name", "full_name", default=None, help="Full name (defaults to the e-mail's local part).")
@click.option("--locale", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.option(
    "--password",
    envvar="REPAIRLAB_PASSWORD",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Password; else read from $REPAIRLAB_PASSWORD, else asked (never echoed).",
)
@with_appcontext
def create_user_command(email, role, territory_code, full_name, locale, password):  # noqa: PLR0917 (click)
    """Create an account."""
    territory = None
    if territory_code:
        territory = db.session.scalar(sa.select(Territory).where(Territory.code == territory_code.strip().upper()))
        if territory is None:
            raise click.ClickException(f"No territory with code {territory_code!r}.")
    try:
        user = create_user(
            None,
            email=email,
            full_name=full_name or email.split("@")[0],
            password=password,
            role=Role(role),
            territory=territory,
            locale=locale,
        )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} account {user.email}.")


def _print_accounts(path: Path) -> None:
    click.echo("")
    click.echo(f"Demo accounts (one password for all; kept in {path}):")
    click.echo(path.read_text())


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing (but print the demo accounts) if there are users already.")
@click.option(
    "--password",
    envvar="REPAIRLAB_DEMO_PASSWORD",
    default=None,
    help="Password for every demo account (default: a fresh random one).",
)
@with_appcontext
def seed_demo_command(if_empty, password):
    """Load the French demo data and print the demo accounts."""
    if current_app.config["REPAIRLAB_ENV"] == "production" and not os.environ.get("REPAIRLAB_ALLOW_DEMO"):
        raise click.ClickException("Refusing to load demo data in production (set REPAIRLAB_ALLOW_DEMO=1 to force).")
    has_users = db.session.scalar(sa.select(sa.func.count()).select_from(User)) > 0
    path = _demo_file()
    if has_users:
        if if_empty:
            click.echo("The database already has data: demo data not loaded again.")
            if path.exists():
                _print_accounts(path)
            return
        raise click.ClickException("The database is not empty: seed-demo only loads into an empty database.")
    ctx = seed(password)
    db.session.commit()
    lines = [f"  password: {ctx.password}", ""]
    lines += [f"  {role:<12} {email:<32} {territory}" for role, email, territory in ctx.accounts]
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
    click.echo("Demo data loaded.")
    _print_accounts(path)


@click.command("purge-login-attempts")
@with_appcontext
def purge_login_attempts_command():
    """Forget the login throttling of pairs (e-mail, address) quiet for a day (for a daily timer)."""
    n = purge_login_attempts()
    db.session.commit()
    click.echo(f"Deleted {n} old login attempts.")


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


@click.command("backup")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="The archive to write (.tar.gz), or a folder: a dated file in it. Never overwritten.",
)
@with_appcontext
def backup_command(output):
    """Write one consistent archive of the database and the storage folder (safe while the app serves)."""
    try:
        summary = backup.create_backup(output)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Backup written to {summary.path} ({_megabytes(summary.archive_bytes)}) in {summary.seconds:.1f} s: "
        f"{summary.engine} database at schema revision {summary.revision}, {len(summary.tables)} tables, "
        f"{summary.rows} rows; {summary.files} stored files ({_megabytes(summary.file_bytes)})."
    )
    if summary.vanished:
        click.echo(f"{len(summary.vanished)} stored file(s) were deleted while the backup ran, and are not in it.")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="Only check the archive (checksums, schema revision); change nothing.")
@with_appcontext
def restore_command(archive, check):
    """Restore a backup into an empty database and an empty storage folder; refuse, changing nothing, otherwise."""
    try:
        summary = backup.check_backup(archive) if check else backup.restore_backup(archive)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    done = "is whole and matches this version" if check else "restored"
    click.echo(
        f"{summary.path} {done} in {summary.seconds:.1f} s: {summary.engine} database at schema revision "
        f"{summary.revision}, {len(summary.tables)} tables, {summary.rows} rows; {summary.files} stored files "
        f"({_megabytes(summary.file_bytes)})."
    )


def register_cli(app: Flask) -> None:
    """Add the commands to `flask --app app`."""
    commands = (create_user_command, seed_demo_command, purge_login_attempts_command, backup_command, restore_command)
    for command in commands:
        app.cli.add_command(command)
