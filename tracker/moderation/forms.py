"""One form per moderation action, and the reader's report form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional, ValidationError

from ..auth.forms import WholeNumberField, strip_whitespace
from ..formatting import Length, NumberRange
from .actions import ACTIONS
from .reports import OTHER, REASONS

QUEUE = "queue"
MAX_REASON_LENGTH = 500
MAX_SUSPENSION_DAYS = 3650


def give_id(field, field_id: str) -> None:
    """Rename a field's id (and its label's target), as several forms can share a page."""
    field.id = field_id
    field.label.field_id = field_id


def _reason(label, required: bool):
    first = DataRequired(_l("Say why: the reason is shown to the people it affects.")) if required else Optional()
    return StringField(
        label,
        filters=[strip_whitespace],
        validators=[first, Length(max=MAX_REASON_LENGTH, message=_l("Keep it to %(max)d characters or fewer."))],
    )


class ActionForm(FlaskForm):
    """A moderator's button (hide, restore, approve, unlock, lift...): only CSRF, and
    whether to go back to the queue afterwards."""

    back = HiddenField()

    @property
    def from_queue(self) -> bool:
        return self.back.data == QUEUE


class HideForm(ActionForm):
    """Hide a comment, saying why if the moderator wishes: its author reads it on the card."""

    reason = _reason(_l("Reason (its author sees it)"), required=False)

    def name_for(self, comment, place: str = "") -> None:
        # The queue may list a comment twice (reported, and among the latest): `place` keeps ids apart.
        give_id(self.reason, f"hide-{place}{comment.id}-reason")


class DeleteForm(ActionForm):
    """Confirm deleting a comment for good."""

    reason = _reason(_l("Reason (for the audit log)"), required=False)

    def name_for(self, comment) -> None:
        give_id(self.reason, f"delete-{comment.id}-reason")


class ReportForm(FlaskForm):
    """Report a comment to the moderators."""

    reason = RadioField(
        _l("What is wrong with this comment?"),
        choices=[SelectChoice(code, label) for code, label in REASONS.items()],
        validators=[DataRequired(_l("Choose what is wrong with the comment."))],
    )
    details = TextAreaField(
        _l("Tell the moderators more"),
        filters=[strip_whitespace],
        validators=[Length(max=1000, message=_l("Keep it to %(max)d characters or fewer."))],
    )

    def name_for(self, comment) -> None:
        give_id(self.details, f"report-{comment.id}-details")

    def validate_details(self, field):
        if self.reason.data == OTHER and not field.data:
            raise ValidationError(_l("Say what is wrong, so a moderator can judge."))


class AskAgainForm(FlaskForm):
    """The author of a hidden comment asks the moderators to look at it again."""

    details = TextAreaField(
        _l("What did you change, or why should it stay? (optional)"),
        filters=[strip_whitespace],
        validators=[Length(max=1000, message=_l("Keep it to %(max)d characters or fewer."))],
    )

    def name_for(self, comment) -> None:
        give_id(self.details, f"ask-again-{comment.id}-details")


class LockForm(FlaskForm):
    """Close a role page's discussion."""

    reason = _reason(_l("Why is the discussion closed?"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        give_id(self.reason, "lock-reason")


class SuspendForm(FlaskForm):
    """Stop a user commenting for a time or until lifted."""

    days = WholeNumberField(
        _l("For how many days? (leave empty: until lifted)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_SUSPENSION_DAYS, message=_l("Enter a number of days from %(min)d to %(max)d.")),
        ],
    )
    reason = _reason(_l("Reason (the user sees it when trying to post)"), required=True)


class AuditFilterForm(FlaskForm):
    """The audit log's filters, read from the query string."""

    class Meta:
        csrf = False

    action = SelectField(
        _l("Action"),
        choices=[SelectChoice("", _l("Any action"))] + [SelectChoice(code, label) for code, label in ACTIONS.items()],
        validate_choice=False,
    )
    moderator = SelectField(_l("Moderator"), validate_choice=False)

    def offer_moderators(self, moderators) -> None:
        self.moderator.choices = [SelectChoice("", _l("Any moderator"))] + [
            SelectChoice(str(m.id), m.display_name) for m in moderators
        ]
