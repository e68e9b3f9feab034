"""Moderation in a real browser: hiding and deleting inline on the thread without a
reload, reporting inline, and acting from the queue."""
import pytest
from playwright.sync_api import expect

from ..conftest import get_role_id
from ..discussion_support import Page as RolePage
from ..discussion_support import add_comment  # noqa: F401
from ..moderation_support import set_comment
from .conftest import new_context, open_menu
from .test_discussion import QUESTION, ROLE_SLUG, ROLE_URL, assert_same_page, card, log_in, remember_this_page

pytestmark = pytest.mark.browser


def test_hiding_inline_greys_the_comment_for_the_moderator_and_removes_it_for_readers(page, browser, live_server, moderator, user):
    log_in(page, moderator)
    page.goto(ROLE_URL)
    remember_this_page(page)
    card(page, QUESTION).get_by_role("button", name="Hide").click()
    hidden = page.locator(".comment-card.is-withdrawn", has_text=QUESTION)
    expect(hidden).to_be_visible()
    expect(hidden.locator(".badge-withdrawn")).to_have_text("hidden")
    expect(hidden.get_by_role("button", name="Restore")).to_be_visible()
    expect(page.locator("#comments-heading")).to_contain_text("2 thoughts")
    assert_same_page(page)

    reader = new_context(browser, live_server, viewport={"width": 360, "height": 740}).new_page()
    log_in(reader, user)
    reader.goto(ROLE_URL)
    expect(reader.locator("#comments")).not_to_contain_text(QUESTION)
    # Its reply keeps its place under a placeholder.
    expect(reader.locator(".comment-removed")).to_have_text("Hidden by a moderator")
    expect(reader.locator("#comments")).to_contain_text("We’re glad you like the Kormo app.")
    reader.context.close()

    hidden.get_by_role("button", name="Restore").click()
    expect(page.locator(".comment-card.is-withdrawn")).to_have_count(0)
    expect(page.locator("#comments-heading")).to_contain_text("3 thoughts")
    assert_same_page(page)


def test_delete_for_good_asks_in_place_then_removes_the_comment(page, seeded, moderator, user, add_comment):
    role = RolePage(get_role_id(seeded, ROLE_SLUG), ROLE_SLUG, "")
    add_comment(role, user, "Buy followers cheap")
    log_in(page, moderator)
    page.goto(ROLE_URL)
    remember_this_page(page)
    card(page, "Buy followers cheap").get_by_role("link", name="Delete for good…").click()
    confirm = page.locator(".comment-card.is-confirming")
    expect(confirm).to_contain_text("Delete this comment by Asha for good?")
    confirm.get_by_label("Reason (for the audit log)").fill("Spam")
    confirm.get_by_role("button", name="Delete for good").click()
    expect(page.locator(".comment-card", has_text="Buy followers cheap")).to_have_count(0)
    expect(page.locator("#comments-heading")).to_contain_text("3 thoughts")
    assert_same_page(page)


def test_a_reader_reports_inline_and_the_moderator_hides_it_from_the_queue(page, browser, live_server, moderator, user):
    log_in(page, user)
    page.goto(ROLE_URL)
    remember_this_page(page)
    card(page, QUESTION).get_by_role("link", name="Report").click()
    card(page, QUESTION).get_by_label("Something else").check()
    card(page, QUESTION).get_by_role("button", name="Send report").click()
    expect(card(page, QUESTION).locator(".error")).to_have_text("Say what is wrong, so a moderator can judge.")
    card(page, QUESTION).get_by_label("Tell the moderators more").fill("Asks for money")
    card(page, QUESTION).get_by_role("button", name="Send report").click()
    expect(card(page, QUESTION).locator(".notice")).to_contain_text("Thank you for reporting this comment.")
    assert_same_page(page)

    mod = new_context(browser, live_server, viewport={"width": 360, "height": 740}).new_page()
    log_in(mod, moderator)
    open_menu(mod)
    mod.get_by_role("link", name="Moderation").click()
    item = mod.locator(".queue-item", has_text="Asks for money")
    expect(item).to_contain_text("Asha reported: Something else")
    item.get_by_role("button", name="Hide").click()
    expect(mod.locator(".flash")).to_have_text("The comment is hidden.")
    expect(mod.locator("#reported + p")).to_have_text("No open reports.")
    mod.context.close()


def test_approving_a_held_comment_from_the_queue(page, seeded, moderator, user, add_comment):
    role = RolePage(get_role_id(seeded, ROLE_SLUG), ROLE_SLUG, "")
    held = add_comment(role, user, "Apply via https://a.example and https://b.example")
    set_comment(seeded, held, held_reason="links")
    log_in(page, moderator)
    page.goto("/moderation/")
    # The held list, not the recent comments (where the held label shows too).
    item = page.locator(".queue-item[id^=held-]", has_text="Held because")
    expect(item).to_contain_text("It has several links.")
    item.get_by_role("button", name="Approve").click()
    expect(page.locator(".flash")).to_have_text("The comment is published.")
    expect(page.locator("#held + p")).to_have_text("Nothing is waiting for approval.")
    page.goto(ROLE_URL)
    expect(page.locator("#comments-heading")).to_contain_text("4 thoughts")
