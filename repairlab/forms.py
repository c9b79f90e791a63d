"""Form helpers shared by every domain."""

from __future__ import annotations

from markupsafe import Markup, escape
from wtforms import DateField as _WTFormsDateField
from wtforms import SelectField

from repairlab import dates


def int_or_none(value: str | int | None) -> int | None:
    """Parse an optional id from a select box; anything unparsable counts as no choice."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class DateField(_WTFormsDateField):
    """Every form's date field: the browser's date picker offers only RepairLab's span (years 1900 to 2100).

    The rule itself is the services' (repairlab.dates.check_day, after their own more precise date rules, such as
    "not in the future"), so that a typed or forged date gets the most helpful message.
    """

    def __init__(self, *args, **kwargs) -> None:
        render_kw = {"min": dates.FIRST_DAY.isoformat(), "max": dates.LAST_DAY.isoformat()}
        kwargs["render_kw"] = {**render_kw, **(kwargs.get("render_kw") or {})}
        super().__init__(*args, **kwargs)


class OptionalIdSelectField(SelectField):
    """A select of database ids with an empty first choice; .data is an int or None."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("coerce", int_or_none)
        kwargs.setdefault("validate_choice", True)
        super().__init__(*args, **kwargs)

    def pre_validate(self, form) -> None:
        """Nothing chosen is left to the field's own validators (DataRequired, Optional)."""
        if self.data is None:
            return
        super().pre_validate(form)


def apply_domain_error(form, error) -> bool:
    """Attach a DomainError to its form field when it names one; return whether it did."""
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        return False
    field.errors = [*field.errors, str(error)] if isinstance(field.errors, list) else [str(error)]
    return True


def error_summary(form) -> list[tuple[str, str, str]]:
    """The fields of a refused form that have errors, as (field id, label, message): the fields of sub-forms and lists
    of sub-forms included, each under its own id, and never the CSRF token's."""
    found: list[tuple[str, str, str]] = []

    def walk(fields) -> None:
        for f in fields:
            if not f.errors or f.type == "CSRFTokenField":
                continue
            if f.type == "FormField":
                walk(f.form)
            elif f.type == "FieldList":
                walk(f.entries)
            else:
                found.append((f.id, str(f.label.text), " ".join(str(e) for e in f.errors)))

    if form is not None and hasattr(form, "errors"):
        walk(form)
    return found


def render_field(f, kwargs: dict) -> Markup:
    """The body of the `field` macro (templates/_macros/forms.html), the same HTML to the byte: label, hint, error
    and their accessible wiring. In Python because forms show many fields, and the macro's work, done by Jinja
    call by call, cost more than rendering the input itself."""
    # A field shown more than once on a page (one return form per loan) gets its own id: the label, the hint and
    # the error follow it, or the field has no accessible name.
    own_id = str(kwargs.get("id") or f.id)
    described = []
    if f.description:
        described.append(own_id + "-hint")
    if f.errors:
        described.append(own_id + "-error")
    extra = dict(kwargs)
    if described:
        extra["aria-describedby"] = " ".join(described)
    if f.errors:
        extra["aria-invalid"] = "true"
    required = f.flags.required
    if required:
        extra["required"] = True
    field_id = escape(own_id)
    if f.type == "BooleanField":
        html = f'\n  <label for="{field_id}">{f(role="switch", **extra)} {escape(f.label.text)}</label>\n  '
    elif f.type in ("HiddenField", "CSRFTokenField"):
        html = f"\n  {f()}\n  "
    else:
        star = ' <span aria-hidden="true">*</span>' if required else ""
        html = f'\n  <label for="{field_id}">{escape(f.label.text)}{star}</label>\n  {f(**extra)}\n  '
    hint = f'<small id="{field_id}-hint">{escape(f.description)}</small>' if f.description else ""
    error = f'<small id="{field_id}-error" class="field-error">{Markup(" ").join(f.errors)}</small>' if f.errors else ""
    return Markup(f"{html}\n  {hint}\n  {error}")
