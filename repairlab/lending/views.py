"""Views of lending: borrow and return from the item page, the desk, my loans, member cards, the lending rules."""

from __future__ import annotations

import io

from flask import abort, current_app, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from repairlab import clock
from repairlab.auth import ensure_territory, roles_required, territory_scope
from repairlab.extensions import db
from repairlab.freshness import remembered_page
from repairlab.inventory.models import Category, Item
from repairlab.lending import bp, cards, policies, queries, reminders, services
from repairlab.lending.access import can_return, is_desk
from repairlab.lending.forms import BorrowForm, ClearPolicyForm, DeskLendForm, PolicyForm, ReturnForm
from repairlab.lending.maintenance.services import maintenance_due
from repairlab.lending.reservations import queries as reservations
from repairlab.people.models import Lab, Role, User
from repairlab.people.queries import search_talents
from repairlab.qr import qr_png
from repairlab.timefmt import local_datetime
from repairlab.web import db_id, form_status, submit, submit_and_return

DESK = (Role.LAB_MANAGER, Role.ADMIN)
TALENTS_FOUND = 8  # what the desk's search shows: enough to pick from, few enough to read on a phone


def item_or_404(item_id: int) -> Item:
    """The item of a lending URL, or 404 (also for another territory's item)."""
    item = db.session.get(Item, item_id)
    if item is None:
        abort(404)
    ensure_territory(current_user, item.territory_id)
    return item


def invalid_message(form, default: str, **by_field: str) -> str:
    """What a refused small form says: its first wrong field's own message when it has one, else `default`.

    (It validates the form; submit_and_return validates it again, which costs nothing.)
    """
    if form.is_submitted() and not form.validate():
        return by_field.get(next(iter(form.errors), ""), default)
    return default


def too_long(max_chars: int) -> str:
    """A text was longer than its field takes."""
    return _("This text is too long: %(num)d characters at most.", num=max_chars)


def item_page(item: Item):
    """Back to the item's page."""
    return redirect(url_for("inventory.item", item_id=item.id))


@bp.route("/lending/items/<int:item_id>/borrow", methods=["POST"])
@roles_required(Role.PARTICIPANT)
def borrow(item_id: int):
    """A talent borrows the tool whose page they are on."""
    item = item_or_404(item_id)
    form = BorrowForm()
    return submit_and_return(
        form,
        lambda: services.check_out_item(current_user, item, current_user, kind=form.kind.data, due_at=form.due_on.data),
        lambda loan: _("Borrowed: bring it back by %(date)s.", date=_due_words(loan)),
        item_page(item),
        invalid=_("Choose how long you need the tool, and a valid date."),
    )


def _due_words(loan) -> str:
    return local_datetime(loan.due_at, "EEEE d MMMM, HH:mm")


@bp.route("/lending/loans/<int:loan_id>/return", methods=["POST"])
@roles_required(Role.PARTICIPANT, *DESK)
def return_loan(loan_id: int):
    """The borrower or the desk records a return."""
    loan = queries.get_loan(loan_id)
    if loan is None:
        abort(404)
    ensure_territory(current_user, loan.territory_id)
    if not can_return(current_user, loan):
        abort(403 if current_user.role in DESK else 404)
    form = ReturnForm()
    invalid = invalid_message(form, _("Say in what condition the tool comes back."), note=too_long(services.MAX_NOTE))
    back = request.form.get("next") == "desk" and is_desk(current_user)
    target = redirect(url_for("lending.desk")) if back else item_page(loan.item)
    return submit_and_return(
        form,
        lambda: services.return_item(
            current_user,
            loan,
            condition=form.condition.data,
            note=form.note.data or "",
            out_of_service=form.out_of_service.data,
        ),
        _("Returned. Thank you!"),
        target,
        invalid=invalid,
    )


# --- Desk ------------------------------------------------------------------------------------------


@bp.route("/lending/desk")
@roles_required(*DESK)
@remembered_page
def desk():
    """The lab manager's desk: lend by scanning, and the items out, due today and overdue."""
    form = DeskLendForm(formdata=None, card=request.args.get("card", "")[:40])
    return _render_desk(form)


def _render_desk(form: DeskLendForm, status: int = 200):
    scope = territory_scope(current_user)
    rows = queries.DESK_ROWS
    # Each list's first rows, and one more to know whether it goes on (its title then says "20+"): the desk renders
    # what a screen shows, whatever the territory's size.
    reports = queries.open_reports(scope, limit=rows + 1)
    plans = maintenance_due(scope, limit=rows + 1)
    reserved = reservations.reservations_of_day(scope, limit=rows + 1)
    return render_template(
        "lending/desk.html",
        form=form,
        lists=queries.desk_lists(scope),
        today=clock.today(),
        days_late=queries.days_late,
        maintenance_due=plans[:rows],
        maintenance_cut=len(plans) > rows,
        reserved_today=reserved[:rows],
        reserved_cut=len(reserved) > rows,
        reports=reports[:rows],
        reports_cut=len(reports) > rows,
        who=lambda r: reservations.who(r, current_user),
    ), status


@bp.route("/lending/desk/lend", methods=["POST"])
@roles_required(*DESK)
def desk_lend():
    """Lend the scanned item to the talent of the scanned member card."""
    form = DeskLendForm()

    def lend():
        item = services.desk_item(current_user, form.item_code.data)
        if (form.card.data or "").strip():
            talent = cards.get_card(form.card.data).user
        else:
            talent = services.desk_talent(current_user, form.found_talent_id())
        return services.check_out_item(
            current_user,
            item,
            talent,
            kind=form.kind.data,
            due_at=form.due_on.data,
            override_reason=form.override_reason.data or "",
        )

    def lent(loan) -> str:
        return _(
            "%(item)s lent to %(name)s until %(date)s.",
            item=f"{loan.item.code} {loan.item.name}",
            name=loan.borrower.full_name,
            date=_due_words(loan),
        )

    return submit(form, lend, lent, url_for("lending.desk")) or _render_desk(form, form_status())


@bp.route("/lending/desk/talents")
@roles_required(*DESK)
def desk_talents():
    """The desk's search for a talent by name or e-mail (the typeahead of desk.js): JSON, the desk's territory only."""
    text = (request.args.get("q") or "")[:100]
    talents = search_talents(territory_scope(current_user), text, limit=TALENTS_FOUND)
    return jsonify(
        [
            {
                "id": t.id,
                "name": t.full_name,
                "email": t.email,
                "card_url": url_for("lending.talent_card", user_id=t.id),
            }
            for t in talents
        ]
    )


# --- My loans --------------------------------------------------------------------------------------


@bp.route("/lending/my-loans")
@roles_required(Role.PARTICIPANT)
def my_loans():
    """A talent's loans: what they hold now, until when, and how to give it back; the last ones returned."""
    current, past = queries.my_loans(current_user)
    return render_template(
        "lending/my_loans.html",
        current=current,
        past=past,
        today=clock.today(),
        days_late=queries.days_late,
        reminded=reminders.reminded_late_loans(current_user),
    )


# --- Lending rules -------------------------------------------------------------------------------


def labs_in_scope() -> list[Lab]:
    """The labs the current user may choose on the calendar and the rules pages."""
    return queries.active_labs(territory_scope(current_user))


def chosen_lab(labs: list[Lab]) -> Lab | None:
    """The lab of the ?lab= argument among `labs` (404 if not one of them), else the first."""
    if not request.args.get("lab"):
        return labs[0] if labs else None
    lab_id = request.args.get("lab", type=db_id)
    lab = next((lab for lab in labs if lab.id == lab_id), None)
    if lab is None:
        abort(404)
    return lab


@bp.route("/lending/policies")
@roles_required(*DESK)
def policies_page():
    """The lab's lending rules per category: own or inherited, with a form to set or clear each."""
    labs = labs_in_scope()
    lab = chosen_lab(labs)
    rows = policies.rules_of_lab(lab) if lab is not None else []
    return render_template(
        "lending/policies.html",
        labs=labs,
        lab=lab,
        rows=rows,
        forms={row.category.id: _policy_form(row) for row in rows},
        clear_form=ClearPolicyForm(formdata=None),
    )


def _policy_form(row) -> PolicyForm:
    form = PolicyForm(formdata=None, prefix=f"c{row.category.id}")
    form.self_service.data = "1" if row.rule.self_service else "0"
    form.default_days.data, form.max_days.data = row.rule.default_days, row.rule.max_days
    return form


def _lab_and_category(lab_id: int, category_id: int) -> tuple[Lab, Category]:
    lab = db.session.get(Lab, lab_id)
    category = db.session.get(Category, category_id)
    if lab is None or category is None:
        abort(404)
    ensure_territory(current_user, lab.territory_id)
    return lab, category


def _back(lab: Lab, category: Category):
    return redirect(url_for("lending.policies_page", lab=lab.id) + f"#category-{category.id}")


def _top(lab: Lab):
    """Where a refusal goes: the top of the page, where its message is."""
    return redirect(url_for("lending.policies_page", lab=lab.id))


@bp.route("/lending/policies/<int:lab_id>/<int:category_id>", methods=["POST"])
@roles_required(*DESK)
def policy_set(lab_id: int, category_id: int):
    """Set the lab's own rule for a category."""
    lab, category = _lab_and_category(lab_id, category_id)
    form = PolicyForm(prefix=f"c{category.id}")
    return submit_and_return(
        form,
        lambda: policies.set_policy(
            current_user,
            lab,
            category,
            self_service=form.self_service.data == "1",
            default_days=form.default_days.data,
            max_days=form.max_days.data,
        ),
        _("Rule saved for %(category)s.", category=category.path),
        _back(lab, category),
        invalid=_("Choose who lends it, and durations between 1 and 365 days."),
        refused=_top(lab),
    )


@bp.route("/lending/policies/<int:lab_id>/<int:category_id>/clear", methods=["POST"])
@roles_required(*DESK)
def policy_clear(lab_id: int, category_id: int):
    """Remove the lab's own rule for a category."""
    lab, category = _lab_and_category(lab_id, category_id)
    return submit_and_return(
        ClearPolicyForm(),
        lambda: policies.clear_policy(current_user, lab, category),
        _("Own rule removed: %(category)s follows the category above again.", category=category.path),
        _back(lab, category),
        refused=_top(lab),
    )


# --- Member cards ----------------------------------------------------------------------------------


def _card_url(token: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL']}/m/{token}"


def _talent_or_404(user_id: int) -> User:
    talent = db.session.get(User, user_id)
    if talent is None or talent.role != Role.PARTICIPANT:
        abort(404)
    ensure_territory(current_user, talent.territory_id)
    return talent


@bp.route("/lending/card")
@roles_required(Role.PARTICIPANT)
def my_card():
    """A talent's own member card, printable."""
    card = cards.card_for(current_user)
    db.session.commit()
    return render_template("lending/card.html", card=card, talent=current_user, png_url=url_for("lending.my_card_png"))


@bp.route("/lending/card.png")
@roles_required(Role.PARTICIPANT)
def my_card_png():
    """The QR code of a talent's own card: the card's URL, never a name."""
    card = cards.card_for(current_user)
    db.session.commit()
    return _png_response(card.token)


def _png_response(token: str):
    response = send_file(io.BytesIO(qr_png(_card_url(token))), mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.route("/lending/cards/<int:user_id>")
@roles_required(*DESK)
def talent_card(user_id: int):
    """Staff print a talent's member card."""
    talent = _talent_or_404(user_id)
    card = cards.card_for(talent)
    db.session.commit()
    return render_template(
        "lending/card.html", card=card, talent=talent, png_url=url_for("lending.talent_card_png", user_id=talent.id)
    )


@bp.route("/lending/cards/<int:user_id>/card.png")
@roles_required(*DESK)
def talent_card_png(user_id: int):
    """The QR code of a talent's member card."""
    talent = _talent_or_404(user_id)
    card = cards.card_for(talent)
    db.session.commit()
    return _png_response(card.token)


@bp.route("/m/<path:token>")
def member_card(token: str):
    """A scanned member card: the desk opens with it; anyone else learns only what it is, never whose."""
    if current_user.is_authenticated and is_desk(current_user):
        return redirect(url_for("lending.desk", card=cards.card_token(token)))
    return render_template("lending/member_card.html")
