"""Holding a new comment for review before anyone else reads it.

A comment is held when it carries HOLD_LINK_THRESHOLD links or more, when it carries any
link and its author's account is younger than HOLD_NEW_ACCOUNT_HOURS, when its author has
no published comment yet and it carries a link, a phone number or a bKash, Nagad or
Rocket mention beside a number (the shape of "send ৫০০ টাকা to this bKash"), or when it
repeats the author's previous comment word for word: the usual shapes of spam and scams.
Its author still sees it, marked "awaiting moderation"; moderators approve or reject it
from the queue. Moderators' own comments are never held.

held_reason stores one of the codes below, so the reason shows in the reader's language.
"""
import re

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..discussion.signals import comment_written
from ..discussion.visibility import published_clause
from ..extensions import db
from ..formatting import latin_digits
from ..models import Comment

MANY_LINKS = "links"
NEW_ACCOUNT_LINK = "new_account_link"
FIRST_LINK = "first_link"
FIRST_NUMBER = "first_number"
REPEATED = "repeated"

HOLD_REASONS = {
    MANY_LINKS: _l("It has several links."),
    NEW_ACCOUNT_LINK: _l("It has a link and the account is less than a day old."),
    FIRST_LINK: _l("It has a link and its author has no published comment yet."),
    FIRST_NUMBER: _l("It has a phone number or a bKash, Nagad or Rocket number and its author has no published comment yet."),
    REPEATED: _l("It repeats the author's previous comment."),
}


# Up to three spaces, dashes, dots or brackets between two digits: how numbers are typed.
_GAP = r"[\s\-.()]{0,3}"
# A Bangladeshi mobile number: 01, then 3-9, then eight digits, or the same after +880,
# 880 or 00880 with or without its 0.
MOBILE_NUMBER = re.compile(rf"(?<!\d)(?:(?:\+|00)?{_GAP}8{_GAP}8{_GAP}(?:0{_GAP})?|0{_GAP})1{_GAP}[3-9](?:{_GAP}\d){{8}}(?!\d)")
# The mobile money services a scam asks to be paid through, in English and Bengali.
MONEY_SERVICE = re.compile(r"b\W?kash|nagad|nogod|rocket|বিকাশ|নগদ|রকেট", re.IGNORECASE)


def link_count(comment: Comment) -> int:
    """How many links the reader would see: the sanitiser makes every link an anchor."""
    return comment.body_html.count("<a ")


def has_number_to_call_or_pay(text: str) -> bool:
    """Whether `text` (in either script's digits) gives a mobile number, or names a mobile
    money service beside any number (an amount is enough to ask for money)."""
    text = latin_digits(text)
    return bool(MOBILE_NUMBER.search(text)) or bool(MONEY_SERVICE.search(text) and re.search(r"\d", text))


def _is_first(comment: Comment) -> bool:
    """Whether no other comment of its author is published: held, hidden and deleted ones
    do not count, so a deleted greeting earns no trust."""
    return not db.session.scalar(
        sa.select(sa.exists().where(Comment.author_id == comment.author_id, Comment.id != comment.id, published_clause()))
    )


def _repeats_previous(comment: Comment) -> bool:
    previous = db.session.scalar(
        sa.select(Comment.body_source)
        .where(Comment.author_id == comment.author_id, Comment.id != comment.id, Comment.deleted_at.is_(None))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(1)
    )
    return previous is not None and previous.strip().casefold() == comment.body_source.strip().casefold()


def hold_reason(comment: Comment) -> str | None:
    """The code of the rule that holds this comment, or None when it may be published."""
    if comment.author.is_moderator:
        return None
    links = link_count(comment)
    if links >= current_app.config["HOLD_LINK_THRESHOLD"]:
        return MANY_LINKS
    if links and comment.author.is_new():
        return NEW_ACCOUNT_LINK
    if links and _is_first(comment):
        return FIRST_LINK
    if has_number_to_call_or_pay(comment.body_source) and _is_first(comment):
        return FIRST_NUMBER
    if _repeats_previous(comment):
        return REPEATED
    return None


@comment_written.connect
def hold_for_review(sender, comment: Comment) -> None:
    """Hold a comment the discussion has just posted or edited (its comment_written
    signal, sent by the app `sender`) when a rule says so (no commit).

    It never releases one: an edit cannot publish a held comment, only a moderator can.
    """
    comment.held_reason = comment.held_reason or hold_reason(comment)


def describe_hold(code: str | None) -> str:
    """The reason a comment is held, in the reader's language."""
    return str(HOLD_REASONS.get(code, code or ""))
