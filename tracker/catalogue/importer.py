"""Reading role files (TOML, the format of seed_data/roles/) into the catalogue.

A file is checked whole before anything is written, so a bad file changes nothing.
"""
import tomllib
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from ..auth.forms import EDUCATION_LEVELS
from ..extensions import db
from ..models import Role, RoleFacet, fold_text, sort_key, utcnow

LIST_FIELDS = {
    "alt_titles": "alt_title",
    # The English names people search by (the English title among them, `title_en`);
    # searched, not shown.
    "english_names": "english_name",
    # English words for the guide's skills and duties ("patience", "data entry"), so that
    # a search in English finds what the Bengali text says; searched, not shown.
    "english_terms": "english_term",
    "organisation_types": "organisation_type",
    "career_types": "career_type",
    "levels": "level",
    "core_skills": "core_skill",
    # Ours: the English name of each core skill, in the same order, so that a profile's
    # skills written in English match the guide's (the fit check); not shown.
    "core_skills_english": "core_skill_english",
    "special_skills": "special_skill",
    "tags": "tag",
}
RANGE_FIELDS = {
    "experience_years": ("experience_min_years", "experience_max_years"),
    "salary_bdt": ("salary_min_bdt", "salary_max_bdt"),
    "age": ("age_min", "age_max"),
}
# `title_en`: what English pages call the role; without it they show its Bengali title.
TEXT_FIELDS = {"slug": 120, "title": 200, "title_en": 200, "summary": None, "category": 120, "source": 200, "education": 30}
# The least schooling a guide asks for, as a profile names it ("other" says nothing to compare).
EDUCATION = tuple(level for level in EDUCATION_LEVELS if level != "other")
REQUIRED = ("slug", "title")
SECTION_KEYS = {"heading", "paragraphs", "items"}


class RoleFileError(ValueError):
    """A role file that cannot be imported; the message names the file, line or field."""


@dataclass
class ImportResult:
    slug: str
    created: bool


def _fail(path: Path, message: str):
    raise RoleFileError(f"{path}: {message}")


def _check_string_list(path, field, value):
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        _fail(path, f"field '{field}' must be a list of non-empty strings")
    return value


def read_role_file(path: str | Path) -> dict:
    """Parse and validate one role file; return its checked data or raise RoleFileError."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        _fail(path, "no such file")
    except UnicodeDecodeError as error:
        _fail(path, f"not UTF-8 text (byte {error.start})")
    except tomllib.TOMLDecodeError as error:
        _fail(path, f"not valid TOML: {error}")
    known = set(TEXT_FIELDS) | set(LIST_FIELDS) | set(RANGE_FIELDS) | {"sections"}
    for field in data:
        if field not in known:
            _fail(path, f"unknown field '{field}' (expected one of: {', '.join(sorted(known))})")
    for field in REQUIRED:
        if not isinstance(data.get(field), str) or not data[field].strip():
            _fail(path, f"field '{field}' is required and must be non-empty text")
    for field, max_length in TEXT_FIELDS.items():
        value = data.get(field)
        if value is None:
            continue
        if not isinstance(value, str):
            _fail(path, f"field '{field}' must be text")
        if max_length and len(value) > max_length:
            _fail(path, f"field '{field}' is longer than {max_length} characters")
    for field in LIST_FIELDS:
        if field in data:
            _check_string_list(path, field, data[field])
    for field in RANGE_FIELDS:
        if field in data:
            _check_range(path, field, data[field])
    if "education" in data and data["education"] not in EDUCATION:
        _fail(path, f"field 'education' must be one of: {', '.join(EDUCATION)}")
    if "core_skills_english" in data and len(data["core_skills_english"]) != len(data.get("core_skills", [])):
        _fail(path, "field 'core_skills_english' must name each of 'core_skills', in the same order")
    for index, section in enumerate(data.get("sections", []), start=1):
        _check_section(path, index, section)
    return data


def _check_range(path, field, value):
    if not isinstance(value, dict) or set(value) - {"min", "max"} or not value:
        _fail(path, f"field '{field}' must be a table with 'min' and/or 'max'")
    for bound in ("min", "max"):
        number = value.get(bound)
        if number is not None and (not isinstance(number, int) or isinstance(number, bool) or number < 0):
            _fail(path, f"field '{field}.{bound}' must be a whole number of 0 or more")
    if "min" in value and "max" in value and value["min"] > value["max"]:
        _fail(path, f"field '{field}': min ({value['min']}) is larger than max ({value['max']})")


def _check_section(path, index, section):
    where = f"sections[{index}]"
    if not isinstance(section, dict):
        _fail(path, f"{where} must be a table")
    unknown = set(section) - SECTION_KEYS
    if unknown:
        _fail(path, f"{where}: unknown key '{sorted(unknown)[0]}'")
    if not isinstance(section.get("heading"), str) or not section["heading"].strip():
        _fail(path, f"{where}.heading is required")
    for key in ("paragraphs", "items"):
        if key in section:
            _check_string_list(path, f"{where}.{key}", section[key])


def _search_text(data: dict) -> str:
    parts = [data["title"], data.get("title_en") or "", data.get("category") or ""]
    for field in LIST_FIELDS:
        parts.extend(data.get(field, []))
    for section in data.get("sections", []):
        parts.append(section["heading"])
        parts.extend(section.get("items", []))
        parts.extend(section.get("paragraphs", []))
    return fold_text("\n".join(parts))


def apply_role_data(data: dict) -> ImportResult:
    """Create or update the role named by data['slug'] (no commit)."""
    role = db.session.scalar(sa.select(Role).where(Role.slug == data["slug"]))
    created = role is None
    if created:
        role = Role(slug=data["slug"])
        db.session.add(role)
    role.updated_at = utcnow()  # even when only facets change: cached drawings key on it
    role.title = data["title"]
    role.title_sort_key = sort_key(data["title"])
    role.title_en = data.get("title_en")
    role.summary = data.get("summary", "")
    role.category = data.get("category")
    role.source = data.get("source")
    role.education_min = data.get("education")
    for field, (low, high) in RANGE_FIELDS.items():
        bounds = data.get(field, {})
        setattr(role, low, bounds.get("min"))
        setattr(role, high, bounds.get("max"))
    role.sections = [
        {"heading": s["heading"], "paragraphs": s.get("paragraphs", []), "items": s.get("items", [])}
        for s in data.get("sections", [])
    ]
    role.search_text = _search_text(data)
    role.facets = [
        RoleFacet(kind=kind, value=value, position=position)
        for field, kind in LIST_FIELDS.items()
        for position, value in enumerate(data.get(field, []))
    ]
    return ImportResult(slug=role.slug, created=created)


def import_role_files(paths) -> list[ImportResult]:
    """Validate every file first, then write them all in one transaction."""
    checked = [read_role_file(path) for path in paths]
    slugs = [data["slug"] for data in checked]
    duplicated = {slug for slug in slugs if slugs.count(slug) > 1}
    if duplicated:
        raise RoleFileError(f"the same slug appears in more than one file: {', '.join(sorted(duplicated))}")
    try:
        results = [apply_role_data(data) for data in checked]
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return results
