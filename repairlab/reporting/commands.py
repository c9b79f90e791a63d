"""`flask --app app research-export -o FILE.zip [--territory CODE] [--cohort ID] [--months]`."""

from __future__ import annotations

import shutil

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from repairlab.extensions import db
from repairlab.people.models import Cohort, Territory
from repairlab.reporting import exports
from repairlab.reporting.selection import Selection
from repairlab.reporting.services import log_export


@click.command("research-export")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True), help="ZIP to write.")
@click.option("--territory", "territory_code", default="", help="Only this territory (its code, e.g. RBX).")
@click.option("--cohort", "cohort_id", type=int, default=None, help="Only this cohort (its id).")
@click.option("--months", is_flag=True, help="Write dates as months (YYYY-MM).")
@with_appcontext
def research_export_command(output: str, territory_code: str, cohort_id: int | None, months: bool):
    """Write the research export (pseudonymous tables, data package, README) to a ZIP file; the export is logged."""
    territory_id = None
    if territory_code:
        territory_id = db.session.scalar(sa.select(Territory.id).where(Territory.code == territory_code.upper()))
        if territory_id is None:
            raise click.BadParameter(f"no territory with the code {territory_code!r}", param_hint="--territory")
    if cohort_id is not None and db.session.get(Cohort, cohort_id) is None:
        raise click.BadParameter(f"no cohort with the id {cohort_id}", param_hint="--cohort")
    selection = Selection(territory_id=territory_id, cohort_id=cohort_id, months=months)
    archive = exports.build(selection)
    with open(output, "wb") as out:
        shutil.copyfileobj(archive.file, out)
    log_export(None, selection, source="cli", tables=archive.tables, rows=archive.rows)
    db.session.commit()
    click.echo(f"Wrote {output}: {archive.tables} tables, {archive.rows} rows.")
