"""Static files named by their content, precompressed and cached by browsers for a year.

At start the app copies each file in `static/` to a name carrying a hash of its content
(`css/app.css` → `css/app.3f2a9c1b04de.css`) in `instance/static-build/`, with gzip
and brotli versions beside it; `url_for('static', ...)` then gives the hashed name and
WhiteNoise serves it, compressed for browsers that ask. A changed file gets a new name,
so browsers may keep each one for a year without asking again; a page view no longer
re-checks every stylesheet and script.

The scripts every page loads are also joined, in the order they run, into one file
(`js/bundle.js`, hashed like the others): one request instead of five, which on a slow
mobile line is a connection and a round trip or more saved for each (the bench's server,
like many, closes a connection after each HTTP/1.1 response). It exists only under its
hashed name.

The unhashed URLs still work, served by Flask as before and re-checked on every use.
"""
import hashlib
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

ONE_YEAR = 365 * 24 * 60 * 60  # the longest lifetime HTTP/1.1 (RFC 2616) asked servers to give
BUILD_FOLDER = "static-build"
COMPRESSOR = Compressor(quiet=True)  # brotli as well as gzip, brotli being installed
# Loaded (deferred) by every page but a visitor's role page, in this order: htmx first, then
# what listens to its events.
PAGE_SCRIPTS = ("vendor/htmx.min.js", "js/requests.js", "js/drafts.js", "js/limits.js", "js/unreadable.js", "js/after-swap.js")
BUNDLE = "js/bundle.js"
FAVICON = "favicon.svg"  # under 300 bytes: carried by every page as a data: URL


def hashed_name(name: str, content: bytes) -> str:
    """`css/app.css` becomes `css/app.<12 hex digits of content's SHA-256>.css`."""
    path = PurePosixPath(name)
    digest = hashlib.sha256(content).hexdigest()[:12]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def build_hashed_copies(source: Path, target: Path) -> dict[str, str]:
    """Copy every file under source into target under its hashed name, with .gz and .br
    versions where they are smaller; return each name's hashed name.

    A hashed copy that exists is complete and current (its name says what is in it), so
    only new or changed files are written. Copies of earlier versions are kept: a page
    that a browser still holds may ask for them.
    """
    hashed_names = {}
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        hashed_names[name] = hashed_name(name, path.read_bytes())
        if not (target / hashed_names[name]).exists():
            _write_with_compressed_versions(path, target / hashed_names[name], scratch_parent=target.parent)
    return hashed_names


def bundle_content(source: Path, names: Sequence[str]) -> bytes:
    """The scripts `names` under source, one after the other, each ending its own statement."""
    return b"".join((source / name).read_bytes().rstrip() + b"\n;\n" for name in names)


def build_bundle(source: Path, target: Path, names: Sequence[str], bundle: str) -> str:
    """Write the scripts `names` joined into one file in target, under bundle's hashed name
    (with .gz and .br versions); return that name."""
    content = bundle_content(source, names)
    name = hashed_name(bundle, content)
    if not (target / name).exists():
        _write_with_compressed_versions(content, target / name, scratch_parent=target.parent)
    return name


def _write_with_compressed_versions(path: Path | bytes, destination: Path, scratch_parent: Path) -> None:
    # Written outside the build and moved in, compressed versions first: several gunicorn
    # workers may build at once, and none may see (and index) a half-written file.
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch_parent, prefix=".static-build-") as scratch:
        copy = Path(scratch) / destination.name
        if isinstance(path, bytes):
            copy.write_bytes(path)
        else:
            shutil.copy2(path, copy)
        compressed = COMPRESSOR.compress(str(copy)) if COMPRESSOR.should_compress(copy.name) else []
        for written in compressed:
            os.replace(written, destination.parent / Path(written).name)
        os.replace(copy, destination)


def data_url(svg: Path) -> str:
    """A small SVG as a data: URL, for pages to carry it instead of linking it."""
    return "data:image/svg+xml," + quote(svg.read_bytes().strip(), safe=" /:=;,")


def serve_static_files(app: Flask, security_headers: Mapping[str, str]) -> None:
    """Build the hashed copies, make `url_for('static', ...)` name them, and serve them."""
    build = Path(app.instance_path) / BUILD_FOLDER
    hashed_names = build_hashed_copies(Path(app.static_folder), build)
    hashed_names[BUNDLE] = build_bundle(Path(app.static_folder), build, PAGE_SCRIPTS, BUNDLE)
    app.jinja_env.globals["favicon_url"] = data_url(Path(app.static_folder) / FAVICON)

    @app.url_defaults
    def _name_static_files_by_content(endpoint, values):
        if endpoint == "static" and values.get("filename") in hashed_names:
            values["filename"] = hashed_names[values["filename"]]

    def add_headers(headers, path, url):
        # Every file here is named by its content, so what a name holds never changes.
        headers["Cache-Control"] = f"max-age={ONE_YEAR}, public, immutable"
        for name, value in security_headers.items():
            headers[name] = value

    app.wsgi_app = WhiteNoise(
        app.wsgi_app,
        root=build,
        prefix=app.static_url_path,
        max_age=None,  # set by add_headers
        allow_all_origins=False,  # served only to our own pages
        add_headers_function=add_headers,
    )
