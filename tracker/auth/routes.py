from urllib.parse import urlsplit, urlunsplit

from flask import Response, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, logout_user
from flask_login.utils import login_url

from ..extensions import csrf, db, limiter, login_manager
from ..htmx import is_htmx
from ..language import remember_choice
from . import bp
from .forms import LanguageForm, LoginForm, RegistrationForm
from .sessions import end_every_session, end_session, live_sessions, log_in, token_digest
from .users import find_user_by_email, register_user, safe_next_path


def _auth_limit():
    return current_app.config["AUTH_RATE_LIMIT"]


def _address_limit():
    return current_app.config["AUTH_ADDRESS_RATE_LIMIT"]


def _address_and_email() -> str:
    return f"{get_remote_address()} {request.form.get('email', '').strip().casefold()}"


def _form_again(form_class, template: str):
    """On too many tries, the same form back with what was typed (but the password) and why."""

    def on_breach(_limit):
        form = form_class()
        form.email.errors = [_("Too many attempts in a short time. Please wait a minute and try again.")]
        next_path = safe_next_path(request.values.get("next"))
        return make_response(render_template(template, form=form, next_path=next_path), 429)

    return on_breach


def _limited(form_class, template: str):
    """The limits on posting a form that takes a password."""
    on_breach = _form_again(form_class, template)

    def decorate(view):
        view = limiter.limit(_auth_limit, key_func=_address_and_email, methods=["POST"], on_breach=on_breach)(view)
        return limiter.limit(_address_limit, methods=["POST"], on_breach=on_breach)(view)

    return decorate


@bp.route("/register", methods=["GET", "POST"])
@_limited(RegistrationForm, "auth/register.html")
def register():
    """Create an account and log straight in."""
    if current_user.is_authenticated:
        return redirect(url_for("catalogue.index"))
    form = RegistrationForm()
    next_path = safe_next_path(request.values.get("next"))
    if form.validate_on_submit():
        user = register_user(form.email.data, form.display_name.data, form.password.data)
        log_in(user, remember=False)
        db.session.commit()
        flash(_("Welcome, %(name)s! Your account is ready.", name=user.display_name), "success")
        return redirect(next_path or url_for("catalogue.index"), code=303)
    return render_template("auth/register.html", form=form, next_path=next_path)


@bp.route("/login", methods=["GET", "POST"])
@_limited(LoginForm, "auth/login.html")
def login():
    """Log in and go back to the page the user came from."""
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    next_path = safe_next_path(form.next.data)
    if current_user.is_authenticated:
        return redirect(next_path or url_for("catalogue.index"))
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is None:
            form.email.errors.append(_("No account uses this email address. Check it, or register."))
        elif not user.check_password(form.password.data):
            form.password.errors.append(_("That password is not right. Try again."))
        else:
            log_in(user, remember=form.remember_me.data)
            db.session.commit()
            flash(_("You are logged in."), "success")
            return redirect(next_path or url_for("catalogue.index"), code=303)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out of this device (a POST, so another site cannot log a user out)."""
    end_session(current_user)
    return _logged_out(_("You are logged out."))


@bp.route("/sessions")
@login_required
def sessions():
    """List the devices the member is logged in on."""
    return render_template(
        "auth/sessions.html",
        user_sessions=live_sessions(current_user),
        this_session=token_digest(current_user.session_token),
    )


@bp.route("/sessions/end", methods=["POST"])
@login_required
def log_out_everywhere():
    """Log out on every device, this one too."""
    end_every_session(current_user)
    return _logged_out(_("You are logged out on every device."))


def _logged_out(message: str):
    """Finish a logout whose session rows are ended: commit, forget the user, say so."""
    db.session.commit()
    logout_user()
    flash(message, "info")
    return redirect(url_for("catalogue.index"), code=303)


@bp.route("/language", methods=["POST"])
@csrf.exempt
def set_language():
    """Remember the chosen interface language in a cookie (no account needed)."""
    # A visitor's choice only sets a cookie, so their pages need no token and can be
    # shared; a member's session is checked as on every other write.
    if current_user.is_authenticated:
        csrf.protect()
    form = LanguageForm(meta={"csrf": False})
    response = redirect(safe_next_path(form.next.data) or url_for("catalogue.index"), code=303)
    if form.validate_on_submit():
        remember_choice(response, form.language.data)
    return response


@login_manager.unauthorized_handler
def unauthorized():
    """Send someone who must log in first to the login page, and back afterwards."""
    if is_htmx():
        # A redirect would be followed inside the fragment htmx asked for: tell it to load
        # the login page whole, coming back to the page the reader is on.
        response = Response(status=401)
        response.headers["HX-Redirect"] = url_for("auth.login", next=_page_htmx_was_on())
        return response
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.url))


def _page_htmx_was_on() -> str | None:
    page = urlsplit(request.headers.get("HX-Current-URL", ""))
    return urlunsplit(("", "", page.path, page.query, "")) if page.netloc == request.host else None
