"""Threaded discussion under each role page."""
from flask import Blueprint

bp = Blueprint("discussion", __name__)

from . import account_data, answers, routes, templating  # noqa: E402,F401
