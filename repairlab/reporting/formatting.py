"""How indicator values are written: on the page and in charts (in the user's language), and in CSV (plain)."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _


def display(value, kind: str) -> str:
    """A value for people to read, e.g. "1 234", "52,3 %", "12,5 j", "3 400 €", a score "3,25", a change "+0,50";
    "—" for no data."""
    if value is None:
        return "—"
    if kind == "text":
        return str(value)
    if kind == "percent":
        return format_percent(value, "#,##0.0 %")
    if kind == "days":
        return _("%(days)s d", days=format_decimal(value, "#,##0.0"))
    if kind == "euros":
        return _("%(amount)s €", amount=format_decimal(value, "#,##0"))
    if kind == "number":
        return format_decimal(value, "#,##0.#")
    if kind == "score":
        return format_decimal(value, "#,##0.00")
    if kind == "change":
        return format_decimal(value, "+#,##0.00;-#,##0.00")
    return format_decimal(value)


def plain(value, kind: str):
    """A value for a CSV cell: numbers with a dot, rates in per cent with one decimal, nothing for no data."""
    if value is None:
        return ""
    if kind == "percent":
        return f"{float(value) * 100:.1f}"
    if kind in {"days", "number"}:
        return f"{float(value):.1f}" if not isinstance(value, int) else value
    if kind in {"score", "change"}:
        return f"{float(value):.2f}"
    if kind == "euros":
        return f"{Decimal(value):.2f}"
    return value
