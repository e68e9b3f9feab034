"""Every write that changes what a cached entry shows moves a version its key names.

Cached entries are never deleted: their keys name the versions they were drawn from
(tracker/pieces.py), so a write moves a version on in the same transaction and the next
reader, on any worker or machine, asks for a new key. This module is the one place that
knows which write moves which version:

- a comment's row: `Comment.version` (its card), moved by the database on every UPDATE,
  ORM or bulk (the column's onupdate);
- a role's thread: `Role.thread_version` (its listings), moved when any of its comments is
  written, by the ORM (before_flush) or by an UPDATE or DELETE statement (do_orm_execute);
  and the top-level comment's `Comment.subtree_version` (that one thread of the listing),
  so a new reply draws its own thread again, not the nineteen others beside it;
- a user: `User.profile_version` (their cards), and the versions of every thread and role
  they wrote on (what holds those cards), on a change to any column but those no card
  shows (NEVER_SHOWN_OF_A_USER), so what a card starts to show is fresh at once;
- a member's applications: `User.tracker_version` (their tracker's pieces), and the thread
  version of the roles they are linked to (whose pages count how far members got);

Statements run on a bare connection, outside the session, move nothing: the app's two
such statements note when a login was last seen (auth/sessions.py) and apply a mailed link
to an account's password or email (auth/links.py), which nothing cached shows.
"""
from itertools import chain

import sqlalchemy as sa
import sqlalchemy.orm as so

from .models import Application, Comment, Interview, Role, StatusChange, User

# What no card shows of its author: a change to any other column of a user draws their
# cards anew, so a card that starts showing one (a district, a badge) is never stale.
NEVER_SHOWN_OF_A_USER = frozenset({
    "password_hash", "email", "email_changes", "email_replies", "email_answers", "email_digest",
    "digest_queued_on", "preferred_language", "tracker_version", "profile_version",
})


def touch_threads(session, role_ids) -> None:
    """Move on the thread versions of `role_ids` (ids, or a subquery of them)."""
    roles = Role.__table__
    session.connection().execute(
        sa.update(roles)
        .where(roles.c.id.in_(role_ids))
        # updated_at says when the guide itself changed (the guide is cached by it), so a
        # comment must not move it, as its onupdate default otherwise would.
        .values(thread_version=roles.c.thread_version + 1, updated_at=roles.c.updated_at)
    )


def _touch_subtrees(session, root_ids) -> None:
    """Move on the thread versions of the top-level comments `root_ids` (ids, or a subquery)."""
    comments = Comment.__table__
    session.connection().execute(
        sa.update(comments)
        .where(comments.c.id.in_(root_ids))
        # Only the thread around it changed, not the comment's own card.
        .values(subtree_version=comments.c.subtree_version + 1, version=comments.c.version)
    )


def _touch_what_holds(session, comments) -> None:
    """Move on the versions of the roles and threads holding `comments` (a subquery of
    comment rows): what shows them is drawn again."""
    touch_threads(session, sa.select(comments.c.role_id).distinct().scalar_subquery())
    _touch_subtrees(session, sa.select(comments.c.root_id).distinct().scalar_subquery())


def _touch_trackers(session, user_ids) -> None:
    users = User.__table__
    session.connection().execute(
        sa.update(users).where(users.c.id.in_(user_ids)).values(tracker_version=users.c.tracker_version + 1)
    )


def _roles_whose_road_moved(session) -> set[int]:
    """The roles whose page counts how far its members got (applications/road.py) that a
    new or deleted application, or one whose stage or role changed, changes (the app
    sets role_id, not the relationship)."""
    role_ids = {obj.role_id for obj in chain(session.new, session.deleted) if isinstance(obj, Application)}
    for obj in session.dirty:
        if isinstance(obj, Application):
            moved = so.attributes.get_history(obj, "role_id")
            role_ids.update(moved.added + moved.deleted)
            if so.attributes.get_history(obj, "status").has_changes():
                role_ids.add(obj.role_id)
    role_ids.discard(None)
    return role_ids


def _owner_id(session, obj) -> int:
    if isinstance(obj, Application):
        return obj.user_id if obj.user_id is not None else obj.user.id
    application = obj.application or session.get(Application, obj.application_id)
    return application.user_id


@sa.event.listens_for(so.Session, "before_flush")
def _move_versions_of_flushed_writes(session, flush_context, instances) -> None:
    written = list(chain(session.new, session.dirty, session.deleted))
    with session.no_autoflush:  # looking up an owner must not start a flush inside this one
        role_ids = {
            obj.role_id if obj.role_id is not None else obj.role.id for obj in written if isinstance(obj, Comment)
        }
        # A new comment's root is known from its second flush, when its path is written.
        root_ids = {obj.root_id for obj in written if isinstance(obj, Comment) and obj.root_id is not None}
        tracker_owners = {
            _owner_id(session, obj) for obj in written if isinstance(obj, (Application, Interview, StatusChange))
        }
        role_ids |= _roles_whose_road_moved(session)
    renamed = [
        user
        for user in session.dirty
        if isinstance(user, User)
        and any(
            so.attributes.get_history(user, column.key).has_changes()
            for column in so.object_mapper(user).column_attrs
            if column.key not in NEVER_SHOWN_OF_A_USER
        )
    ]
    for user in renamed:
        user.profile_version = User.profile_version + 1
    if role_ids:
        touch_threads(session, role_ids)
    if root_ids:
        _touch_subtrees(session, root_ids)
    if renamed:
        written = sa.select(Comment).where(Comment.author_id.in_([user.id for user in renamed])).subquery()
        _touch_what_holds(session, written)
    if tracker_owners:
        _touch_trackers(session, tracker_owners)


@sa.event.listens_for(so.Session, "do_orm_execute")
def _move_versions_of_statements(state: so.ORMExecuteState):
    """UPDATE and DELETE statements on comments or users (ORM-enabled or Core) bypass the
    flush: touch the threads of the rows they are about to change, in the same transaction."""
    if not (state.is_update or state.is_delete):
        return None
    statement = state.statement
    table_name = getattr(statement.table, "name", None)
    criteria = () if statement.whereclause is None else (statement.whereclause,)
    if table_name == Comment.__tablename__:
        written = sa.select(Comment).where(*criteria).subquery()
    elif table_name == User.__tablename__:
        if _sets_only_what_is_never_shown(statement):
            return None
        written = sa.select(Comment).join(User, Comment.author_id == User.id).where(*criteria).subquery()
    else:
        return None
    _touch_what_holds(state.session, written)
    if table_name == User.__tablename__ and state.is_update:
        # Whatever it sets may be shown beside their comments: their cards are drawn anew.
        return state.invoke_statement(statement=statement.values(profile_version=User.profile_version + 1))
    return None


def _sets_only_what_is_never_shown(statement) -> bool:
    """Whether an UPDATE of users sets only columns no card shows (a DELETE sets none)."""
    values = getattr(statement, "_values", None) or {}
    names = {getattr(column, "key", column) for column in values}
    return bool(names) and names <= NEVER_SHOWN_OF_A_USER
