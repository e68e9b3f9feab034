from flask import current_app
from flask_login import current_user
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Optional, ValidationError
from wtforms.widgets import TextInput

from ..formatting import Length, NumberRange, latin_digits, local_digits
from .names import accounts_looking_like, hidden_characters, looks_like_a_moderator, looks_like_reserved, normalise_name

MIN_PASSWORD_LENGTH = 8
FIRST_BIRTH_YEAR = 1940
LAST_BIRTH_YEAR = 2015
MAX_EXPERIENCE_YEARS = 60


def normalise_email(value: str | None) -> str | None:
    return value.strip().lower() if value else value


def strip_whitespace(value: str | None) -> str | None:
    return value.strip() if value else value


class NewPasswordForm(FlaskForm):
    """A new password, typed twice."""

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


def _email_field(label=_l("Email")) -> EmailField:
    return EmailField(
        label,
        filters=[normalise_email],
        validators=[
            DataRequired(_l("Enter your email address.")),
            Email(_l("That does not look like an email address; check for typos."), check_deliverability=False),
            Length(max=254, message=_l("An email address has at most %(max)d characters; this one has %(length)d.")),
        ],
    )


def _name_others_can_trust(form, field) -> None:
    hidden = hidden_characters(field.data or "")
    if hidden:
        raise ValidationError(
            _l("Your name holds characters that do not show or that turn text around (%(codes)s). Type it with letters only.",
               codes=", ".join(hidden))
        )
    # Moderators speak for the site: the reserved words may be in their names.
    by_moderator = getattr(form, "by_moderator", False)
    user_id = getattr(form, "user_id", None)
    reserved = not by_moderator and looks_like_reserved(field.data)
    if reserved or looks_like_a_moderator(field.data, user_id):
        raise ValidationError(_l("That name looks like a moderator's or the site team's. Choose one that is yours."))
    # A moderator taking a member's name would let that member pass for a moderator, as a
    # promotion would (the CLI refuses it). Only a new name is looked for: the search reads
    # every account's name.
    if by_moderator and field.data != field.object_data and accounts_looking_like(field.data, user_id):
        raise ValidationError(
            _l("Another member's name looks like that one, and a moderator's name must stand apart. Choose another.")
        )


def _display_name_field() -> StringField:
    return StringField(
        _l("Display name"),
        filters=[normalise_name],
        validators=[
            DataRequired(_l("Enter the name others will see beside your comments.")),
            Length(max=60, message=_l("Keep your display name to 60 characters or fewer.")),
            _name_others_can_trust,
        ],
    )


class RegistrationForm(FlaskForm):
    """Only the email: whether it has an account is said in the mail sent there."""

    email = _email_field()


class FinishRegistrationForm(NewPasswordForm):
    """The rest, on the page the mailed link opens."""

    display_name = _display_name_field()


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        filters=[normalise_email],
        validators=[DataRequired(_l("Enter your email address."))],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    remember_me = BooleanField(_l("Remember me"))
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


def _is_current_password(form, field) -> None:
    if not current_user.check_password(field.data):
        raise ValidationError(_l("That is not your current password."))


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter the password you use now.")), _is_current_password]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Below "Current password", a plain "Password" could be either one.
        self.password.label.text = _l("New password")
        self.password2.label.text = _l("New password again")


# When a link to move an account is confirmed, another account may have taken the
# address since (only the mail there says so when it is asked for).
ANOTHER_ACCOUNTS_EMAIL = _l("Another account uses this email.")


class ChangeEmailForm(FlaskForm):
    email = _email_field(_l("New email"))
    password = PasswordField(
        _l("Your password"), validators=[DataRequired(_l("Enter your password to change the email.")), _is_current_password]
    )

    def validate_email(self, field):
        if field.data == current_user.email:
            raise ValidationError(_l("That is the email your account has now."))


class ConfirmEmailForm(FlaskForm):
    """The button on the page a confirmation link opens: a mail program that opens links
    ahead of its reader changes nothing."""


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"), validators=[DataRequired(_l("Enter your password to delete the account.")), _is_current_password]
    )
    understood = BooleanField(
        _l("I understand: my applications and notes are deleted for good"),
        validators=[DataRequired(_l("Tick the box to say you understand."))],
    )


def _configured_languages() -> list[SelectChoice]:
    # Each language named in itself, and marked as such for screen readers.
    return [SelectChoice(code, name, render_kw={"lang": code}) for code, name in current_app.config["LANGUAGES"].items()]


EDUCATION_LEVELS = {
    "ssc": _l("SSC or equivalent"),
    "hsc": _l("HSC or equivalent"),
    "diploma": _l("Diploma"),
    "bachelors": _l("Bachelor's degree"),
    "masters": _l("Master's degree or higher"),
    "other": _l("Other"),
}


class WholeNumberField(IntegerField):
    """A whole number, with our own words when what was typed is not one.

    A text box (with a numeric keyboard, `inputmode`), not type="number": a phone set to
    English turns Bengali digits typed there into nothing, and the number was lost
    without a word."""

    widget = TextInput()

    def _value(self):
        # A saved number is shown in the reader's digits (২০০২ on a Bengali page), as typed.
        return self.raw_data[0] if self.raw_data else local_digits("" if self.data is None else str(self.data))

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            try:
                self.data = int(latin_digits(valuelist[0].strip()))
            except ValueError:
                self.data = None
                raise ValueError(_l("Type a whole number, such as 3.")) from None
        else:
            self.data = None


class ProfileForm(FlaskForm):
    display_name = _display_name_field()
    preferred_language = SelectField(_l("Language of pages and mails"), choices=_configured_languages)
    birth_year = WholeNumberField(
        _l("Year of birth"),
        validators=[
            Optional(),
            NumberRange(min=FIRST_BIRTH_YEAR, max=LAST_BIRTH_YEAR, message=_l(
                "Give a year between %(min)s and %(max)s.", min=FIRST_BIRTH_YEAR, max=LAST_BIRTH_YEAR)),
        ],
    )
    education_level = SelectField(
        _l("Education"), choices=lambda: [SelectChoice("", _l("Not said"))] + [SelectChoice(k, v) for k, v in EDUCATION_LEVELS.items()]
    )
    experience_years = WholeNumberField(
        _l("Years of work experience"),
        validators=[
            Optional(),
            NumberRange(min=0, max=MAX_EXPERIENCE_YEARS, message=_l(
                "Give a number of years from %(min)s to %(max)s.", min=0, max=MAX_EXPERIENCE_YEARS)),
        ],
    )
    skills = StringField(
        _l("Skills"),
        filters=[strip_whitespace],
        validators=[Length(max=500, message=_l("Keep your skills to 500 characters or fewer."))],
    )
    district = StringField(
        _l("District"),
        filters=[strip_whitespace],
        validators=[Length(max=40, message=_l("Keep the district to 40 characters or fewer."))],
    )
    profile_public = BooleanField(_l("Show these facts on my public profile"))
    email_replies = BooleanField(_l("Mail me when someone replies to me"))
    email_answers = BooleanField(_l("Mail me when a moderator answers me"))
    email_digest = BooleanField(_l("Mail me a weekly list of my coming interviews and deadlines"))


class LanguageForm(FlaskForm):
    language = SelectField(choices=_configured_languages)
    next = HiddenField()
