"""Form helpers shared by every domain."""

from __future__ import annotations

from wtforms import SelectField


def int_or_none(value: str | int | None) -> int | None:
    """Parse an optional id from a select box; anything unparsable counts as no choice."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class OptionalIdSelectField(SelectField):
    """A select of database ids with an empty first choice; .data is an int or None."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("coerce", int_or_none)
        kwargs.setdefault("validate_choice", True)
        super().__init__(*args, **kwargs)

    def pre_validate(self, form) -> None:
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
