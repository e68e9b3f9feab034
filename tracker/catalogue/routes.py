import sqlalchemy.orm as so
from flask import current_app, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from ..arguments import parse_page
from ..extensions import db
from ..htmx import after_swap, is_htmx
from ..language import URL_ARGUMENT, offered_language, url_language
from ..models import Role
from ..origin import site_url
from ..pieces import serves_whole_pages
from . import bp, parts
from .pieces import visitor_role_page
from .roles import listed_roles, role_or_404, role_versions_or_404
from .search import RoleQuery, filter_choices, member_filters, roles_matching


@bp.route("/")
def index():
    """List roles, narrowed by words and filters; HTMX asks only for the results."""
    chosen = [f for f in member_filters() if request.args.get(f.name)] if current_user.is_authenticated else []
    only_ids = None
    for member_filter in chosen:
        kept = frozenset(member_filter.role_ids())
        only_ids = kept if only_ids is None else only_ids & kept
    query = RoleQuery(
        words=request.args.get("q", "").strip()[:200],
        category=request.args.get("category", ""),
        career_type=request.args.get("career_type", ""),
        level=request.args.get("level", ""),
        chosen=tuple(f.name for f in chosen),
        only_ids=only_ids,
    )
    roles = db.paginate(
        roles_matching(query).options(so.selectinload(Role.facets)),
        page=parse_page(request.args.get("page")),
        per_page=current_app.config["ROLES_PER_PAGE"],
        error_out=False,
    )
    if roles.page > roles.pages > 0:  # past the last page, e.g. an old link: the last one
        return redirect(url_for(".index", **{**request.args.to_dict(), "page": roles.pages}))
    context = {"roles": roles, "query": query}
    if is_htmx():
        found = ngettext("%(num)d role", "%(num)d roles", roles.total)
        return after_swap(render_template("catalogue/_results.html", **context), say=found)
    revalidated = serves_whole_pages()  # a visitor, with no message waiting
    response = current_app.make_response(render_template(
        "catalogue/index.html", choices=filter_choices(), member_filters=member_filters(), **context
    ))
    if revalidated:
        # No version names all the catalogue shows (each role and its facets), so its ETag
        # is the page's digest: a repeat view saves a slow line the body, not us the drawing.
        response.add_etag()
        response.cache_control.no_cache = True
        response.make_conditional(request)  # Flask-Compress does it again for a body it compresses
    return response


# Search engines may read every page. What is behind a login answers a crawler with the
# login page, and a member's page says "noindex" (auth/person.html); robots.txt is no
# privacy tool: a URL disallowed here can still be listed from links, without its words.
ROBOTS = "User-agent: *\nAllow: /\nSitemap: {sitemap}\n"
A_DAY = {"Cache-Control": "public, max-age=86400"}


@bp.route("/robots.txt")
def robots():
    text = ROBOTS.format(sitemap=site_url("catalogue.sitemap"))
    return current_app.response_class(text, mimetype="text/plain", headers=A_DAY)


@bp.route("/sitemap.xml")
def sitemap():
    """List the catalogue and every role guide for search engines, on the site's address."""
    xml = render_template("catalogue/sitemap.xml", roles=listed_roles())
    return current_app.response_class(xml, mimetype="application/xml", headers=A_DAY)


@bp.route("/roles/<slug>")
def role(slug):
    """Show a role guide with the parts other areas put on it (parts.py)."""
    whole_page = serves_whole_pages()
    # A visitor's page is most often kept: its key's versions are all it needs of the
    # role. The guide's facets and sections load only when its drawing is out of date.
    role = role_versions_or_404(slug) if whole_page else role_or_404(slug)
    # One URL for each state of the parts (the thread's page and order), so that pages are
    # found again and each is drawn once (a made-up ?page=N would otherwise push real pages
    # out of the cache).
    owned_args = parts.canonical_args(role, request.args)
    if not _written_as(request.args, owned_args):
        others = {name: values for name, values in request.args.lists() if name not in owned_args}
        return redirect(url_for("catalogue.role", slug=slug, **others, **owned_args))
    # Only the URLs the page links to are kept (naming their language or not: url_for keeps
    # it): any other argument is served as drawn.
    if whole_page and set(request.args) <= set(owned_args) | ({URL_ARGUMENT} if url_language() else set()):
        return visitor_role_page(role, owned_args, offered_language())
    if whole_page:
        role = role_or_404(slug)
    return render_template("catalogue/role.html", role=role, **parts.role_page_context(role, current_user, request.args))


def _written_as(args, wanted: dict) -> bool:
    """Whether URL arguments `args` give each of `wanted` once (None: not at all)."""
    return all(args.getlist(name) == ([] if value is None else [str(value)]) for name, value in wanted.items())
