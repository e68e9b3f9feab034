"""Moderation: reports, the queue, actions on comments, threads and accounts, and the audit log."""
from flask import Blueprint

bp = Blueprint("moderation", __name__)

# holds: a comment the discussion writes is held for review when a rule says so.
from . import holds, routes, templating  # noqa: E402,F401
