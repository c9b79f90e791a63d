"""Small helpers that keep views thin: safe redirects and the form-submission pattern."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import flash, redirect, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from repairlab.errors import DomainError
from repairlab.extensions import db
from repairlab.forms import apply_domain_error

# The largest id of an INTEGER primary key: larger numbers in a URL or a query string are "not found", never sent
# to the database (PostgreSQL would refuse them with an error).
MAX_ID = 2**31 - 1


def db_id(text: str) -> int:
    """Parse an id from a query string or a form, as type= for request.args.get (ValueError if it cannot be one)."""
    value = int(text)
    if not 0 < value <= MAX_ID:
        raise ValueError(text)
    return value


def safe_next(target: str | None) -> str | None:
    """Return target only when it is a path on this site (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def show_domain_error(form: FlaskForm | None, error: DomainError) -> None:
    """Undo the failed change and show the refusal next to its field, or as a flash message."""
    db.session.rollback()
    if form is None or not apply_domain_error(form, error):
        flash(str(error), "error")


def submit(
    form: FlaskForm,
    action: Callable[[], Any],
    success: str | Callable[[Any], str],
    next_url: str | Callable[[Any], str],
):
    """Post/Redirect/Get: on a valid POST run the service, commit, flash and redirect; else return None.

    A DomainError rolls everything back and is shown on the form, so nothing changes.
    """
    if not form.validate_on_submit():
        return None
    try:
        result = action()
    except DomainError as error:
        show_domain_error(form, error)
        return None
    db.session.commit()
    flash(success(result) if callable(success) else success, "success")
    return redirect(next_url(result) if callable(next_url) else next_url)


def form_status() -> int:
    """HTTP status of a form page: 400 when it is shown again after a refused POST."""
    return 400 if request.method == "POST" else 200


def flash_form_errors(form: FlaskForm) -> None:
    """Flash each field's errors as "Label: message", for a form that is not shown again."""
    for name, errors in form.errors.items():
        label = form[name].label.text if name in form._fields else name
        # Translated, so that French gets its space before the colon.
        flash(_("%(label)s: %(message)s", label=label, message=" ".join(str(e) for e in errors)), "error")


def submit_and_return(
    form: FlaskForm,
    action: Callable[[], Any],
    success: str | Callable[[Any], str],
    target,
    invalid: str | None = None,
    *,
    refused=None,
):
    """Like submit(), for a small form that lives on another page: every outcome is flashed, then `target`.

    An invalid form flashes `invalid` (or each field's errors); a DomainError is rolled back and flashed. Both go
    to `refused` when given (e.g. the page without its #anchor, so that the message at its top is seen).
    """
    if not form.validate_on_submit():
        if invalid is None:
            flash_form_errors(form)
        else:
            flash(invalid, "error")
        return refused or target
    try:
        result = action()
    except DomainError as error:
        show_domain_error(None, error)
        return refused or target
    db.session.commit()
    flash(success(result) if callable(success) else success, "success")
    return target
