"""Commands of repairs: ORDS import and export, for large files and scripts."""

from __future__ import annotations

import time
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import with_appcontext

from repairlab.errors import DomainError
from repairlab.extensions import db
from repairlab.people.models import Lab, Territory
from repairlab.repairs import ords_export, ords_import


def _lab(text: str) -> Lab:
    """A lab by its id or its exact name (refused when the name is ambiguous)."""
    text = text.strip()
    if text.isdigit():
        lab = db.session.get(Lab, int(text))
        if lab is not None:
            return lab
    labs = db.session.scalars(sa.select(Lab).where(Lab.name == text)).all()
    if len(labs) > 1:
        ids = ", ".join(str(lab.id) for lab in labs)
        raise click.ClickException(f"Several labs are named {text!r} (ids {ids}): give the id.")
    if not labs:
        raise click.ClickException(f"No lab with the id or name {text!r}.")
    return labs[0]


@click.command("ords-import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lab", "lab_ref", default=None, help="The lab (id or exact name) whose history the records become.")
@click.option("--reference", is_flag=True, help="Import as external reference data (no lab) instead.")
@click.option("--dry-run", is_flag=True, help="Check the file and report, import nothing.")
@with_appcontext
def ords_import_command(file: Path, lab_ref: str | None, reference: bool, dry_run: bool):
    """Import an ORDS v0.3 CSV file: all its new records, or none if a row is refused (exit status 1)."""
    if bool(lab_ref) == reference:
        raise click.UsageError("Give --lab LAB or --reference (one of them).")
    lab = _lab(lab_ref) if lab_ref else None
    started = time.perf_counter()
    try:
        preview = ords_import.plan(file.read_bytes(), lab)
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Rows read: {preview.rows_read}")
    for error in preview.errors:
        click.echo(f"Refused: line {error.line}, {error.column or '-'}: {error.message}", err=True)
    if preview.errors:
        click.echo(f"Refused rows: {preview.refused_rows}. Nothing imported.")
        raise SystemExit(1)
    verb = "To import" if dry_run else "Imported"
    if not dry_run:
        try:
            ords_import.save(None, preview)
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from None
        db.session.commit()
    click.echo(f"{verb}: {len(preview.new)}")
    click.echo(f"Skipped as already there: {preview.already_there}")
    click.echo("Refused: 0")
    if preview.ignored_columns:
        click.echo(f"Columns ignored: {', '.join(preview.ignored_columns)}")
    if dry_run:
        click.echo("Dry run: nothing imported.")
    click.echo(f"Time: {time.perf_counter() - started:.2f} s")


@click.command("ords-export")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--territory", "territory_code", default=None, help="Only this territory (its code, e.g. RBX).")
@click.option("--lab", "lab_ref", default=None, help="Only this lab (id or exact name).")
@click.option(
    "--unpowered",
    "unpowered_output",
    default=None,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also write the summary of unpowered repairs (not ORDS records) to this file.",
)
@with_appcontext
def ords_export_command(output: Path, territory_code: str | None, lab_ref: str | None, unpowered_output: Path | None):
    """Export repair tickets as an ORDS v0.3 CSV file (powered categories; see --unpowered for the others)."""
    territory_id = None
    if territory_code:
        territory_id = db.session.scalar(
            sa.select(Territory.id).where(Territory.code == territory_code.strip().upper())
        )
        if territory_id is None:
            raise click.ClickException(f"No territory with code {territory_code!r}.")
    lab_id = _lab(lab_ref).id if lab_ref else None
    filters = ords_export.ExportFilters(territory_id=territory_id, lab_id=lab_id)
    with output.open("w", encoding="utf-8", newline="") as out:
        count = ords_export.write_file(ords_export.ticket_query(None, filters), out)
    click.echo(f"Records written to {output}: {count}")
    if unpowered_output:
        unpowered_output.write_text(ords_export.unpowered_summary(None, filters), encoding="utf-8")
        click.echo(f"Unpowered summary written to {unpowered_output}")


def register(app: Flask) -> None:
    """Add the commands to `flask --app app`."""
    app.cli.add_command(ords_import_command)
    app.cli.add_command(ords_export_command)
