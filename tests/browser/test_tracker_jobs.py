"""Any job in the tracker, in Chromium: adding one with a suggested role, editing it,
reopening it after it closed, and searching, with JavaScript and without."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from ..test_applications_tracker import dhaka_today
from .conftest import assert_fits_360px, new_context, open_disclosure, register_in_browser
from .test_tracker import CCO_TITLE, mark_page, still_same_page

pytestmark = pytest.mark.browser


def add_job(page, title, organisation, role=None):
    page.goto("/tracker/add")
    page.get_by_label("Job title").fill(title)
    if role:
        # The matching roles arrive as the title is typed, ahead of every other role.
        expect(page.locator("#role_id optgroup").first).to_have_attribute("label", f"Matching “{title}”")
        page.get_by_label("Catalogue role (optional)").select_option(label=role)
    page.get_by_label("Organisation").fill(organisation)
    page.get_by_label("Pay (৳ a month)").fill("১২,০০০")
    page.get_by_label("Up to (৳ a month, for a range)").fill("15000")
    page.get_by_label("Where I found it").select_option("facebook")
    page.get_by_role("button", name="Save to my tracker").click()
    expect(page.locator(".flash")).to_contain_text("Saved to your tracker.")


def test_add_a_job_with_a_suggested_role(page):
    register_in_browser(page)
    page.goto("/tracker/add")
    mark_page(page)
    page.get_by_label("Job title").fill("customer care")
    expect(page.locator("#role-field")).to_contain_text("1 catalogue role matches the title")
    assert still_same_page(page)
    add_job(page, "customer care", "bKash", role=CCO_TITLE)
    expect(page.get_by_role("heading", level=1)).to_contain_text("customer care · bKash")
    expect(page.get_by_role("link", name="Read the role guide")).to_be_visible()
    expect(page.locator(".job-facts")).to_contain_text("৳12,000 – ৳15,000 a month")


def test_edit_a_job_and_its_interview(page):
    register_in_browser(page)
    add_job(page, "Sales Executive", "bKash")
    open_disclosure(page, "Edit the details")
    page.get_by_label("Job title").fill("Senior Sales Executive")
    page.get_by_label("Link to the posting").fill("not a link")
    page.get_by_role("button", name="Save details").click()
    expect(page.locator("#link-error")).to_contain_text("Enter the posting's web address")
    expect(page.get_by_label("Job title")).to_have_value("Senior Sales Executive")
    page.get_by_label("Link to the posting").fill("bdjobs.com/jobs/42")
    page.get_by_role("button", name="Save details").click()
    expect(page.locator(".flash")).to_contain_text("Saved.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Senior Sales Executive · bKash")
    expect(page.locator(".job-facts")).to_contain_text("https://bdjobs.com/jobs/42")
    open_disclosure(page, "Add an interview")
    form = page.locator(".interview-form")
    form.get_by_label("Date").fill((dhaka_today() + timedelta(days=10)).isoformat())
    form.get_by_label("Time (Bangladesh)").fill("10:30")
    form.get_by_role("button", name="Add interview").click()
    expect(page.locator("#announcements")).to_have_text("Interview added.")
    page.get_by_text("Edit this interview").click()
    edit = page.locator(".edit-interview-form")
    edit.get_by_label("Kind").select_option("in_person")
    edit.get_by_label("Outcome (optional)").fill("Second round next week")
    edit.get_by_role("button", name="Save interview").click()
    expect(page.locator(".flash")).to_contain_text("Interview saved.")
    expect(page.locator(".interview")).to_contain_text("In person")
    expect(page.locator(".interview-outcome")).to_contain_text("Second round next week")


def test_reopen_a_rejected_application(page):
    register_in_browser(page)
    add_job(page, "Call centre agent", "Genex")
    open_disclosure(page, "Move to another stage")
    status = page.locator(".status-form")
    status.get_by_label("Move to").select_option("rejected")
    status.get_by_role("button", name="Move").click()
    # Asked only now that a closing stage is chosen.
    expect(page.locator(".close-question")).to_contain_text("“Rejected” closes this application. Close it?")
    page.get_by_role("button", name="Yes, close it").click()
    expect(page.locator(".flash")).to_contain_text("Moved to “Rejected”.")
    page.get_by_text("Reopen this application").click()
    reopen = page.locator(".reopen-form")
    reopen.get_by_role("button", name="Reopen").click()
    expect(page.locator("#reopen-note-error")).to_contain_text("Say why you reopen it")
    page.locator(".reopen-form").get_by_label("Why").fill("They called me back")
    page.locator(".reopen-form").get_by_role("button", name="Reopen").click()
    expect(page.locator(".flash")).to_contain_text("Reopened at “Saved”.")
    timeline = page.locator(".timeline")
    expect(timeline.locator("li")).to_have_count(3)
    expect(timeline.locator("li").nth(1)).to_contain_text("Saved → Rejected")
    expect(timeline.locator("li").nth(2)).to_contain_text("reopened")
    expect(timeline.locator("li").nth(2)).to_contain_text("They called me back")


def test_search_as_you_type(page):
    register_in_browser(page)
    add_job(page, "Sales Executive", "bKash")
    add_job(page, "কল সেন্টার এজেন্ট", "Genex")
    page.goto("/tracker/")
    expect(page.locator(".app-card")).to_have_count(2)
    mark_page(page)
    page.get_by_label("Search").fill("এজেন্ট")
    expect(page.locator(".app-card")).to_have_count(1)
    expect(page.locator(".app-card")).to_contain_text("Genex")
    page.get_by_label("Search").fill("bkash")
    expect(page.locator(".app-card")).to_have_count(1)
    expect(page.locator(".app-card")).to_contain_text("Sales Executive")
    assert still_same_page(page)
    assert "q=bkash" in page.url


def test_add_and_search_without_javascript(browser, live_server):
    context = new_context(browser, live_server, java_script_enabled=False)
    page = context.new_page()
    register_in_browser(page)
    page.goto("/tracker/add")
    page.get_by_label("Job title").fill("Sales Executive")
    page.get_by_label("Catalogue role (optional)").select_option(label=CCO_TITLE)
    page.get_by_label("Organisation").fill("bKash")
    page.get_by_label("Application deadline").fill((dhaka_today() + timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Save to my tracker").click()
    expect(page.locator(".flash")).to_contain_text("Saved to your tracker.")
    expect(page.get_by_role("link", name="Read the role guide")).to_be_visible()
    page.goto("/tracker/")
    page.get_by_label("Search").fill("bkash")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".app-card")).to_have_count(1)
    assert "q=bkash" in page.url
    context.close()


def test_the_new_tracker_pages_fit_a_360px_screen(page):
    register_in_browser(page)
    add_job(page, "Sales Executive with a rather long title for a small phone screen", "bKash")
    application_path = page.url.split("/tracker/", 1)[1]
    assert_fits_360px(
        page, ("/tracker/add", f"/tracker/{application_path}", "/tracker/import", "/tracker/proof", "/tracker/?q=sales")
    )
