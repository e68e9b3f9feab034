import sqlalchemy.orm as so
from flask import current_app, render_template, request
from flask_login import current_user

from ..applications.tracking import first_application_id
from ..extensions import db
from ..htmx import is_htmx
from ..models import Role
from ..rendered import shared_page
from . import bp
from .roles import role_or_404
from .search import RoleQuery, filter_choices, roles_matching


@bp.route("/")
def index():
    """List roles, narrowed by words and filters; HTMX asks only for the results."""
    query = RoleQuery(
        words=request.args.get("q", "").strip()[:200],
        category=request.args.get("category", ""),
        career_type=request.args.get("career_type", ""),
        level=request.args.get("level", ""),
    )
    roles = db.paginate(
        roles_matching(query).options(so.selectinload(Role.facets)),
        per_page=current_app.config["ROLES_PER_PAGE"],
        error_out=False,
    )
    context = {"roles": roles, "query": query}
    if is_htmx():
        return render_template("catalogue/_results.html", **context)
    return render_template("catalogue/index.html", choices=filter_choices(), **context)


@bp.route("/roles/<slug>")
def role(slug):
    """Show a role guide: the at-a-glance box and its sections."""
    # The guide's facets and sections load only when its cached drawing is out of date.
    role = role_or_404(slug)
    # The save button's state, for this one role (lists ask for all tracked roles at once).
    saved_id = first_application_id(current_user.id, role.id) if current_user.is_authenticated else None
    return shared_page(
        ("role", role.id, role.updated_at, role.thread_version, role.thread_locked_at),
        "catalogue/role.html",
        params=("page", "order"),
        role=role,
        saved_id=saved_id,
    )
