"""Reading applications back from a CSV: the export's own format (export.COLUMNS, its
headers in English or Bengali), or a minimal one (title, organisation, stage, applied
date), also after a spreadsheet has rewritten its dates. The whole file is checked first;
one mistake and nothing is imported. Jobs already tracked are refused, or skipped when
the reader asks. A file's cost is bounded: at most IMPORT_MAX_ROWS applications, and one
query for those already tracked, however many there are."""
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import db
from ..formatting import latin_digits
from ..models import Application, Interview, Role, StatusChange, utcnow
from ..spreadsheet import FORMULA_STARTS
from . import stages
from .export import COLUMNS, NOTES_MARK
from .forms import MAX_NOTES
from .tracking import INTERVIEW_KINDS, SOURCES, local_to_utc, normalise_organisation, normalise_text, read_amount

# Lines checked between two reports of progress (an import job keeps each).
PROGRESS_EVERY = 100

# Other names a header may go by in a file made by hand.
ALIASES = {
    "title": ("title", "job", "job title", "role", "position"),
    "organisation": ("organisation", "organization", "company", "employer"),
    "status": ("status", "stage"),
    "applied_on": ("applied on", "applied date", "applied", "date applied"),
}
LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d) (.+)$")
# The dates a spreadsheet saves the export's back as: Excel on a bn-BD or en-GB computer
# writes 2026-12-07 23:07 as 07/12/2026 23:07, day first as Bangladesh writes dates. A
# time may follow, on the 24-hour clock or with AM/PM (পূর্বাহ্ণ/অপরাহ্ণ on a Bengali
# Windows); Bengali digits are read as well.
AFTERNOON = ("P", "অপরাহ্ণ")
_TIME = (r"(?:\s+(?P<hour>\d\d?):(?P<minute>\d\d)(?::(?P<second>\d\d))?"
         r"(?:\s*(?P<half>[AP])\.?M\.?|\s+(?P<bengali_half>পূর্বাহ্ণ|অপরাহ্ণ))?)?")
WRITTEN_DATES = tuple(re.compile(form + _TIME, re.IGNORECASE) for form in (
    r"(?P<year>\d{4})-(?P<month>\d\d?)-(?P<day>\d\d?)",
    r"(?P<day>\d\d?)(?P<mark>[/.-])(?P<month>\d\d?)(?P=mark)(?P<year>\d{4})",
))
MAX_LENGTHS = {"title": 200, "organisation": 200, "next_step": 200, "link": 500, "district": 100, "notes": MAX_NOTES}


class ImportRefused(ValueError):
    """The file cannot be imported; `errors` names each problem by line and column."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Row:
    line: int
    values: dict = field(default_factory=dict)
    history: list = field(default_factory=list)  # (changed_at, status, note)
    interviews: list = field(default_factory=list)  # (scheduled_at, kind, outcome, notes)


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _in_each_language(make) -> dict[str, str]:
    """{what `make()` writes in each interface language, folded: the value it came from}."""
    names = {}
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            names.update({_fold(str(text)): value for value, text in make()})
    return names


def _header_keys() -> dict[str, str]:
    keys = _in_each_language(lambda: [(key, header) for key, header in COLUMNS])
    keys.update({alias: key for key, aliases in ALIASES.items() for alias in aliases})
    return keys


def _plain(cell: str) -> str:
    """A cell as written, without the ' the export put before a formula-like start."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


class _Reader:
    """Reads one file's cells, gathering every problem instead of stopping at the first."""

    def __init__(self):
        self.errors: list[str] = []
        self.stages = _in_each_language(lambda: stages.LABELS.items()) | {s: s for s in stages.STATUSES}
        self.kinds = _in_each_language(lambda: INTERVIEW_KINDS.items())
        self.sources = _in_each_language(lambda: SOURCES.items()) | {s: s for s in SOURCES}
        self.header_names: dict[str, str] = {}
        self.line = 0
        self.column = ""

    def refuse(self, message: str) -> None:
        self.errors.append(
            _("Line %(line)s, column “%(column)s”: %(message)s", line=self.line, column=self.column, message=message)
        )

    def day(self, text: str) -> date | None:
        """The date written in a date-only column; a time after it is dropped."""
        if not text:
            return None
        typed = _written(text)
        if typed is None:
            self.refuse(_("“%(text)s” is not a date: write it day first, as 31/03/2026, or as 2026-03-31.", text=text))
            return None
        return typed.date()

    def moment(self, text: str) -> datetime | None:
        """The moment written in a date-time column, in the reader's time zone; midnight without a time."""
        if not text:
            return None
        typed = _written(text)
        if typed is None:
            self.refuse(_(
                "“%(text)s” is not a date and time: write it day first, as 31/03/2026 14:30, or as 2026-03-31 14:30.",
                text=text,
            ))
            return None
        return local_to_utc(typed.date(), typed.time())

    def amount(self, text: str) -> int | None:
        try:
            return read_amount(text)
        except ValueError:
            self.refuse(_("“%(text)s” is not an amount of taka in digits.", text=text))
            return None

    def choice(self, text: str, known: dict, what: str) -> str | None:
        if not text:
            return None
        if _fold(text) in known:
            return known[_fold(text)]
        self.refuse(_("“%(text)s” is not %(what)s we know.", text=text, what=what))
        return None

    def stamped_lines(self, text: str):
        """(moment, rest) for each line of a history or interviews cell."""
        for line in filter(None, (line.strip() for line in text.splitlines())):
            match = LINE.match(latin_digits(line))
            if not match:
                self.refuse(_("“%(line)s” does not start with a date and time as 2026-03-31 14:30.", line=line))
                continue
            yield self.moment(match[1]), line[len(match[1]) + 1:]


def _written(text: str) -> datetime | None:
    """The date and time of day in a cell in one of WRITTEN_DATES, or None."""
    for form in WRITTEN_DATES:
        match = form.fullmatch(latin_digits(text))
        if match:
            break
    else:
        return None
    hour, half = int(match["hour"] or 0), match["half"] or match["bengali_half"]
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.upper() in AFTERNOON else 0)
    try:
        return datetime(int(match["year"]), int(match["month"]), int(match["day"]),
                        hour, int(match["minute"] or 0), int(match["second"] or 0))
    except ValueError:  # a 31st of April, a 25th hour
        return None


def _records(text: str) -> list[list[str]]:
    """The file's lines as lists of cells; ImportRefused for what no spreadsheet saves as text."""
    if "\x00" in text:
        # PostgreSQL cannot hold the character in text; no person types one.
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ImportRefused([_(
            "Line %(line)s holds a NUL character, which is not text: save the file again as “CSV UTF-8”.", line=line
        )])
    records = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        return list(records)
    except csv.Error as error:
        if str(error).startswith("field larger than field limit"):
            message = _("Line %(line)s: a cell holds more than %(num)s characters, more than any column takes.",
                        line=records.line_num, num=csv.field_size_limit())
        else:
            message = _("Line %(line)s cannot be read as CSV (%(error)s): save the file again as “CSV UTF-8”.",
                        line=records.line_num, error=str(error))
        raise ImportRefused([message]) from None


def _lines(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The file's header, and each line holding an application with its number."""
    records = _records(text)
    if not records:
        raise ImportRefused([_("The file is empty.")])
    body = [(number, record) for number, record in enumerate(records[1:], start=2) if any(c.strip() for c in record)]
    most = current_app.config["IMPORT_MAX_ROWS"]
    if len(body) > most:
        raise ImportRefused([_("The file holds more than %(num)s applications: split it.", num=most)])
    return records[0], body


def count_rows(text: str) -> int:
    """How many applications the file holds; ImportRefused when it cannot be read, or holds too many."""
    return len(_lines(text)[1])


def _columns(header: list[str], reader: _Reader) -> list[str | None]:
    keys = _header_keys()
    columns = [keys.get(_fold(name.lstrip("\ufeff"))) for name in header]
    if "title" not in columns:
        reader.line, reader.column = 1, header[0] if header else ""
        reader.refuse(_(
            "no column holds the job title. Start the file with the export's header, or with: "
            "title, organisation, stage, applied date."
        ))
    return columns


def _read_row(reader: _Reader, line: int, cells: dict[str, str], roles: dict[str, int]) -> Row:
    row = Row(line)
    values = row.values
    for key in MAX_LENGTHS:
        values[key] = cells.get(key, "")
    values["title"] = normalise_text(values["title"])
    values["organisation"] = normalise_organisation(values["organisation"])
    for key, limit in MAX_LENGTHS.items():
        reader.column = _column_name(reader, key)
        if len(values[key]) > limit:
            reader.refuse(_("keep it to %(num)s characters or fewer.", num=limit))
    reader.column = _column_name(reader, "title")
    if not values["title"]:
        reader.refuse(_("the job title is empty."))
    reader.column = _column_name(reader, "status")
    values["status"] = reader.choice(cells.get("status", ""), reader.stages, _("a stage")) or stages.SAVED
    for key in ("applied_on", "next_step_on", "follow_up_on", "deadline"):
        reader.column = _column_name(reader, key)
        values[key] = reader.day(cells.get(key, ""))
    for key in ("created_at", "last_changed_at"):
        reader.column = _column_name(reader, key)
        values[key] = reader.moment(cells.get(key, ""))
    for key in ("pay_min", "pay_max"):
        reader.column = _column_name(reader, key)
        values[key] = reader.amount(cells.get(key, ""))
    if values["pay_min"] is not None and values["pay_max"] is not None and values["pay_max"] < values["pay_min"]:
        reader.refuse(_("the most cannot be below the least (%(least)s).", least=values["pay_min"]))
    reader.column = _column_name(reader, "source")
    values["source"] = reader.choice(cells.get("source", ""), reader.sources, _("a place jobs are found"))
    reader.column = _column_name(reader, "link")
    if values["link"] and not re.match(r"^https?://[^\s/]+\.[^\s]+$", values["link"]):
        reader.refuse(_("“%(text)s” is not a web address starting with https://.", text=values["link"]))
    reader.column = _column_name(reader, "role")
    slug = cells.get("role", "")
    values["role_id"] = roles.get(slug) if slug else None
    if slug and slug not in roles:
        reader.refuse(
            _("there is no catalogue role “%(slug)s”; empty the cell to import it as a job of its own.", slug=slug)
        )
    reader.column = _column_name(reader, "attempt")
    attempt = latin_digits(cells.get("attempt", "")) or "1"
    values["attempt"] = int(attempt) if attempt.isascii() and attempt.isdigit() and 0 < int(attempt) < 1000 else 1
    if values["attempt"] == 1 and attempt != "1":
        reader.refuse(_("“%(text)s” is not a number from 1.", text=attempt))
    for key in ("next_step", "district", "link"):
        values[key] = values[key] or None
    reader.column = _column_name(reader, "history")
    for moment, rest in reader.stamped_lines(cells.get("history", "")):
        label, _paren, note = rest.partition(" (")
        status = reader.choice(label, reader.stages, _("a stage"))
        if status and moment:
            row.history.append((moment, status, note[:-1] if note.endswith(")") else note))
    if row.history and row.history[-1][1] != values["status"]:
        reader.refuse(_("the last stage of the history is not the status of the application."))
    reader.column = _column_name(reader, "interviews")
    for moment, rest in reader.stamped_lines(cells.get("interviews", "")):
        rest, _mark, notes = rest.partition(NOTES_MARK)
        label, _colon, outcome = rest.partition(": ")
        kind = reader.choice(label, reader.kinds, _("a kind of interview"))
        if kind and moment:
            row.interviews.append((moment, kind, outcome.strip()[:500] or None, notes.strip()))
    return row


def _column_name(reader: _Reader, key: str) -> str:
    return reader.header_names.get(key, key)


def read_csv(text: str, progress: Callable[[int], None] | None = None) -> list[Row]:
    """Every application in the file, checked; raises ImportRefused naming each problem.
    `progress` is told how many lines are checked, every PROGRESS_EVERY."""
    reader = _Reader()
    header, body = _lines(text)
    columns = _columns(header, reader)
    reader.header_names = {key: name.strip() for key, name in zip(columns, header) if key}
    roles = dict(db.session.execute(sa.select(Role.slug, Role.id)).all()) if "role" in columns else {}
    rows = []
    for count, (number, record) in enumerate(body, start=1):
        if progress and count % PROGRESS_EVERY == 0:
            progress(count)
        reader.line = number
        if len(record) > len(header):
            reader.column = header[-1] if header else ""
            reader.refuse(_("the line has more cells than the header."))
        cells = {key: _plain(cell.strip()) for key, cell in zip(columns, record) if key}
        rows.append(_read_row(reader, number, cells, roles))
    if reader.errors:
        raise ImportRefused(reader.errors)
    return rows


def _identity(role_id: int | None, title: str, organisation: str, attempt: int) -> tuple:
    # One job as tracking._same_job tells them apart: the catalogue role, or without one
    # the title, at the organisation, case ignored; and which attempt at it.
    return role_id, title.lower() if role_id is None else None, organisation.lower(), attempt


def _tracked(user_id: int) -> set[tuple]:
    """The identity of each application the user tracks, in one query."""
    rows = db.session.execute(
        sa.select(Application.role_id, Application.title, Application.organisation, Application.attempt)
        .where(Application.user_id == user_id)
    )
    return {_identity(*row) for row in rows}


def import_rows(user_id: int, rows: list[Row], skip_tracked: bool = False) -> tuple[list[Application], int]:
    """Add the read applications to the user's tracker, with their histories and
    interviews (flushed, no commit), and say how many were skipped. One already there is
    skipped with `skip_tracked`, else refused with ImportRefused, as is a job the file
    holds twice."""
    errors = []
    tracked, in_file, new = _tracked(user_id), {}, []
    for row in rows:
        values = row.values
        identity = _identity(values["role_id"], values["title"], values["organisation"], values["attempt"])
        if identity in tracked:
            if not skip_tracked:
                errors.append(_("Line %(line)s: “%(title)s” at “%(organisation)s” is already in your tracker.",
                                line=row.line, title=values["title"], organisation=values["organisation"]))
        elif identity in in_file:
            errors.append(_("Line %(line)s: “%(title)s” at “%(organisation)s” is the same job as line %(first)s.",
                            line=row.line, title=values["title"], organisation=values["organisation"],
                            first=in_file[identity]))
        else:
            in_file[identity] = row.line
            new.append(row)
    if errors:
        raise ImportRefused(errors)
    now, imported = utcnow(), _("Imported")
    added = []
    for row in new:
        values = dict(row.values)
        created_at = values.pop("created_at") or (row.history[0][0] if row.history else now)
        last_changed_at = values.pop("last_changed_at") or (row.history[-1][0] if row.history else created_at)
        application = Application(user_id=user_id, created_at=created_at, last_changed_at=last_changed_at, **values)
        history = row.history or [(created_at, stages.SAVED, "")] + (
            [(last_changed_at, values["status"], imported)] if values["status"] != stages.SAVED else []
        )
        previous, previous_at = None, None
        for changed_at, status, note in history:
            # The file's times are to the minute: changes within one minute keep their order.
            if previous_at is not None and changed_at <= previous_at:
                changed_at = previous_at + timedelta(seconds=1)
            previous_at = changed_at
            application.status_changes.append(
                StatusChange(from_status=previous, to_status=status, changed_at=changed_at, changed_by_id=user_id,
                             note=note)
            )
            previous = status
        for scheduled_at, kind, outcome, notes in row.interviews:
            application.interviews.append(Interview(scheduled_at=scheduled_at, kind=kind, outcome=outcome, notes=notes))
        db.session.add(application)
        added.append(application)
    db.session.flush()
    return added, len(rows) - len(new)
