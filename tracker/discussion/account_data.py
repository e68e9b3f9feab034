"""A member's comments and notifications when they take their data out (auth's account
signals). Deleting an account keeps its comments: auth empties the author's row, and the
stages they showed beside them go, as their applications do."""
import csv
import io

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..auth.accounts import as_json
from ..auth.signals import account_deleting, account_exporting
from ..extensions import db
from ..models import Comment, Notification
from ..spreadsheet import BOM, cell

COMMENT_COLUMNS = ("id", "role", "in_reply_to", "created_at", "edited_at", "deleted", "shown_stage", "text")


@account_deleting.connect
def _remove_stage_badges(sender, user, **extra):
    db.session.execute(
        sa.update(Comment)
        .where(Comment.author_id == user.id, Comment.shown_stage.is_not(None))
        .values(shown_stage=None)
        .execution_options(synchronize_session=False)
    )


@account_exporting.connect
def _export_discussion(sender, user, **extra):
    comments = db.session.scalars(
        sa.select(Comment).where(Comment.author_id == user.id).options(so.joinedload(Comment.role)).order_by(Comment.id)
    )
    rows = [
        {
            "id": comment.id,
            "role": comment.role.title,
            "in_reply_to": comment.in_reply_to_id,
            "created_at": comment.created_at,
            "edited_at": comment.edited_at,
            "deleted": comment.deleted_at is not None,
            "shown_stage": comment.shown_stage,
            "text": "" if comment.deleted_at else comment.body_source,
        }
        for comment in comments
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, COMMENT_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({name: cell(value.isoformat() if hasattr(value, "isoformat") else value)
                         for name, value in row.items()})
    notifications = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    )
    return {
        "comments.json": as_json(rows),
        "comments.csv": BOM + out.getvalue(),
        "notifications.json": as_json([
            {"id": note.id, "kind": note.kind, "comment": note.comment_id, "created_at": note.created_at,
             "read_at": note.read_at}
            for note in notifications
        ]),
    }
