import re
import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from ..arguments import parse_id
from ..auth.forms import strip_whitespace
from ..extensions import db
from ..formatting import Length
from ..models import Comment, Role
from .visibility import is_published

MAX_COMMENT_LENGTH = 5000
SUBMISSION_KEY = re.compile(r"[0-9a-f]{32}")


def _give_id(field, field_id: str) -> None:
    """Rename a field's id (and its label's target) so several forms can share a page."""
    field.id = field_id
    field.label.field_id = field_id


def comment_body(label):
    """The text of a comment: required, at most MAX_COMMENT_LENGTH characters."""
    return TextAreaField(
        label,
        filters=[strip_whitespace],
        validators=[
            DataRequired(_l("Write something before posting.")),
            Length(
                max=MAX_COMMENT_LENGTH,
                message=_l("Keep it to %(max)d characters or fewer (this has %(length)d)."),
            ),
        ],
    )


class CommentForm(FlaskForm):
    """Post a comment on a role page, or a reply when parent_id names the comment answered."""

    body = comment_body(_l("Your comment"))
    parent_id = HiddenField()
    # Off unless ticked: the stage is looked up in the tracker only when the comment is posted.
    show_stage = BooleanField(_l("Show beside my name how far I got with this role in my tracker"))
    # Drawn anew with every form: the same key sent twice is the same comment sent twice.
    submission = HiddenField()

    def __init__(self, role: Role, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        self.parent: Comment | None = None
        if not SUBMISSION_KEY.fullmatch(self.submission.data or ""):
            self.submission.data = uuid.uuid4().hex

    @property
    def submission_key(self) -> str | None:
        """The key the form was sent with, or None when it was drawn before keys existed."""
        sent = self.submission.raw_data[0] if self.submission.raw_data else ""
        return sent if SUBMISSION_KEY.fullmatch(sent) else None

    def validate_parent_id(self, field):
        if not field.data:
            return
        parent_id = parse_id(field.data)
        parent = db.session.get(Comment, parent_id) if parent_id else None
        if parent is None or parent.role_id != self.role.id:
            raise ValidationError(_l("The comment you are replying to is not on this page. Reload the page and try again."))
        if not is_published(parent):
            raise ValidationError(_l("The comment you are replying to has been removed, so your reply was not posted."))
        self.parent = parent

    def name_for_reply(self, answered: Comment) -> None:
        self.parent_id.data = str(answered.id)
        _give_id(self.body, f"reply-{answered.id}-body")
        _give_id(self.show_stage, f"reply-{answered.id}-show-stage")
        self.body.label.text = _l("Your reply")


class EditCommentForm(FlaskForm):
    body = comment_body(_l("Your comment"))

    def name_for(self, comment: Comment) -> None:
        _give_id(self.body, f"edit-{comment.id}-body")


class DeleteCommentForm(FlaskForm):
    """No fields: the button's POST still carries the CSRF token."""


class MarkReadForm(FlaskForm):
    """Mark notifications read, up to the newest on the page that was shown."""

    up_to = HiddenField()
