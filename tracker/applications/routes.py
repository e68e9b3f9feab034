from datetime import timedelta

import sqlalchemy as sa
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from .. import caching
from ..arguments import parse_id, parse_page
from ..auth.users import safe_next_path
from ..extensions import db
from ..catalogue.search import RoleQuery, roles_matching
from ..htmx import after_swap, fragment_or_page, is_htmx
from ..limits import take_token
from ..models import Role
from . import bp, fit, import_jobs, overview, pay, stages
from .preparation import preparation, tick_skills
from .export import applications_csv
from .importing import ImportRefused, count_rows, import_rows, read_csv
from .forms import (
    ConfirmForm, DetailsForm, ImportForm, InterviewEditForm, InterviewForm, JobForm, OutcomeForm, PayShareForm,
    PreparationForm, ProofForm, ReopenForm, SaveRoleForm, StatusForm,
)
from .tracking import (
    Flags,
    TransitionError,
    add_interview,
    change_status,
    get_own_application_or_404,
    get_own_interview_or_404,
    interview_refusal,
    local_to_utc,
    local_today,
    record_outcome,
    remove_application,
    remove_interview,
    reopen,
    save_role,
    stage_before_closing,
    update_interview,
    track_job,
    update_details,
)

# How many catalogue roles are suggested for a typed job title.
SUGGESTIONS = 5


@bp.before_request
def require_login():
    """Send visitors to log in first; every page here belongs to someone."""
    if current_user.is_authenticated:
        return None
    return current_app.login_manager.unauthorized()


def first_error(form) -> str:
    """The first message of a form that failed, for a fragment with room for only one."""
    return next(iter(form.errors.values()))[0]


def done(message: str, category: str, target: str):
    """Finish a successful plain POST: flash and 303 (htmx swaps in place and gets no flash)."""
    flash(message, category)
    return redirect(target, code=303)


@bp.route("/")
def index():
    """List my applications with what is coming up and my funnel; htmx asks only for the list."""
    status_filter = request.args.get("status", "")
    filter_error = None
    if status_filter not in overview.FILTERS:
        filter_error = _("There is no stage called “%(status)s”; showing all applications.", status=status_filter)
        status_filter = ""
    sort = request.args.get("sort", overview.DEFAULT_SORT)
    if sort not in overview.SORTS:
        sort = overview.DEFAULT_SORT
    page = parse_page(request.args.get("page"))
    words = request.args.get("q", "").strip()[:200]
    flags = Flags.now()
    context = {
        "words": words,
        "status_filter": status_filter,
        "filter_error": filter_error,
        "sort": sort,
        "flags": flags,
        "sorts": overview.SORTS,
    }
    if is_htmx():
        applications = overview.list_applications(current_user.id, status_filter, sort, page, words)
        listed = render_template("applications/_list.html", applications=applications, **context)
        found = ngettext("%(num)d application", "%(num)d applications", applications.total)
        return after_swap(listed, say=found)

    def draw_overview() -> str:
        return render_template(
            "applications/_overview.html",
            applications=overview.list_applications(current_user.id, status_filter, sort, page, words),
            counts=overview.status_counts(current_user.id),
            upcoming=overview.upcoming(current_user.id, flags.today),
            closing_soon=overview.closing_soon(current_user.id, flags.today),
            funnel=overview.funnel(current_user.id),
            **context,
        )

    # The first page, as the tracker links to it, is kept until an application changes.
    kept = not filter_error and page == 1 and not words and set(request.args) <= {"status", "sort", "q"}
    if kept:
        # The list shows the reader's fit for each role: a changed profile draws it again.
        profile = fit.Profile.of(current_user).digest
        drawn = caching.for_this_session(
            caching.tracker_key(current_user, flags.today, status_filter, sort, profile), draw_overview
        )
    else:
        drawn = draw_overview()
    return render_template("applications/index.html", overview=Markup(drawn), **context)  # nosec B704: autoescaped


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Save a role to my tracker (one click from the catalogue, or with an organisation here)."""
    form = SaveRoleForm()
    if request.method == "GET":
        form.role_id.data = parse_id(request.args.get("role_id"))
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        application, created = save_role(
            current_user.id, form.role_id.data, form.organisation.data, again=form.again.data == "y"
        )
        db.session.commit()
        if is_htmx():
            saved = render_template(
                "applications/_save_button.html", role=application.role, saved_id=application.id, created=created
            )
            said = _("Saved to your tracker.") if created else _("This role is already in your tracker.")
            return after_swap(saved, say=said, focus=f"#save-role-{application.role_id}")
        next_path = safe_next_path(form.next.data)
        if created:
            return done(_("Saved to your tracker."), "success",
                        next_path or url_for(".show", application_id=application.id))
        if next_path and not form.organisation.data:
            return done(_("This role is already in your tracker."), "info", next_path)
        # An organisation typed on purpose: warn on this page and offer the one already tracked.
        return _new_page(form, existing=application)
    if request.method == "POST" and is_htmx():  # the save button, refused
        role = db.session.get(Role, form.role_id.data) if form.role_id.data else None
        return render_template("applications/_save_button.html", role=role, error=first_error(form))
    return _new_page(form, existing=None)


def _all_roles() -> list[SelectChoice]:
    roles = db.session.execute(sa.select(Role.id, Role.title).order_by(Role.title_sort_key.collate("C"))).all()
    return [SelectChoice(id, title) for id, title in roles]


def _new_page(form, existing):
    form.role_id.choices = [SelectChoice("", _("Choose a role"))] + _all_roles()
    return render_template("applications/new.html", form=form, existing=existing)


def suggest_roles(form) -> list[SelectChoice]:
    """Offer the catalogue roles matching the typed title first, then every role (two queries)."""
    every = [SelectChoice("", _("None"))] + _all_roles()
    title = form.title.data or ""
    suggested = []
    if title.strip():
        matching = roles_matching(RoleQuery(words=title)).with_only_columns(Role.id, Role.title).limit(SUGGESTIONS)
        suggested = [SelectChoice(id, title) for id, title in db.session.execute(matching)]
    if not suggested:
        form.role_id.choices = every
    else:
        form.role_id.choices = {
            _("Matching “%(title)s”", title=title): suggested,
            _("Every role"): every,
        }
    return suggested


@bp.route("/add", methods=["GET", "POST"])
def add():
    """Track any job, found anywhere; as its title is typed, htmx asks for matching roles."""
    form = JobForm(formdata=request.form if request.method == "POST" else request.args)
    if request.method == "GET":
        suggested = suggest_roles(form)
        if is_htmx():
            # Said only when roles match: a word on every keystroke would drown the typing.
            found = ngettext("%(num)d catalogue role matches", "%(num)d catalogue roles match", len(suggested))
            role_field = render_template("applications/_role_field.html", form=form, suggested=suggested)
            return after_swap(role_field, say=found if suggested else "")
        return render_template("applications/add.html", form=form, suggested=suggested, existing=None)
    existing = None
    if form.validate_on_submit():
        job = form.job()
        application, created = track_job(current_user.id, again=form.again.data == "y", **job)
        if created:
            db.session.commit()
            return done(_("Saved to your tracker."), "success", url_for(".show", application_id=application.id))
        existing = application
    return render_template("applications/add.html", form=form, suggested=suggest_roles(form), existing=existing)


def _application_page(application, outcome_forms=None, edit_forms=None, interview_form=None, closing=None, **forms):
    """Render an application's page; forms passed in (with their errors) replace fresh ones.
    With `closing`, the stage form asks whether to close the application at that stage."""
    forms.setdefault("details_form", DetailsForm(application, formdata=None))
    forms.setdefault("status_form", StatusForm(formdata=None))
    forms.setdefault("pay_share_form", PayShareForm(formdata=None, share=application.pay_shared_at is not None))
    forms["status_form"].status.choices = _status_choices(application)
    if "reopen_form" not in forms:
        forms["reopen_form"] = ReopenForm(formdata=None, prefix="reopen", status=stage_before_closing(application))
    forms["reopen_form"].status.choices = _open_stages()
    suggest_roles(forms["details_form"])
    return render_template(
        "applications/show.html", flags=Flags.now(), closing=closing, **forms,
        preparation=preparation(application), preparation_form=PreparationForm(formdata=None),
        **_interviews(application, outcome_forms, edit_forms, interview_form),
    )


def _interviews(application, outcome_forms=None, edit_forms=None, interview_form=None) -> dict:
    """What the interviews' part of the page draws (_interview_section.html): forms passed
    in (with their errors) replace fresh ones."""
    fresh_outcome_forms = {
        interview.id: OutcomeForm(formdata=None, prefix=f"interview-{interview.id}", obj=interview)
        for interview in application.interviews
    }
    fresh_edit_forms = {
        interview.id: InterviewEditForm.of(interview, formdata=None) for interview in application.interviews
    }
    return {
        "application": application,
        "interview_refusal": interview_refusal(application),
        "interview_form": interview_form or InterviewForm(formdata=None),
        "outcome_forms": fresh_outcome_forms | (outcome_forms or {}),
        "edit_forms": fresh_edit_forms | (edit_forms or {}),
    }


def _open_stages():
    return [SelectChoice(status, stages.label(status)) for status in stages.PIPELINE if stages.is_open(status)]


def _status_choices(application):
    return [SelectChoice(status, stages.label(status)) for status in stages.allowed_next(application.status)]


def _move(application) -> tuple[StatusForm, bool]:
    """Apply a posted StatusForm to an application and commit the move; the form carries any
    refusal as an error. True beside it when the move closes the application and was not
    yet confirmed: its question is asked next, and nothing has moved."""
    form = StatusForm()
    form.status.choices = _status_choices(application)
    if not form.validate_on_submit():
        return form, False
    if stages.is_final(form.status.data) and not form.final.data and stages.can_move(application.status, form.status.data):
        return form, True
    try:
        change_status(application, form.status.data, current_user.id, form.note.data)
    except TransitionError as error:
        form.status.errors.append(str(error))
    else:
        db.session.commit()
    return form, False


def _closing_question(status: str) -> str:
    return _("“%(stage)s” closes this application. Close it?", stage=stages.label(status))


@bp.route("/<int:application_id>")
def show(application_id):
    """Show one application: its details, timeline and interviews."""
    return _application_page(get_own_application_or_404(application_id, current_user.id))


@bp.get("/<int:application_id>/<any(details, status, interviews, reopen, share, preparation):form>")
@bp.get("/<int:application_id>/interviews/<int:interview_id>/edit")
@bp.get("/<int:application_id>/interviews/<int:interview_id>/outcome")
def back_to_application(application_id, **form):
    """The address a form on the application's page posts to, opened again (a reload, or
    the language switch after a form error): the application's page."""
    application = get_own_application_or_404(application_id, current_user.id)
    return redirect(url_for(".show", application_id=application.id))


@bp.route("/<int:application_id>/details", methods=["POST"])
def edit(application_id):
    """Save the details of an application."""
    application = get_own_application_or_404(application_id, current_user.id)
    form = DetailsForm(application)
    if not form.validate_on_submit():
        return _application_page(application, details_form=form)
    update_details(application, **form.details())
    db.session.commit()
    if Flags.now().overdue(application):
        message, category = _("Saved. A date you gave has already passed, so it is marked overdue."), "warning"
    else:
        message, category = _("Saved."), "success"
    return done(message, category, url_for(".show", application_id=application.id))


@bp.route("/<int:application_id>/preparation", methods=["POST"])
def prepare(application_id):
    """Keep which of the guide's skills the member has prepared for the interview."""
    application = get_own_application_or_404(application_id, current_user.id)
    form = PreparationForm()
    if preparation(application) is None:  # no longer at the interview stage (another tab moved it)
        return done(_("This application is not at the interview stage any more."), "info",
                    url_for(".show", application_id=application.id))
    if not form.validate_on_submit():
        abort(400)
    tick_skills(application, form.skills.data)
    db.session.commit()
    if is_htmx():
        fragment = render_template(
            "applications/_preparation.html", application=application, preparation=preparation(application),
            preparation_form=PreparationForm(formdata=None),
        )
        return after_swap(fragment, say=_("Your preparation is saved."), focus="#preparation-heading")
    return done(_("Your preparation is saved."), "success", url_for(".show", application_id=application.id, _anchor="preparation"))


@bp.route("/<int:application_id>/status", methods=["POST"])
def status(application_id):
    """Move an application to another stage."""
    application = get_own_application_or_404(application_id, current_user.id)
    form, asking = _move(application)
    if asking:
        return _application_page(application, status_form=form, closing=form.status.data)
    if form.errors:
        return _application_page(application, status_form=form)
    return done(
        _("Moved to “%(stage)s”.", stage=stages.label(application.status)), "success",
        safe_next_path(form.next.data) or url_for(".show", application_id=application.id),
    )


@bp.post("/<int:application_id>/reopen")
def reopen_application(application_id):
    """Open a closed application again at an open stage, with a note; the timeline keeps both."""
    application = get_own_application_or_404(application_id, current_user.id)
    form = ReopenForm(prefix="reopen")
    if form.validate_on_submit():
        try:
            reopen(application, form.status.data, current_user.id, form.note.data)
        except TransitionError as error:
            form.status.errors.append(str(error))
        else:
            db.session.commit()
            return done(
                _("Reopened at “%(stage)s”.", stage=stages.label(application.status)), "success",
                url_for(".show", application_id=application.id),
            )
    return _application_page(application, reopen_form=form)


@bp.post("/<int:application_id>/share")
def share_pay(application_id):
    """Share an offer's pay, anonymously, towards its role's figures, or take it back."""
    application = get_own_application_or_404(application_id, current_user.id)
    form = PayShareForm()
    if not form.validate_on_submit():
        abort(400)
    if form.share.data and not pay.may_share(application):  # moved on since the page was drawn
        form.share.errors.append(_("Only an offer's pay, given in the details, for a catalogue role can be shared."))
        return _application_page(application, pay_share_form=form)
    pay.share_pay(application, form.share.data)
    db.session.commit()
    if form.share.data:
        return done(_("Your offer's pay is shared, anonymously."), "success",
                    url_for(".show", application_id=application.id))
    return done(_("Your offer's pay is not shared."), "success", url_for(".show", application_id=application.id))


@bp.route("/<int:application_id>/interviews", methods=["POST"])
def interview(application_id):
    """Add an interview to an application."""
    application = get_own_application_or_404(application_id, current_user.id)
    form = InterviewForm(applied_on=application.applied_on)
    refusal = interview_refusal(application) if form.validate_on_submit() else None
    if refusal:  # closed since the page was drawn
        form.day.errors.append(refusal)
    if form.errors:
        if is_htmx():  # the form comes back with its messages; js/after-swap.js focuses the first
            return render_template("applications/_interview_section.html", **_interviews(application, interview_form=form))
        return _application_page(application, interview_form=form)
    added = add_interview(application, local_to_utc(form.day.data, form.at.data), form.kind.data, form.notes.data)
    db.session.commit()
    if is_htmx():
        section = render_template("applications/_interview_section.html", **_interviews(application))
        return after_swap(section, say=_("Interview added."), focus=f"#interview-{added.id}")
    return done(_("Interview added."), "success", url_for(".show", application_id=application.id))


@bp.route("/<int:application_id>/interviews/<int:interview_id>/outcome", methods=["POST"])
def outcome(application_id, interview_id):
    """Record how an interview went."""
    application = get_own_application_or_404(application_id, current_user.id)
    interview = get_own_interview_or_404(application, interview_id)
    form = OutcomeForm(prefix=f"interview-{interview.id}")
    if not form.validate_on_submit():
        return _application_page(application, outcome_forms={interview.id: form})
    record_outcome(interview, form.outcome.data)
    db.session.commit()
    return done(_("Outcome saved."), "success", url_for(".show", application_id=application.id))


@bp.post("/<int:application_id>/interviews/<int:interview_id>/edit")
def edit_interview(application_id, interview_id):
    """Correct an interview's date, time, kind, notes or outcome."""
    application = get_own_application_or_404(application_id, current_user.id)
    interview = get_own_interview_or_404(application, interview_id)
    form = InterviewEditForm.of(interview)
    if not form.validate_on_submit():
        return _application_page(application, edit_forms={interview.id: form})
    update_interview(
        interview, local_to_utc(form.day.data, form.at.data), form.kind.data, form.notes.data, form.outcome.data
    )
    db.session.commit()
    return done(_("Interview saved."), "success", url_for(".show", application_id=application.id))


@bp.post("/<int:application_id>/interviews/<int:interview_id>/delete")
def delete_interview(application_id, interview_id):
    """Remove an interview entered by mistake, or called off."""
    application = get_own_application_or_404(application_id, current_user.id)
    interview = get_own_interview_or_404(application, interview_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    remove_interview(interview)
    db.session.commit()
    return done(_("The interview is removed."), "success", url_for(".show", application_id=application.id))


@bp.route("/<int:application_id>/delete", methods=["GET", "POST"])
def delete(application_id):
    """Ask to confirm, then remove an application with its whole history."""
    application = get_own_application_or_404(application_id, current_user.id)
    form = ConfirmForm()
    if form.validate_on_submit():
        remove_application(application)
        db.session.commit()
        return done(_("The application and its history are deleted."), "success", url_for(".index"))
    return fragment_or_page(
        "applications/_delete_confirm.html", "applications/delete.html", application=application, form=form
    )


@bp.route("/board")
def board():
    """Show my applications as cards in one column per stage."""
    return fragment_or_page(
        "applications/_board.html", "applications/board.html",
        columns=overview.board_columns(current_user.id), flags=Flags.now(), errors={}, confirming={},
    )


@bp.route("/board/<int:application_id>/move", methods=["POST"])
def move(application_id):
    """Move a card to another column; htmx gets the whole board back, so counts stay right."""
    application = get_own_application_or_404(application_id, current_user.id)
    form, asking = _move(application)
    if not form.errors and not asking and not is_htmx():
        return done(_("Moved to “%(stage)s”.", stage=stages.label(application.status)), "success", url_for(".board"))
    errors = {application.id: first_error(form)} if form.errors else {}
    # The card asks its question in place of the stage (without JavaScript, on the board's page).
    confirming = {application.id: form.status.data} if asking else {}
    board = fragment_or_page(
        "applications/_board.html", "applications/board.html",
        columns=overview.board_columns(current_user.id), flags=Flags.now(), errors=errors, confirming=confirming,
    )
    if not is_htmx():
        return board
    if confirming:  # said once, here: the question is no alert
        return after_swap(board, say=_closing_question(form.status.data), focus=f"#close-{application.id}-yes")
    if errors:  # the card's alert says why, so the live region stays quiet (one saying, not two)
        return after_swap(board, focus=f"#move-{application.id}")
    moved = _("Moved to “%(stage)s”.", stage=stages.label(application.status))
    return after_swap(board, say=moved, focus=f"#card-{application.id} a")


@bp.route("/export.csv")
def export():
    """Download my applications and their stage history as a CSV file."""
    response = Response(applications_csv(current_user.id), mimetype="text/csv")
    response.headers["Content-Disposition"] = "attachment; filename=my-applications.csv"
    return response


@bp.route("/import", methods=["GET", "POST"])
def import_csv():
    """Add applications from a CSV file: the export's format, or title, organisation, stage, applied date."""
    form = ImportForm()
    status = 200
    if form.validate_on_submit():
        if not take_token("IMPORT_RATE_LIMIT", "import", current_user.id):
            form.file.errors.append(_("You have imported as many files as an hour allows: try again in an hour."))
            status = 429
        else:
            try:
                return _import(form.file.data.read().decode("utf-8-sig"), form.skip_tracked.data)
            except UnicodeDecodeError:
                form.file.errors.append(_("The file is not UTF-8 text: save it as “CSV UTF-8” and try again."))
            except ImportRefused as refused:
                db.session.rollback()
                form.file.errors.extend(refused.errors)
    jobs = import_jobs.unfinished(current_user.id)
    return render_template("applications/import.html", form=form, jobs=jobs), status


def _import(text: str, skip_tracked: bool):
    """Import a short file now; keep a long one as a job, and show its page."""
    rows = count_rows(text)
    if rows > current_app.config["IMPORT_JOB_ROWS"]:
        job = import_jobs.start(current_user.id, text, rows, skip_tracked)
        db.session.commit()
        import_jobs.dispatch(job)
        return redirect(url_for(".import_job", job_id=job.id), code=303)
    added, skipped = import_rows(current_user.id, read_csv(text), skip_tracked)
    db.session.commit()
    return done(_imported(len(added), skipped), "success", url_for(".index"))


def _imported(count: int, skipped: int) -> str:
    said = ngettext("Imported %(num)s application.", "Imported %(num)s applications.", count)
    if skipped:
        said += " " + ngettext(
            "Skipped %(num)s job you already track.", "Skipped %(num)s jobs you already track.", skipped
        )
    return said


@bp.route("/import/<int:job_id>")
def import_job(job_id):
    """Show how far the import of a long file has got; htmx asks again every 2 s until it ends."""
    job = import_jobs.get_own_job_or_404(job_id, current_user.id)
    response = fragment_or_page("applications/_import_job.html", "applications/import_job.html", job=job)
    if is_htmx() and job.state == import_jobs.DONE:  # a refusal's mistakes are an alert of their own
        return after_swap(response, say=_imported(job.rows - job.skipped, job.skipped))
    return response


@bp.teardown_request
def _import_after_request(error):
    # A laptop without a worker: the job runs here, as mail is written after its request.
    if error is None:
        import_jobs.run_after_request()


# The range a proof of job search covers unless another is asked for.
PROOF_DAYS = 30


@bp.route("/proof")
def proof():
    """Show a print-ready record of every application and stage change between two days."""
    form = ProofForm(formdata=request.args or None)
    if not request.args:
        today = local_today()
        form.start.data, form.end.data = today - timedelta(days=PROOF_DAYS), today
    record = None
    if not request.args or form.validate():
        record = overview.proof_of_search(current_user.id, form.start.data, form.end.data)
    return render_template("applications/proof.html", form=form, record=record, today=local_today())
