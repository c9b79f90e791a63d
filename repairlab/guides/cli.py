"""Commands of guides: the bundle of published guides for the next territory, and its import."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import with_appcontext

from repairlab.errors import DomainError
from repairlab.extensions import db
from repairlab.guides import bundle
from repairlab.people.models import Territory


def _territory(code: str) -> Territory:
    territory = db.session.scalar(sa.select(Territory).where(sa.func.upper(Territory.code) == code.strip().upper()))
    if territory is None:
        raise click.ClickException(f"No territory with the code {code!r}.")
    return territory


@click.command("guides-export")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The ZIP to write."
)
@click.option("--territory", "code", default=None, help="Only this territory's guides (its code, e.g. RBX).")
@with_appcontext
def guides_export_command(output: Path, code: str | None):
    """Write every published guide (Markdown, photos, manifest) to a ZIP bundle."""
    territory = _territory(code) if code else None
    tmp = output.with_name(output.name + ".part")
    with tmp.open("wb") as out:
        count = bundle.export_bundle(out, territory)
    tmp.replace(output)
    click.echo(f"{count} published guide(s) written to {output}.")


@click.command("guides-import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--territory", "code", required=True, help="The territory the guides join (its code).")
@with_appcontext
def guides_import_command(file: Path, code: str):
    """Import a guides bundle: new guides and new versions of known ones; a refused guide is named, with why."""
    territory = _territory(code)
    try:
        with file.open("rb") as source:
            report = bundle.import_bundle(None, source, territory)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    for line in report.imported:
        click.echo(f"Imported: {line}")
    for line in report.already_there:
        click.echo(f"Already there: {line}")
    for line in report.left_out:
        click.echo(f"Left out: {line}", err=True)
    for line in report.refused:
        click.echo(f"Refused: {line}", err=True)
    click.echo(
        f"{len(report.imported)} imported, {len(report.already_there)} already there, {len(report.refused)} refused."
    )
    if report.refused:
        raise SystemExit(1)


def register(app: Flask) -> None:
    """Add the commands."""
    app.cli.add_command(guides_export_command)
    app.cli.add_command(guides_import_command)
