from urllib.parse import urlsplit, urlunsplit

from flask import Response, abort, current_app, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, logout_user
from flask_login.utils import login_url

from ..extensions import csrf, db, limiter, login_manager
from ..formatting import naming
from ..limits import take_token, token_left
from ..models import User
from ..htmx import is_htmx
from ..language import remember_choice, without_url_language
from . import bp
from .forms import (
    ANOTHER_ACCOUNTS_EMAIL, EDUCATION_LEVELS, ChangeEmailForm, ChangePasswordForm, ConfirmEmailForm, DeleteAccountForm,
    FinishRegistrationForm, ForgotPasswordForm, LanguageForm, LoginForm, NewPasswordForm, ProfileForm, RegistrationForm,
)
from .accounts import delete_account, export_account
from .addresses import CHANGE_HOURS, ask_to_change_email, confirm_email_change, email_change_for
from .mail_choices import CHOICES, unsubscribing
from .passwords import authenticate, change_password, request_reset, reset_password, user_for_reset
from .registration import REGISTER_HOURS, ask_to_register, registering_email
from .sessions import device_names, end_every_session, end_session, live_sessions, log_in, own_session_or_404, token_digest
from .users import EmailTaken, find_user_by_email, register_user, safe_next_path


def _auth_limit():
    return current_app.config["AUTH_RATE_LIMIT"]


def _address_limit():
    return current_app.config["AUTH_ADDRESS_RATE_LIMIT"]


def _address_and_email() -> str:
    return f"{get_remote_address()} {request.form.get('email', '').strip().casefold()}"


TOO_MANY_TRIES = _l("Too many attempts in a short time. Please wait a minute and try again.")
TOO_MANY_ACCOUNTS = _l("Many accounts were made from this connection today. Try again tomorrow, or from another connection.")


def _form_again(form_class, template: str, why=TOO_MANY_TRIES):
    """On too many tries, the same form back with what was typed (but the password) and why."""

    def on_breach(_limit):
        form = form_class()
        form.email.errors = [str(why)]
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
    """Mail the typed address the way on, saying the same whether it has an account or not."""
    if current_user.is_authenticated:
        return redirect(url_for("catalogue.index"))
    form = RegistrationForm()
    next_path = safe_next_path(request.values.get("next"))
    if form.validate_on_submit():
        # Said here rather than only on the page the link opens: the link would lead nowhere.
        if not token_left("ACCOUNTS_PER_ADDRESS_LIMIT", "accounts", get_remote_address()):
            form.email.errors.append(str(TOO_MANY_ACCOUNTS))
            return render_template("auth/register.html", form=form, next_path=next_path), 429
        ask_to_register(form.email.data, next_path)
        db.session.commit()
        flash(_("A mail is on its way to %(email)s. Open the link in it within %(hours)s hours to go on.",
                email=form.email.data, hours=REGISTER_HOURS), "info")
        return redirect(url_for("auth.register_sent"), code=303)
    return render_template("auth/register.html", form=form, next_path=next_path)


@bp.route("/register/sent")
def register_sent():
    """Say where to look for the mail that goes on with registering."""
    return render_template("auth/register_sent.html")


@bp.route("/register/finish/<token>", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
def finish_registration(token):
    """Choose a name and a password from the mailed link: the account is made and logged in."""
    found = registering_email(token)
    if found is None:
        flash(_("That link has expired. Ask for a new one below."), "error")
        return redirect(url_for("auth.register"))
    email, next_path = found
    next_path = safe_next_path(next_path)
    if current_user.is_authenticated:
        return redirect(url_for("catalogue.index"))
    if find_user_by_email(email) is not None:  # the link was used already
        return _has_an_account(email, next_path)
    form = FinishRegistrationForm()
    if form.validate_on_submit():
        if not take_token("ACCOUNTS_PER_ADDRESS_LIMIT", "accounts", get_remote_address()):
            return render_template("auth/finish_registration.html", form=form, email=email, token=token,
                                   problem=TOO_MANY_ACCOUNTS), 429
        try:
            user = register_user(email, form.display_name.data, form.password.data)
        except EmailTaken:  # the same link sent twice at once: the other one made it
            return _has_an_account(email, next_path)
        user.preferred_language = str(get_locale())
        log_in(user, remember=False)
        db.session.commit()
        flash(naming(_("Welcome, %(name)s! Your account is ready."), name=user), "success")
        return redirect(next_path or url_for("catalogue.index"), code=303)
    return render_template("auth/finish_registration.html", form=form, email=email, token=token)


def _has_an_account(email: str, next_path: str | None):
    """To the login form, holding the address whose account a link already made."""
    flash(_("%(email)s has an account. Log in with it.", email=email), "info")
    session["login_email"] = email
    return redirect(url_for("auth.login", next=next_path), code=303)


@bp.route("/login", methods=["GET", "POST"])
@_limited(LoginForm, "auth/login.html")
def login():
    """Log in and go back to the page the user came from."""
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
        form.email.data = session.pop("login_email", None)
    next_path = safe_next_path(form.next.data)
    if current_user.is_authenticated:
        return redirect(next_path or url_for("catalogue.index"))
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            # The same words for an unknown email as for a wrong password: the form must
            # not tell who has an account.
            form.password.errors.append(_("That email and password do not match an account. Check both, or reset your password."))
        else:
            log_in(user, remember=form.remember_me.data)
            db.session.commit()
            # Said in the language the next page is in: the account's, from now on.
            with force_locale(user.preferred_language or str(get_locale())):
                flash(_("You are logged in."), "success")
            return _in_language(redirect(next_path or url_for("catalogue.index"), code=303), user.preferred_language)
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
        device_names=device_names,
    )


@bp.post("/sessions/<int:session_id>/end")
@login_required
def log_out_device(session_id):
    """Log out on one device (a lost phone), leaving the others logged in."""
    user_session = own_session_or_404(current_user, session_id)
    if user_session.token_digest == token_digest(current_user.session_token):
        end_session(current_user)
        return _logged_out(_("You are logged out."))
    db.session.delete(user_session)
    db.session.commit()
    flash(_("That device is logged out."), "success")
    return redirect(url_for("auth.sessions"), code=303)


@bp.route("/sessions/end", methods=["POST"])
@login_required
def log_out_everywhere():
    """Log out on every device, this one too."""
    end_every_session(current_user)
    return _logged_out(_("You are logged out on every device."))


def _logged_out(message: str, endpoint: str = "catalogue.index"):
    """Finish a logout whose session rows are ended: commit, forget the user, say so."""
    db.session.commit()
    logout_user()
    flash(message, "info")
    return redirect(url_for(endpoint), code=303)


@bp.route("/password/forgot", methods=["GET", "POST"])
@_limited(ForgotPasswordForm, "auth/forgot_password.html")
def forgot_password():
    """Mail a link to choose a new password, saying the same whether the email has an account or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        request_reset(form.email.data)
        db.session.commit()
        flash(
            _("If an account uses %(email)s, a link to choose a new password is on its way there. It works for an hour.",
              email=form.email.data),
            "info",
        )
        return redirect(url_for("auth.login"), code=303)
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"], endpoint="reset_password")
@limiter.limit(_address_limit, methods=["POST"])
def reset_password_page(token):
    """Choose a new password from a mailed link, ending every login of the account."""
    user = user_for_reset(token)
    form = NewPasswordForm()
    if user is not None and form.validate_on_submit():
        if reset_password(user, form.password.data):
            return _logged_out(_("Your password is changed and every login ended. Log in with the new password."), "auth.login")
        user = None  # used a moment ago, by a request that opened it at the same time
    if user is None:
        flash(_("That link has expired or was used already. Ask for a new one below."), "error")
        return redirect(url_for("auth.forgot_password"))
    return render_template("auth/reset_password.html", form=form, token=token)


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(_auth_limit, methods=["POST"])
def password():
    """Change the password, ending the logins on every other device."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        change_password(current_user, form.password.data)
        db.session.commit()
        flash(_("Your password is changed. You are logged out on every other device."), "success")
        return redirect(url_for("auth.password"), code=303)
    return render_template("auth/password.html", form=form)


def _email_changes_limit():
    return current_app.config["EMAIL_CHANGE_RATE_LIMIT"]


@bp.route("/email", methods=["GET", "POST"])
@login_required
@limiter.limit(_auth_limit, methods=["POST"], on_breach=_form_again(ChangeEmailForm, "auth/email.html"))
# Each ask that goes through mails an address the member typed: a day's few per account,
# so that the site cannot be made to mail strangers. A form sent back (a mistyped
# password, say) mails nothing and is not counted; the limit above counts every try.
@limiter.limit(_email_changes_limit, key_func=lambda: f"email-change:{current_user.id}", methods=["POST"],
               deduct_when=lambda response: response.status_code == 303,
               on_breach=_form_again(ChangeEmailForm, "auth/email.html", why=_l(
                   "You asked for several new emails today. Open a link already sent, or try again tomorrow.")))
def email():
    """Ask to change the account's email: it changes once the link mailed there is opened."""
    form = ChangeEmailForm()
    if form.validate_on_submit():
        ask_to_change_email(current_user, form.email.data)
        db.session.commit()
        flash(
            _("A link is on its way to %(email)s. Open it within %(hours)s hours to move your account there; until then it keeps %(old)s.",
              email=form.email.data, hours=CHANGE_HOURS, old=current_user.email),
            "info",
        )
        return redirect(url_for("auth.profile"), code=303)
    return render_template("auth/email.html", form=form)


@bp.route("/email/confirm/<token>", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
def confirm_email(token):
    """Move the account to the address a mailed link was sent to, with a button (the
    link is the key, as with a password reset: no login needed)."""
    found = email_change_for(token)
    form = ConfirmEmailForm()
    if found is not None and form.validate_on_submit():
        user, new_email = found
        try:
            moved = confirm_email_change(user, new_email)
        except EmailTaken:
            db.session.rollback()
            problem = ANOTHER_ACCOUNTS_EMAIL
            return render_template("auth/confirm_email.html", form=form, user=user, new_email=new_email, token=token, problem=problem), 409
        if moved:
            db.session.commit()
            flash(_("Your account now uses %(email)s.", email=new_email), "success")
            # Back on their profile if it is theirs. Logged out (a mail program's browser,
            # mostly), the login form, holding the new address so that a phone need not type it.
            # Someone else's session here: not their profile, which would not show the change
            # (the login page sends them on to the catalogue, with the message).
            if current_user.is_authenticated and current_user.id == user.id:
                return redirect(url_for("auth.profile"), code=303)
            if not current_user.is_authenticated:
                session["login_email"] = new_email
            return redirect(url_for("auth.login"), code=303)
        found = None  # pressed a moment ago, by a request that opened the link at the same time
    if found is None:
        flash(_("That link has expired or was used already. Ask for a new one."), "error")
        return redirect(url_for("auth.email"))
    user, new_email = found
    return render_template("auth/confirm_email.html", form=form, user=user, new_email=new_email, token=token)


@bp.route("/language", methods=["POST"])
@csrf.exempt
def set_language():
    """Remember the chosen interface language in a cookie (no account needed)."""
    # A visitor's choice only sets a cookie, so their pages need no token and can be
    # shared; a member's session is checked as on every other write.
    if current_user.is_authenticated:
        csrf.protect()
    form = LanguageForm(meta={"csrf": False})
    # Back to the page without the language its URL named, which would outweigh the choice.
    back = safe_next_path(form.next.data)
    response = redirect(without_url_language(back) if back else url_for("catalogue.index", lang=None), code=303)
    if not form.validate_on_submit():
        return response
    if current_user.is_authenticated:  # kept on the account, for every device and its mails
        current_user.preferred_language = form.language.data
        db.session.commit()
    return _in_language(response, form.language.data)


def _in_language(response, language: str | None):
    """`response`, keeping `language` (if one was chosen) as this browser's interface language."""
    if language in current_app.config["LANGUAGES"]:
        remember_choice(response, language)
    return response


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """Edit the member's name, language, profile facts and mail choices."""
    form = ProfileForm(obj=current_user)
    form.user_id, form.by_moderator = current_user.id, current_user.is_moderator
    if request.method == "GET":
        form.preferred_language.data = current_user.preferred_language or str(get_locale())
    if form.validate_on_submit():
        form.populate_obj(current_user)
        current_user.education_level = form.education_level.data or None
        current_user.district = form.district.data or None
        current_user.skills = form.skills.data or ""
        db.session.commit()
        # Said in the language the next page is in: the one just chosen.
        with force_locale(current_user.preferred_language or str(get_locale())):
            flash(_("Your profile is saved."), "success")
        return _in_language(redirect(url_for("auth.profile"), code=303), current_user.preferred_language)
    return render_template("auth/profile.html", form=form)


@bp.route("/account/export.zip")
@login_required
def export():
    """Download everything the account holds: a zip of JSON and CSV files."""
    response = Response(export_account(current_user), mimetype="application/zip")
    response.headers["Content-Disposition"] = "attachment; filename=my-job-tracker-data.zip"
    return response


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@limiter.limit(_auth_limit, methods=["POST"])
def delete():
    """Delete the account, once its password is given, and log out everywhere."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        delete_account(current_user)
        return _logged_out(_("Your account is deleted. Your comments stay, shown as by a deleted account."))
    return render_template("auth/delete.html", form=form)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token):
    """Stop one kind of mail from a signed link in it: a button on the page, or one click
    from the mail program (RFC 8058 sends a POST without a session)."""
    found = unsubscribing(token)
    if found is None:
        return render_template("auth/unsubscribe.html", choice=None), 400
    user, choice = found
    if request.method == "POST":
        setattr(user, CHOICES[choice], False)
        db.session.commit()
        return render_template("auth/unsubscribe.html", choice=choice, done=True)
    return render_template("auth/unsubscribe.html", choice=choice, done=False)


@bp.route("/people/<int:user_id>")
def person(user_id):
    """Show a member's public profile: their name, and the facts they chose to show."""
    user = db.get_or_404(User, user_id)
    if user.deleted_at is not None:
        abort(404)
    own = current_user.is_authenticated and current_user.id == user.id
    return render_template("auth/person.html", person=user, show_facts=user.profile_public or own,
                           education_levels=EDUCATION_LEVELS)


@login_manager.unauthorized_handler
def unauthorized():
    """Send someone who must log in first to the login page, and back afterwards."""
    # htmx comes back to the page the reader is on. The path, not the whole URL: behind a
    # trusted proxy its scheme is what X-Forwarded-Proto said, and a client reaching the
    # app around the proxy can say anything ("http://[x/").
    return login_first(_page_htmx_was_on() if is_htmx() else request.full_path)


def login_first(next_path: str | None):
    """Send the reader to the login page, and to `next_path` once logged in."""
    if is_htmx():
        # A redirect would be followed inside the fragment htmx asked for: tell it to load
        # the login page whole.
        response = Response(status=401)
        response.headers["HX-Redirect"] = url_for("auth.login", next=next_path)
        return response
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=next_path))


def _page_htmx_was_on() -> str | None:
    try:
        page = urlsplit(request.headers.get("HX-Current-URL", ""))
    except ValueError:  # not a URL ("http://[x/"): htmx sends none such, so nothing to go back to
        return None
    return urlunsplit(("", "", page.path, page.query, "")) if page.netloc == request.host else None
