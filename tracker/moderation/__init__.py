"""Moderation: reports, the queue, actions on comments, threads and accounts, and the audit log."""
from flask import Blueprint

bp = Blueprint("moderation", __name__)

from . import routes, templating  # noqa: E402,F401
