"""The audit log records changes with before/after and admins browse it with filters."""

import re
from datetime import UTC, date, datetime

import sqlalchemy as sa
import time_machine

from repairlab.audit.models import AuditEntry
from repairlab.inventory import services as inventory
from repairlab.inventory.models import ItemKind
from repairlab.lending import services as lending
from repairlab.people import services
from repairlab.people.models import Role


def test_every_admin_change_is_logged(client, login, admin, db):
    login(admin)
    client.post("/admin/territories/new", data={"code": "LIL", "name": "Lille"})
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.object_type == "territories")).all()
    [entry] = [e for e in entries if e.after.get("code") == "LIL"]
    assert (entry.actor_id, entry.action, entry.object_type) == (admin.id, "create", "territories")
    assert entry.after == {"code": "LIL", "name": "Lille", "active": True}


def test_refused_change_logs_nothing(client, login, admin, db):
    login(admin)
    client.post("/admin/territories/new", data={"code": "1", "name": "Bad"})
    client.post("/admin/territories/new", data={"code": "RBX", "name": "Duplicate code"})
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    client.post("/admin/territories/new", data={"code": "LIL", "name": ""})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == before


def test_browse_filters_by_user_object_and_date(client, login, admin, make_user, db, territory):
    other_admin = make_user(Role.ADMIN, name="Bruno Admin")
    services.create_lab(admin, territory=territory, name="Atelier A")
    lab = services.create_lab(other_admin, territory=territory, name="Atelier B")
    db.session.commit()
    old = services.create_lab(admin, territory=territory, name="Atelier Ancien")
    db.session.flush()
    db.session.execute(
        sa.update(AuditEntry)
        .where(AuditEntry.object_id == str(old.id), AuditEntry.object_type == "labs")
        .values(created_at=datetime(2025, 1, 10, 12, tzinfo=UTC))
    )
    db.session.commit()
    login(admin)
    by_user = client.get("/admin/audit", query_string={"actor": other_admin.id}).get_data(as_text=True)
    assert "Atelier B" in by_user and "Atelier A" not in by_user
    by_object = client.get("/admin/audit", query_string={"object_type": "labs", "object_id": lab.id}).get_data(
        as_text=True
    )
    assert "Atelier B" in by_object and "Atelier A" not in by_object
    by_date = client.get("/admin/audit", query_string={"from": "2025-01-01", "to": "2025-01-31"}).get_data(as_text=True)
    assert "Atelier Ancien" in by_date and "Atelier B" not in by_date


def test_browse_shows_before_and_after(client, login, admin, territory, db):
    services.update_territory(admin, territory, name="Roubaix Métropole", active=True)
    db.session.commit()
    login(admin)
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "<del>Roubaix-Lille</del>" in html and "<ins>Roubaix Métropole</ins>" in html


def test_bad_filter_values_are_ignored_not_errors(client, login, admin):
    login(admin)
    assert (
        client.get("/admin/audit", query_string={"actor": "x", "from": "not-a-date", "page": "-3"}).status_code == 200
    )


def test_erased_actor_keeps_the_entry_readable(db, admin, territory, make_user):
    other = make_user(Role.ADMIN, name="Temporaire")
    services.create_lab(other, territory=territory, name="Atelier")
    db.session.commit()
    db.session.delete(other)
    db.session.commit()
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.object_type == "labs")).one()
    assert entry.actor_id is None and entry.actor_label == "Temporaire"


def test_huge_ids_in_filters_are_ignored_not_errors(client, login, admin):
    """Ids beyond the database's integer range mean "nothing chosen", on PostgreSQL as on SQLite."""
    login(admin)
    huge = str(10**30)
    assert client.get("/admin/audit", query_string={"actor": huge}).status_code == 200
    assert client.get("/admin/users", query_string={"territory": huge}).status_code == 200
    assert client.get("/admin/labs/new", query_string={"territory": huge}).status_code == 200


# --- The log in words (issue #16, item 14) ------------------------------------------------------------


def _lend_a_drill(db, admin, make_lab, make_user):
    """A drill of the home lab lent to Awa Diallo through the lending service, on 2026-03-01 at 10:00 UTC."""
    lab = make_lab("Atelier Roubaix")
    with time_machine.travel(datetime(2026, 3, 1, 10, tzinfo=UTC), tick=False):
        drill = inventory.create_item(admin, lab, inventory.ItemFields(name="Perceuse", kind=ItemKind.TOOL))
        talent = make_user(Role.PARTICIPANT, name="Awa Diallo")
        loan = lending.check_out_item(admin, drill, talent, kind="take_home", due_at=date(2026, 3, 8))
        db.session.commit()
    return drill, talent, loan


def test_the_log_speaks_french_words_names_and_local_dates(client, login, admin, db, make_lab, make_user):
    drill, _talent, loan = _lend_a_drill(db, admin, make_lab, make_user)
    login(admin)
    html = client.get("/admin/audit", query_string={"object_type": "loans"}).get_data(as_text=True)
    row = html[html.index("<tbody>") : html.index("</tbody>")]
    # What a reader sees: the text of the row, without the administrators' disclosure of recorded values.
    visible = " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"<details.*?</details>", "", row, flags=re.DOTALL)).split())
    assert "prêté" in visible and "Prêt" in visible  # the action and the kind of object in words
    assert f"{drill.code} Perceuse" in visible and f"loans #{loan.id}" not in visible
    assert "Emprunteur Awa Diallo" in visible and "borrower" not in visible  # a name for the id
    assert "Type emporté à la maison" in visible and "take_home" not in visible
    assert "Roubaix-Lille" in visible  # the territory it affects
    # 10:00 UTC is 11:00 in Paris in March; dates in French words, not ISO.
    assert "1 mars 2026, 11 h 00" in visible and "2026-03" not in visible
    assert "À rendre le 8 mars 2026" in visible


def test_admins_find_the_recorded_codes_behind_a_disclosure(client, login, admin, db, make_lab, make_user):
    _drill, talent, loan = _lend_a_drill(db, admin, make_lab, make_user)
    login(admin)
    html = client.get("/admin/audit", query_string={"object_type": "loans"}).get_data(as_text=True)
    raw = html[html.index('<details class="raw"') :]
    raw = raw[: raw.index("</details>")]
    assert "<code>lend</code>" in raw and f"<code>loans #{loan.id}</code>" in raw
    assert f"&#34;borrower&#34;: {talent.id}" in raw


def test_the_log_filters_by_territory_and_shows_shared_settings(client, login, admin, db, make_lab, make_territory):
    paris = make_territory("PAR", "Paris-Montreuil")
    make_lab("Atelier Roubaix")
    make_lab("Atelier Montreuil", paris)
    inventory.create_category(admin, "Électronique", None)
    db.session.commit()
    login(admin)
    in_paris = client.get("/admin/audit", query_string={"territory": paris.id}).get_data(as_text=True)
    assert "Atelier Montreuil" in in_paris and "Atelier Roubaix" not in in_paris
    shared = client.get("/admin/audit", query_string={"territory": "all"}).get_data(as_text=True)
    assert "Électronique" in shared and "Atelier Montreuil" not in shared
    assert "Tous les territoires" in shared
    assert client.get("/admin/audit", query_string={"territory": "x"}).status_code == 200


def test_every_action_and_object_the_services_record_has_words(app):
    """A new action recorded without a label would show its code on the audit page."""
    from pathlib import Path

    from repairlab.audit import labels
    from repairlab.extensions import db as database

    source = "\n".join(p.read_text(encoding="utf-8") for p in Path(labels.__file__).parents[1].rglob("*.py"))
    recorded = set(re.findall(r'record\(\s*\w+,\s*"([a-z_.]+)"', source))
    recorded |= set(re.findall(r'"([a-z_]+\.[a-z_]+)" if \w+ else "([a-z_]+\.[a-z_]+)"', source)[0])
    assert len(recorded) > 40
    assert recorded - set(labels.ACTIONS) == set()
    tables = set(database.metadata.tables) - {
        "audit_entries",
        "login_throttles",
        "code_counters",
        "api_rate_counters",
        "alembic_version",
        "data_versions",  # counters raised by every write, not a change anyone makes
    }
    assert {t for t in tables if t not in labels.OBJECTS} <= {
        "project_members",
        "project_figures",
        "project_sessions",
        "project_stage_changes",
        "project_action_items",
        "reservation_days",
        "stock_take_scans",
        "prototype_versions",
        "prototype_photos",
        "prototype_skills",
        "prototype_items",
        "repair_event_staff",
        "repair_status_changes",
        "repair_work",
        "repair_part_uses",
        "repair_tool_uses",
        "repair_category_skills",
    }  # rows always recorded on their parent (a project, a prototype, a reservation, a stock-take, a ticket)
