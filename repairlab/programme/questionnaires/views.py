"""Views of the questionnaires: answering one item per screen (the talent, or staff filling it in with them), the
talent's own answers and consent, the mentors' observations, and the editor of questionnaires (admins and
researchers)."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from repairlab import clock
from repairlab.auth import roles_required
from repairlab.errors import DomainError
from repairlab.extensions import db
from repairlab.people.models import Role, User
from repairlab.programme import bp
from repairlab.programme.access import PATH_STAFF
from repairlab.programme.questionnaires import answering, definitions, observations, queries
from repairlab.programme.questionnaires.access import (
    DEFINERS,
    answers_as_self,
    can_answer_for,
    can_define,
    can_observe,
    can_see_answers,
    can_withdraw_consent,
)
from repairlab.programme.questionnaires.forms import (
    ItemForm,
    MomentForm,
    ObservationForm,
    PostponeForm,
    QuestionnaireForm,
    ScaleForm,
    VersionForm,
    WithdrawForm,
)
from repairlab.programme.questionnaires.models import (
    ItemKind,
    MentorObservation,
    MomentKind,
    ObservationDimension,
    Questionnaire,
    QuestionnaireAnswer,
    QuestionnaireItem,
    QuestionnaireMoment,
    QuestionnaireResponse,
    QuestionnaireScale,
    QuestionnaireVersion,
)
from repairlab.programme.questionnaires.panels import moment_words
from repairlab.programme.questionnaires.scheduling import DEFAULT_POSTPONE_DAYS, ScheduledMoment
from repairlab.web import form_status, show_domain_error, submit, submit_and_return

ANSWERING = (Role.PARTICIPANT, *PATH_STAFF)
STAFF = tuple(PATH_STAFF)
# The voices of the browser's speech synthesis, by the page's language.
SPEECH_LANGS = {"fr": "fr-FR", "en": "en-GB"}


def _locale() -> str:
    return str(get_locale() or "fr")


def _talent_for_answering(talent_id: int) -> User:
    """A talent whose questionnaires the viewer may answer (themselves, or staff assisting); else not found."""
    talent = db.get_or_404(User, talent_id)
    if not can_answer_for(current_user, talent):
        abort(404)
    return talent


def _moment_or_404(moment: str) -> MomentKind:
    try:
        return MomentKind(moment)
    except ValueError:
        abort(404)


def _response_or_404(response_id: int) -> QuestionnaireResponse:
    """A response the viewer may answer: the talent's own, or one of a talent they assist."""
    response = db.get_or_404(QuestionnaireResponse, response_id)
    if not can_answer_for(current_user, response.talent):
        abort(404)
    return response


def _home_of(talent: User) -> str:
    """Where to go once done: the talent's home page, or the path page of the talent assisted."""
    if answers_as_self(current_user, talent):
        return url_for("core.home")
    return url_for("programme.talent", talent_id=talent.id) + "#questionnaires"


# --- Before answering: begin, postpone, decline ---------------------------------------------------------------------


def _slot_url(endpoint: str, talent: User, scheduled: ScheduledMoment | None = None, **kw) -> str:
    return url_for(
        endpoint,
        talent_id=talent.id,
        questionnaire_id=scheduled.questionnaire.id,
        moment=scheduled.moment.value,
        weeks=scheduled.weeks,
        **kw,
    )


def _scheduled_or_404(talent: User, questionnaire_id: int, moment: str, weeks: int) -> ScheduledMoment:
    scheduled = answering.scheduled_for(talent, questionnaire_id, _moment_or_404(moment), weeks)
    if scheduled is None:
        abort(404)
    return scheduled


_SLOT = "/questionnaires/talents/<int:talent_id>/<int:questionnaire_id>/<moment>/<int:weeks>"


@bp.route(_SLOT)
@roles_required(*ANSWERING)
def questionnaire_intro(talent_id: int, questionnaire_id: int, moment: str, weeks: int):
    """A questionnaire to answer: what it is for, how long, and begin, answer later or decline."""
    talent = _talent_for_answering(talent_id)
    scheduled = _scheduled_or_404(talent, questionnaire_id, moment, weeks)
    today = clock.today()
    return render_template(
        "programme/questionnaires/intro.html",
        talent=talent,
        scheduled=scheduled,
        version=scheduled.version,
        locale=_locale(),
        assisted=not answers_as_self(current_user, talent),
        is_open=scheduled.is_open(today),
        moment_words=moment_words(scheduled.moment, scheduled.weeks),
        items=len(scheduled.version.items),
        postpone_form=PostponeForm(until=today + timedelta(days=DEFAULT_POSTPONE_DAYS)),
        slot_url=lambda endpoint: _slot_url(endpoint, talent, scheduled),
        speech_lang=SPEECH_LANGS.get(_locale(), "fr-FR"),
    )


def _first_unanswered(response: QuestionnaireResponse) -> str:
    """The first item not answered yet, or the last page when every item has an answer."""
    answered = {a.item_id for a in response.answers}
    for item in response.version.items:
        if item.id not in answered:
            return url_for("programme.questionnaire_item", response_id=response.id, position=item.position)
    return url_for("programme.questionnaire_review", response_id=response.id)


@bp.route(_SLOT + "/begin", methods=["POST"])
@roles_required(*ANSWERING)
def questionnaire_begin(talent_id: int, questionnaire_id: int, moment: str, weeks: int):
    """Begin (or go back to) the questionnaire: to the first question not answered yet."""
    talent = _talent_for_answering(talent_id)
    kind = _moment_or_404(moment)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        response = answering.begin(current_user, talent, questionnaire_id, kind, weeks)
    except DomainError as error:
        show_domain_error(None, error)
        return redirect(_home_of(talent))
    db.session.commit()
    return redirect(_first_unanswered(response))


@bp.route(_SLOT + "/postpone", methods=["POST"])
@roles_required(*ANSWERING)
def questionnaire_postpone(talent_id: int, questionnaire_id: int, moment: str, weeks: int):
    """Answer later: until the day chosen (a week by default)."""
    talent = _talent_for_answering(talent_id)
    kind = _moment_or_404(moment)
    form = PostponeForm()
    return redirect(
        submit_and_return(
            form,
            lambda: answering.postpone(current_user, talent, questionnaire_id, kind, weeks, until=form.until.data),
            lambda r: _("All right: we will ask again on %(day)s.", day=_day(r.postponed_until)),
            _home_of(talent),
            _("Choose a valid date."),
        )
    )


def _day(day) -> str:
    return format_date(day, "EEEE d MMMM")


@bp.route(_SLOT + "/decline", methods=["POST"])
@roles_required(*ANSWERING)
def questionnaire_decline(talent_id: int, questionnaire_id: int, moment: str, weeks: int):
    """The talent prefers not to answer: recorded as such."""
    talent = _talent_for_answering(talent_id)
    kind = _moment_or_404(moment)
    return redirect(
        submit_and_return(
            FlaskForm(),
            lambda: answering.decline(current_user, talent, questionnaire_id, kind, weeks),
            _("Your choice is recorded: this questionnaire will not be asked again."),
            _home_of(talent),
        )
    )


# --- Answering, one item per screen ---------------------------------------------------------------------------------


@bp.route("/questionnaires/<int:response_id>")
@roles_required(*ANSWERING)
def questionnaire_resume(response_id: int):
    """Back to a questionnaire begun: the first question not answered yet."""
    response = _response_or_404(response_id)
    if not response.is_open:
        abort(404)
    return redirect(_first_unanswered(response))


def _item_or_404(response: QuestionnaireResponse, position: int) -> QuestionnaireItem:
    found = next((item for item in response.version.items if item.position == position), None)
    if found is None:
        abort(404)
    return found


def _shown_answer(response: QuestionnaireResponse, answer: QuestionnaireAnswer | None) -> QuestionnaireAnswer | None:
    """The answer as this viewer may see it: the talent sees theirs; staff filling it in with them see only the
    answers given with help (not what the talent answered alone)."""
    if answer is None or answers_as_self(current_user, response.talent) or answer.assisted_by_id is not None:
        return answer
    return None


def _item_page(response: QuestionnaireResponse, item: QuestionnaireItem, error: str | None = None, given=None):
    items = response.version.items
    answer = next((a for a in response.answers if a.item_id == item.id), None)
    shown = _shown_answer(response, answer)
    locale = _locale()
    if given is not None:  # shown again as it was sent, after a refusal
        chosen, typed = given
    else:
        chosen, typed = None, ""
        if shown is not None and shown.value is not None:
            # An option's value as its radio button has it ("3"); a number as typed ("12.5").
            chosen = str(int(shown.value)) if item.kind != ItemKind.NUMBER else format(shown.value.normalize(), "f")
        if shown is not None and shown.text is not None:
            typed = shown.text
    return render_template(
        "programme/questionnaires/item.html",
        response=response,
        talent=response.talent,
        version=response.version,
        item=item,
        options=[(str(o.value), o.label(locale)) for o in item.options],
        total=len(items),
        chosen=chosen,
        typed=typed,
        skipped=shown is not None and shown.skipped,
        answered_alone=answer is not None and shown is None,
        assisted=not answers_as_self(current_user, response.talent),
        error=error,
        locale=locale,
        speech_lang=SPEECH_LANGS.get(locale, "fr-FR"),
        previous=item.position - 1 if item.position > 1 else None,
        form=FlaskForm(),
    ), (400 if error else 200)


@bp.route("/questionnaires/<int:response_id>/<int:position>", methods=["GET", "POST"])
@roles_required(*ANSWERING)
def questionnaire_item(response_id: int, position: int):
    """One question: save the answer as it is given, then the next question (or the previous one)."""
    response = _response_or_404(response_id)
    item = _item_or_404(response, position)
    if not response.is_open:
        flash(_("This questionnaire is finished: its answers can no longer change."), "info")
        return redirect(_home_of(response.talent))
    if request.method == "GET":
        return _item_page(response, item)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    go = request.form.get("go", "next")
    value = request.form.get("value")
    text = request.form.get("text")
    given = (value or "").strip() or (text or "").strip()
    last = position == len(response.version.items)
    next_url = (
        url_for("programme.questionnaire_review", response_id=response.id)
        if last
        else url_for("programme.questionnaire_item", response_id=response.id, position=position + 1)
    )
    try:
        if go == "skip":
            answering.save_answer(current_user, response, item, skipped=True)
        elif given:
            answering.save_answer(current_user, response, item, value=value, text=text)
        elif go == "next":
            raise DomainError(_("Choose an answer, or pass this question."))
    except DomainError as error:
        db.session.rollback()
        return _item_page(response, item, str(error), (value, text or ""))
    db.session.commit()
    if go == "back" and position > 1:
        return redirect(url_for("programme.questionnaire_item", response_id=response.id, position=position - 1))
    if go == "later":
        flash(_("Your answers are saved. You can go on later, from your home page."), "success")
        return redirect(_home_of(response.talent))
    return redirect(next_url)


@bp.route("/questionnaires/<int:response_id>/end")
@roles_required(*ANSWERING)
def questionnaire_review(response_id: int):
    """The last page: the questions answered, passed or not yet answered, and send the answers."""
    response = _response_or_404(response_id)
    if not response.is_open:
        return redirect(_home_of(response.talent))
    rows = [
        (item, _shown_answer(response, answer), answer is not None) for item, answer in queries.answers_of(response)
    ]
    return render_template(
        "programme/questionnaires/review.html",
        response=response,
        talent=response.talent,
        version=response.version,
        rows=rows,
        locale=_locale(),
        assisted=not answers_as_self(current_user, response.talent),
        form=FlaskForm(),
    )


@bp.route("/questionnaires/<int:response_id>/complete", methods=["POST"])
@roles_required(*ANSWERING)
def questionnaire_complete(response_id: int):
    """Send the answers: the questionnaire is complete."""
    response = _response_or_404(response_id)
    talent = response.talent
    done = url_for("people.account") + "#progress" if answers_as_self(current_user, talent) else _home_of(talent)
    return redirect(
        submit_and_return(
            FlaskForm(),
            lambda: answering.complete(current_user, response),
            _("Thank you! Your answers are sent."),
            done,
            refused=url_for("programme.questionnaire_review", response_id=response.id),
        )
    )


# --- One's own answers, and the consent -----------------------------------------------------------------------------


@bp.route("/questionnaires/<int:response_id>/answers")
@roles_required(Role.PARTICIPANT, Role.ADMIN)
def questionnaire_answers(response_id: int):
    """A response's answers: for the talent who gave them, and admins (never mentors nor lab managers)."""
    response = db.get_or_404(QuestionnaireResponse, response_id)
    if not can_see_answers(current_user, response.talent):
        abort(404)
    return render_template(
        "programme/questionnaires/answers.html",
        response=response,
        talent=response.talent,
        version=response.version,
        rows=queries.answers_of(response),
        locale=_locale(),
        moment_words=moment_words(response.moment, response.weeks),
        mine=answers_as_self(current_user, response.talent),
    )


@bp.route("/questionnaires/talents/<int:talent_id>/withdraw", methods=["GET", "POST"])
@roles_required(*ANSWERING)
def withdraw_consent(talent_id: int):
    """Stop taking part in the evaluation (the talent, or staff on their behalf)."""
    talent = db.get_or_404(User, talent_id)
    if not can_withdraw_consent(current_user, talent):
        abort(404)
    form = WithdrawForm()
    mine = answers_as_self(current_user, talent)
    done = submit(
        form,
        lambda: answering.withdraw_consent(current_user, talent),
        _("It is recorded: no questionnaire will be asked any more, and your answers leave the research data.")
        if mine
        else _("It is recorded: no questionnaire will be asked of this talent any more."),
        url_for("people.account") if mine else url_for("programme.talent", talent_id=talent.id),
    )
    return done or (
        render_template(
            "programme/questionnaires/withdraw.html",
            talent=talent,
            form=form,
            mine=mine,
            consent=answering.consent_holds(talent),
        ),
        form_status(),
    )


# --- Mentors' observations ------------------------------------------------------------------------------------------


def _observation_form(observation: MentorObservation | None) -> ObservationForm:
    if request.method == "POST":
        return ObservationForm()
    if observation is None:
        return ObservationForm(observed_on=clock.today())
    form = ObservationForm(
        moment=observation.moment, weeks=observation.weeks or None, observed_on=observation.observed_on
    )
    for rating in observation.ratings:
        form[f"{rating.dimension.value}_value"].data = str(rating.value) if rating.value else ""
        form[f"{rating.dimension.value}_comment"].data = rating.comment
    return form


def _observe(talent: User, observation: MentorObservation | None):
    form = _observation_form(observation)

    def save():
        ratings = {
            dimension: observations.RatingInput(
                int(value_field.data) if value_field.data else None, comment_field.data or ""
            )
            for dimension, value_field, comment_field in form.ratings()
        }
        return observations.save_observation(
            current_user,
            talent,
            observation,
            moment=form.moment.data,
            weeks=form.weeks.data,
            observed_on=form.observed_on.data,
            ratings=ratings,
        )

    done = submit(
        form,
        save,
        _("The observation is recorded."),
        url_for("programme.talent", talent_id=talent.id) + "#observations",
    )
    return done or (
        render_template(
            "programme/questionnaires/observation.html",
            talent=talent,
            form=form,
            observation=observation,
            dimensions=list(ObservationDimension),
        ),
        form_status(),
    )


@bp.route("/questionnaires/talents/<int:talent_id>/observations/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def observation_new(talent_id: int):
    """Record an observation of the talent."""
    talent = db.get_or_404(User, talent_id)
    if not can_observe(current_user, talent):
        abort(404)
    return _observe(talent, None)


@bp.route("/questionnaires/observations/<int:observation_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def observation_edit(observation_id: int):
    """Correct one's observation."""
    observation = db.get_or_404(MentorObservation, observation_id)
    if not can_observe(current_user, observation.talent):
        abort(404)
    if observation.mentor_id != current_user.id and current_user.role != Role.ADMIN:
        abort(403)
    return _observe(observation.talent, observation)


# --- The editor (admins and researchers) ----------------------------------------------------------------------------


def _definer() -> None:
    if not can_define(current_user):
        abort(403)


@bp.route("/questionnaires/admin", methods=["GET", "POST"])
@roles_required(*DEFINERS)
def questionnaire_list():
    """Every questionnaire with its versions and moments, and a form to write a new one."""
    _definer()
    form = QuestionnaireForm()
    done = submit(
        form,
        lambda: definitions.create_questionnaire(
            current_user,
            key=form.key.data,
            title_fr=form.title_fr.data,
            title_en=form.title_en.data,
            intro_fr=form.intro_fr.data,
            intro_en=form.intro_en.data,
        ),
        _("The questionnaire is created: write its items, then publish it."),
        lambda version: url_for("programme.questionnaire_version", version_id=version.id),
    )
    return done or (
        render_template(
            "programme/questionnaires/admin_list.html",
            questionnaires=queries.questionnaires(),
            form=form,
            moment_words=moment_words,
        ),
        form_status(),
    )


def _version_page(version: QuestionnaireVersion, status: int = 200, **forms):
    scale_form = forms.get("scale_form") or ScaleForm()
    moment_form = forms.get("moment_form") or MomentForm()
    version_form = forms.get("version_form") or VersionForm(obj=version)
    return render_template(
        "programme/questionnaires/admin_version.html",
        version=version,
        questionnaire=version.questionnaire,
        version_form=version_form,
        scale_form=scale_form,
        moment_form=moment_form,
        problems=definitions.publication_problems(version) if version.is_draft else [],
        moment_words=moment_words,
        form=forms.get("version_form") or forms.get("scale_form") or forms.get("moment_form"),
    ), status


@bp.route("/questionnaires/admin/versions/<int:version_id>", methods=["GET", "POST"])
@roles_required(*DEFINERS)
def questionnaire_version(version_id: int):
    """A version: its texts, scales, items and the moments of its questionnaire; a draft may change."""
    _definer()
    version = db.get_or_404(QuestionnaireVersion, version_id)
    if request.method == "GET":
        return _version_page(version)
    form = VersionForm()
    done = submit(
        form,
        lambda: definitions.update_version(
            current_user,
            version,
            title_fr=form.title_fr.data,
            title_en=form.title_en.data,
            intro_fr=form.intro_fr.data,
            intro_en=form.intro_en.data,
        ),
        _("The texts are saved."),
        url_for("programme.questionnaire_version", version_id=version.id),
    )
    return done or _version_page(version, 400, version_form=form)


@bp.route("/questionnaires/admin/versions/<int:version_id>/scales", methods=["POST"])
@roles_required(*DEFINERS)
def scale_new(version_id: int):
    """Add a scale to a draft."""
    _definer()
    version = db.get_or_404(QuestionnaireVersion, version_id)
    form = ScaleForm()
    done = submit(
        form,
        lambda: definitions.save_scale(
            current_user,
            version,
            None,
            key=form.key.data,
            label_fr=form.label_fr.data,
            label_en=form.label_en.data,
            method=form.method.data,
            max_missing=form.max_missing.data,
        ),
        _("The scale is added."),
        url_for("programme.questionnaire_version", version_id=version.id) + "#scales",
    )
    return done or _version_page(version, 400, scale_form=form)


@bp.route("/questionnaires/admin/scales/<int:scale_id>", methods=["GET", "POST"])
@roles_required(*DEFINERS)
def scale_edit(scale_id: int):
    """Change a scale of a draft."""
    _definer()
    scale = db.get_or_404(QuestionnaireScale, scale_id)
    if request.method == "GET" and not scale.version.is_draft:
        flash(_("A published version never changes: make a new version to change it."), "info")
        return redirect(url_for("programme.questionnaire_version", version_id=scale.version_id) + "#scales")
    form = ScaleForm(obj=scale) if request.method == "GET" else ScaleForm()
    done = submit(
        form,
        lambda: definitions.save_scale(
            current_user,
            scale.version,
            scale,
            key=form.key.data,
            label_fr=form.label_fr.data,
            label_en=form.label_en.data,
            method=form.method.data,
            max_missing=form.max_missing.data,
        ),
        _("The scale is saved."),
        url_for("programme.questionnaire_version", version_id=scale.version_id) + "#scales",
    )
    return done or (
        render_template("programme/questionnaires/admin_scale.html", scale=scale, version=scale.version, form=form),
        form_status(),
    )


@bp.route("/questionnaires/admin/scales/<int:scale_id>/delete", methods=["POST"])
@roles_required(*DEFINERS)
def scale_delete(scale_id: int):
    """Take a scale out of a draft."""
    _definer()
    scale = db.get_or_404(QuestionnaireScale, scale_id)
    back = url_for("programme.questionnaire_version", version_id=scale.version_id) + "#scales"
    return redirect(
        submit_and_return(
            FlaskForm(), lambda: definitions.delete_scale(current_user, scale), _("The scale is deleted."), back
        )
    )


def _item_form(version: QuestionnaireVersion, item: QuestionnaireItem | None) -> ItemForm:
    if request.method == "POST":
        form = ItemForm()
    elif item is None:
        form = ItemForm(kind=ItemKind.LIKERT4)
    else:
        form = ItemForm(obj=item)
        form.options.data = "\n".join(f"{o.label_fr} | {o.label_en}" for o in item.options)
    form.scale_id.choices = [("", _("(no scale: not scored)"))] + [(s.id, s.label_fr) for s in version.scales]
    return form


def _parse_options(text: str | None) -> list[definitions.OptionText]:
    options = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        label_fr, _sep, label_en = line.partition("|")
        options.append(definitions.OptionText(label_fr.strip(), label_en.strip()))
    return options


def _save_item(version: QuestionnaireVersion, item: QuestionnaireItem | None):
    if request.method == "GET" and not version.is_draft:
        flash(_("A published version never changes: make a new version to change it."), "info")
        return redirect(url_for("programme.questionnaire_version", version_id=version.id) + "#items")
    form = _item_form(version, item)
    done = submit(
        form,
        lambda: definitions.save_item(
            current_user,
            version,
            item,
            key=form.key.data,
            kind=form.kind.data,
            text_fr=form.text_fr.data,
            text_en=form.text_en.data,
            scale=db.session.get(QuestionnaireScale, form.scale_id.data) if form.scale_id.data else None,
            reversed=form.reversed.data,
            min_value=form.min_value.data,
            max_value=form.max_value.data,
            options=_parse_options(form.options.data),
        ),
        _("The item is saved."),
        lambda saved: url_for("programme.questionnaire_version", version_id=version.id) + f"#item-{saved.position}",
    )
    return done or (
        render_template("programme/questionnaires/admin_item.html", item=item, version=version, form=form),
        form_status(),
    )


@bp.route("/questionnaires/admin/versions/<int:version_id>/items/new", methods=["GET", "POST"])
@roles_required(*DEFINERS)
def item_new(version_id: int):
    """Add an item at the end of a draft."""
    _definer()
    return _save_item(db.get_or_404(QuestionnaireVersion, version_id), None)


@bp.route("/questionnaires/admin/items/<int:item_id>", methods=["GET", "POST"])
@roles_required(*DEFINERS)
def item_edit(item_id: int):
    """Change an item of a draft."""
    _definer()
    item = db.get_or_404(QuestionnaireItem, item_id)
    return _save_item(item.version, item)


@bp.route("/questionnaires/admin/items/<int:item_id>/move", methods=["POST"])
@roles_required(*DEFINERS)
def item_move(item_id: int):
    """Move an item up or down."""
    _definer()
    item = db.get_or_404(QuestionnaireItem, item_id)
    offset = -1 if request.form.get("direction") == "up" else 1
    return redirect(
        submit_and_return(
            FlaskForm(),
            lambda: definitions.move_item(current_user, item, offset),
            _("The item is moved."),
            url_for("programme.questionnaire_version", version_id=item.version_id) + "#items",
        )
    )


@bp.route("/questionnaires/admin/items/<int:item_id>/delete", methods=["POST"])
@roles_required(*DEFINERS)
def item_delete(item_id: int):
    """Take an item out of a draft."""
    _definer()
    item = db.get_or_404(QuestionnaireItem, item_id)
    back = url_for("programme.questionnaire_version", version_id=item.version_id) + "#items"
    return redirect(
        submit_and_return(
            FlaskForm(), lambda: definitions.delete_item(current_user, item), _("The item is deleted."), back
        )
    )


@bp.route("/questionnaires/admin/versions/<int:version_id>/publish", methods=["POST"])
@roles_required(*DEFINERS)
def version_publish(version_id: int):
    """Publish a draft: it is asked from now on, and never changes."""
    _definer()
    version = db.get_or_404(QuestionnaireVersion, version_id)
    return redirect(
        submit_and_return(
            FlaskForm(),
            lambda: definitions.publish(current_user, version),
            _("Version %(number)d is published: it is asked from now on.", number=version.number),
            url_for("programme.questionnaire_version", version_id=version.id),
        )
    )


@bp.route("/questionnaires/admin/<int:questionnaire_id>/versions", methods=["POST"])
@roles_required(*DEFINERS)
def version_new(questionnaire_id: int):
    """A new draft, copied from the latest version."""
    _definer()
    questionnaire = db.get_or_404(Questionnaire, questionnaire_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        draft = definitions.new_version(current_user, questionnaire)
    except DomainError as error:
        show_domain_error(None, error)
        return redirect(url_for("programme.questionnaire_list"))
    db.session.commit()
    flash(
        _(
            "Version %(number)d is a draft, a copy of the previous one: change it, then publish it.",
            number=draft.number,
        ),
        "success",
    )
    return redirect(url_for("programme.questionnaire_version", version_id=draft.id))


@bp.route("/questionnaires/admin/versions/<int:version_id>/discard", methods=["POST"])
@roles_required(*DEFINERS)
def version_discard(version_id: int):
    """Delete a draft."""
    _definer()
    version = db.get_or_404(QuestionnaireVersion, version_id)
    return redirect(
        submit_and_return(
            FlaskForm(),
            lambda: definitions.discard_draft(current_user, version),
            _("The draft is deleted."),
            url_for("programme.questionnaire_list"),
            refused=url_for("programme.questionnaire_version", version_id=version.id),
        )
    )


@bp.route("/questionnaires/admin/<int:questionnaire_id>/moments", methods=["POST"])
@roles_required(*DEFINERS)
def moment_add(questionnaire_id: int):
    """Ask the questionnaire at one more moment of the path."""
    _definer()
    questionnaire = db.get_or_404(Questionnaire, questionnaire_id)
    form = MomentForm()
    back = request.form.get("version_id", type=int)
    target = (
        url_for("programme.questionnaire_version", version_id=back) + "#moments"
        if back
        else url_for("programme.questionnaire_list")
    )
    return redirect(
        submit_and_return(
            form,
            lambda: definitions.add_moment(current_user, questionnaire, form.moment.data, form.weeks.data),
            _("The moment is added."),
            target,
        )
    )


@bp.route("/questionnaires/admin/moments/<int:moment_id>/remove", methods=["POST"])
@roles_required(*DEFINERS)
def moment_remove(moment_id: int):
    """No longer ask the questionnaire at this moment."""
    _definer()
    moment = db.get_or_404(QuestionnaireMoment, moment_id)
    back = request.form.get("version_id", type=int)
    target = (
        url_for("programme.questionnaire_version", version_id=back) + "#moments"
        if back
        else url_for("programme.questionnaire_list")
    )
    return redirect(
        submit_and_return(
            FlaskForm(), lambda: definitions.remove_moment(current_user, moment), _("The moment is removed."), target
        )
    )
