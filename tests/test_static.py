"""Static files: content-hashed names, precompressed bodies, a year in the browser's cache."""
import gzip
import re
from pathlib import Path
from urllib.parse import unquote

import brotli
import pytest

from tracker.static_files import BUNDLE, PAGE_SCRIPTS, build_hashed_copies, bundle_content, hashed_name

STATIC = Path(__file__).resolve().parent.parent / "tracker" / "static"
PAGE_FILES = ["css/app.css", "vendor/htmx.min.js", "js/requests.js"]


def hashed_url(name: str) -> str:
    return "/static/" + hashed_name(name, (STATIC / name).read_bytes())


def test_pages_name_static_files_by_their_content(client):
    page = client.get("/").get_data(as_text=True)
    assert f'<link rel="stylesheet" href="{hashed_url("css/app.css")}">' in page


def test_pages_carry_their_icon_instead_of_linking_it(client):
    page = client.get("/").get_data(as_text=True)
    (icon,) = re.findall(r'<link rel="icon" href="data:image/svg\+xml,([^"]+)" type="image/svg\+xml">', page)
    assert unquote(icon) == (STATIC / "favicon.svg").read_text().strip()
    assert len(icon) < 400, "every page carries the icon: keep it small, or link it again"


def test_pages_load_their_scripts_as_one_file_named_by_its_content(client, user_client):
    bundle = bundle_content(STATIC, PAGE_SCRIPTS)
    url = "/static/" + hashed_name(BUNDLE, bundle)
    page = user_client.get("/").get_data(as_text=True)
    assert page.count("<script") == 1 and f'<script src="{url}" defer></script>' in page
    with client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"}) as response:
        assert response.status_code == 200 and response.mimetype == "text/javascript"
        assert response.headers["Content-Encoding"] == "br"
        assert brotli.decompress(response.data) == bundle
        assert "immutable" in response.headers["Cache-Control"]
    # Each script whole, in the order the five script tags ran them: htmx before what listens to it.
    text = bundle.decode()
    starts = [text.index((STATIC / name).read_text().strip()) for name in PAGE_SCRIPTS]
    assert starts == sorted(starts) and PAGE_SCRIPTS[0] == "vendor/htmx.min.js"
    # A script added to js/ is in the bundle too (or this test says why not).
    assert {f"js/{path.name}" for path in (STATIC / "js").glob("*.js")} <= set(PAGE_SCRIPTS)


def test_a_visitors_role_page_loads_no_script_and_a_members_loads_the_bundle(seeded, client, user_client):
    bundle_url = "/static/" + hashed_name(BUNDLE, bundle_content(STATIC, PAGE_SCRIPTS))
    visitors = client.get("/roles/customer-care-officer").get_data(as_text=True)
    members = user_client.get("/roles/customer-care-officer").get_data(as_text=True)
    assert "কাস্টমার কেয়ার অফিসার" in visitors and "কাস্টমার কেয়ার অফিসার" in members
    assert "<script" not in visitors
    assert members.count("<script") == 1 and f'<script src="{bundle_url}" defer></script>' in members
    # Nor what only the scripts use: htmx's settings, the live region, the boxes they fill in.
    for scripts_only in ('name="htmx-config"', 'id="announcements"', 'id="request-problem"', 'id="draft-restored"'):
        assert scripts_only not in visitors and scripts_only in members


@pytest.mark.parametrize("url", ["/", "/auth/login", "/auth/register", "/auth/password/forgot"])
def test_a_visitors_catalogue_and_account_forms_load_no_script(seeded, client, user_client, url):
    page = client.get(url)
    assert page.status_code == 200 and "<script" not in page.get_data(as_text=True)
    assert 'name="htmx-config"' not in page.get_data(as_text=True)
    # A member's catalogue searches as they type.
    assert user_client.get("/").get_data(as_text=True).count("<script") == 1


@pytest.mark.parametrize("name", PAGE_FILES)
@pytest.mark.parametrize(
    "accept, encoding, decompress",
    [("gzip", "gzip", gzip.decompress), ("gzip, deflate, br", "br", brotli.decompress)],
)
def test_hashed_files_come_compressed_and_cached_for_a_year(client, name, accept, encoding, decompress):
    with client.get(hashed_url(name), headers={"Accept-Encoding": accept}) as response:
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
        assert decompress(response.data) == (STATIC / name).read_bytes()
        cache_control = response.headers["Cache-Control"]
        assert "max-age=31536000" in cache_control and "immutable" in cache_control
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_hashed_files_are_sent_plain_to_clients_that_take_no_compression(client):
    with client.get(hashed_url("css/app.css")) as response:
        assert "Content-Encoding" not in response.headers
        assert response.data == (STATIC / "css/app.css").read_bytes()
        assert response.mimetype == "text/css"


def test_unhashed_urls_still_serve_but_are_checked_again_on_each_use(client):
    with client.get("/static/css/app.css") as response:
        assert response.status_code == 200
        assert response.data == (STATIC / "css/app.css").read_bytes()
        assert response.cache_control.no_cache and response.cache_control.max_age is None
        assert "immutable" not in response.headers["Cache-Control"]


def test_a_changed_file_gets_a_new_name_and_the_old_one_stays(tmp_path):
    source, build = tmp_path / "static", tmp_path / "build"
    (source / "css").mkdir(parents=True)
    stylesheet = source / "css" / "app.css"
    stylesheet.write_text("body { color: black; }\n" * 100)
    (source / "site.js").write_text("console.log('unchanged');\n" * 100)
    before = build_hashed_copies(source, build)

    stylesheet.write_text("body { color: navy; }\n" * 100)
    after = build_hashed_copies(source, build)

    assert after["css/app.css"] != before["css/app.css"]
    assert after["site.js"] == before["site.js"]
    assert (build / before["css/app.css"]).read_text() == "body { color: black; }\n" * 100
    assert (build / after["css/app.css"]).read_bytes() == stylesheet.read_bytes()
    assert gzip.decompress((build / (after["css/app.css"] + ".gz")).read_bytes()) == stylesheet.read_bytes()
    assert brotli.decompress((build / (after["css/app.css"] + ".br")).read_bytes()) == stylesheet.read_bytes()


def test_hashed_names_keep_the_extension_last():
    assert hashed_name("vendor/htmx.min.js", b"x") == "vendor/htmx.min.2d711642b726.js"
