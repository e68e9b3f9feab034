"""Display names that cannot pass for someone else.

A name is kept NFKC-normalised and trimmed. Refused: characters that do not show or that
reorder what follows (controls, bidi overrides and isolates, zero-width characters, blank
fillers), a name that is blank once they are gone, and a name whose confusable skeleton
(Unicode TR 39 look-alikes, from confusable-homoglyphs' table) matches a moderator's
name or a reserved word ("Site team", "admin", "মডারেটর", ...) in whole or as whole words.
"""
import unicodedata
from functools import cache

import sqlalchemy as sa
from confusable_homoglyphs.confusables import confusables_data

from ..extensions import db
from ..models import User

RESERVED_NAMES = (
    "moderator", "moderators", "মডারেটর", "admin", "administrator", "অ্যাডমিন", "এডমিন",
    "Site team", "সাইট টিম", "staff", "support", "system",
)
# Joiners shape Bengali conjuncts (র‍্যা); anywhere else they only hide something.
JOINERS = {"\u200c", "\u200d"}
# Letters of other categories that draw nothing.
BLANK_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u180e", "\u17b4", "\u17b5"}
REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def normalise_name(value: str | None) -> str | None:
    """The form's filter: NFKC (so fullwidth and styled letters become plain) and trimmed."""
    return unicodedata.normalize("NFKC", value).strip() if value else value


def _is_bengali(character: str) -> bool:
    return "\u0980" <= character <= "\u09ff"


def hidden_characters(name: str) -> list[str]:
    """The characters of `name` that do not show as themselves, as U+XXXX."""
    found = []
    for index, character in enumerate(name):
        if character in JOINERS and 0 < index < len(name) - 1 and _is_bengali(name[index - 1]) and _is_bengali(name[index + 1]):
            continue
        if unicodedata.category(character) in REFUSED_CATEGORIES or character in BLANK_LETTERS:
            found.append(f"U+{ord(character):04X}")
    return found


# Digits that pass for letters in a name.
DIGIT_LOOK_ALIKES = {"0": "o", "1": "l"}


@cache
def _look_alike_of() -> dict[str, str]:
    """Each character that passes for a Latin letter or digit, to that letter or digit
    (case folded: "0", a look-alike of "O", is "o" too); other characters are themselves."""
    look_alike = dict(DIGIT_LOOK_ALIKES)
    for character, glyphs in confusables_data.items():
        for glyph in glyphs:
            one, other = character.casefold(), glyph["c"].casefold()
            if len(one) != 1 or len(other) != 1 or one.isascii() == other.isascii():
                continue
            plain, fancy = (one, other) if one.isascii() else (other, one)
            if plain.isalnum():
                look_alike.setdefault(fancy, DIGIT_LOOK_ALIKES.get(plain, plain))
    return look_alike


def _words(text: str) -> list[str]:
    """The look-alike skeleton of `text`, as its words (letters, marks and digits)."""
    look_alike = _look_alike_of()
    folded = unicodedata.normalize("NFKC", text).casefold()
    skeleton = "".join(look_alike.get(c, c) for c in folded)
    cleaned = "".join(c if unicodedata.category(c)[0] in "LMN" else " " for c in skeleton)
    return cleaned.split()


def _contains(words: list[str], other: list[str]) -> bool:
    """Whether `other`'s words, written together or apart, are a run of whole words of `words`."""
    wanted = "".join(other)
    return any("".join(words[start:end]) == wanted for start in range(len(words)) for end in range(start + 1, len(words) + 1))


def looks_like_reserved(name: str) -> bool:
    words = _words(name)
    return any(_contains(words, _words(reserved)) for reserved in RESERVED_NAMES)


def looks_like_a_moderator(name: str, user_id: int | None = None) -> bool:
    """Whether `name` looks like the name of a moderator other than `user_id`."""
    words = "".join(_words(name))
    names = db.session.scalars(
        sa.select(User.display_name).where(User.is_moderator, User.id != (user_id or 0), User.deleted_at.is_(None))
    )
    return any(words == "".join(_words(other)) for other in names)
