"""Each user's tracker page is drawn once per change to their applications.

The tracker page (what is coming up, the funnel, the list) is the costliest page a
member opens often, and it changes only when they change an application. Every flush
that writes one of a user's applications, interviews or status changes moves their
User.tracker_version on in the same transaction; the page's key holds it
(applications/routes.py, tracker/rendered.py: shared_page), so a changed tracker is never
served from the cache, whichever worker process drew it. The drawing serves only its
owner; it keeps half a minute for what the key cannot name: an application going quiet
as time passes, a role renamed.
"""
from itertools import chain

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..models import Application, Interview, StatusChange, User


def _owner_id(session, obj) -> int:
    if isinstance(obj, Application):
        return obj.user_id if obj.user_id is not None else obj.user.id
    application = obj.application or session.get(Application, obj.application_id)
    return application.user_id


@sa.event.listens_for(so.Session, "before_flush")
def _bump_tracker_versions(session, flush_context, instances) -> None:
    with session.no_autoflush:  # looking up an owner must not start a flush inside this one
        user_ids = {
            _owner_id(session, obj)
            for obj in chain(session.new, session.dirty, session.deleted)
            if isinstance(obj, (Application, Interview, StatusChange))
        }
    if user_ids:
        users = User.__table__
        session.connection().execute(
            sa.update(users).where(users.c.id.in_(user_ids)).values(tracker_version=users.c.tracker_version + 1)
        )
