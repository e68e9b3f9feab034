"""Moderators' pages and actions, and the readers' report form.

Every moderator view is wrapped in moderator_required: anonymous visitors are sent to log
in, readers get 403. Actions on a comment answer htmx with the comment's card (so the
thread changes in place) and plain posts with a 303 to the queue or back to the comment.
The audit log has no route that changes or deletes an entry.
"""
from functools import wraps

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..arguments import parse_id, parse_page
from ..catalogue.roles import role_or_404
from ..discussion import threads
from ..discussion.visibility import comment_or_404, is_published
from ..extensions import db
from ..formatting import naming
from ..htmx import after_swap, fragment_or_page, is_htmx
from ..limits import take_token
from ..models import Comment, Role, User
from . import actions, audit, bp, reports
from .forms import ActionForm, AskAgainForm, AuditFilterForm, DeleteForm, HideForm, LockForm, ReportForm, SuspendForm


def moderator_required(view):
    """Send anonymous visitors to log in and refuse everyone but moderators with 403."""

    @wraps(view)
    @login_required
    def guarded(*args, **kwargs):
        if not current_user.is_moderator:
            abort(403)
        return view(*args, **kwargs)

    return guarded


def _undeleted_or_404(comment_id: int) -> Comment:
    """A comment a moderator may act on: any (they see every one) but a "comment deleted"
    placeholder."""
    comment = comment_or_404(comment_id, current_user)
    if comment.deleted_at is not None:
        abort(404)
    return comment


def _card(comment: Comment, **context) -> str:
    return render_template(
        "discussion/_comment.html", node=threads.single_node(comment), role=comment.role, inline=True, **context
    )


def _heading(role: Role) -> str:
    """The thread's count, sent out of band: hiding, restoring or deleting changes it."""
    return render_template("discussion/_heading.html", role=role, count=threads.visible_count(role.id), oob=True)


def _card_or_page(comment: Comment, heading: str, status: int = 200, **context):
    """The comment's card with a form under it for htmx, else a page holding the card."""
    return fragment_or_page(
        "discussion/_comment.html", "discussion/page.html", status,
        heading=heading, node=threads.single_node(comment), role=comment.role, inline=is_htmx(), **context,
    )


def _done(comment: Comment, form: ActionForm, message: str, removed_id: int | None = None):
    """Answer a finished action on a comment: the new card (htmx), or a 303 back."""
    role = comment.role
    if is_htmx():
        if removed_id is not None:
            # The whole branch went: retarget from the card to the branch's list item.
            gone = _heading(role), 200, {"HX-Retarget": f"#comment-{removed_id}", "HX-Reswap": "outerHTML"}
            return after_swap(gone, say=message, focus="#comments-heading")
        return after_swap(_card(comment) + _heading(role), say=message, focus=f"#card-{comment.id}")
    flash(message, "success")
    if form.from_queue:
        return redirect(url_for(".queue"), code=303)
    if removed_id is not None:
        return redirect(url_for("catalogue.role", slug=role.slug, _anchor="comments"), code=303)
    return redirect(url_for("discussion.show_comment", comment_id=comment.id), code=303)


def _act(comment_id: int, perform, message: str, applies=lambda comment: True):
    """Run a one-button action on a comment the action applies to (else 404), then answer."""
    comment = _undeleted_or_404(comment_id)
    if not applies(comment):
        abort(404)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    removed_id = perform(comment, current_user)
    db.session.commit()
    return _done(comment, form, str(message), removed_id)


@bp.post("/comments/<int:comment_id>/hide")
@moderator_required
def hide(comment_id):
    """Hide a comment from readers, with the reason its author will read."""
    comment = _undeleted_or_404(comment_id)
    form = HideForm()
    form.name_for(comment)
    if form.validate_on_submit():
        actions.hide(comment, current_user, form.reason.data or "")
        db.session.commit()
        return _done(comment, form, _("The comment is hidden."))
    if not form.reason.errors:
        abort(400)
    return _card_or_page(comment, _("Hide a comment"), 422, hiding_form=form)


@bp.post("/comments/<int:comment_id>/restore")
@moderator_required
def restore(comment_id):
    """Give a hidden comment back to readers."""
    return _act(comment_id, actions.restore, _l("The comment is back."))


@bp.post("/comments/<int:comment_id>/approve")
@moderator_required
def approve(comment_id):
    """Publish a held comment."""
    return _act(comment_id, actions.approve, _l("The comment is published."), _is_held)


@bp.post("/comments/<int:comment_id>/reject")
@moderator_required
def reject(comment_id):
    """Delete a held comment without publishing it."""
    return _act(comment_id, actions.reject, _l("The held comment was rejected and deleted."), _is_held)


@bp.post("/comments/<int:comment_id>/answer")
@moderator_required
def mark_answer(comment_id):
    """Mark a reply as its thread's answer."""
    return _act(comment_id, actions.mark_answer, _l("Marked as the answer."), _is_reply)


@bp.post("/comments/<int:comment_id>/not-answer")
@moderator_required
def unmark_answer(comment_id):
    """Take the answer mark off a reply."""
    return _act(comment_id, actions.unmark_answer, _l("No longer marked as the answer."))


@bp.post("/comments/<int:comment_id>/dismiss")
@moderator_required
def dismiss(comment_id):
    """Close a comment's reports and keep the comment as it is."""
    return _act(comment_id, actions.dismiss_reports, _l("The reports are closed; the comment stays."))


def _is_held(comment: Comment) -> bool:
    return comment.held_reason is not None


def _is_reply(comment: Comment) -> bool:
    # A question cannot be its own answer; nor can a comment readers do not see.
    return comment.parent_id is not None and is_published(comment)


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
@moderator_required
def delete(comment_id):
    """Delete a comment for good, after asking once."""
    comment = _undeleted_or_404(comment_id)
    form = DeleteForm(back=request.args.get("back"))
    form.name_for(comment)
    if form.validate_on_submit():
        removed_id = actions.delete_for_good(comment, current_user, form.reason.data or "")
        db.session.commit()
        return _done(comment, form, _("The comment was deleted for good."), removed_id)
    return fragment_or_page(
        "moderation/_delete_confirm.html", "discussion/page.html", 422 if form.errors else 200,
        heading=_("Delete a comment for good"), comment=comment, role=comment.role, form=form, inline=is_htmx(),
    )


@bp.route("/comments/<int:comment_id>/report", methods=["GET", "POST"])
@login_required
def report(comment_id):
    """Report a comment to the moderators (under the comment with htmx, else on a page)."""
    comment = comment_or_404(comment_id, current_user)
    # Only what everyone reads is reported, and never by its author.
    if comment.author_id == current_user.id or not is_published(comment):
        abort(404)
    heading = _("Report a comment")
    already = _l("You have already reported this comment. Thank you: a moderator will look at it.")
    if reports.has_reported(comment, current_user):
        return _card_or_page(comment, heading, report_note=already)
    form = ReportForm()
    form.name_for(comment)
    refusal = reports.report_refusal(current_user)
    if refusal is None and form.validate_on_submit():
        if not take_token("REPORT_RATE_LIMIT", "report", current_user.id):
            form.details.errors = [_("You have sent many reports in a short time. Wait a while, then send it again: what you wrote is kept.")]
            return _card_or_page(comment, heading, 429, report_form=form)
        if not reports.file_report(comment, current_user, form.reason.data, form.details.data or ""):
            return _card_or_page(comment, heading, report_note=already)
        db.session.commit()
        thanks = _("Thank you for reporting this comment. A moderator will look at it; until then it stays.")
        if is_htmx():
            return after_swap(_card(comment, report_note=thanks), say=thanks, focus=f"#card-{comment.id}")
        flash(thanks, "success")
        return redirect(url_for("discussion.show_comment", comment_id=comment.id), code=303)
    if refusal is not None:  # said beside what they wrote, which stays
        form.details.errors = [refusal]
        return _card_or_page(comment, heading, 403, report_form=form)
    return _card_or_page(comment, heading, 422 if form.errors else 200, report_form=form)


@bp.route("/comments/<int:comment_id>/ask-again", methods=["GET", "POST"])
@login_required
def ask_again(comment_id):
    """Ask the moderators to look again at one's own hidden comment (it joins the queue)."""
    comment = comment_or_404(comment_id, current_user)
    if comment.author_id != current_user.id or comment.hidden_at is None:
        abort(404)
    heading = _("Ask the moderators to look again")
    asked = _("You have asked the moderators to look again. They will restore the comment or leave it hidden.")
    if reports.has_reported(comment, current_user):
        return _card_or_page(comment, heading, report_note=asked)
    form = AskAgainForm()
    form.name_for(comment)
    if form.validate_on_submit():
        reports.file_report(comment, current_user, reports.REVIEW, form.details.data or "")
        db.session.commit()
        if is_htmx():
            return after_swap(_card(comment, report_note=asked), say=asked, focus=f"#card-{comment.id}")
        flash(asked, "success")
        return redirect(url_for("discussion.show_comment", comment_id=comment.id), code=303)
    return _card_or_page(comment, heading, 422 if form.errors else 200, ask_again_form=form)


@bp.get("/")
@moderator_required
def queue():
    """List reported comments, held comments and the latest comments across all role pages."""
    return render_template(
        "moderation/queue.html",
        reported=reports.reported_comments(),
        held=reports.held_comments(),
        recent=reports.recent_comments(),
    )


@bp.get("/audit")
@moderator_required
def audit_log():
    """Show the audit log, newest first, filtered by action and moderator."""
    form = AuditFilterForm(request.args)
    form.offer_moderators(audit.moderators_in_log())
    moderator_id = parse_id(form.moderator.data)
    action = form.action.data if form.action.data in actions.ACTIONS else None
    entries = audit.audit_entries(parse_page(request.args.get("page")), action, moderator_id)
    return render_template("moderation/audit.html", form=form, entries=entries, action=action, moderator_id=moderator_id)


def _back_to_thread(role: Role):
    return redirect(url_for("catalogue.role", slug=role.slug, _anchor="comments"), code=303)


@bp.route("/roles/<slug>/lock", methods=["GET", "POST"])
@moderator_required
def lock(slug):
    """Close a role page's discussion to new comments and replies, saying why."""
    role = role_or_404(slug)
    form = LockForm()
    if form.validate_on_submit():
        actions.lock_thread(role, current_user, form.reason.data)
        db.session.commit()
        flash(_("The discussion is locked."), "success")
        return _back_to_thread(role)
    return render_template("moderation/lock.html", role=role, form=form), 422 if form.errors else 200


@bp.post("/roles/<slug>/unlock")
@moderator_required
def unlock(slug):
    """Open a locked discussion again."""
    role = role_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    actions.unlock_thread(role, current_user)
    db.session.commit()
    flash(_("The discussion is open again."), "success")
    return _back_to_thread(role)


def _user_page(person: User, form: SuspendForm, status: int = 200):
    return render_template(
        "moderation/user.html",
        person=person,
        form=form,
        refusal=actions.suspension_refusal(person, current_user),
        comments=reports.recent_comments(author=person),
        entries=audit.entries_about(person),
    ), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@moderator_required
def user(user_id):
    """Show a user's comments and standing; suspend them from commenting."""
    person = db.get_or_404(User, user_id)
    form = SuspendForm()
    if form.validate_on_submit():
        refusal = actions.suspension_refusal(person, current_user)
        if refusal is None:
            actions.suspend(person, current_user, form.days.data, form.reason.data)
            db.session.commit()
            flash(naming(_("%(name)s cannot comment now."), name=person), "success")
            return redirect(url_for(".user", user_id=person.id), code=303)
        form.reason.errors.append(refusal)
    return _user_page(person, form, 422 if form.errors else 200)


@bp.post("/users/<int:user_id>/lift")
@moderator_required
def lift(user_id):
    """Let a suspended user comment again."""
    person = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    actions.lift_suspension(person, current_user)
    db.session.commit()
    flash(naming(_("%(name)s can comment again."), name=person), "success")
    return redirect(url_for(".user", user_id=person.id), code=303)
