"""Template filters for numbers, ranges and moments, written in the reader's locale, and
the interface's messages with every number in them written so too."""
import re
from functools import lru_cache, wraps
from numbers import Number

from flask import Flask, g
from flask_babel import Domain, format_date, format_decimal, format_time, get_locale, get_timezone, get_translations
from flask_babel import gettext as _
from jinja2 import pass_context
from markupsafe import Markup, escape
from wtforms import validators

BENGALI_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
# Digits typed on a Bengali keyboard, read as the Latin ones.
LATIN_DIGITS = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")
# A number's placeholder in a message, "%(num)d": given the number as written, "%(num)s".
NUMBER_PLACEHOLDER = re.compile(r"%\((\w+)\)d")
# A letter of the Bengali script: text holding one is (at least partly) Bengali.
BENGALI_LETTER = re.compile("[\u0980-\u09ff]")
# The time of day: "দুপুর ২:৩০" (Bengali day parts, no AM/PM) or "2:30 PM".
CLOCK = {"bn": "B h:mm"}


def local_digits(text: str) -> str:
    """Write the digits in text in the locale's script (০-৯ in bn)."""
    return text.translate(BENGALI_DIGITS) if get_locale().language == "bn" else text


def latin_digits(text: str) -> str:
    """Digits typed in Bengali (০-৯) as the 0-9 that dates, times and numbers are read in."""
    return text.translate(LATIN_DIGITS)


def filled(message: str, variables: dict, always: bool = False) -> str:
    """`message % variables` (Flask-Babel's way: only with variables; Jinja's: `always`),
    every number among the variables written in the locale's digits (text, such as a
    name, is left as it is)."""
    if not variables and (not always or "%" not in message):
        return message
    if variables and get_locale().language == "bn":
        variables = {
            name: local_digits(str(value)) if isinstance(value, Number) and not isinstance(value, bool) else value
            for name, value in variables.items()
        }
        # Markup stays Markup, so that the variables are still escaped into it.
        message = type(message)(NUMBER_PLACEHOLDER.sub(r"%(\1)s", message))
    return message % variables


class LocalisedDomain(Domain):
    """Flask-Babel's messages, their numbers written in the reader's digits."""

    def gettext(self, string, **variables):
        return filled(self.get_translations().ugettext(string), variables)

    def ngettext(self, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return filled(self.get_translations().ungettext(singular, plural, num), variables)

    def pgettext(self, context, string, **variables):
        return filled(self.get_translations().upgettext(context, string), variables)

    def npgettext(self, context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return filled(self.get_translations().unpgettext(context, singular, plural, num), variables)


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
    return local_digits(f"{format_date(moment)}, {format_time(moment, CLOCK.get(get_locale().language, 'short'))}")


class Length(validators.Length):
    """WTForms' Length, whose message (%(min)d, %(max)d, %(length)d) gives its numbers in
    the reader's digits."""

    def __call__(self, form, field):
        length = len(field.data) if field.data else 0
        if self.message is None or (length >= self.min and (self.max == -1 or length <= self.max)):
            return super().__call__(form, field)
        raise validators.ValidationError(filled(str(self.message), {"min": self.min, "max": self.max, "length": length}))


class NumberRange(validators.NumberRange):
    """WTForms' NumberRange, whose message (%(min)d, %(max)d) gives its numbers in the
    reader's digits."""

    def __call__(self, form, field):
        data = field.data
        outside = data is None or (self.min is not None and data < self.min) or (self.max is not None and data > self.max)
        if self.message is None or not outside:
            return super().__call__(form, field)
        raise validators.ValidationError(filled(str(self.message), {"min": self.min, "max": self.max}))


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


def _lang_attribute(text: str) -> Markup:
    """` lang="bn"` for Bengali text on a page in another language, so that a screen reader
    reads it with a Bengali voice; else nothing."""
    if get_locale().language != "bn" and BENGALI_LETTER.search(text):
        return Markup(' lang="bn"')
    return Markup("")


def in_own_lang(text) -> Markup:
    """A role's title, a category, any catalogue words: in a <span> saying its language
    where that is not the page's (_lang_attribute), else as it is."""
    text = "" if text is None else str(text)
    attribute = _lang_attribute(text)
    return Markup("<span%s>%s</span>") % (attribute, text) if attribute else escape(text)


def person(user) -> Markup:
    """A member's name as shown anywhere: isolated in <bdi>, so a right-to-left name cannot
    turn the text after it around; "deleted account" for an account its owner deleted."""
    if user is None or user.deleted_at is not None:
        # Through gettext by name, so that pybabel finds the words for the catalogue.
        return Markup('<bdi class="former-account">%s</bdi>') % _("deleted account")
    return Markup("<bdi%s>%s</bdi>") % (_lang_attribute(user.display_name), user.display_name)


def naming(pattern: str, **people) -> Markup:
    """A message naming members, from its translated `pattern` (gettext without variables):
    each name escaped and isolated in <bdi> (person), for a flash as for a page."""
    return escape(pattern) % {name: person(user) for name, user in people.items()}


def _in_template(translate, numbered=False, in_context=False):
    """A template's gettext, as Jinja's "newstyle" one (which formats every message)
    but filling in numbers in the reader's digits."""

    @pass_context
    def translated(context, *args, **variables):
        if in_context:
            variables.setdefault("context", args[0])
        if numbered:
            variables.setdefault("num", args[-1])
        message = context.call(translate, *args)
        if context.eval_ctx.autoescape:
            message = Markup(message)  # nosec B704: a message from our own catalogue, as in Jinja's gettext
        return filled(message, variables, always=True)

    return translated


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(
        gettext=_translate,
        ngettext=_translate_plural,
        newstyle=True,
        pgettext=_translate_in_context,
        npgettext=_translate_plural_in_context,
    )
    app.jinja_env.globals.update(
        gettext=_in_template(_translate),
        ngettext=_in_template(_translate_plural, numbered=True),
        pgettext=_in_template(_translate_in_context, in_context=True),
        npgettext=_in_template(_translate_plural_in_context, numbered=True, in_context=True),
    )
    app.add_template_global(get_locale)
    app.add_template_filter(format_number)
    app.add_template_filter(person)
    app.add_template_filter(in_own_lang)
    app.add_template_global(local_moment)
    app.add_template_global(taka_range)
    app.add_template_global(years_range)
