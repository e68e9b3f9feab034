"""The interface language: Bengali unless the reader chose another.

Most readers are Bengali speakers whose phones are set to English (or send no
Accept-Language at all), so the browser's language does not pick the interface; it only
decides whether a first visit offers English in one tap (base.html).

A URL may name its language too (`?lang=en`), for that request and the links it draws:
a search engine has no cookie, and indexes the English pages at their own addresses.
"""
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale

from .origin import site_url

COOKIE = "lang"
COOKIE_DAYS = 365
URL_ARGUMENT = "lang"


def url_language() -> str | None:
    """The language this request's URL names (given once, one the site has), else None."""
    named = request.args.getlist(URL_ARGUMENT)
    return named[0] if len(named) == 1 and named[0] in current_app.config["LANGUAGES"] else None


def keep_url_language(endpoint: str, values: dict) -> None:
    """url_for's default: a page reached in a language by its URL links to pages in that
    language (static files aside: one copy serves every language)."""
    if endpoint != "static" and URL_ARGUMENT not in values and has_request_context():
        language = url_language()
        if language:
            values[URL_ARGUMENT] = language


def without_url_language(path: str) -> str:
    """`path` (a safe path on this site) without the language its URL names: where a
    reader goes after choosing one."""
    parts = urlsplit(path)
    arguments = parse_qsl(parts.query, keep_blank_values=True)
    if all(name != URL_ARGUMENT for name, _ in arguments):
        return path
    kept = [(name, value) for name, value in arguments if name != URL_ARGUMENT]
    return urlunsplit(parts._replace(query=urlencode(kept)))


def language_argument() -> str | None:
    """What the URL of a page in this request's language says of it: nothing for the
    default language (the address a search engine, without a cookie, reads it at)."""
    language = str(get_locale())
    return None if language == current_app.config["BABEL_DEFAULT_LOCALE"] else language


def language_alternates(endpoint: str, **values) -> list[tuple[str, str]]:
    """(hreflang, address) of the page `endpoint` in each language, and its x-default:
    the same for every reader (built on SITE_URL alone)."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    alternates = [
        (code, site_url(endpoint, **values, **{URL_ARGUMENT: None if code == default else code}))
        for code in current_app.config["LANGUAGES"]
    ]
    return [*alternates, ("x-default", site_url(endpoint, **values, **{URL_ARGUMENT: None}))]


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
    """The interface language of this request: the one its URL names, else the reader's
    choice, else the default (bn)."""
    if not has_request_context():  # a command, say: no reader to ask
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    return url_language() or chosen_language() or current_app.config["BABEL_DEFAULT_LOCALE"]


def offered_language() -> str | None:
    """The language to offer in one tap on a first visit: the one the browser asks for
    first, when the reader has chosen none and it is not the page's already."""
    if chosen_language() is not None:
        return None
    return first_visit_offer(request.accept_languages, current_app.config["LANGUAGES"], select_locale())


def first_visit_offer(accepted, languages, page_language: str) -> str | None:
    """What a browser asking for `accepted` (Accept-Language, parsed) is offered on a page
    in `page_language`: its first choice among `languages`, unless it is the page's."""
    wanted = accepted.best_match(languages)
    return wanted if wanted and wanted != page_language else None


def remember_choice(response, language: str) -> None:
    """Keep the reader's choice in the session and in a cookie that outlives it."""
    session[COOKIE] = language
    response.set_cookie(COOKIE, language, max_age=COOKIE_DAYS * 24 * 3600, samesite="Lax", httponly=True)
