"""Telling people that someone answered them."""
import sqlalchemy as sa
import sqlalchemy.orm as so

from ..auth.mail_choices import mail_if_chosen
from ..extensions import db
from ..models import Comment, Notification, User, utcnow
from ..origin import site_url
from .visibility import is_published, published_clause

REPLY = "reply"
MODERATOR_REPLY = "moderator_reply"
ANSWERED = "answered"  # a moderator marked a reply in a member's question's thread as its answer


def notify_reply(reply: Comment, answered: Comment) -> None:
    """Tell the author of `answered` about `reply`, unless they answered themselves (no commit)."""
    if answered.author_id == reply.author.id:
        return
    kind = MODERATOR_REPLY if reply.author.is_moderator else REPLY
    db.session.add(Notification(user_id=answered.author_id, comment=reply, kind=kind))


def mail_news_of(reply: Comment) -> None:
    """Mail whom a published reply answers, if they asked for such mails (added, no commit).

    Called once the reply is out: after a hold for review had its say, or on approval."""
    if reply.in_reply_to_id is None or not is_published(reply):
        return
    answered = db.session.get(Comment, reply.in_reply_to_id)
    if answered is None or answered.author_id == reply.author_id:
        return
    choice = "answers" if reply.author.is_moderator else "replies"
    link = site_url("discussion.show_comment", comment_id=reply.id)
    mail_if_chosen(answered.author, choice, "reply", reply=reply, link=link)


def notify_answered(answer: Comment) -> None:
    """Tell the author of the question `answer` is now the answer to, by a notification and,
    if they asked for such mails, a mail (added, no commit); once per answer, however often
    it is marked, and not when they answered themselves."""
    question = db.session.get(Comment, answer.root_id)
    if question is None or question.author_id == answer.author_id or question.author.deleted_at is not None:
        return
    told = sa.select(Notification.id).where(
        Notification.user_id == question.author_id, Notification.comment_id == answer.id, Notification.kind == ANSWERED
    )
    if db.session.scalar(told) is not None:
        return
    db.session.add(Notification(user_id=question.author_id, comment=answer, kind=ANSWERED))
    link = site_url("discussion.show_comment", comment_id=answer.id)
    mail_if_chosen(question.author, "answers", "answered", answer=answer, link=link)


def _shown_to(user: User) -> sa.Select:
    # A reply that was deleted, hidden or held no longer counts as news.
    return (
        sa.select(Notification)
        .join(Notification.comment)
        .where(Notification.user_id == user.id, published_clause())
    )


# Asked on every page a member opens (the count in the navigation bar), so the statement
# is built once; building it took longer than running it.
_UNREAD_COUNT = (
    sa.select(sa.func.count(Notification.id))
    .select_from(Notification)
    .join(Notification.comment)
    .where(Notification.user_id == sa.bindparam("user_id"), Notification.read_at.is_(None), published_clause())
)


def unread_count(user: User) -> int:
    return db.session.scalar(_UNREAD_COUNT, {"user_id": user.id})


def latest_notifications(user: User, limit: int = 50) -> list[Notification]:
    """The user's latest notifications, newest first (reading them changes nothing)."""
    return db.session.scalars(
        _shown_to(user)
        .options(
            so.joinedload(Notification.comment).joinedload(Comment.author),
            so.joinedload(Notification.comment).joinedload(Comment.role),
        )
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    ).all()


def mark_read(user: User, up_to_id: int) -> None:
    """Mark the user's notifications read, up to the newest they were shown (no commit):
    one that came after they looked stays new."""
    db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None), Notification.id <= up_to_id)
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
