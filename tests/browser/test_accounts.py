"""Accounts in a real browser: a password reset through a real SMTP server, a password
change that logs another browser out, an export that opens, deleting the account."""
import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from ..conftest import send_mail
from .conftest import new_context, open_menu, register_in_browser

pytestmark = pytest.mark.browser

EMAIL, OLD, NEW = "nadia@example.com", "s3cret-pass", "a-new-s3cret"


def _log_in(page, password):
    page.goto("/auth/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_forgotten_password_is_reset_by_the_mailed_link(page, mailbox, runner):
    register_in_browser(page, email=EMAIL, password=OLD)
    open_menu(page)
    page.get_by_role("button", name="Log out").click()
    page.goto("/auth/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_role("button", name="Mail me a link").click()
    expect(page.locator(".flash")).to_contain_text(f"If an account uses {EMAIL}")

    send_mail(runner)
    [message] = [message for message in mailbox.to(EMAIL) if message["Subject"] == "Choose a new password"]
    link = re.search(r"http://\S+/auth/password/reset/\S+", message.get_content()).group(0)
    page.goto(link)  # the mail names SITE_URL: this server
    page.get_by_label("Password", exact=True).fill(NEW)
    page.get_by_label("Password again").fill(NEW)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.locator(".flash")).to_contain_text("Your password is changed")

    _log_in(page, OLD)
    expect(page.locator("#password-error")).to_be_visible()
    _log_in(page, NEW)
    expect(page.locator(".nav-user")).to_contain_text("নাদিয়া")
    page.goto(link)
    expect(page.locator(".flash")).to_contain_text("expired or was used already")


def test_changing_the_password_logs_the_other_browser_out(page, browser, live_server):
    register_in_browser(page, email=EMAIL, password=OLD)
    other = new_context(browser, live_server, viewport={"width": 360, "height": 740})
    try:
        phone = other.new_page()
        _log_in(phone, OLD)
        expect(phone.locator(".nav-user")).to_contain_text("নাদিয়া")

        page.goto("/auth/profile")
        page.get_by_role("link", name="Change your password").first.click()
        page.get_by_label("Current password").fill(OLD)
        page.get_by_label("New password", exact=True).fill(NEW)
        page.get_by_label("New password again").fill(NEW)
        page.get_by_role("button", name="Change password").click()
        expect(page.locator(".flash")).to_contain_text("You are logged out on every other device")

        phone.goto("/tracker/")
        expect(phone).to_have_url(re.compile(r"/auth/login"))
        page.goto("/tracker/")
        expect(page.locator(".nav-user")).to_contain_text("নাদিয়া")
    finally:
        other.close()


def test_the_export_downloads_a_zip_that_opens(page, tmp_path):
    register_in_browser(page, email=EMAIL, password=OLD)
    page.goto("/auth/profile")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download all your data").click()
    path = tmp_path / "export.zip"
    download.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        assert "applications.csv" in archive.namelist()
        assert json.loads(archive.read("profile.json"))["display_name"] == "নাদিয়া"


def test_deleting_the_account_asks_the_password_and_logs_out(page):
    register_in_browser(page, email=EMAIL, password=OLD)
    page.goto("/auth/profile")
    page.get_by_role("link", name="Delete your account").click()
    page.get_by_label("Your password").fill("not the password")
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator("#password-error")).to_contain_text("That is not your current password.")
    expect(page.get_by_label("I understand")).to_be_checked()
    page.get_by_label("Your password").fill(OLD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator(".flash")).to_contain_text("Your account is deleted")
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    _log_in(page, OLD)
    expect(page.locator("#password-error")).to_be_visible()


def test_bengali_digits_typed_on_a_phone_set_to_english_are_kept_in_the_profile(browser, live_server):
    """A Bengali keyboard on a phone whose language is English: a number box would take
    ২০০১ as nothing; the profile's boxes are text with a numeric keyboard."""
    context = new_context(browser, live_server, locale="en-US", viewport={"width": 360, "height": 740})
    page = context.new_page()
    register_in_browser(page, email=EMAIL, password=OLD)
    page.goto("/auth/profile")
    page.get_by_label("Year of birth").fill("২০০১")
    page.get_by_label("Years of work experience").fill("৩")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator(".flash")).to_have_text("Your profile is saved.")
    expect(page.get_by_label("Year of birth")).to_have_value("2001")
    expect(page.get_by_label("Years of work experience")).to_have_value("3")
    expect(page.get_by_label("Year of birth")).to_have_attribute("inputmode", "numeric")
    context.close()
