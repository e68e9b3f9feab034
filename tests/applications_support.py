"""Fixtures and helpers shared by the tracker tests: applications made through the same
domain functions the views use, and read back straight from the database."""
import re
from dataclasses import dataclass
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from tracker.applications import tracking
from tracker.extensions import db
from tracker.models import Application, Role

from .conftest import get_role_id

CCO = "customer-care-officer"
CCO_TITLE = "কাস্টমার কেয়ার অফিসার"
BPO = "bpo-job"


def track(app, user, slug=CCO, organisation="Grameenphone", moves=(), **details) -> int:
    """Save a role for user, walk it through `moves`, set `details`; return its id."""
    with app.test_request_context():
        application, _ = tracking.save_role(user.id, get_role_id(app, slug), organisation)
        for status in moves:
            tracking.change_status(application, status, user.id)
        for name, value in details.items():
            setattr(application, name, value)
        db.session.commit()
        return application.id


@dataclass(frozen=True)
class Stored:
    """An application as the database holds it."""

    status: str
    organisation: str
    applied_on: date | None
    next_step: str | None
    next_step_on: date | None
    follow_up_on: date | None
    notes: str
    last_changed_at: datetime
    changes: list  # (from, to, changed_by_id, note)
    interviews: list  # (scheduled_at, kind, outcome, notes)


def stored(app, application_id) -> Stored | None:
    with app.app_context():
        application = db.session.get(Application, application_id)
        if application is None:
            return None
        return Stored(
            application.status, application.organisation, application.applied_on, application.next_step,
            application.next_step_on, application.follow_up_on, application.notes, application.last_changed_at,
            [(c.from_status, c.to_status, c.changed_by_id, c.note) for c in application.status_changes],
            [(i.scheduled_at, i.kind, i.outcome, i.notes) for i in application.interviews],
        )


def application_count(app, user=None) -> int:
    with app.app_context():
        stmt = sa.select(sa.func.count(Application.id))
        if user is not None:
            stmt = stmt.where(Application.user_id == user.id)
        return db.session.scalar(stmt)


def interview_id(app, application_id) -> int:
    with app.test_request_context():
        application = db.session.get(Application, application_id)
        if not application.interviews:
            tracking.add_interview(application, tracking.local_to_utc(date(2030, 1, 2), datetime.min.time()), "phone")
            db.session.commit()
        return application.interviews[0].id


def text_of(html: str) -> str:
    """The visible text of a page, tags dropped and spaces squeezed, for plain assertions."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def application(seeded, user):
    """Asha's saved application: কাস্টমার কেয়ার অফিসার at Grameenphone."""
    return track(seeded, user)


@pytest.fixture
def make_roles(app):
    """Add n more roles to the catalogue; return their ids."""

    def make(n):
        with app.app_context():
            roles = [Role(slug=f"extra-{i}", title=f"ভূমিকা {i}", title_sort_key=f"extra {i:04}") for i in range(n)]
            db.session.add_all(roles)
            db.session.commit()
            return [role.id for role in roles]

    return make
