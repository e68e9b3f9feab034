import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, ValidationError

from ..extensions import db
from ..formatting import Length
from ..models import User

MIN_PASSWORD_LENGTH = 8


def normalise_email(value: str | None) -> str | None:
    return value.strip().lower() if value else value


def strip_whitespace(value: str | None) -> str | None:
    return value.strip() if value else value


class RegistrationForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        filters=[normalise_email],
        validators=[
            DataRequired(_l("Enter your email address.")),
            Email(_l("That does not look like an email address; check for typos."), check_deliverability=False),
            Length(max=254),
        ],
    )
    display_name = StringField(
        _l("Display name"),
        filters=[strip_whitespace],
        validators=[
            DataRequired(_l("Enter the name others will see beside your comments.")),
            Length(max=60, message=_l("Keep your display name to 60 characters or fewer.")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Choose a password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("Use at least %(min)d characters for your password.", min=MIN_PASSWORD_LENGTH),
            ),
        ],
    )
    password2 = PasswordField(
        _l("Password again"),
        validators=[
            DataRequired(_l("Type your password a second time.")),
            EqualTo("password", message=_l("The two passwords do not match.")),
        ],
    )

    def validate_email(self, field):
        if db.session.scalar(sa.select(User.id).where(User.email == field.data)):
            raise ValidationError(_l("An account with this email already exists. Log in instead?"))


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        filters=[normalise_email],
        validators=[DataRequired(_l("Enter your email address."))],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    remember_me = BooleanField(_l("Remember me"))
    next = HiddenField()


def _configured_languages() -> list[SelectChoice]:
    return [SelectChoice(code, name) for code, name in current_app.config["LANGUAGES"].items()]


class LanguageForm(FlaskForm):
    language = SelectField(choices=_configured_languages)
    next = HiddenField()
