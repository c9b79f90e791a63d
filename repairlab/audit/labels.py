"""What the audit log's codes mean in words: actions, kinds of object, field names, values, and the fields that
hold the id of another record (shown by its name)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# Action name (as services record it) -> what happened, in words.
ACTIONS = {
    "create": _l("created"),
    "update": _l("changed"),
    "delete": _l("deleted"),
    "deactivate": _l("deactivated"),
    "reactivate": _l("reactivated"),
    "change_password": _l("password changed"),
    # Inventory and labels
    "move": _l("moved to another place"),
    "status": _l("status changed"),
    "retire": _l("retired"),
    "add_photo": _l("photo added"),
    "remove_photo": _l("photo removed"),
    "report": _l("problem reported"),
    "close": _l("problem closed"),
    "import": _l("items imported"),
    "ords_import": _l("repair records imported (ORDS)"),
    "issue_blank_codes": _l("blank labels issued"),
    "attach_code": _l("label attached"),
    # Lending, maintenance, stock-take
    "lend": _l("lent"),
    "return": _l("returned"),
    "remind": _l("reminder sent"),
    "reserve": _l("reserved"),
    "cancel_reservation": _l("reservation cancelled"),
    "lending_policy.set": _l("lending rule set"),
    "lending_policy.clear": _l("lending rule removed"),
    "maintain": _l("maintenance done"),
    "start_stocktake": _l("stock-take started"),
    "stocktake_scan": _l("scanned in a stock-take"),
    "confirm_stocktake": _l("stock-take confirmed"),
    "cancel_stocktake": _l("stock-take cancelled"),
    # Projects
    "project.create": _l("project created"),
    "project.update": _l("project changed"),
    "project.move": _l("moved to another stage"),
    "project.status": _l("project status changed"),
    "project.member_add": _l("team member added"),
    "project.member_remove": _l("team member removed"),
    "project.figure_add": _l("figure recorded"),
    "project.figure_correct": _l("figure corrected"),
    "project.figure_delete": _l("figure deleted"),
    "project.milestone_add": _l("milestone added"),
    "project.milestone_update": _l("milestone changed"),
    "project.milestone_done": _l("milestone reached"),
    "project.milestone_delete": _l("milestone deleted"),
    "project.session": _l("mentor session recorded"),
    "project.session_update": _l("mentor session changed"),
    "project.action_done": _l("action done"),
    "project.action_reopen": _l("action reopened"),
    "project_stage.create": _l("stage created"),
    "project_stage.update": _l("stage changed"),
    "project_stage.move": _l("stage moved"),
    "project_stage.delete": _l("stage deleted"),
    "prototype.create": _l("prototype created"),
    "prototype.update": _l("prototype changed"),
    "prototype.version_add": _l("prototype version added"),
    "prototype.version_update": _l("prototype version changed"),
    "prototype.photo_add": _l("photo added"),
    "prototype.photo_remove": _l("photo removed"),
    "prototype.item_link": _l("tool linked"),
    "prototype.item_unlink": _l("tool unlinked"),
    "prototype.skill_add": _l("skill needed added"),
    "prototype.skill_level": _l("skill level changed"),
    "prototype.skill_remove": _l("skill needed removed"),
    # Repairs
    "repair_event.create": _l("repair event planned"),
    "repair_event.update": _l("repair event changed"),
    "repair_event.cancel": _l("repair event cancelled"),
    "repair.intake": _l("object taken in"),
    "repair.update": _l("ticket changed"),
    "repair.status": _l("repair status changed"),
    "repair.notes": _l("diagnosis written"),
    "repair.work": _l("repair time recorded"),
    "repair.part": _l("spare part used"),
    "repair.tool": _l("tool used"),
    "repair.outcome": _l("repair outcome recorded"),
    "repair.notify": _l("owner told by e-mail"),
    "repair.erase_owner": _l("owner's details erased"),
    "repair_category.skills": _l("skills of a repair category changed"),
    # Programme
    "programme.intake": _l("intake recorded"),
    "programme.intake_update": _l("intake corrected"),
    "programme.path_event": _l("step of the path recorded"),
    "programme.exit": _l("exit recorded"),
    "programme.exit_correct": _l("exit corrected"),
    "programme.consent_withdrawn": _l("consent to the evaluation withdrawn"),
    "programme.follow_up": _l("follow-up recorded"),
    "programme.session": _l("session created"),
    "programme.attendance": _l("attendance recorded"),
    "programme.attendance_remove": _l("attendance removed"),
    "programme.period": _l("period created"),
    "programme.period_update": _l("period changed"),
    "programme.period_delete": _l("period deleted"),
    "programme.period_target": _l("period target set"),
    "programme.cohort_period": _l("cohort's period set"),
    "programme.open_territory": _l("territory opened"),
    "erase": _l("erased on request"),
    # API
    "api_token.create": _l("API token created"),
    "api_token.revoke": _l("API token revoked"),
}

# Table name (AuditEntry.object_type) -> kind of object, in words.
OBJECTS = {
    "users": _l("Account"),
    "territories": _l("Territory"),
    "labs": _l("Lab"),
    "cohorts": _l("Cohort"),
    "items": _l("Item"),
    "item_photos": _l("Photo"),
    "locations": _l("Place"),
    "categories": _l("Category"),
    "codes": _l("Label"),
    "problem_reports": _l("Problem report"),
    "skill_requirements": _l("Skill required"),
    "skill_domains": _l("Skill domain"),
    "skills": _l("Skill"),
    "skill_validations": _l("Skill record"),
    "loans": _l("Loan"),
    "reservations": _l("Reservation"),
    "member_cards": _l("Member card"),
    "lending_policies": _l("Lending rule"),
    "maintenance_plans": _l("Maintenance plan"),
    "maintenance_records": _l("Maintenance"),
    "stock_takes": _l("Stock-take"),
    "reminders": _l("Reminder"),
    "projects": _l("Project"),
    "project_stages": _l("Project stage"),
    "project_milestones": _l("Milestone"),
    "prototypes": _l("Prototype"),
    "repair_events": _l("Repair event"),
    "repair_tickets": _l("Repair ticket"),
    "repair_categories": _l("Repair category"),
    "repair_impact_constants": _l("Impact constant"),
    "programme_periods": _l("Programme period"),
    "period_territory_targets": _l("Period target"),
    "cohort_periods": _l("Cohort's period"),
    "talent_intakes": _l("Intake"),
    "path_events": _l("Step of a path"),
    "activity_sessions": _l("Session"),
    "session_attendances": _l("Attendance"),
    "talent_exits": _l("Exit"),
    "exit_follow_ups": _l("Follow-up"),
    "research_exports": _l("Research export"),
    "api_tokens": _l("API token"),
}

# Field name (a key of before/after) -> its name in words.
FIELDS = {
    "active": _l("In use"),
    "address": _l("Address"),
    "acquired_on": _l("Acquired on"),
    "action": _l("Action"),
    "autonomous_means": _l("Autonomous means"),
    "borrower": _l("Borrower"),
    "brand": _l("Brand"),
    "can_teach_means": _l("Can teach means"),
    "category_id": _l("Category"),
    "channel": _l("Channel"),
    "code": _l("Code"),
    "cohort_id": _l("Cohort"),
    "condition": _l("Condition"),
    "count": _l("Number"),
    "customers": _l("Customers"),
    "description": _l("Description"),
    "discovered_means": _l("Discovered means"),
    "domain_id": _l("Domain"),
    "done": _l("Done"),
    "done_on": _l("Done on"),
    "due_at": _l("Due back"),
    "due_on": _l("Due on"),
    "duration_minutes": _l("Duration (minutes)"),
    "email": _l("Email"),
    "end_date": _l("End date"),
    "ends_on": _l("Until"),
    "esco_uri": _l("ESCO link"),
    "every_days": _l("Every (days)"),
    "evidence_url": _l("Evidence link"),
    "expires_on": _l("Expires on"),
    "first": _l("First"),
    "full_name": _l("Name"),
    "fulfils_reservations": _l("Reservations fulfilled"),
    "held_on": _l("Held on"),
    "is_safety": _l("Safety skill"),
    "item": _l("Item"),
    "item_id": _l("Item"),
    "items": _l("Items"),
    "kind": _l("Kind"),
    "lab_id": _l("Lab"),
    "last": _l("Last"),
    "last_done_on": _l("Last done on"),
    "level": _l("Level"),
    "locale": _l("Language"),
    "location": _l("Place"),
    "location_id": _l("Place"),
    "low_stock_threshold": _l("Low stock threshold"),
    "manual_url": _l("Manual"),
    "mentor_id": _l("Mentor"),
    "metric": _l("Figure"),
    "min_level": _l("Minimum level"),
    "model": _l("Model"),
    "moved": _l("Moved"),
    "name": _l("Name"),
    "note": _l("Note"),
    "notes": _l("Notes"),
    "number": _l("Number"),
    "offer": _l("Offer"),
    "out_of_service": _l("Out of service"),
    "override_reason": _l("Why the skill check was overridden"),
    "parent_id": _l("Inside"),
    "path": _l("Full name"),
    "phone": _l("Phone"),
    "photo": _l("Photo"),
    "pitch": _l("Pitch"),
    "position": _l("Order"),
    "practised_means": _l("Practised means"),
    "pricing": _l("Pricing"),
    "private": _l("Private"),
    "quantity": _l("Quantity"),
    "reason": _l("Reason"),
    "recorded_on": _l("Recorded on"),
    "resolution": _l("Resolution"),
    "retired_at": _l("Retired on"),
    "role": _l("Role"),
    "safety_notes": _l("Safety notes"),
    "sector": _l("Sector"),
    "sent_on": _l("Sent on"),
    "serial_number": _l("Serial number"),
    "skill": _l("Skill"),
    "skill_id": _l("Skill"),
    "source": _l("Source"),
    "stage": _l("Stage"),
    "start_date": _l("Start date"),
    "starts_on": _l("From"),
    "status": _l("Status"),
    "stop_reason": _l("Reason for stopping"),
    "superseded_by_id": _l("Replaced by"),
    "talent_id": _l("Talent"),
    "target_talents": _l("Talents expected"),
    "territory_id": _l("Territory"),
    "title": _l("Title"),
    "track": _l("Track"),
    "user": _l("Person"),
    "validated_on": _l("Validated on"),
    "validator_id": _l("Validated by"),
    "validity_months": _l("Validity (months)"),
    "value": _l("Value"),
    "version": _l("Version"),
    "what": _l("What"),
    "withdraw_reason": _l("Reason for withdrawing"),
    "withdrawn_by_id": _l("Withdrawn by"),
}

# Coded values, by field: (field, stored value) -> the value in words.
VALUES = {
    ("active", True): _l("yes"),
    ("active", False): _l("no"),
    ("role", "participant"): _l("Talent"),
    ("role", "mentor"): _l("Mentor"),
    ("role", "lab_manager"): _l("Lab manager"),
    ("role", "researcher"): _l("Researcher"),
    ("role", "admin"): _l("Administrator"),
    ("kind", "tool"): _l("Tool or equipment"),
    ("kind", "object"): _l("Object (repair, reuse, give away)"),
    ("kind", "part"): _l("Spare part"),
    ("kind", "in_lab"): _l("in the lab"),
    ("kind", "take_home"): _l("taken home"),
    ("status", "available"): _l("available"),
    ("status", "on_loan"): _l("on loan"),
    ("status", "under_repair"): _l("under repair"),
    ("status", "out_of_service"): _l("out of service"),
    ("status", "retired"): _l("retired"),
    ("status", "open"): _l("open"),
    ("status", "closed"): _l("closed"),
    ("status", "cancelled"): _l("cancelled"),
    ("status", "confirmed"): _l("confirmed"),
    ("status", "fulfilled"): _l("fulfilled"),
    ("status", "current"): _l("current"),
    ("status", "superseded"): _l("replaced"),
    ("status", "withdrawn"): _l("withdrawn"),
    ("locale", "fr"): _l("French"),
    ("locale", "en"): _l("English"),
    ("condition", "new"): _l("New"),
    ("condition", "good"): _l("Good"),
    ("condition", "fair"): _l("Fair"),
    ("condition", "poor"): _l("Poor"),
    ("condition", "broken"): _l("Broken"),
    ("kind", "overdue"): _l("late return"),
    ("channel", "in_app"): _l("in the app"),
    ("channel", "email"): _l("by e-mail"),
}


@dataclass(frozen=True)
class Reference:
    """A field that holds the id of another record: the table it points to and the column that names it."""

    table: str
    column: str


_USER = Reference("users", "full_name")
# Field name -> the record its value points to. ("parent_id" depends on the object: see reference_for.)
REFERENCES = {
    "borrower": _USER,
    "user": _USER,
    "talent_id": _USER,
    "validator_id": _USER,
    "withdrawn_by_id": _USER,
    "mentor_id": _USER,
    "territory_id": Reference("territories", "name"),
    "lab_id": Reference("labs", "name"),
    "cohort_id": Reference("cohorts", "name"),
    "category_id": Reference("categories", "path"),
    "location_id": Reference("locations", "path"),
    "item_id": Reference("items", "code"),
    "skill_id": Reference("skills", "name"),
    "domain_id": Reference("skill_domains", "name"),
}
_PARENTS = {"categories": Reference("categories", "path"), "locations": Reference("locations", "path")}


def reference_for(object_type: str, field: str) -> Reference | None:
    """The record a field of this kind of object points to, if it holds an id."""
    if field == "parent_id":
        return _PARENTS.get(object_type)
    return REFERENCES.get(field)


def register(
    *,
    actions: dict | None = None,
    objects: dict | None = None,
    fields: dict | None = None,
    values: dict | None = None,
    references: dict[str, Reference] | None = None,
) -> None:
    """Let a domain name its own actions, objects, fields, values and references."""
    ACTIONS.update(actions or {})
    OBJECTS.update(objects or {})
    FIELDS.update(fields or {})
    VALUES.update(values or {})
    REFERENCES.update(references or {})


def action_label(action: str) -> str:
    """The action in words (an unknown action shows as recorded)."""
    return str(ACTIONS.get(action, action))


def object_label(object_type: str) -> str:
    """The kind of object in words."""
    return str(OBJECTS.get(object_type, object_type))


def field_label(field: str) -> str:
    """The field's name in words."""
    return str(FIELDS.get(field, field.replace("_", " ")))
