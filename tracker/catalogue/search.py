"""Finding roles: word search over folded text (and whatever areas above add: the
discussion's answered questions) and filters over facets."""
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..models import Role, RoleFacet, fold_text

FILTER_FACETS = ("career_type", "level")


@dataclass(frozen=True)
class RoleQuery:
    words: str = ""
    category: str = ""
    career_type: str = ""
    level: str = ""

    @property
    def is_filtered(self) -> bool:
        return any((self.words, self.category, self.career_type, self.level))


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
