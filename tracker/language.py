"""The interface language: Bengali unless the reader chose another.

Most readers are Bengali speakers whose phones are set to English (or send no
Accept-Language at all), so the browser's language does not pick the interface; it only
decides whether a first visit offers English in one tap (base.html).
"""
from flask import current_app, has_request_context, request, session

COOKIE = "lang"
COOKIE_DAYS = 365


def chosen_language() -> str | None:
    """The language the reader chose, or None if they have not chosen one.

    The one place a choice is read: the long-lived cookie, and the session it was made
    in. The account's language (`users.preferred_language`) reaches a new device through
    the cookie, which logging in sets from it (auth/routes.py); reading the account here
    would make the locale depend on who reads, which a page shared between readers must
    not (pieces.py).
    """
    languages = current_app.config["LANGUAGES"]
    for chosen in (request.cookies.get(COOKIE), session.get(COOKIE)):
        if chosen in languages:
            return chosen
    return None


def select_locale() -> str:
    """The interface language of this request: the reader's choice, else the default (bn)."""
    if not has_request_context():  # a command, say: no reader to ask
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    return chosen_language() or current_app.config["BABEL_DEFAULT_LOCALE"]


def offered_language() -> str | None:
    """The language to offer in one tap on a first visit: the one the browser asks for
    first, when the reader has chosen none and it is not the page's already."""
    if chosen_language() is not None:
        return None
    wanted = request.accept_languages.best_match(current_app.config["LANGUAGES"])
    return wanted if wanted and wanted != current_app.config["BABEL_DEFAULT_LOCALE"] else None


def remember_choice(response, language: str) -> None:
    """Keep the reader's choice in the session and in a cookie that outlives it."""
    session[COOKIE] = language
    response.set_cookie(COOKIE, language, max_age=COOKIE_DAYS * 24 * 3600, samesite="Lax", httponly=True)
