"""The pages of personal API tokens: one's own (create, list, revoke) and the administrators' list of all."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload

from repairlab.api import bp, tokens
from repairlab.api.forms import TokenForm
from repairlab.api.models import ApiToken
from repairlab.auth import admin_required
from repairlab.errors import DomainError
from repairlab.extensions import db
from repairlab.pagination import paginate
from repairlab.web import form_status, show_domain_error, submit_and_return


def _token_page(form: TokenForm, secret: str | None = None, created: ApiToken | None = None, status: int = 200):
    return (
        render_template(
            "api/tokens.html",
            form=form,
            tokens=tokens.tokens_of(current_user),
            secret=secret,
            created=created,
            revoke_form=FlaskForm(),
        ),
        status,
    )


@bp.route("/account/api-tokens", methods=["GET", "POST"])
@login_required
def my_tokens():
    """One's own API tokens; a new one's secret is shown on this answer only, never again (it is not stored)."""
    form = TokenForm()
    if request.method == "GET":
        form.expires_on.data = tokens.default_expiry()
    if form.validate_on_submit():
        try:
            token, secret = tokens.create_token(
                current_user, name=form.name.data, scopes=form.scopes.data, expires_on=form.expires_on.data
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            # Rendered, not redirected: the secret must not travel in a flash message (the session cookie).
            return _token_page(TokenForm(formdata=None, expires_on=tokens.default_expiry()), secret, token, 201)
    return _token_page(form, status=form_status())


@bp.route("/account/api-tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    """Revoke one of one's tokens (or, for an administrator, anyone's)."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        abort(404)
    back = url_for("api.all_tokens") if request.form.get("next") == "admin" else url_for("api.my_tokens")
    return submit_and_return(
        FlaskForm(),
        lambda: tokens.revoke_token(current_user, token),
        _("The token “%(name)s” is revoked: it no longer opens the API.", name=token.name),
        redirect(back),
    )


@bp.route("/admin/api-tokens")
@admin_required
def all_tokens():
    """Every live token of the programme, the last used first, with their owners: administrators revoke any."""
    stmt = (
        sa.select(ApiToken)
        .options(joinedload(ApiToken.user))
        .where(ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.last_used_at.desc().nulls_last(), ApiToken.created_at.desc(), ApiToken.id)
    )
    return render_template("api/admin_tokens.html", page=paginate(stmt), revoke_form=FlaskForm())
