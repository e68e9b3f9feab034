from flask import Blueprint

bp = Blueprint("catalogue", __name__)

from . import road, roles, routes, templating  # noqa: E402,F401

# Every area's pages and mails name roles; a piece too, its key naming the locale.
bp.add_app_template_global(roles.role_title)
