"""A cache of rendered thread sections for anonymous readers.

Most readers are not logged in, and for them a role page's thread looks the same, so it
is rendered once and reused. Correctness rests on Role.thread_version: every flush that
writes a comment bumps its role's version in the same transaction, and the version is
part of the key, so a changed thread is never served from the cache, whichever worker
process rendered it. Entries also expire after a minute so relative times ("5 minutes
ago") and renamed authors stay close to true.
"""
import time
from collections import OrderedDict
from itertools import chain

import sqlalchemy as sa
import sqlalchemy.orm as so
from markupsafe import Markup

from ..models import Comment, Role

MAX_ENTRIES = 512
MAX_AGE_SECONDS = 60


class RenderedThreads:
    """A small least-recently-used map of rendered HTML, local to one process."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_age: float = MAX_AGE_SECONDS):
        self._entries: OrderedDict[tuple, tuple[float, Markup]] = OrderedDict()
        self.max_entries = max_entries
        self.max_age = max_age

    def get_or_render(self, key: tuple, render) -> Markup:
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and now - entry[0] < self.max_age:
            self._entries.move_to_end(key)
            return entry[1]
        html = Markup(render())  # nosec B704: render() returns an autoescaped Jinja rendering
        self._entries[key] = (now, html)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return html


def rendered_threads(app) -> RenderedThreads:
    """The app's own cache (each app, e.g. each test's, has its own database)."""
    return app.extensions.setdefault("rendered_threads", RenderedThreads())


@sa.event.listens_for(so.Session, "before_flush")
def _bump_thread_versions(session, flush_context, instances) -> None:
    role_ids = {
        obj.role_id if obj.role_id is not None else obj.role.id
        for obj in chain(session.new, session.dirty, session.deleted)
        if isinstance(obj, Comment)
    }
    if role_ids:
        session.connection().execute(
            sa.update(Role.__table__)
            .where(Role.__table__.c.id.in_(role_ids))
            .values(thread_version=Role.__table__.c.thread_version + 1)
        )
