"""Your data is yours: deleting an account, and a zip of everything it holds."""
import io
import json
import zipfile

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import Notification, OutboxMail, User, UserSession, utcnow
from .signals import account_deleting, account_exporting

PROFILE_FIELDS = (
    "id", "email", "display_name", "created_at", "preferred_language", "birth_year", "education_level",
    "experience_years", "skills", "district", "profile_public", "email_replies", "email_answers", "email_digest",
    "is_moderator",
)


def as_json(data) -> str:
    """`data` as readable JSON, dates as ISO 8601 and Bengali as itself."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=lambda value: value.isoformat())


def export_account(user: User) -> bytes:
    """A zip of the account's profile and what every area keeps of it (JSON and CSV)."""
    files = {"profile.json": as_json({name: getattr(user, name) for name in PROFILE_FIELDS})}
    for _receiver, parts in account_exporting.send(current_app._get_current_object(), user=user):
        files.update(parts)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in sorted(files.items()):
            archive.writestr(name, text)
    return buffer.getvalue()


def delete_account(user: User) -> None:
    """Delete what the account holds and empty its row (no commit).

    Its applications go with their history and notes; its comments stay, shown as by a
    "deleted account", so threads keep their shape; audit entries keep its number. Every
    login ends.
    """
    account_deleting.send(current_app._get_current_object(), user=user)
    for model in (Notification, UserSession, OutboxMail):
        db.session.execute(sa.delete(model).where(model.user_id == user.id))
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.display_name = ""
    user.password_hash = None
    user.is_moderator = False
    for name in ("preferred_language", "birth_year", "education_level", "experience_years", "district"):
        setattr(user, name, None)
    user.skills = ""
    user.profile_public = user.email_replies = user.email_answers = user.email_digest = False
    user.deleted_at = utcnow()
