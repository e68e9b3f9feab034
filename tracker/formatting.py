"""Template filters for numbers, ranges and moments, written in the reader's locale."""
from functools import lru_cache, wraps

from flask import Flask, g
from markupsafe import Markup
from flask_babel import format_date, format_decimal, format_time, get_locale, get_timezone, get_translations
from flask_babel import gettext as _


BENGALI_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
# Digits typed on a Bengali keyboard, read as the ASCII ones.
ASCII_DIGITS = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")


def local_digits(text: str) -> str:
    """Write the digits in text in the locale's script (০-৯ in bn)."""
    return text.translate(BENGALI_DIGITS) if get_locale().language == "bn" else text


def per_locale_cache(formatter):
    """Remember what a formatter wrote for each value, locale and time zone.

    Babel takes about a tenth of a millisecond per date or number, and a page of comments
    or applications writes the same few dates and amounts again and again.
    """

    @lru_cache(maxsize=8192)
    def remembered(locale: str, zone: str, args: tuple):
        return formatter(*args)

    @wraps(formatter)
    def cached(*args):
        return remembered(*_reader_locale(), args)

    return cached


def _reader_locale() -> tuple[str, str]:
    """The request's locale and time zone, looked up once (Flask-Babel's lookup is slow)."""
    chosen = g.get("reader_locale")
    if chosen is None:
        chosen = g.reader_locale = (str(get_locale()), str(get_timezone()))
    return chosen


@per_locale_cache
def format_number(number) -> str:
    """Group digits the locale's way (lakh grouping in bn) and write them in its script."""
    return local_digits(format_decimal(number))


@per_locale_cache
def local_moment(moment) -> str:
    """A date and time in the reader's zone, written like the plain dates beside it."""
    return local_digits(f"{format_date(moment)}, {format_time(moment, 'short')}")


def _range(low, high, number_format) -> str | None:
    if low is None and high is None:
        return None
    if low is None:
        return _("up to %(high)s", high=number_format(high))
    if high is None:
        return _("from %(low)s", low=number_format(low))
    if low == high:
        return number_format(low)
    return f"{number_format(low)} – {number_format(high)}"


def taka_range(low, high) -> str | None:
    """'৳10,000 – ৳20,000' (Bengali digits and lakh grouping when the locale is bn)."""
    return _range(low, high, lambda amount: "৳" + format_number(amount))


def years_range(low, high) -> str | None:
    text = _range(low, high, format_number)
    return _("%(range)s years", range=text) if text else None


# Templates look up every interface string through these, so each lookup is remembered:
# Flask-Babel finds the catalogue through several layers on every call (about 30 µs),
# and a page of applications asks for a couple of hundred strings.
@per_locale_cache
def _translate(message: str) -> str:
    return get_translations().ugettext(message)


@per_locale_cache
def _translate_plural(singular: str, plural: str, number) -> str:
    return get_translations().ungettext(singular, plural, number)


@per_locale_cache
def _translate_in_context(context: str, message: str) -> str:
    return get_translations().upgettext(context, message)


@per_locale_cache
def _translate_plural_in_context(context: str, singular: str, plural: str, number) -> str:
    return get_translations().unpgettext(context, singular, plural, number)


def person(user) -> Markup:
    """A member's name as shown anywhere: isolated in <bdi>, so a right-to-left name cannot
    turn the text after it around; "deleted account" for an account its owner deleted."""
    if user is None or user.deleted_at is not None:
        return Markup('<bdi class="former-account">%s</bdi>') % _translate("deleted account")
    return Markup("<bdi>%s</bdi>") % user.display_name


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(
        gettext=_translate,
        ngettext=_translate_plural,
        newstyle=True,
        pgettext=_translate_in_context,
        npgettext=_translate_plural_in_context,
    )
    app.add_template_global(get_locale)
    app.add_template_filter(format_number)
    app.add_template_filter(person)
    app.add_template_global(local_moment)
    app.add_template_global(taka_range)
    app.add_template_global(years_range)
