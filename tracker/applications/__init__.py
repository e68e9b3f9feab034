from flask import Blueprint

bp = Blueprint("applications", __name__)

from . import account_data, road, routes, templating  # noqa: E402,F401
