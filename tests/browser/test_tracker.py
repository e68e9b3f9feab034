"""A job seeker saves roles, moves them along on the board and reads the timeline."""
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from ..applications_support import track
from .conftest import (
    assert_fits_360px, assert_no_sideways_scroll, new_context, open_disclosure, open_menu, register_in_browser,
)
from .test_discussion import log_in

pytestmark = pytest.mark.browser

CCO_TITLE = "কাস্টমার কেয়ার অফিসার"  # a saved application's title, as the catalogue's Bengali title
CCO_ENGLISH = "Customer Care Officer"  # the role on the catalogue's English pages


def mark_page(page):
    """Set a marker that survives only while the page is not reloaded or left."""
    page.evaluate("window.__same_page = true")


def still_same_page(page) -> bool:
    return page.evaluate("window.__same_page === true")


def save_from_role_page(page):
    page.goto("/roles/customer-care-officer")
    page.get_by_role("button", name="Save to my tracker").click()
    expect(page.locator(".save-role-done")).to_contain_text("Saved ✓")
    page.get_by_role("link", name="open in tracker").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(CCO_TITLE)


def test_save_from_the_catalogue_without_reload(page):
    register_in_browser(page)
    page.goto("/")
    mark_page(page)
    row = page.locator(".role-card", has_text=CCO_ENGLISH)
    row.get_by_role("button", name="Save to my tracker").click()
    expect(row.locator(".save-role-done")).to_have_text(re.compile(r"Saved ✓\s*· open in tracker"))
    assert still_same_page(page)
    # The other row is untouched, and the saved state holds after a reload.
    expect(page.locator(".role-card", has_text="BPO Job").get_by_role("button", name="Save to my tracker")).to_be_visible()
    page.reload()
    expect(page.locator(".role-card", has_text=CCO_ENGLISH).locator(".save-role-done")).to_be_visible()
    page.get_by_role("link", name="My tracker").click()
    expect(page.locator(".app-card")).to_have_count(1)
    expect(page.locator(".app-card")).to_contain_text(CCO_TITLE)


def test_move_a_card_on_the_board_without_reload(page):
    register_in_browser(page)
    save_from_role_page(page)
    page.goto("/tracker/board")
    saved = page.locator(".board-column", has=page.locator("#column-saved"))
    applied = page.locator(".board-column", has=page.locator("#column-applied"))
    expect(saved.locator(".count")).to_have_text("1")
    expect(applied.locator(".count")).to_have_text("0")
    mark_page(page)
    saved.get_by_label("Move to").select_option("applied")
    saved.get_by_role("button", name="Move").click()
    expect(applied.locator(".board-card")).to_contain_text(CCO_TITLE)
    expect(applied.locator(".count")).to_have_text("1")
    expect(saved.locator(".count")).to_have_text("0")
    expect(saved.locator(".board-card")).to_have_count(0)
    assert still_same_page(page)


def test_timeline_shows_two_changes_with_notes(page):
    register_in_browser(page)
    save_from_role_page(page)
    open_disclosure(page, "Move to another stage")
    page.get_by_label("Move to").select_option("applied")
    page.get_by_label("Note (optional)").fill("CV পাঠিয়েছি")
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("Moved to “Applied”.")
    open_disclosure(page, "Move to another stage")
    page.get_by_label("Move to").select_option("interviewing")
    page.get_by_role("button", name="Move", exact=True).click()
    items = page.locator(".timeline li")
    expect(items).to_have_count(3)
    expect(items.nth(1)).to_contain_text("Saved → Applied")
    expect(items.nth(1)).to_contain_text("CV পাঠিয়েছি")
    expect(items.nth(1)).to_contain_text("you")
    expect(items.nth(2)).to_contain_text("Applied → Interviewing")


def test_visitor_logs_in_from_the_save_button_and_comes_back(page):
    register_in_browser(page)
    open_menu(page)
    page.get_by_role("button", name="Log out").click()
    page.goto("/roles/bpo-job")
    page.get_by_role("link", name="Save to my tracker").click()
    page.get_by_label("Email").fill("nadia@example.com")
    page.get_by_label("Password").fill("s3cret-pass")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_label("Role")).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_label("Role").locator("option:checked")).to_have_text("BPO কাজ")
    page.get_by_role("button", name="Save to my tracker").click()
    page.wait_for_url("**/roles/bpo-job")
    expect(page.locator(".flash")).to_contain_text("Saved to your tracker.")
    expect(page.locator(".save-role-done")).to_contain_text("Saved ✓")


def test_delete_confirms_inline_without_a_dialog(page):
    register_in_browser(page)
    save_from_role_page(page)
    mark_page(page)
    page.get_by_role("link", name="Delete this application…").click()
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    assert still_same_page(page)
    page.get_by_role("button", name="Yes, delete it for good").click()
    page.wait_for_url("**/tracker/")
    expect(page.locator(".flash")).to_contain_text("The application and its history are deleted.")
    expect(page.get_by_text("Your tracker is empty.")).to_be_visible()


def test_tracker_pages_fit_a_360px_screen(page):
    register_in_browser(page)
    save_from_role_page(page)
    application_path = page.url.split(page.url.split("/tracker/")[0], 1)[1]
    assert_fits_360px(page, ("/tracker/", "/tracker/board", application_path, "/tracker/new", "/"))


def test_tracker_works_without_javascript(browser, live_server):
    context = new_context(browser, live_server, java_script_enabled=False)
    page = context.new_page()
    register_in_browser(page)
    page.goto("/roles/customer-care-officer")
    page.get_by_role("button", name="Save to my tracker").click()
    expect(page.locator(".save-role-done")).to_contain_text("Saved ✓")
    page.goto("/tracker/board")
    page.locator(".board-card").get_by_label("Move to").select_option("rejected")
    page.locator(".board-card").get_by_role("button", name="Move").click()
    expect(page.locator(".board-card")).to_contain_text("“Rejected” closes this application. Close it?")
    page.locator(".board-card").get_by_role("button", name="Yes, close it").click()
    expect(page.locator(".flash")).to_contain_text("Moved to “Rejected”.")
    expect(page.locator(".board-column", has=page.locator("#column-rejected")).locator(".count")).to_have_text("1")
    context.close()


@pytest.mark.parametrize(("javascript", "language", "question", "yes"), [
    (True, "bn", "“বাদ পড়েছি” ধাপে গেলে আবেদনটি বন্ধ হয়ে যাবে। বন্ধ করবেন?", "হ্যাঁ, বন্ধ করুন"),
    (True, "en", "“Rejected” closes this application. Close it?", "Yes, close it"),
    (False, "bn", "“বাদ পড়েছি” ধাপে গেলে আবেদনটি বন্ধ হয়ে যাবে। বন্ধ করবেন?", "হ্যাঁ, বন্ধ করুন"),
    (False, "en", "“Rejected” closes this application. Close it?", "Yes, close it"),
])
def test_a_board_card_at_360px_holds_one_control_and_asks_before_closing(
    browser, live_server, seeded, user, javascript, language, question, yes
):
    """Issue 26, item 15: every card repeated a two-line closing sentence and a checkbox."""
    application = track(seeded, user, moves=["applied"])
    context = new_context(browser, live_server, java_script_enabled=javascript, viewport={"width": 360, "height": 740})
    page = context.new_page()
    log_in(page, user)
    context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
    page.goto("/tracker/board")
    card = page.locator(f"#card-{application}")
    expect(card.locator("select")).to_have_count(1)
    expect(card.locator("button")).to_have_count(1)
    expect(card.locator("input[type=checkbox]")).to_have_count(0)
    expect(card.locator(".close-question")).to_have_count(0)
    # The card is no taller than its title and one line of control.
    assert card.bounding_box()["height"] < 160, card.bounding_box()

    card.locator("select").select_option("rejected")
    card.locator("button").click()
    expect(card).to_contain_text(question)
    expect(card.locator("select")).to_have_count(0)
    assert_no_sideways_scroll(page)
    card.get_by_role("button", name=yes).click()
    rejected = page.locator(".board-column", has=page.locator("#column-rejected"))
    expect(rejected.locator(f"#card-{application}")).to_be_visible()
    expect(rejected.locator(".count")).to_have_text("১" if language == "bn" else "1")
    context.close()


def test_filter_the_list_by_stage_without_reload(page):
    register_in_browser(page)
    save_from_role_page(page)
    open_disclosure(page, "Move to another stage")
    page.get_by_label("Move to").select_option("applied")
    page.get_by_role("button", name="Move", exact=True).click()
    page.goto("/roles/bpo-job")
    page.get_by_role("button", name="Save to my tracker").click()
    expect(page.locator(".save-role-done")).to_be_visible()
    page.get_by_role("link", name="My tracker").click()
    expect(page.locator(".app-card")).to_have_count(2)
    expect(page.locator("svg.funnel")).to_contain_text("Applied: 1")
    mark_page(page)
    page.get_by_label("Stage").select_option("applied")
    expect(page.locator(".app-card")).to_have_count(1)
    expect(page.locator(".app-card")).to_contain_text(CCO_TITLE)
    assert still_same_page(page) and "status=applied" in page.url


def test_a_form_sent_back_as_a_page_opens_at_its_first_field_in_error(browser, live_server):
    """The application page's forms post as whole pages without JavaScript; an empty
    interview comes back with the date box focused and on screen, not with its message
    far below the top."""
    context = new_context(browser, live_server, java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    register_in_browser(page)
    save_from_role_page(page)
    open_disclosure(page, "Add an interview")
    page.get_by_role("button", name="Add interview").click()
    expect(page.locator(".interview-form .error").first).to_have_text("Enter the date of the interview.")
    day = page.locator(".interview-form input[name=day]")
    expect(day).to_be_focused()
    expect(day).to_be_in_viewport()
    assert page.locator("[autofocus]").count() == 1
    context.close()


def test_adding_an_interview_stays_on_the_page_says_so_and_focuses_it(page):
    """Issue 26, item 20: it was a whole page load, the focus at the top of the page and a
    flash no live region read."""
    register_in_browser(page)
    save_from_role_page(page)
    mark_page(page)
    open_disclosure(page, "Add an interview")
    page.get_by_role("button", name="Add interview").click()  # empty: the date box says why
    day = page.locator(".interview-form input[name=day]")
    expect(page.locator(".interview-form .error").first).to_have_text("Enter the date of the interview.")
    expect(day).to_be_focused()
    page.locator(".interview-form").get_by_label("Date").fill((date.today() + timedelta(days=10)).isoformat())
    page.locator(".interview-form").get_by_label("Time (Bangladesh)").fill("10:30")
    page.locator(".interview-form").get_by_label("Notes (optional)").fill("বনানী অফিস")
    page.get_by_role("button", name="Add interview").click()
    interview = page.locator(".interview-list .interview")
    expect(interview).to_contain_text("বনানী অফিস")
    expect(page.locator("#announcements")).to_have_text("Interview added.")
    expect(interview).to_be_focused()
    expect(page.locator(".flash")).to_have_count(0)
    assert still_same_page(page)


def test_a_date_the_browser_cannot_read_stops_the_save_instead_of_clearing_the_date(browser, live_server):
    """31 February, typed into a date box, is sent as nothing: saving would clear the
    follow-up date without a word. The save is stopped and the box says why."""
    context = new_context(browser, live_server, locale="en-US", viewport={"width": 360, "height": 740})
    page = context.new_page()
    register_in_browser(page)
    save_from_role_page(page)
    open_disclosure(page, "Edit the details")
    follow_up = page.get_by_label("Follow up on")
    follow_up.fill("2026-12-20")
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_label("Follow up on")).to_have_value("2026-12-20")

    open_disclosure(page, "Edit the details")
    follow_up = page.get_by_label("Follow up on")
    follow_up.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("02312026")  # mm/dd/yyyy in an en-US browser: 31 February
    page.get_by_role("button", name="Save details").click()
    expect(page.locator("#follow_up_on-unreadable")).to_have_text(
        "That is not a date or time that exists, or it is not finished: correct it, or clear the box to leave it empty."
    )
    expect(follow_up).to_be_focused()
    page.reload()
    expect(page.get_by_label("Follow up on")).to_have_value("2026-12-20")  # nothing was sent

    # Cleared, as the message says, the box is read again and the date goes on purpose.
    open_disclosure(page, "Edit the details")
    follow_up = page.get_by_label("Follow up on")
    follow_up.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("0231")  # half a date
    page.get_by_role("button", name="Save details").click()
    expect(page.locator("#follow_up_on-unreadable")).to_be_visible()
    follow_up.fill("")
    page.keyboard.press("Tab")
    expect(page.locator("#follow_up_on-unreadable")).to_have_count(0)
    expect(follow_up).not_to_have_attribute("aria-invalid", "true")
    expect(follow_up).not_to_have_attribute("aria-describedby", re.compile(".*"))
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_label("Follow up on")).to_have_value("")
    context.close()


def test_printing_a_refused_proof_prints_what_went_wrong_not_a_title_alone(page, user):
    from datetime import date, timedelta

    from .test_discussion import log_in

    log_in(page, user)
    page.goto(f"/tracker/proof?start={date.today().isoformat()}&end={(date.today() + timedelta(days=5)).isoformat()}")
    page.emulate_media(media="print")
    expect(page.locator("#end-error")).to_be_visible()
    expect(page.locator("#end-error")).to_have_text("Choose a day up to today.")
    page.emulate_media(media="screen")
