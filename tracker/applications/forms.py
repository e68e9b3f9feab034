from datetime import date, timedelta
from urllib.parse import urlsplit

from flask_babel import get_timezone
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField, DateField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField, TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Optional, ValidationError

from ..arguments import parse_id
from ..extensions import db
from ..formatting import Length, format_number, latin_digits, local_digits
from ..models import Role
from .templating import local_date
from .tracking import (
    INTERVIEW_KINDS, JOB_DETAILS, SOURCES, find_tracked, local_today, normalise_organisation, normalise_text, read_amount,
)

MAX_NOTES = 5000
# A deadline further back than this is most often a slip of the year.
DEADLINE_PAST_DAYS = 90


def _id_or_none(value):
    """Read a posted id (or a choice's, an int); anything that cannot be one becomes None
    (refused later)."""
    return parse_id(str(value))


def _explained(field_class, message):
    """A date or time field whose error says what to type, not just that it is wrong, and
    which reads Bengali digits."""

    class ExplainedField(field_class):
        def process_formdata(self, valuelist):
            try:
                super().process_formdata([latin_digits(value) for value in valuelist])
            except ValueError as error:
                raise ValueError(message) from error

    return ExplainedField


DayField = _explained(DateField, _l("Enter a date as year-month-day, for example 2026-03-31."))
ClockField = _explained(TimeField, _l("Enter a time as hours:minutes, for example 14:30."))

EARLIEST_DATE = date(2000, 1, 1)
YEARS_AHEAD = 2


def years_ahead() -> date:
    """The last day a planned date can fall on: YEARS_AHEAD years from today."""
    today = local_today()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February, into a year without one
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


class SensibleDate:
    """Refuse a date nobody means, most often a slip of the year: before 2000, or after
    `latest()` with `too_late` saying why."""

    def __init__(self, latest, too_late):
        self.latest = latest
        self.too_late = too_late

    def __call__(self, form, field):
        if field.data is None:
            return
        if field.data < EARLIEST_DATE:
            raise ValidationError(_l("Enter a date from 2000 on; check the year."))
        if field.data > self.latest():
            raise ValidationError(self.too_late)


def planned_date():
    return SensibleDate(years_ahead, _l("Enter a date within the next two years; check the year."))


def _organisation_field():
    return StringField(
        _l("Organisation"),
        filters=[normalise_organisation],
        validators=[Length(max=200, message=_l("Keep the organisation name to 200 characters or fewer."))],
    )


class TypedStringField(StringField):
    """A text field that shows again what was typed, not what its filters made of it."""

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class AmountField(TypedStringField):
    """Taka a month, as read_amount reads them."""

    def _value(self):
        # A saved amount is shown in the reader's digits, as it was typed on a Bengali page.
        return self.raw_data[0] if self.raw_data else local_digits("" if self.data is None else str(self.data))

    def process_formdata(self, valuelist):
        if not valuelist:  # not sent: what the application holds stays
            return
        try:
            self.data = read_amount(valuelist[0])
        except ValueError as error:
            self.data = None
            raise ValueError(_l("Enter the pay as taka a month in digits, for example 15000 or ১৫০০০.")) from error


def _web_address(text: str | None) -> str | None:
    """A posting's address as typed, with https:// put in front when left out."""
    text = (text or "").strip()
    if text and "://" not in text:
        text = "https://" + text
    return text or None


def _role_field():
    return SelectField(_l("Catalogue role (optional)"), coerce=_id_or_none, validate_choice=False)


def _check_role(field):
    """Refuse a role id that names no role (a chosen one, or None, is fine)."""
    if field.data is not None and db.session.get(Role, field.data) is None:
        raise ValidationError(_l("Choose a role from the list, or none."))


class JobFields(FlaskForm):
    """What a user tells about a job: shared by adding one and editing it."""

    title = StringField(
        _l("Job title"),
        filters=[normalise_text],
        validators=[
            DataRequired(_l("Enter the job title, for example “Sales Executive”.")),
            Length(max=200, message=_l("Keep the job title to 200 characters or fewer.")),
        ],
    )
    organisation = _organisation_field()
    role_id = _role_field()
    link = TypedStringField(
        _l("Link to the posting"),
        filters=[_web_address],
        validators=[Optional(), Length(max=500, message=_l("Keep the link to 500 characters or fewer."))],
    )
    district = StringField(
        _l("Location (district)"),
        filters=[normalise_text],
        validators=[Length(max=100, message=_l("Keep the district to 100 characters or fewer."))],
    )
    source = SelectField(
        _l("Where I found it"),
        choices=[SelectChoice("", _l("Not said"))] + [SelectChoice(key, label) for key, label in SOURCES.items()],
        validate_choice=False,  # checked below, where "not said" may also be None
    )
    pay_min = AmountField(_l("Pay (৳ a month)"))
    pay_max = AmountField(_l("Up to (৳ a month, for a range)"))
    deadline = DayField(_l("Application deadline"), validators=[Optional(), planned_date()])

    def validate_role_id(self, field):
        _check_role(field)

    def validate_source(self, field):
        if field.data and field.data not in SOURCES:
            raise ValidationError(_l("Choose where you found the job from the list."))

    def validate_link(self, field):
        if not field.data:
            return
        parts = urlsplit(field.data)
        if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in field.data:
            raise ValidationError(_l("Enter the posting's web address, for example https://bdjobs.com/..."))

    def validate_pay_max(self, field):
        if field.data is not None and self.pay_min.data is not None and field.data < self.pay_min.data:
            raise ValidationError(
                _l("The most cannot be below the least (%(least)s).", least=format_number(self.pay_min.data))
            )

    def validate_deadline(self, field):
        if field.data and field.data < local_today() - timedelta(days=DEADLINE_PAST_DAYS):
            raise ValidationError(
                _l("This deadline passed more than %(days)s days ago: check the year, or leave it empty.",
                   days=DEADLINE_PAST_DAYS)
            )

    def job(self) -> dict:
        """What was typed about the job, by column name (empty texts as None)."""
        job = {name: self[name].data or None for name in ("title", "role_id") + JOB_DETAILS}
        return job | {"organisation": self.organisation.data or ""}


class JobForm(JobFields):
    """Track a job that may not be in the catalogue."""

    # Sent by the duplicate warning's button: track a second application on purpose.
    again = StringField()


class SaveRoleForm(FlaskForm):
    """Save a role to the tracker: the one-click button, or the page that also asks for the organisation."""

    role_id = SelectField(_l("Role"), coerce=_id_or_none, validate_choice=False)
    organisation = _organisation_field()
    next = HiddenField()
    # Sent by the duplicate warning's button: track a second application on purpose.
    again = StringField()

    def validate_role_id(self, field):
        if field.data is None or db.session.get(Role, field.data) is None:
            raise ValidationError(_l("Choose a role from the catalogue."))


class DetailsForm(JobFields):
    """Edit what the user knows about one application: the job itself and their progress."""

    applied_on = DayField(
        _l("Applied on"),
        validators=[Optional(), SensibleDate(local_today, _l("The applied date cannot be in the future."))],
    )
    next_step = StringField(
        _l("Next step"),
        filters=[lambda text: text.strip() if text else text],
        validators=[Length(max=200, message=_l("Keep the next step to 200 characters or fewer."))],
    )
    next_step_on = DayField(_l("Next step date"), validators=[Optional(), planned_date()])
    follow_up_on = DayField(_l("Follow up on"), validators=[Optional(), planned_date()])
    notes = TextAreaField(
        _l("Notes"),
        validators=[Length(max=MAX_NOTES, message=_l("Notes can be at most %(max)d characters.", max=MAX_NOTES))],
    )

    def __init__(self, application, **kwargs):
        super().__init__(obj=application, **kwargs)
        self.application = application

    def details(self) -> dict:
        """The edited values by column name, without the CSRF token."""
        progress = ("applied_on", "next_step", "next_step_on", "follow_up_on", "notes")
        return self.job() | {name: self[name].data for name in progress}

    def validate_deadline(self, field):
        # A deadline kept as it was stays, however long ago it passed.
        if field.data != self.application.deadline:
            super().validate_deadline(field)

    def validate_organisation(self, field):
        application = self.application
        twin = find_tracked(
            application.user_id, self.role_id.data, field.data or "", application.id, self.title.data or "",
            application.attempt,
        )
        if twin is not None:
            raise ValidationError(_l("You already track this role at that organisation."))

    def validate_follow_up_on(self, field):
        applied_on = self.applied_on.data
        if field.data and applied_on and field.data < applied_on:
            raise ValidationError(
                _l("Follow up after the day you applied (%(day)s), not before it.", day=local_digits(applied_on.isoformat()))
            )


class StatusForm(FlaskForm):
    """Move an application to another stage."""

    status = SelectField(_l("Move to"), validate_choice=False)
    note = StringField(
        _l("Note (optional)"),
        validators=[Length(max=500, message=_l("Keep the note to 500 characters or fewer."))],
    )
    # Sent by the closing question's button (_close_question.html): a move that closes the
    # application is asked about first.
    final = BooleanField(_l("Yes, close it"))
    next = HiddenField()


class ReopenForm(FlaskForm):
    """Open a closed application again, saying why."""

    status = SelectField(_l("Reopen at"), validate_choice=False)
    note = StringField(
        _l("Why"),
        filters=[normalise_text],
        validators=[
            DataRequired(_l("Say why you reopen it, for example “they called me back”.")),
            Length(max=500, message=_l("Keep the note to 500 characters or fewer.")),
        ],
    )


class InterviewForm(FlaskForm):
    """Add an interview to an application."""

    day = DayField(_l("Date"), validators=[InputRequired(_l("Enter the date of the interview.")), planned_date()])
    at = ClockField(_l("Time (Bangladesh)"), validators=[InputRequired(_l("Enter the time of the interview."))])
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(kind, label) for kind, label in INTERVIEW_KINDS.items()],
        # WTForms' own "Not a valid choice." would be English on a Bengali page.
        validate_choice=False,
        validators=[AnyOf(list(INTERVIEW_KINDS), message=_l("Choose the kind of interview."))],
    )
    notes = TextAreaField(
        _l("Notes (optional)"),
        validators=[Length(max=MAX_NOTES, message=_l("Notes can be at most %(max)d characters.", max=MAX_NOTES))],
    )

    def __init__(self, *args, applied_on: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The details form on the same page has a "notes" too, and each interview's edit
        # form (prefixed) another: ids must differ.
        self.notes.id = self.notes.label.field_id = f"{self._prefix}interview-notes"
        self.applied_on = applied_on

    def validate_day(self, field):
        # A date before the application was sent is a slip of the finger (a month, a year),
        # and would go into the proof of job search as it is.
        if field.data and self.applied_on and field.data < self.applied_on:
            raise ValidationError(
                _l("An interview cannot come before you applied (%(day)s).", day=local_date(self.applied_on))
            )


class InterviewEditForm(InterviewForm):
    """Change an interview afterwards: its date, time, kind, notes and outcome."""

    outcome = StringField(
        _l("Outcome (optional)"),
        validators=[Length(max=500, message=_l("Keep the outcome to 500 characters or fewer."))],
    )

    @classmethod
    def of(cls, interview, **kwargs):
        """The form for one interview, filled with what it holds (in Dhaka time)."""
        form = cls(prefix=f"edit-{interview.id}", applied_on=interview.application.applied_on, **kwargs)
        if kwargs.get("formdata", True) is None:
            moment = interview.scheduled_at.astimezone(get_timezone())
            form.day.data, form.at.data = moment.date(), moment.time().replace(tzinfo=None)
            form.kind.data, form.notes.data, form.outcome.data = interview.kind, interview.notes, interview.outcome
        return form


class OutcomeForm(FlaskForm):
    """Record how an interview went."""

    outcome = StringField(
        _l("Outcome"),
        validators=[
            DataRequired(_l("Write how it went, for example “passed to the next round”.")),
            Length(max=500, message=_l("Keep the outcome to 500 characters or fewer.")),
        ],
    )


class ImportForm(FlaskForm):
    """Upload a CSV of applications."""

    file = FileField(
        _l("CSV file"),
        validators=[
            FileRequired(_l("Choose a CSV file to import.")),
            FileAllowed(["csv", "txt"], _l("Choose a .csv file, as the export makes.")),
        ],
    )
    # Ticked at first: a file is most often imported again, or after a spreadsheet's
    # edits, into the account that made it, and each job skipped is counted on the page.
    skip_tracked = BooleanField(_l("Skip the jobs I already track"), default=True)


def _up_to_today():
    return SensibleDate(local_today, _l("Choose a day up to today."))


class ProofForm(FlaskForm):
    """The dates a proof of job search covers (a GET form: it changes nothing)."""

    class Meta:
        csrf = False

    start = DayField(_l("From"), validators=[InputRequired(_l("Enter the first day.")), _up_to_today()])
    end = DayField(_l("To"), validators=[InputRequired(_l("Enter the last day.")), _up_to_today()])

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(
                _l("The last day cannot be before the first (%(day)s).", day=local_date(self.start.data))
            )


class PreparationForm(FlaskForm):
    """Tick the guide's skills prepared for the interview (its choices are the guide's)."""

    skills = SelectMultipleField(_l("Skills the guide names"), validate_choice=False)


class ConfirmForm(FlaskForm):
    """A button-only POST (delete): it carries nothing but the CSRF token."""


class PayShareForm(FlaskForm):
    """Share an offer's pay, anonymously, towards its role's figures, or take it back."""

    share = BooleanField(_l("Share this offer's pay, anonymously, with others looking at this role"))
