"""Display names that cannot pass for someone else.

A name is kept NFKC-normalised and trimmed. Refused: characters that do not show or that
reorder what follows (controls, bidi overrides and isolates, zero-width characters, blank
fillers), a name that is blank once they are gone, and a name whose look-alike skeleton
matches a moderator's name in whole, or holds a reserved word ("Site team", "admin",
"মডারেটর", ...) as whole words.

The skeleton is what a reader cannot tell apart: the name without the code points that
draw nothing and the marks that only decorate a letter, case folded, each look-alike as
the one letter it passes for (Unicode TR 39's confusables, from confusable-homoglyphs'
table, and the pairs below that the table leaves out), and Bengali spelling variants as
one spelling.
"""
import re
import unicodedata
from functools import cache

import sqlalchemy as sa
from confusable_homoglyphs.confusables import confusables_data

from ..extensions import db
from ..models import User

# Words that speak for the site, and their usual spellings in Bengali.
RESERVED_NAMES = (
    "site", "Site team", "team", "official", "admin", "admins", "administrator", "moderator", "moderators",
    "mod", "mods", "support", "staff", "system",
    "সাইট", "সাইট টিম", "টিম", "অফিসিয়াল", "অফিশিয়াল", "দাপ্তরিক", "অ্যাডমিন", "এডমিন", "এ্যাডমিন",
    "অ্যাডমিনিস্ট্রেটর", "প্রশাসক", "প্রশাসন", "মডারেটর", "মোডারেটর", "মডারেটার", "মড", "সাপোর্ট",
    "স্টাফ", "কর্তৃপক্ষ", "সিস্টেম",
)
# Joiners shape Bengali conjuncts (র‍্যা); anywhere else they only hide something.
JOINERS = {"\u200c", "\u200d"}
# Letters of other categories that draw nothing.
BLANK_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u180e", "\u17b4", "\u17b5"}
REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
# Unicode's Default_Ignorable_Code_Point (unicodedata does not expose it): a variation
# selector or a grapheme joiner after "Moderator" changes nothing a reader sees.
DEFAULT_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
# Bengali vowel signs that are marks to Unicode but letters to a reader: kept, where every
# other mark (accents, candrabindu, nukta, hasanta) is dropped.
BENGALI_VOWEL_SIGNS = {"\u09c1", "\u09c2", "\u09c3", "\u09c4", "\u09e2", "\u09e3"}
# Characters that pass for another that the confusables table pairs with nothing, or
# only with a character of their own script: the digits and signs of "S1te", "adm!n",
# "l" and "i" (in "Slte" as in "SIte"), and Bengali's long and short vowels, its three
# sibilants, ন and ণ, khanda ta, and Assamese ৰ and ৱ.
FOLDS = {
    "0": "o", "1": "l", "|": "l", "!": "l", "i": "l", "5": "s", "$": "s", "3": "e", "4": "a", "@": "a", "7": "t",
    "ী": "ি", "ূ": "ু", "ৄ": "ৃ", "ঈ": "ই", "ঊ": "উ", "ৠ": "ঋ", "শ": "স", "ষ": "স", "ণ": "ন", "ৎ": "ত",
    "ৰ": "র", "ৱ": "ব",
}
# Runs of letters that pass for one letter.
LETTER_RUNS = (("rn", "m"), ("vv", "w"), ("অা", "আ"))


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


def _plainness(character: str) -> int:
    """Which of two look-alikes a skeleton keeps: the Latin one, else the Bengali one."""
    return 2 if character.isascii() else 1 if _is_bengali(character) else 0


@cache
def _look_alike_of() -> dict[str, str]:
    """Each character that passes for a Latin or Bengali one, to the one it passes for
    after FOLDS (case folded: "0", a look-alike of "O", is "o" too, and so is the Bengali
    zero); other characters are themselves."""
    look_alike = dict(FOLDS)
    for character, glyphs in confusables_data.items():
        for glyph in glyphs:
            one, other = character.casefold(), glyph["c"].casefold()
            if len(one) != 1 or len(other) != 1:
                continue
            plain, fancy = sorted((one, other), key=_plainness, reverse=True)
            if _plainness(plain) > _plainness(fancy) and plain.isalnum():
                look_alike.setdefault(fancy, FOLDS.get(plain, plain))
    return look_alike


def _kept(character: str) -> bool:
    return unicodedata.category(character) not in {"Mn", "Me"} or character in BENGALI_VOWEL_SIGNS


def _words(text: str) -> list[str]:
    """The look-alike skeleton of `text`, as its words (letters, marks and digits)."""
    look_alike = _look_alike_of()
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold())
    visible = "".join(c for c in DEFAULT_IGNORABLE.sub("", decomposed) if _kept(c))
    skeleton = "".join(look_alike.get(c, c) for c in visible)
    for run, letter in LETTER_RUNS:
        skeleton = skeleton.replace(run, letter)
    cleaned = "".join(c if unicodedata.category(c)[0] in "LMN" else " " for c in skeleton)
    return cleaned.split()


def _contains(words: list[str], other: list[str]) -> bool:
    """Whether `other`'s words, written together or apart, are a run of whole words of `words`."""
    wanted = "".join(other)
    return any("".join(words[start:end]) == wanted for start in range(len(words)) for end in range(start + 1, len(words) + 1))


@cache
def _reserved_words() -> list[list[str]]:
    return [_words(reserved) for reserved in RESERVED_NAMES]


def looks_like_reserved(name: str) -> bool:
    words = _words(name)
    return any(_contains(words, reserved) for reserved in _reserved_words())


def accounts_looking_like(name: str, user_id: int | None = None, moderators_only: bool = False) -> list[sa.Row]:
    """The (id, display_name) of each account other than `user_id` (moderators' alone, if
    asked) whose name a reader could not tell from `name`, oldest first."""
    skeleton = "".join(_words(name))
    query = sa.select(User.id, User.display_name).where(User.id != (user_id or 0), User.deleted_at.is_(None))
    if moderators_only:
        query = query.where(User.is_moderator)
    accounts = db.session.execute(query.order_by(User.id))
    return [account for account in accounts if "".join(_words(account.display_name)) == skeleton]


def looks_like_a_moderator(name: str, user_id: int | None = None) -> bool:
    """Whether `name` looks like the name of a moderator other than `user_id`."""
    return bool(accounts_looking_like(name, user_id, moderators_only=True))
