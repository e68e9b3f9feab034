"""Issue 27: a member reads how their profile fits a role, and places an offer's pay
against the role's range, sharing it anonymously."""
import pytest
from playwright.sync_api import expect

from tracker.applications import pay
from tracker.extensions import db
from tracker.models import Application

from ..applications_support import track
from .conftest import assert_fits_360px, new_context, open_disclosure, register_in_browser

pytestmark = pytest.mark.browser

CCO = "/roles/customer-care-officer"


def fill_profile(page, **facts):
    page.goto("/auth/profile")
    page.get_by_label("Year of birth").fill(facts["birth_year"])
    page.get_by_label("Education").select_option(facts["education"])
    page.get_by_label("Years of work experience").fill(facts["experience"])
    page.get_by_label("Skills").fill(facts["skills"])
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()


def test_the_fit_box_for_a_visitor_then_a_member(page, seeded):
    page.goto(CCO)
    box = page.locator(".fit-check")
    box.get_by_text("Do you fit this role?").click()
    expect(box).to_contain_text("Education")
    expect(box).to_contain_text("Bachelor's degree")
    expect(box).to_contain_text("communication skills, relationship building, patience, stress management")
    expect(box.get_by_role("link", name="Fill in your profile to see how you fit")).to_be_visible()

    register_in_browser(page)
    fill_profile(page, birth_year="2001", education="bachelors", experience="0",
                 skills="যোগাযোগের দক্ষতা, patience, relationship building, stress management")
    page.goto(CCO)
    box = page.locator(".fit-check")
    summary = box.locator("summary")
    expect(summary).to_have_text("How you fit: Close to it")
    summary.click()
    expect(box.locator("li.fit-close")).to_contain_text(
        "Experience: Close to it. The guide asks 1 – 2 years; you have 0, a year short.")
    expect(box.locator("li.fit-meets")).to_have_count(3)
    # It never stands in the way: the role is saved from the same page.
    page.get_by_role("button", name="Save to my tracker").click()
    expect(page.locator(".save-role-done")).to_contain_text("Saved ✓")
    page.goto("/tracker/")
    expect(page.locator(".app-card .fit-verdict dd")).to_have_text("Close to it")
    # The catalogue keeps the roles the member fits, as they tick the box (htmx) and without script.
    page.goto("/")
    page.get_by_label("Roles I fit").check()
    expect(page.locator(".role-card")).to_have_count(1)
    expect(page.locator(".result-count")).to_have_text("1 role")
    assert_fits_360px(page, [CCO, "/?fit=1", "/tracker/"])


def test_the_fit_box_in_bengali(browser, live_server):
    context = new_context(browser, live_server, language="bn", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(CCO)
        box = page.locator(".fit-check")
        box.get_by_text("এই পেশায় আপনি কি মানানসই?").click()
        expect(box).to_contain_text("২২ – ৩০ বছর")
    finally:
        context.close()


def test_the_pay_check_and_sharing_an_offer(page, seeded, make_user):
    register_in_browser(page, email="nadia@example.com")
    page.goto(CCO)
    page.get_by_role("button", name="Save to my tracker").click()
    page.get_by_role("link", name="open in tracker").click()
    open_disclosure(page, "Edit the details")
    page.get_by_label("Pay (৳ a month)").fill("৮০০০")
    page.get_by_role("button", name="Save details").click()
    expect(page.locator(".pay-check")).to_have_text(
        "Pay check: ৳8,000 a month is below the guide's range for this role, ৳10,000 – ৳20,000.")
    expect(page.get_by_label("Share this offer's pay, anonymously, with others looking at this role")).to_have_count(0)
    for stage in ("applied", "interviewing", "offer"):
        open_disclosure(page, "Move to another stage")
        page.locator(".status-form").get_by_label("Move to").select_option(stage)
        page.locator(".status-form").get_by_role("button", name="Move").click()
    tick = page.get_by_label("Share this offer's pay, anonymously, with others looking at this role")
    expect(tick).not_to_be_checked()
    tick.check()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.get_by_text("Your offer's pay is shared, anonymously.")).to_be_visible()
    expect(tick).to_be_checked()

    page.goto(CCO)
    expect(page.locator(".shared-pay")).to_have_text(
        "The pay of offers for this role shows here once five members have shared theirs, anonymously.")
    for number, amount in enumerate((12000, 14000, 16000, 22000)):
        member = make_user(email=f"sharer{number}@example.com", display_name=f"Sharer {number}")
        application = track(seeded, member, moves=["applied", "interviewing", "offer"], pay_min=amount)
        with seeded.app_context():
            pay.share_pay(db.session.get(Application, application), True)
            db.session.commit()
    page.reload()
    expect(page.locator(".shared-pay")).to_have_text(
        "Offers shared by 5 members: median ৳14,000 a month, from ৳8,000 to ৳22,000.")
    expect(page.locator(".role-checks")).not_to_contain_text("Sharer")

    # Taken back: the figures go with it.
    page.goto("/tracker/")
    page.locator(".app-card a").first.click()
    page.get_by_label("Share this offer's pay, anonymously, with others looking at this role").uncheck()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.get_by_text("Your offer's pay is not shared.")).to_be_visible()
    page.goto(CCO)
    expect(page.locator(".shared-pay")).not_to_contain_text("Offers shared by")
