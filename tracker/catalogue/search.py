"""Finding roles: word search over folded text (and whatever areas above add: the
discussion's answered questions), filters over facets, and the filters areas above offer
members (the roles they fit)."""
from collections.abc import Callable, Collection
from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..models import Role, RoleFacet, fold_text

FILTER_FACETS = ("career_type", "level")


@dataclass(frozen=True)
class MemberFilter:
    """A filter of the catalogue for members alone, offered by an area above: the URL
    argument that chooses it, its label, and the ids of the roles it keeps for the reader."""

    name: str
    label: str  # lazy, so that it is said in the reader's language
    role_ids: Callable[[], Collection[int]]


_member_filters: list[MemberFilter] = []


def offer_member_filter(member_filter: MemberFilter) -> None:
    _member_filters.append(member_filter)


def member_filters() -> list[MemberFilter]:
    return list(_member_filters)


@dataclass(frozen=True)
class RoleQuery:
    words: str = ""
    category: str = ""
    career_type: str = ""
    level: str = ""
    # The member filters chosen (their names), and the roles they keep together.
    chosen: tuple[str, ...] = ()
    only_ids: frozenset[int] | None = None

    @property
    def is_filtered(self) -> bool:
        return any((self.words, self.category, self.career_type, self.level, self.chosen))

    def link_args(self) -> dict:
        """The URL arguments that ask for this query again (a page of it)."""
        args = {"q": self.words, "category": self.category, "career_type": self.career_type, "level": self.level}
        return {name: value for name, value in args.items() if value} | {name: "1" for name in self.chosen}


# SQL for "a role is found by this folded word" that areas above add (search_also).
_also_found_by: list[Callable[[str], sa.ColumnElement[bool]]] = []


def search_also(found_by: Callable[[str], sa.ColumnElement[bool]]) -> None:
    """Find a role by a word also where `found_by(word)` holds for it."""
    _also_found_by.append(found_by)


def _has_facet(kind: str, value: str):
    return sa.exists().where(RoleFacet.role_id == Role.id, RoleFacet.kind == kind, RoleFacet.value == value)


def containing(column, word: str):
    """`column` holds `word` (LIKE, with the word's own % and _ taken literally)."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{escaped}%", escape="\\")


def roles_matching(query: RoleQuery) -> sa.Select:
    """Build the SELECT for roles matching every word and every chosen filter."""
    stmt = sa.select(Role)
    for word in fold_text(query.words).split():
        stmt = stmt.where(sa.or_(containing(Role.search_text, word), *(found_by(word) for found_by in _also_found_by)))
    if query.category:
        stmt = stmt.where(Role.category == query.category)
    if query.career_type:
        stmt = stmt.where(_has_facet("career_type", query.career_type))
    if query.level:
        stmt = stmt.where(_has_facet("level", query.level))
    if query.only_ids is not None:
        stmt = stmt.where(Role.id.in_(sorted(query.only_ids)))
    return stmt.order_by(Role.title_sort_key.collate("C"), Role.id)


def filter_choices() -> dict[str, list[str]]:
    """Return the values each filter can take, from the roles that exist."""
    categories = db.session.scalars(
        sa.select(Role.category)
        .where(Role.category.is_not(None))
        .group_by(Role.category)
        .order_by(Role.category.collate("C"))
    ).all()
    rows = db.session.execute(
        sa.select(RoleFacet.kind, RoleFacet.value)
        .where(RoleFacet.kind.in_(FILTER_FACETS))
        .group_by(RoleFacet.kind, RoleFacet.value)
        .order_by(sa.func.min(RoleFacet.position))
    ).all()
    choices = {"category": list(categories), **{kind: [] for kind in FILTER_FACETS}}
    for kind, value in rows:
        choices[kind].append(value)
    return choices
