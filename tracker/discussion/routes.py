from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from ..arguments import parse_id, parse_page
from ..auth.routes import login_first
from ..catalogue.parts import role_page_context
from ..catalogue.roles import role_or_404
from ..extensions import db
from ..htmx import after_swap, fragment_or_page, is_htmx
from ..limits import take_token
from ..models import Comment
from . import bp, drafts, threads
from .forms import CommentForm, DeleteCommentForm, EditCommentForm, MarkReadForm
from .notifications import latest_notifications, mail_news_of, mark_read
from .signals import comment_written
from .templating import comment_card
from .visibility import comment_or_404


COMMENT_URL = "/comments/<int:comment_id>"  # bounded to what an id column holds (arguments.IdConverter)


def _fragment_or_page(fragment: str, heading: str, status: int = 200, **context):
    """The fragment for htmx (inline, in place of what asked for it), else a page holding
    it under `heading`."""
    return fragment_or_page(fragment, "discussion/page.html", status, heading=heading, inline=is_htmx(), **context)


def _own_comment_or_404(comment_id: int) -> Comment:
    comment = comment_or_404(comment_id, current_user)
    if comment.author_id != current_user.id or comment.deleted_at is not None:
        abort(404)
    return comment


def _permalink(comment: Comment, order: str = threads.ORDERS[0]) -> str:
    page = threads.page_of(comment, order)
    return url_for(
        "catalogue.role",
        slug=comment.role.slug,
        page=threads.page_param(page),
        order=threads.order_param(order),
        _anchor=f"comment-{comment.id}",
    )


def _comment_card(comment: Comment) -> Markup:
    return comment_card(threads.single_node(comment), comment.role)


def _reply_page(form: CommentForm, status: int = 200, **context):
    """The comment answered with the reply form under it (htmx: the card; else a page)."""
    answered = form.parent
    if answered is None:  # gone or never there: only the form, with its message
        return _fragment_or_page("discussion/_comment_form.html", _("Reply"), status, form=form, role=form.role, **context)
    form.name_for_reply(answered)
    return _fragment_or_page(
        "discussion/_comment.html",
        _("Reply to %(name)s", name=answered.author.display_name),
        status,
        node=threads.single_node(answered),
        role=answered.role,
        answered=answered,
        reply_form=form,
        refusal=threads.posting_refusal(current_user, answered.role),
        **context,
    )


@bp.get("/roles/<slug>/comments")
def thread_page(slug):
    """Show a further page of a role page's threads (htmx appends it under the last)."""
    page = parse_page(request.args.get("page"))
    order = threads.parse_order(request.args.get("order"))
    if not is_htmx():
        return redirect(
            url_for(
                "catalogue.role", slug=slug, page=threads.page_param(page), order=threads.order_param(order),
                _anchor="comments",
            )
        )
    role = role_or_404(slug)
    cursor = threads.parse_cursor(request.args.get("after"), request.args.get("upto"))
    # Drawn per request: a made-up cursor keeps nothing.
    thread = threads.thread_page(role, page, order, cursor)
    return render_template("discussion/_page.html", role=role, thread=thread)


@bp.post("/roles/<slug>/comments")
def post_comment(slug):
    """Post a comment, or a reply to the comment named by parent_id."""
    role = role_or_404(slug)
    if not current_user.is_authenticated:
        return _keep_until_logged_in(role)
    form = CommentForm(role)
    order = threads.parse_order(request.form.get("order"))
    status = 422
    if form.validate_on_submit():
        earlier = threads.sent_before(current_user, form.submission_key)
        if earlier is not None:  # sent twice (a double tap, a retry): stored once
            return _posted(role, earlier, form, order, again=True)
        refusal = threads.refuse_post(current_user, role, request.remote_addr or "")
        if refusal is None:
            comment = threads.post_once(
                role, current_user, form.body.data, form.parent, form.submission_key, form.show_stage.data
            )
            if comment is None:  # the same form, sent at the same moment, was stored first
                db.session.rollback()
                return _posted(role, threads.sent_before(current_user, form.submission_key), form, order, again=True)
            comment_written.send(current_app._get_current_object(), comment=comment)
            mail_news_of(comment)
            db.session.commit()
            return _posted(role, comment, form, order)
        form.body.errors.append(refusal.message)
        status = refusal.status
    if is_htmx():
        # The inline form replaces itself, messages and typed text included.
        if form.parent is not None:
            form.name_for_reply(form.parent)
        return render_template(
            "discussion/_comment_form.html", form=form, role=role, answered=form.parent, order=order, inline=True
        )
    if form.parent_id.data:
        return _reply_page(form, status, order=order)
    page = render_template(
        "catalogue/role.html", role=role, comment_form=form, **role_page_context(role, current_user, {"order": order})
    )
    return page, status


def _keep_until_logged_in(role):
    """The login ended (elsewhere) while this was typed: keep the text, and after logging
    in again open its form with it (drafts.py), with and without JavaScript."""
    parent_id = parse_id(request.form.get("parent_id"))
    parent = db.session.get(Comment, parent_id) if parent_id else None
    if parent is not None and (parent.role_id != role.id or parent.deleted_at is not None):
        parent = None
    next_path = (url_for(".reply_form", comment_id=parent.id) if parent
                 else url_for(".new_comment", slug=role.slug))
    body = request.form.get("body", "")
    if not body.strip() or not take_token("DRAFT_ADDRESS_RATE_LIMIT", "draft", request.remote_addr or ""):
        return login_first(next_path)
    token = drafts.keep(role, parent, body)
    db.session.commit()
    response = make_response(login_first(next_path))
    response.set_cookie(
        drafts.COOKIE, token, max_age=int(drafts.KEPT_FOR.total_seconds()), path="/", samesite="Lax", httponly=True
    )
    return response


def _put_back(form: CommentForm, parent: Comment | None) -> dict:
    """Put a kept text (drafts.py) into `form`, and say so on the page; the cookie naming
    it is dropped by _forget_draft once the page is drawn. Only on a whole page, where
    the notice stands (discussion/page.html): logging in again lands on one."""
    if is_htmx():
        return {}
    body = drafts.take(request.cookies.get(drafts.COOKIE), form.role, parent)
    if body is None:
        return {}
    db.session.commit()
    form.body.data = body
    return {"notice": _("What you typed before you had to log in again is back in the form. Check it, then send it.")}


def _forget_draft(response, notice: dict):
    response = make_response(response)
    if notice:
        response.delete_cookie(drafts.COOKIE, path="/", samesite="Lax", httponly=True)
    return response


@bp.get("/roles/<slug>/comments/new")
@login_required
def new_comment(slug):
    """Show the form for a comment on a role's thread on a page of its own (where a
    comment typed before logging in again comes back)."""
    role = role_or_404(slug)
    form = CommentForm(role, formdata=None)
    notice = _put_back(form, None)
    page = _fragment_or_page(
        "discussion/_comment_form.html", _("Your comment"), form=form, role=role, answered=None, **notice
    )
    return _forget_draft(page, notice)


def _posted(role, comment: Comment, form: CommentForm, order: str, again: bool = False):
    """After a post: back to the comment, or for htmx a fresh form with the comment put in
    place (only once: a form sent again puts nothing in, its first answer did)."""
    if not is_htmx():
        return redirect(_permalink(comment, order), code=303)
    said = _("Your reply is posted.") if form.parent is not None else _("Your comment is posted.")
    if comment.held_reason:  # "posted" alone would not say why no one else sees it yet
        said = _("Posted, and held until a moderator has looked at it: until then only you see it.")
    return after_swap(render_template(
        "discussion/_posted.html",
        role=role,
        node=threads.single_node(comment),
        answered=form.parent,
        form=CommentForm(role, formdata=None),
        order=order,
        count=threads.visible_count(role.id),
        again=again,
    ), say=said, focus=f"#card-{comment.id}")


@bp.get(COMMENT_URL)
def show_comment(comment_id):
    """Go to a comment on its role page, on whichever page of the thread it is."""
    comment = comment_or_404(comment_id, current_user)
    if is_htmx():
        return _comment_card(comment)
    return redirect(_permalink(comment, threads.parse_order(request.args.get("order"))))


@bp.get(f"{COMMENT_URL}/reply")
@login_required
def reply_form(comment_id):
    """Show the form to reply to a comment, under that comment."""
    comment = comment_or_404(comment_id, current_user)
    if comment.deleted_at is not None:
        abort(404)

    form = CommentForm(comment.role, formdata=None)
    form.parent = comment
    notice = _put_back(form, comment)
    return _forget_draft(_reply_page(form, **notice), notice)


@bp.route(f"{COMMENT_URL}/edit", methods=["GET", "POST"])
@login_required
def edit_comment(comment_id):
    """Change the text of one's own comment, within the edit window."""
    comment = _own_comment_or_404(comment_id)
    form = EditCommentForm(data={"body": comment.body_source})
    form.name_for(comment)
    refusal = threads.edit_refusal(comment, current_user)
    status = 422 if request.method == "POST" else 200
    if refusal is None and form.validate_on_submit():
        refusal = threads.refuse_edit_now(current_user)
        if refusal is None:
            threads.edit_comment(comment, form.body.data)
            comment_written.send(current_app._get_current_object(), comment=comment)
            db.session.commit()
            if is_htmx():
                return after_swap(_comment_card(comment), say=_("Your comment is saved."), focus=f"#card-{comment.id}")
            return redirect(_permalink(comment), code=303)
        status = 429
    if refusal:
        form.body.errors = [*form.body.errors, refusal]
    return _fragment_or_page(
        "discussion/_edit_form.html", _("Edit your comment"), status, form=form, comment=comment, role=comment.role
    )


@bp.route(f"{COMMENT_URL}/delete", methods=["GET", "POST"])
@login_required
def delete_comment(comment_id):
    """Delete one's own comment, after asking once."""
    comment = _own_comment_or_404(comment_id)
    form = DeleteCommentForm()
    if not form.validate_on_submit():
        return _fragment_or_page(
            "discussion/_delete_form.html", _("Delete your comment"), comment=comment, form=form, role=comment.role
        )
    role = comment.role
    removed_id = threads.delete_comment(comment)
    db.session.commit()
    if not is_htmx():
        flash(_("Your comment was deleted."), "success")
        if removed_id is None:
            return redirect(_permalink(comment), code=303)
        return redirect(url_for("catalogue.role", slug=role.slug, _anchor="comments"), code=303)
    heading = render_template("discussion/_heading.html", role=role, count=threads.visible_count(role.id), oob=True)
    said = _("Your comment was deleted.")
    if removed_id is None:
        # The card is Markup: adding the heading as a str would escape it into visible text.
        return after_swap(_comment_card(comment) + Markup(heading), say=said, focus=f"#card-{comment.id}")  # nosec B704: autoescaped
    # The whole branch goes: retarget from the card to the branch's list item.
    gone = heading, 200, {"HX-Retarget": f"#comment-{removed_id}", "HX-Reswap": "outerHTML"}
    return after_swap(gone, say=said, focus="#comments-heading")


@bp.get("/notifications")
@login_required
def notifications():
    """List replies to the user's comments, newest first."""
    items = latest_notifications(current_user)
    newest = max((item.id for item in items), default=None)
    form = MarkReadForm(formdata=None, data={"up_to": newest})
    return render_template("discussion/notifications.html", notifications=items, form=form)


@bp.post("/notifications/read")
@login_required
def mark_notifications_read():
    """Mark the notifications that were shown as read."""
    form = MarkReadForm()
    up_to = parse_id(form.up_to.data)
    if form.validate_on_submit() and up_to is not None:
        mark_read(current_user, up_to)
        db.session.commit()
    if is_htmx():
        return "", 204
    return redirect(url_for(".notifications"), code=303)
