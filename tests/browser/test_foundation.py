"""A new visitor registers, logs in, searches the catalogue and opens a role guide."""
import pytest
from playwright.sync_api import expect

from .conftest import assert_fits_360px, new_context, open_menu, register_in_browser

pytestmark = pytest.mark.browser


def test_register_logout_login_search_and_open_a_role(page):
    register_in_browser(page)
    expect(page.locator(".nav-user")).to_contain_text("নাদিয়া")
    open_menu(page)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill("nadia@example.com")
    page.get_by_label("Password").fill("s3cret-pass")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".nav-user")).to_contain_text("নাদিয়া")

    # Typing searches through htmx: the results change without a page load.
    page.evaluate("window.__same_page = true")
    page.get_by_label("Search by title").fill("ধৈর্য")
    expect(page.locator(".role-card")).to_have_count(1)
    expect(page.locator(".role-card h2")).to_have_text("Customer Care Officer")
    assert page.evaluate("window.__same_page") is True
    assert "q=" in page.url

    page.get_by_role("link", name="Customer Care Officer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Customer Care Officer")
    expect(page.locator(".glance")).to_contain_text("৳10,000 – ৳20,000")
    # The shared page arrives gzipped in pieces around the reader's token; all of it decodes.
    expect(page.get_by_label("Language")).to_be_visible()


def test_login_error_shows_next_to_the_field_and_keeps_the_email(page):
    page.goto("/auth/login")
    page.get_by_label("Email").fill("nobody@example.com")
    page.get_by_label("Password").fill("whatever-pass")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#password-error")).to_contain_text("That email and password do not match an account")
    expect(page.get_by_label("Email")).to_have_value("nobody@example.com")


def test_pages_fit_a_360px_screen(page):
    assert_fits_360px(page, ("/", "/roles/customer-care-officer", "/auth/register"))


def test_search_works_without_javascript(browser, live_server):
    context = new_context(browser, live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.get_by_label("Search by title").fill("bpo")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".role-card h2")).to_have_text("BPO Job")
    context.close()
