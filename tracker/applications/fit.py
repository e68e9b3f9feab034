"""The fit check: a member's profile facts against what a role's guide asks at entry level
(age, experience, education, core skills), each judged "meets", "close", "not yet" or
"unknown" with the reason in a sentence. It advises and never stops anyone saving or
applying. Plain functions of a profile and a role: what the reader sees is drawn for
them alone (templating.py), never in a piece shared between readers.
"""
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..auth.forms import EDUCATION_LEVELS
from ..extensions import db
from ..formatting import years_range
from ..models import Role, User, fold_text

MEETS = "meets"
CLOSE = "close"
NOT_YET = "not_yet"
UNKNOWN = "unknown"
VERDICTS = {MEETS: _l("Meets"), CLOSE: _l("Close to it"), NOT_YET: _l("Not yet"), UNKNOWN: _l("Unknown")}
# From the most to the least hopeful: a role's verdict is its requirements' worst.
_WORST_LAST = (MEETS, CLOSE, UNKNOWN, NOT_YET)

AGE = "age"
EXPERIENCE = "experience"
EDUCATION = "education"
SKILLS = "skills"
NAMES = {
    AGE: _l("Age"),
    EXPERIENCE: _l("Experience"),
    EDUCATION: _l("Education"),
    SKILLS: _l("Core skills"),
}
# Schooling from least to most; "other" names none of these, so it is not compared.
EDUCATION_ORDER = tuple(level for level in EDUCATION_LEVELS if level != "other")
# A profile's skills as typed: one list, split at commas, semicolons, the dari or new lines.
SKILL_SEPARATORS = re.compile(r"[,;।\n/]+")
# A typed skill this short ("a", "IT") matches a guide's skill only when it is the whole name.
SHORTEST_PART = 4


@dataclass(frozen=True)
class Profile:
    """The facts a fit check reads of a member (all optional)."""

    birth_year: int | None = None
    education_level: str | None = None
    experience_years: int | None = None
    skills: str = ""

    @classmethod
    def of(cls, user: User) -> "Profile":
        return cls(user.birth_year, user.education_level, user.experience_years, user.skills or "")

    @property
    def digest(self) -> str:
        """Names the facts, for the key of a drawing of verdicts for this profile."""
        facts = (self.birth_year, self.education_level, self.experience_years, fold_text(self.skills))
        return hashlib.sha256(repr(facts).encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Skill:
    name: str  # the guide's own (Bengali)
    english: str | None

    def shown(self) -> str:
        """Its name in the reader's language, when the guide gives one."""
        return self.english if self.english and get_locale().language == "en" else self.name


@dataclass(frozen=True)
class Requirement:
    name: str  # AGE, EXPERIENCE, EDUCATION or SKILLS
    verdict: str
    reason: str

    @property
    def label(self) -> str:
        return str(NAMES[self.name])

    @property
    def verdict_label(self) -> str:
        return str(VERDICTS[self.verdict])


def core_skills(role: Role) -> list[Skill]:
    """The guide's core skills with their English names (facets at the same position)."""
    english = {facet.position: facet.value for facet in role.facets if facet.kind == "core_skill_english"}
    return [
        Skill(facet.value, english.get(facet.position)) for facet in role.facets if facet.kind == "core_skill"
    ]


def stated(role: Role, skills: list[Skill]) -> list[str]:
    """The requirements the guide states, by name (`skills`: its core_skills): what a fit
    check of it compares."""
    found = []
    if role.age_min is not None or role.age_max is not None:
        found.append(AGE)
    if role.experience_min_years is not None:
        found.append(EXPERIENCE)
    if role.education_min in EDUCATION_ORDER:
        found.append(EDUCATION)
    if skills:
        found.append(SKILLS)
    return found


def asked(role: Role) -> list[tuple[str, str]]:
    """What the guide asks, as (requirement, its value) for each one it states."""
    skills = core_skills(role)
    values = {
        AGE: lambda: years_range(role.age_min, role.age_max),
        EXPERIENCE: lambda: years_range(role.experience_min_years, role.experience_max_years),
        EDUCATION: lambda: str(EDUCATION_LEVELS[role.education_min]),
        SKILLS: lambda: ", ".join(skill.shown() for skill in skills),
    }
    return [(str(NAMES[name]), values[name]()) for name in stated(role, skills)]


def typed_skills(text: str) -> list[str]:
    """A profile's skills, each folded for comparing."""
    return [part.strip() for part in SKILL_SEPARATORS.split(fold_text(text)) if part.strip()]


def has_skill(skill: Skill, typed: Iterable[str]) -> bool:
    """Whether a typed skill names `skill`, in Bengali or English: the same words, or
    words long enough to mean it held in its name ("communication" in "communication
    skills"), or its name held in them."""
    names = [fold_text(name) for name in (skill.name, skill.english) if name]
    for part in typed:
        for name in names:
            if part == name or (len(part) >= SHORTEST_PART and (part in name or name in part)):
                return True
    return False


def check_age(profile: Profile, role: Role, this_year: int) -> Requirement:
    asked = years_range(role.age_min, role.age_max)
    if profile.birth_year is None:
        return Requirement(AGE, UNKNOWN, _("The guide asks %(range)s; your profile does not give your year of birth.",
                                           range=asked))
    age = this_year - profile.birth_year
    low = role.age_min if role.age_min is not None else age
    high = role.age_max if role.age_max is not None else age
    if low <= age <= high:
        return Requirement(AGE, MEETS, _("The guide asks %(range)s; you are about %(age)s.", range=asked, age=age))
    if low - 1 <= age <= high + 1:
        return Requirement(AGE, CLOSE, _(
            "The guide asks %(range)s; you are about %(age)s, a year off. Limits differ between employers: read the posting.",
            range=asked, age=age))
    if age < low:
        return Requirement(AGE, NOT_YET, _(
            "The guide asks %(range)s; you are about %(age)s. Training or study now counts when you reach it.",
            range=asked, age=age))
    return Requirement(AGE, NOT_YET, _(
        "The guide asks %(range)s; you are about %(age)s. Some employers take older starters: read each posting.",
        range=asked, age=age))


def check_experience(profile: Profile, role: Role) -> Requirement:
    asked = years_range(role.experience_min_years, role.experience_max_years)
    years = profile.experience_years
    if years is None:
        return Requirement(EXPERIENCE, UNKNOWN, _(
            "The guide asks %(range)s; your profile does not say how many years you have worked.", range=asked))
    if years >= role.experience_min_years:
        return Requirement(EXPERIENCE, MEETS, _("The guide asks %(range)s; you have %(years)s.",
                                                range=asked, years=years))
    if years + 1 >= role.experience_min_years:
        return Requirement(EXPERIENCE, CLOSE, _(
            "The guide asks %(range)s; you have %(years)s, a year short. Many start as trainees: read the career path.",
            range=asked, years=years))
    return Requirement(EXPERIENCE, NOT_YET, _(
        "The guide asks %(range)s; you have %(years)s. Many start as trainees or interns: read the career path.",
        range=asked, years=years))


def check_education(profile: Profile, role: Role) -> Requirement:
    asked = str(EDUCATION_LEVELS[role.education_min])
    if profile.education_level not in EDUCATION_ORDER:
        return Requirement(EDUCATION, UNKNOWN, _(
            "The guide asks for %(level)s; your profile does not say which, if any, you have.", level=asked))
    yours = str(EDUCATION_LEVELS[profile.education_level])
    if EDUCATION_ORDER.index(profile.education_level) >= EDUCATION_ORDER.index(role.education_min):
        return Requirement(EDUCATION, MEETS, _("The guide asks for %(level)s; you have %(yours)s.",
                                               level=asked, yours=yours))
    return Requirement(EDUCATION, NOT_YET, _(
        "The guide asks for %(level)s; you have %(yours)s. Some employers take students in their final year.",
        level=asked, yours=yours))


def check_skills(profile: Profile, skills: list[Skill]) -> Requirement:
    typed = typed_skills(profile.skills)
    if not typed:
        return Requirement(SKILLS, UNKNOWN, _(
            "The guide names %(count)s core skills; your profile lists none.", count=len(skills)))
    missing = [skill.shown() for skill in skills if not has_skill(skill, typed)]
    held = len(skills) - len(missing)
    if not missing:
        return Requirement(SKILLS, MEETS, _("The guide names %(count)s core skills; you list all of them.",
                                            count=len(skills)))
    verdict = CLOSE if held * 2 > len(skills) else NOT_YET
    return Requirement(SKILLS, verdict, _(
        "The guide names %(count)s core skills; you list %(held)s of them. Not in your profile: %(missing)s.",
        count=len(skills), held=held, missing=", ".join(missing)))


def check_fit(profile: Profile, role: Role, this_year: int) -> list[Requirement]:
    """Each requirement the guide states, judged against the profile."""
    skills = core_skills(role)
    checks = {
        AGE: lambda: check_age(profile, role, this_year),
        EXPERIENCE: lambda: check_experience(profile, role),
        EDUCATION: lambda: check_education(profile, role),
        SKILLS: lambda: check_skills(profile, skills),
    }
    return [checks[name]() for name in stated(role, skills)]


def overall(requirements: list[Requirement]) -> str | None:
    """The verdict on a role as a whole: its least hopeful requirement's (None: the guide
    states none)."""
    if not requirements:
        return None
    return max((requirement.verdict for requirement in requirements), key=_WORST_LAST.index)


def fits(requirements: list[Requirement]) -> bool:
    """Meets or close on every requirement the guide states (and it states one at least)."""
    return overall(requirements) in (MEETS, CLOSE)


def fitting_role_ids(profile: Profile, this_year: int) -> set[int]:
    """The roles the profile fits (two queries, however many roles)."""
    roles = db.session.scalars(sa.select(Role).options(so.selectinload(Role.facets)))
    return {role.id for role in roles if fits(check_fit(profile, role, this_year))}
