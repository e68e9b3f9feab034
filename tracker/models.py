"""The domain: people, the roles they read about, the applications they track,
and the discussion on each role page."""
from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC datetime on every database.

    SQLite drops the offset; this puts it back so comparisons never mix naive and
    aware values.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime stored; use an aware UTC datetime")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


def fold_text(text: str) -> str:
    """Fold text for searching: NFC (so Bengali typed either way matches) and casefold."""
    return unicodedata.normalize("NFC", text or "").casefold()


def sort_key(text: str) -> str:
    """A key that sorts Bengali in dictionary order under a byte ("C") collation.

    NFD splits ড় ঢ় য় into base letter plus nukta, so they sort beside ড ঢ য.
    """
    return unicodedata.normalize("NFD", text or "").casefold()


# On SQLite an id is otherwise handed out again after the row with the highest one is
# deleted, so an audit entry could name two comments by one number. PostgreSQL's
# sequences never reuse one.
NEVER_REUSED_IDS = {"sqlite_autoincrement": True}


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = NEVER_REUSED_IDS

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    email: so.Mapped[str] = so.mapped_column(sa.String(254), unique=True)
    display_name: so.Mapped[str] = so.mapped_column(sa.String(60))
    password_hash: so.Mapped[str | None] = so.mapped_column(sa.String(256))
    is_moderator: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    # Suspension from commenting: set suspended_at; suspended_until None means until lifted.
    suspended_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    suspended_until: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    suspension_reason: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    # Moved on by every write to this user's applications (tracker/versions.py): cached
    # pieces of their tracker are keyed by it.
    tracker_version: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    # Moved on when what others see of this user changes (name, moderator badge): cached
    # comment cards are keyed by it (tracker/versions.py).
    profile_version: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    # The interface language chosen on any device, and the language of the mails sent to
    # this account; None until chosen (the browser's language, then the default, apply).
    preferred_language: so.Mapped[str | None] = so.mapped_column(sa.String(10))
    # Profile facts a fit check can use, all optional; seen by others only when public.
    birth_year: so.Mapped[int | None]
    education_level: so.Mapped[str | None] = so.mapped_column(sa.String(30))
    experience_years: so.Mapped[int | None]
    skills: so.Mapped[str] = so.mapped_column(sa.String(500), default="", server_default="")
    district: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    profile_public: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    # Mails the member asked for (none unless they opt in).
    email_replies: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    email_answers: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    email_digest: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    # The day the last weekly digest was queued for them: a second run of `flask mail
    # digest` in the same week (a retried cron job) mails nothing twice.
    digest_queued_on: so.Mapped[date | None] = so.mapped_column(sa.Date)
    # How many times the email has changed: a mailed link names it (auth/links.py,
    # link_fingerprint), so that changing the email ends every link sent before, even
    # when the account later moves back to an address it had.
    email_changes: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    # Set when the member deleted their account: the row stays, emptied of everything
    # personal, so their comments keep their place as "deleted account" and audit
    # entries their number.
    deleted_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # The token of the login this object was loaded for or logged in with
    # (tracker/auth/sessions.py); not a column.
    session_token = None

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def is_suspended(self, now: datetime | None = None) -> bool:
        if self.suspended_at is None:
            return False
        return self.suspended_until is None or self.suspended_until > (now or utcnow())

    @property
    def may_write(self) -> bool:
        """Whether this member is offered Reply and Report links (a suspended one cannot
        write or report, and is told why at the thread's foot instead)."""
        return not self.is_suspended()

    def is_new(self) -> bool:
        """Whether the account is younger than HOLD_NEW_ACCOUNT_HOURS, as a flood's throwaway
        accounts are."""
        return utcnow() - self.created_at < timedelta(hours=current_app.config["HOLD_NEW_ACCOUNT_HOURS"])

    def get_id(self) -> str:
        # Flask-Login keeps this in the session and signs it into the remember-me cookie:
        # naming the login as well as the user makes both worthless once the login ends.
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class UserSession(db.Model):
    """One login on one device, ended by deleting its row (tracker/auth/sessions.py)."""

    __tablename__ = "user_sessions"
    __table_args__ = NEVER_REUSED_IDS

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The SHA-256 of the token the cookies carry: a copy of this table opens no session.
    token_digest: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    # What the member will recognise the device by: the start of its user agent.
    description: so.Mapped[str] = so.mapped_column(sa.String(200), default="", server_default="")


class OutboxMail(db.Model):
    """A mail to send, written in the transaction of what caused it and sent by the mail
    worker (tracker/mail.py); kept with sent_at once sent, retried until then."""

    __tablename__ = "outbox_mails"
    __table_args__ = (sa.Index("ix_outbox_mails_pending", "sent_at", "next_attempt_at"), NEVER_REUSED_IDS)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    to_address: so.Mapped[str] = so.mapped_column(sa.String(254))
    subject: so.Mapped[str] = so.mapped_column(sa.String(300))
    body: so.Mapped[str] = so.mapped_column(sa.Text)
    # The signed one-click unsubscribe link (List-Unsubscribe), for notification mails.
    unsubscribe_url: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    attempts: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    last_error: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    sent_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)


class Role(db.Model):
    """A role guide from the catalogue, e.g. কাস্টমার কেয়ার অফিসার."""

    __tablename__ = "roles"
    __table_args__ = NEVER_REUSED_IDS

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    slug: so.Mapped[str] = so.mapped_column(sa.String(120), unique=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    # What English pages call the role (catalogue.roles.role_title); None: its Bengali title.
    title_en: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    title_sort_key: so.Mapped[str] = so.mapped_column(sa.String(400), index=True)
    summary: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    category: so.Mapped[str | None] = so.mapped_column(sa.String(120), index=True)
    experience_min_years: so.Mapped[int | None]
    experience_max_years: so.Mapped[int | None]
    salary_min_bdt: so.Mapped[int | None]
    salary_max_bdt: so.Mapped[int | None]
    age_min: so.Mapped[int | None]
    age_max: so.Mapped[int | None]
    # The least schooling the guide asks for: a key of auth.forms.EDUCATION_LEVELS.
    education_min: so.Mapped[str | None] = so.mapped_column(sa.String(30))
    # The guide's body as an ordered list of {"heading", "paragraphs", "items"} sections.
    # Deferred: only the role page reads the body; lists of roles skip decoding it.
    sections: so.Mapped[list] = so.mapped_column(sa.JSON, default=list, deferred=True)
    # Lower-cased, NFC text of title, alternative titles, skills and duties, for LIKE search.
    search_text: so.Mapped[str] = so.mapped_column(sa.Text, default="", deferred=True)
    source: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    thread_locked_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    thread_lock_reason: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    # Moved on by every write to the role's comments or to what their authors show
    # (tracker/versions.py): cached listings of the thread are keyed by it.
    thread_version: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    facets: so.Mapped[list[RoleFacet]] = so.relationship(
        back_populates="role", cascade="all, delete-orphan", order_by="RoleFacet.position"
    )

    def facet_values(self, kind: str) -> list[str]:
        return [f.value for f in self.facets if f.kind == kind]

    def __repr__(self) -> str:
        return f"<Role {self.slug}>"


class RoleFacet(db.Model):
    """One listed value of a role: an alternative title, a skill, a level, a tag...

    Kept as rows rather than a JSON list so filters are plain indexed SQL on every database.
    """

    __tablename__ = "role_facets"
    KINDS = (
        "alt_title",
        "english_name",
        "organisation_type",
        "career_type",
        "level",
        "core_skill",
        # A core skill's English name, at the position of its core_skill (the fit check
        # matches a profile's skills in either language).
        "core_skill_english",
        "special_skill",
        "tag",
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    role_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("roles.id", ondelete="CASCADE"))
    kind: so.Mapped[str] = so.mapped_column(sa.String(30))
    value: so.Mapped[str] = so.mapped_column(sa.String(200))
    position: so.Mapped[int] = so.mapped_column(default=0)

    role: so.Mapped[Role] = so.relationship(back_populates="facets")

    __table_args__ = (sa.Index("ix_role_facets_kind_value", "kind", "value"), NEVER_REUSED_IDS)


class Application(db.Model):
    """One job a user is pursuing at one organisation, from the catalogue or not."""

    __tablename__ = "applications"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The catalogue role it is linked to, if any: a job found anywhere else has none, and
    # a role taken out of the catalogue leaves the application with its own title.
    role_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("roles.id", ondelete="SET NULL"))
    # The job's title as the user knows it (a catalogue role's title when saved from it).
    title: so.Mapped[str] = so.mapped_column(sa.String(200), default="", server_default="")
    # Empty string, not NULL, so the uniqueness below also holds for "no organisation yet".
    organisation: so.Mapped[str] = so.mapped_column(sa.String(200), default="", server_default="")
    link: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    district: so.Mapped[str | None] = so.mapped_column(sa.String(100))
    # Where the job was found: a key of tracking.SOURCES.
    source: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    # Pay advertised or offered, in taka a month: one amount (min only) or a range.
    pay_min: so.Mapped[int | None]
    pay_max: so.Mapped[int | None]
    # Set while the member shares this offer's pay, anonymously, towards the figures its
    # role's page shows (applications/pay.py); None when not shared (the default).
    pay_shared_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    deadline: so.Mapped[date | None]
    # 1 for the first application to a role at an organisation, 2 for applying again on
    # purpose, and so on: a double click still cannot make a second one.
    attempt: so.Mapped[int] = so.mapped_column(default=1, server_default="1")
    status: so.Mapped[str] = so.mapped_column(sa.String(20), default="saved", server_default="saved")
    applied_on: so.Mapped[date | None]
    next_step: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    next_step_on: so.Mapped[date | None]
    follow_up_on: so.Mapped[date | None]
    notes: so.Mapped[str] = so.mapped_column(sa.Text, default="", server_default="")
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    last_changed_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    user: so.Mapped[User] = so.relationship()
    role: so.Mapped[Role | None] = so.relationship()
    status_changes: so.Mapped[list[StatusChange]] = so.relationship(
        back_populates="application", cascade="all, delete-orphan", passive_deletes=True,
        order_by="StatusChange.changed_at",
    )
    interviews: so.Mapped[list[Interview]] = so.relationship(
        back_populates="application", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Interview.scheduled_at",
    )
    prepared_skills: so.Mapped[list[PreparedSkill]] = so.relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="PreparedSkill.id"
    )

    __table_args__ = (
        sa.UniqueConstraint(
            "user_id", "role_id", "organisation", "attempt", name="uq_applications_user_role_org_attempt"
        ),
        NEVER_REUSED_IDS,
    )


class StatusChange(db.Model):
    """A line of an application's timeline: from one stage to another, by whom, when."""

    __tablename__ = "status_changes"
    __table_args__ = NEVER_REUSED_IDS

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    application_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    from_status: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    to_status: so.Mapped[str] = so.mapped_column(sa.String(20))
    changed_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    # NULL means the system made the change (e.g. an automatic move), not the user.
    changed_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    note: so.Mapped[str] = so.mapped_column(sa.Text, default="", server_default="")

    application: so.Mapped[Application] = so.relationship(back_populates="status_changes")


class Interview(db.Model):
    __tablename__ = "interviews"
    __table_args__ = NEVER_REUSED_IDS

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    application_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    scheduled_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    kind: so.Mapped[str] = so.mapped_column(sa.String(20))
    outcome: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    notes: so.Mapped[str] = so.mapped_column(sa.Text, default="", server_default="")

    application: so.Mapped[Application] = so.relationship(back_populates="interviews")


class PreparedSkill(db.Model):
    """A skill of the role's guide the member ticked while preparing for its interview."""

    __tablename__ = "prepared_skills"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    application_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"))
    skill: so.Mapped[str] = so.mapped_column(sa.String(200))

    __table_args__ = (
        sa.UniqueConstraint("application_id", "skill", name="uq_prepared_skills_application_skill"),
        NEVER_REUSED_IDS,
    )


class ImportJob(db.Model):
    """A CSV file of applications too long to import within its request, imported by a
    job (applications/import_jobs.py): checked whole, then written in one transaction.
    The file is kept only until then."""

    __tablename__ = "import_jobs"
    __table_args__ = (sa.Index("ix_import_jobs_state", "state", "id"), NEVER_REUSED_IDS)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The language of the page it was sent from: its mistakes are written in it.
    language: so.Mapped[str] = so.mapped_column(sa.String(10))
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    rows: so.Mapped[int]  # applications in the file
    checked: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    # Whether the reader asked to skip the jobs already tracked, and how many were.
    skip_tracked: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    skipped: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    # waiting, running, done or refused (`errors`, one a line: nothing was imported).
    state: so.Mapped[str] = so.mapped_column(sa.String(10), default="waiting", server_default="waiting")
    errors: so.Mapped[str] = so.mapped_column(sa.Text, default="", server_default="")
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    started_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    finished_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)


class Comment(db.Model):
    """A comment in a role page's thread.

    The tree is stored as root_id + path (zero-padded ids from the root down), so one
    indexed query fetches a page of threads with all their replies in reading order.
    """

    __tablename__ = "comments"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    role_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("roles.id", ondelete="CASCADE"))
    author_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    parent_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    # The comment actually answered; differs from parent_id when the reply was attached
    # at the depth limit.
    in_reply_to_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("comments.id", ondelete="SET NULL")
    )
    root_id: so.Mapped[int | None] = so.mapped_column(index=True)
    path: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    depth: so.Mapped[int] = so.mapped_column(default=0)
    body_source: so.Mapped[str] = so.mapped_column(sa.Text)
    # Sanitised HTML, rendered once when written or edited.
    body_html: so.Mapped[str] = so.mapped_column(sa.Text)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    edited_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    deleted_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    hidden_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    hidden_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # What the moderator who hid it said; its author reads it on the card ("" when none).
    hidden_reason: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    # None when published; the reason when held for review.
    held_reason: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    is_answer: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    # The stage of their application for this role its author chose to show beside their
    # name when posting (a key of catalogue/road.py STAGES), or None: never shown unasked.
    shown_stage: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    # On a top-level comment: moved on by every write to any comment of its thread or to
    # what their authors show (tracker/versions.py); a cached thread is keyed by it.
    subtree_version: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    # The key of the form it was sent from (CommentForm.submission); None when seeded.
    submission_key: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    # Moved on in the database by every UPDATE of the row, ORM or bulk, so a cached card
    # keyed by it is never served after the comment changed.
    version: so.Mapped[int] = so.mapped_column(
        default=0, server_default="0", onupdate=sa.literal_column("version") + 1
    )

    author: so.Mapped[User] = so.relationship(foreign_keys=[author_id])
    role: so.Mapped[Role] = so.relationship()

    __table_args__ = (
        sa.Index("ix_comments_role_root_path", "role_id", "root_id", "path"),
        # A form sent twice (a double tap, a retry) is stored once: each drawn form has its key.
        sa.Index("uq_comments_author_submission", "author_id", "submission_key", unique=True),
        NEVER_REUSED_IDS,
    )


class CommentDraft(db.Model):
    """A comment or reply posted after its writer's login had ended (elsewhere), kept for
    a day to be put back in its form once they log in again in the same browser, which
    holds the token whose digest names it (discussion/drafts.py)."""

    __tablename__ = "comment_drafts"
    __table_args__ = NEVER_REUSED_IDS

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    token_digest: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    role_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("roles.id", ondelete="CASCADE"))
    parent_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    body: so.Mapped[str] = so.mapped_column(sa.Text)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)


class SeededComment(db.Model):
    """A comment `flask seed` added, by its key in seed_data/comments/ ("role/comment").

    The record outlives the comment, so a seeded comment that its author or a moderator
    deleted is never added again."""

    __tablename__ = "seeded_comments"
    __table_args__ = NEVER_REUSED_IDS

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    seed_key: so.Mapped[str] = so.mapped_column(sa.String(200), unique=True)
    comment_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("comments.id", ondelete="SET NULL"))
    seeded_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    comment: so.Mapped[Comment | None] = so.relationship()


class Notification(db.Model):
    __tablename__ = "notifications"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    comment_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    kind: so.Mapped[str] = so.mapped_column(sa.String(30))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    read_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    comment: so.Mapped[Comment] = so.relationship()

    __table_args__ = (sa.Index("ix_notifications_user_read", "user_id", "read_at"), NEVER_REUSED_IDS)


class Report(db.Model):
    __tablename__ = "reports"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    comment_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    reporter_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    reason: so.Mapped[str] = so.mapped_column(sa.String(30))
    details: so.Mapped[str] = so.mapped_column(sa.Text, default="", server_default="")
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    resolved_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    resolved_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    comment: so.Mapped[Comment] = so.relationship()
    reporter: so.Mapped[User] = so.relationship(foreign_keys=[reporter_id])

    __table_args__ = (
        sa.UniqueConstraint("comment_id", "reporter_id", name="uq_reports_comment_reporter"), NEVER_REUSED_IDS
    )


class AuditEntry(db.Model):
    """An append-only record of a moderator's action."""

    __tablename__ = "audit_entries"
    __table_args__ = NEVER_REUSED_IDS

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    moderator_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: so.Mapped[str] = so.mapped_column(sa.String(40), index=True)
    comment_id: so.Mapped[int | None]  # no FK: the entry outlives a deleted comment
    target_user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    role_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("roles.id", ondelete="SET NULL"))
    reason: so.Mapped[str] = so.mapped_column(sa.Text, default="", server_default="")
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)

    moderator: so.Mapped[User | None] = so.relationship(foreign_keys=[moderator_id])
    target_user: so.Mapped[User | None] = so.relationship(foreign_keys=[target_user_id])
    role: so.Mapped[Role | None] = so.relationship()
