from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Optional, ValidationError

from ..arguments import parse_id
from ..extensions import db
from ..formatting import Length, latin_digits, local_digits
from ..models import Role
from .tracking import INTERVIEW_KINDS, find_tracked, local_today, normalise_organisation

MAX_NOTES = 5000


def _id_or_none(value):
    """Read a posted id (or a choice's, an int); anything that cannot be one becomes None
    (refused later)."""
    return parse_id(str(value))


def _explained(field_class, message):
    """A date or time field whose error says what to type, not just that it is wrong."""

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


class SaveRoleForm(FlaskForm):
    """Save a role to the tracker: the one-click button, or the page that also asks for the organisation."""

    role_id = SelectField(_l("Role"), coerce=_id_or_none, validate_choice=False)
    organisation = _organisation_field()
    next = HiddenField()

    def validate_role_id(self, field):
        if field.data is None or db.session.get(Role, field.data) is None:
            raise ValidationError(_l("Choose a role from the catalogue."))


class DetailsForm(FlaskForm):
    """Edit what the user knows about one application."""

    organisation = _organisation_field()
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
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}

    def validate_organisation(self, field):
        twin = find_tracked(self.application.user_id, self.application.role_id, field.data or "", self.application.id)
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
    # Shown only after a move to a final stage was asked without it (a mis-tap cannot be undone).
    final = BooleanField(_l("Yes, move it: this is final"))
    next = HiddenField()


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The details form on the same page has a "notes" too: ids must differ.
        self.notes.id = self.notes.label.field_id = "interview-notes"


class OutcomeForm(FlaskForm):
    """Record how an interview went."""

    outcome = StringField(
        _l("Outcome"),
        validators=[
            DataRequired(_l("Write how it went, for example “passed to the next round”.")),
            Length(max=500, message=_l("Keep the outcome to 500 characters or fewer.")),
        ],
    )


class ConfirmForm(FlaskForm):
    """A button-only POST (delete): it carries nothing but the CSRF token."""
