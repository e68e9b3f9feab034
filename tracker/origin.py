"""The site's one origin: its address is configuration (SITE_URL), never what a request
says about itself.

Every absolute link the app writes (mails, `og:url`, unsubscribe links) is built from
SITE_URL, so a forged Host or X-Forwarded-Host cannot put another site into a reset link
or into a page shared by every visitor. A request naming a host the site does not answer
for is refused with a plain 400 before the app sees it: nothing is drawn, cached or mailed
for it.
"""
from urllib.parse import urlsplit

from flask import Flask, current_app
from werkzeug.sansio.utils import host_is_trusted

DEFAULT_SITE_URL = "http://127.0.0.1:5000"
# The names a laptop's browser reaches `./dev serve` and the tests' clients by.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


class UnknownSite(ValueError):
    """SITE_URL is not an absolute http(s) address."""


def checked_site_url(url: str) -> str:
    site = urlsplit(url)
    if site.scheme not in {"http", "https"} or not site.hostname or site.query or site.fragment:
        raise UnknownSite(f"SITE_URL must be the site's address, like https://jobs.example.com (got {url!r})")
    return url.rstrip("/")


def trusted_hosts(config) -> list[str]:
    """The hosts the site answers for: TRUSTED_HOSTS when given, else SITE_URL's host
    (and, outside production, the loopback names)."""
    if config.get("TRUSTED_HOSTS"):
        return list(config["TRUSTED_HOSTS"])
    hosts = [urlsplit(config["SITE_URL"]).hostname]
    if config["ENVIRONMENT"] != "production":
        hosts += [host for host in LOOPBACK_HOSTS if host not in hosts]
    return hosts


def site_url(endpoint: str, **values) -> str:
    """The full address of a page, built on SITE_URL alone (a request's Host never counts)."""
    site = urlsplit(current_app.config["SITE_URL"])
    adapter = current_app.url_map.bind(site.netloc, script_name=site.path or "/", url_scheme=site.scheme)
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)


class KnownHostsOnly:
    """WSGI middleware: a request whose Host is not one of `hosts` (a forged name, or no
    valid host at all, like a label over 63 characters) gets a plain 400, before the app
    or its error pages, which build links, are reached."""

    def __init__(self, wsgi_app, hosts: list[str]):
        self.wsgi_app = wsgi_app
        self.hosts = hosts

    def __call__(self, environ, start_response):
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        if host_is_trusted(host, self.hosts):
            return self.wsgi_app(environ, start_response)
        body = b"400 Bad Request: this site does not answer for that host name.\n"
        start_response("400 Bad Request", [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
        ])
        return [body]


def init_app(app: Flask) -> None:
    """Check SITE_URL, settle the hosts the site answers for, and refuse any other."""
    app.config["SITE_URL"] = checked_site_url(app.config.get("SITE_URL") or DEFAULT_SITE_URL)
    hosts = trusted_hosts(app.config)
    # Flask checks them too wherever it reads request.host, should a request reach the app
    # another way than through wsgi_app (a test request context, say).
    app.config["TRUSTED_HOSTS"] = hosts
    app.wsgi_app = KnownHostsOnly(app.wsgi_app, hosts)
    app.add_template_global(site_url)
