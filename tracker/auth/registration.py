"""Registering without telling who has an account. The form asks only for an email, and
every address gets the same answer and a mail: a new address a link that opens the rest
of the form (a name and a password), an address that has an account word that it has
one, with links to log in and to choose a new password. No account exists before its
address is proven, so nobody can hold an address they cannot read."""
from ..limits import take_token
from ..mail import queue_mail
from ..origin import site_url
from .links import address_link, opened_address_link
from .users import find_user_by_email

REGISTER_SALT = "register"
REGISTER_HOURS = 24


def ask_to_register(email: str, next_path: str | None = None) -> None:
    """Mail `email` the way on (added, no commit): the same work whether it has an account
    or not. Past REGISTER_MAIL_RATE_LIMIT for the address, nothing is mailed."""
    if not take_token("REGISTER_MAIL_RATE_LIMIT", "register-mail", email):
        return
    user = find_user_by_email(email)
    if user is None:
        link = address_link("auth.finish_registration", REGISTER_SALT, email, next=next_path)
        queue_mail(None, "register_finish", to_address=email, link=link, hours=REGISTER_HOURS)
    else:
        queue_mail(user, "register_existing", login_link=site_url("auth.login"),
                   reset_link=site_url("auth.forgot_password"))


def registering_email(token: str) -> tuple[str, str | None] | None:
    """The address a link to finish registering was mailed to, and the page to go on to,
    while the link is under a day old."""
    claim = opened_address_link(REGISTER_SALT, token, REGISTER_HOURS)
    if claim is None:
        return None
    return claim["email"], claim.get("next")
