from flask import Blueprint

bp = Blueprint("catalogue", __name__)

from . import road, routes, templating  # noqa: E402,F401
