"""Browser fixtures: the app served on 127.0.0.1 in a thread, driven by Playwright
through Debian's chromium (Playwright cannot download its own browser here)."""
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from ..conftest import finish_link

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


# The app the live server of the running test serves: its outbox is the readers' mailbox.
_served = {}


@pytest.fixture
def live_server(seeded):
    """The seeded app, served over real HTTP on a free port for this test."""
    _served["app"] = seeded
    server = make_server("127.0.0.1", 0, seeded, threaded=True)
    # The site's address is configuration: mailed links name this server, as they would name the site.
    seeded.config["SITE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield seeded.config["SITE_URL"]
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"chromium not found at {CHROMIUM}: run ./dev test, which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_context(browser, live_server, language="en", **options):
    """A browser context whose reader chose `language` with the language switch (its
    cookie), or chose none (language=None: the interface is then Bengali)."""
    context = browser.new_context(base_url=live_server, **options)
    if language:
        context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
    return context


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab at 360 px wide, failing the test on any page error or dialog."""
    context = new_context(browser, live_server, viewport={"width": 360, "height": 740})
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert not problems, problems


# The classes htmx puts on what it is requesting, swapping or settling, and on what it has
# swapped in but not yet wired up.
HTMX_AT_WORK = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"


def open_menu(page):
    """Open the header's menu, where a member's other links are (one line at 360 px)."""
    page.locator(".nav-menu summary").click()


def open_disclosure(page, summary: str):
    """Open the <details> whose summary says `summary` (a form shown on demand), unless open."""
    details = page.locator("details", has=page.locator("summary", has_text=summary))
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def register_in_browser(page, email="nadia@example.com", name="নাদিয়া", password="s3cret-pass"):
    """Register as a person does: the email, then the link in the mail it gets (read from
    the outbox), where the name and the password are chosen; logged in on the catalogue."""
    page.goto("/auth/register")
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Mail me a link").click()
    page.get_by_role("heading", name="Check your mail").wait_for()
    page.goto(finish_link(_served["app"], email))
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/")


def assert_fits_360px(page, paths):
    """Each page, opened at 360 px wide, must not scroll sideways."""
    for path in paths:
        page.goto(path)
        assert_no_sideways_scroll(page)


def assert_no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"
