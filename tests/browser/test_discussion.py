"""The thread in a real browser: inline replies, edits, deletes and "load more" with htmx
(no page reload), and the same things as plain pages without JavaScript."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tracker.models import utcnow

from ..conftest import get_role_id
from ..discussion_support import Page as RolePage
from ..discussion_support import add_comment  # noqa: F401
from .conftest import new_context, open_menu, register_in_browser

pytestmark = pytest.mark.browser

ROLE_SLUG = "customer-care-officer"
ROLE_URL = f"/roles/{ROLE_SLUG}"
QUESTION = "Ami age akta outbound call-center"


def log_in(page, person):
    page.goto("/auth/login")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(person.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".nav-user")).to_contain_text(person.display_name)


def logged_in_tab(browser, live_server, person):
    """A browser of its own, at 360 px, logged in as `person` (not watched for console
    errors, unlike the `page` fixture's)."""
    context = new_context(browser, live_server, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, person)
    return context, page


def remember_this_page(page):
    """Mark the document, so a later check can tell that no reload happened."""
    page.evaluate("window.__same_page = true")


def assert_same_page(page):
    assert page.evaluate("window.__same_page") is True, "the page was reloaded"


def card(page, text):
    return page.locator(".comment-card", has_text=text)


def test_an_inline_reply_appears_under_its_parent_and_the_count_updates(page, user):
    log_in(page, user)
    page.goto(ROLE_URL)
    expect(page.locator("#comments-heading")).to_have_text("3 thoughts on “Customer Care Officer”")
    remember_this_page(page)

    card(page, QUESTION).get_by_role("link", name="Reply").click()
    form = card(page, QUESTION).locator("form")
    expect(form).to_be_visible()
    # Cancel closes the form; Reply opens it again.
    form.get_by_role("link", name="Cancel").click()
    expect(card(page, QUESTION).locator("form")).to_have_count(0)
    card(page, QUESTION).get_by_role("link", name="Reply").click()

    card(page, QUESTION).get_by_label("Your reply").fill("Kon company te apply korbo?")
    card(page, QUESTION).get_by_role("button", name="Post reply").click()

    thread = page.locator("li.comment", has_text=QUESTION)
    expect(thread.locator(".replies .comment-text")).to_have_text(
        ["We’re glad you like the Kormo app. Use it to apply for the jobs you’re interested in.", "Kon company te apply korbo?"]
    )
    expect(page.locator("#comments-heading")).to_have_text("4 thoughts on “Customer Care Officer”")
    expect(card(page, QUESTION).locator("form")).to_have_count(0)
    assert_same_page(page)


def test_an_empty_reply_shows_the_message_in_the_inline_form(page, user):
    log_in(page, user)
    page.goto(ROLE_URL)
    remember_this_page(page)
    card(page, QUESTION).get_by_role("link", name="Reply").click()
    card(page, QUESTION).get_by_label("Your reply").fill("   ")
    card(page, QUESTION).get_by_role("button", name="Post reply").click()
    expect(card(page, QUESTION).locator(".error")).to_have_text("Write something before posting.")
    expect(page.locator("#comments-heading")).to_contain_text("3 thoughts")
    assert_same_page(page)


def test_deleting_ones_comment_that_has_replies_inline_shows_no_markup_and_the_new_count(page, seeded, user, other_user, add_comment):
    role = RolePage(get_role_id(seeded, ROLE_SLUG), ROLE_SLUG, "")
    mine = add_comment(role, user, "Night shift ache?")
    add_comment(role, other_user, "Yes, from 10 pm.", parent=mine)
    log_in(page, user)
    page.goto(ROLE_URL)
    expect(page.locator("#comments-heading")).to_contain_text("5 thoughts")
    remember_this_page(page)
    card(page, "Night shift ache?").get_by_role("link", name="Delete").click()
    page.locator(".is-confirming").get_by_role("button", name="Delete").click()
    expect(page.locator(".comment-card", has_text="Comment deleted")).to_be_visible()
    expect(page.locator("#comments-heading")).to_contain_text("4 thoughts")
    assert "hx-swap-oob" not in page.locator("#comments").inner_text()
    expect(card(page, "Yes, from 10 pm.")).to_be_visible()
    assert_same_page(page)


def test_a_long_comment_opens_with_read_more_and_folds_again(page, seeded, user, add_comment):
    role = RolePage(get_role_id(seeded, ROLE_SLUG), ROLE_SLUG, "")
    add_comment(role, user, "শুরু। " + "অনেক কথা আছে এখানে। " * 250 + "শেষ কথা।")
    page.goto(ROLE_URL)
    text = page.locator(".comment-text.is-folded")
    folded = text.bounding_box()["height"]
    assert folded < 250, folded  # a few lines, not thousands of pixels at 360 px
    page.get_by_text("Read more").click()
    opened = text.bounding_box()["height"]
    assert opened > 4 * folded, (folded, opened)
    expect(page.get_by_text("Show less")).to_be_visible()
    page.get_by_text("Show less").click()
    assert text.bounding_box()["height"] == folded


def test_post_then_edit_and_delete_inline(page, user):
    log_in(page, user)
    page.goto(ROLE_URL)
    remember_this_page(page)
    page.locator("#new-comment").get_by_label("Your comment").fill("Part-time shift ache?")
    page.get_by_role("button", name="Post comment").click()
    expect(card(page, "Part-time shift ache?")).to_be_visible()
    expect(page.locator("#comments-heading")).to_contain_text("4 thoughts")
    expect(page.locator("#new-comment textarea")).to_have_value("")

    card(page, "Part-time shift ache?").get_by_role("link", name="Edit").click()
    editor = page.locator(".comment-card.is-editing")
    expect(editor.get_by_label("Your comment")).to_have_value("Part-time shift ache?")
    editor.get_by_label("Your comment").fill("Part-time *night* shift ache?")
    editor.get_by_role("button", name="Save changes").click()
    edited = card(page, "Part-time night shift ache?")
    expect(edited.locator("em")).to_have_text("night")
    expect(edited.locator(".comment-edited")).to_have_text("edited")

    edited.get_by_role("link", name="Delete").click()
    page.locator(".is-confirming").get_by_role("button", name="Delete").click()
    expect(page.locator(".comment-card", has_text="Part-time")).to_have_count(0)
    expect(page.locator("#comments-heading")).to_contain_text("3 thoughts")
    assert_same_page(page)


def test_a_new_members_held_question_is_not_told_there_are_no_comments(page, seeded):
    register_in_browser(page)
    page.goto("/roles/bpo-job")
    empty_thread = page.get_by_text("No comments yet. Ask the first question about this job.")
    expect(empty_thread).to_be_visible()
    remember_this_page(page)
    # A link from an account under a day old is held for review: only its author sees it.
    page.locator("#new-comment").get_by_label("Your comment").fill("Is this one real? https://jobs.example/bpo")
    page.locator("#new-comment").get_by_role("button", name="Post comment").click()
    expect(card(page, "Is this one real?")).to_contain_text("awaiting moderation")
    expect(page.locator("#comments-heading")).to_have_text("0 thoughts on “BPO Job”")
    expect(empty_thread).to_be_hidden()
    assert_same_page(page)
    page.reload()
    expect(card(page, "Is this one real?")).to_contain_text("awaiting moderation")
    expect(empty_thread).to_be_hidden()


def three_more_comments(seeded, user, add_comment):
    """Three comments after the seeded ones, on a thread showing two a page."""
    seeded.config["COMMENTS_PER_PAGE"] = 2
    role = RolePage(get_role_id(seeded, ROLE_SLUG), ROLE_SLUG, "")
    start = utcnow() + timedelta(minutes=1)
    for n in range(3):
        add_comment(role, user, f"later question {n}", created_at=start + timedelta(minutes=n))


def test_load_more_appends_the_next_page(page, seeded, user, add_comment):
    three_more_comments(seeded, user, add_comment)
    log_in(page, user)
    page.goto(ROLE_URL)
    remember_this_page(page)
    top_level = page.locator("#comment-list > li.comment > .comment-card .comment-text")
    expect(top_level).to_have_count(2)
    page.get_by_role("link", name="Load more comments").click()
    expect(top_level).to_have_count(4)
    expect(top_level.nth(3)).to_have_text("later question 1")
    page.get_by_role("link", name="Load more comments").click()
    expect(top_level).to_have_count(5)
    expect(page.get_by_role("link", name="Load more comments")).to_have_count(0)
    assert_same_page(page)


def test_a_visitor_reads_the_thread_page_by_page_with_no_script(page, seeded, user, add_comment):
    three_more_comments(seeded, user, add_comment)
    page.goto(ROLE_URL)
    assert page.locator("script").count() == 0 and page.evaluate("typeof htmx") == "undefined"
    top_level = page.locator("#comment-list > li.comment > .comment-card .comment-text")
    expect(top_level).to_have_count(2)
    page.get_by_role("link", name="Load more comments").click()
    expect(page).to_have_url(re.compile(r"[?&]page=2\b.*#comments$"))
    expect(top_level).to_have_text(["later question 0", "later question 1"])
    page.get_by_role("link", name="Load more comments").click()
    expect(top_level).to_have_text(["later question 2"])
    expect(page.get_by_role("link", name="Load more comments")).to_have_count(0)


def test_without_javascript_reply_is_a_page_and_posting_returns_to_the_comment(browser, live_server, user):
    context = new_context(browser, live_server, java_script_enabled=False)
    page = context.new_page()
    log_in(page, user)
    page.goto(ROLE_URL)
    card(page, QUESTION).get_by_role("link", name="Reply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reply to পাঠক")
    page.get_by_label("Your reply").fill("Amio call center e kaj korte chai.")
    page.get_by_role("button", name="Post reply").click()
    assert "/roles/customer-care-officer#comment-" in page.url
    expect(page.locator("#comments-heading")).to_contain_text("4 thoughts")
    anchor = page.url.split("#")[1]
    expect(page.locator(f"#{anchor}")).to_contain_text("Amio call center e kaj korte chai.")
    context.close()


def test_a_deep_thread_fits_a_360px_screen(page, seeded, user, other_user, add_comment):
    role = RolePage(get_role_id(seeded, ROLE_SLUG), ROLE_SLUG, "")
    parent = None
    for level in range(7):
        parent = add_comment(role, user if level % 2 else other_user, "গভীর উত্তর " * 12, parent=parent)
    page.goto(ROLE_URL)
    expect(page.locator(".comment-card")).to_have_count(10)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the thread scrolls sideways by {overflow}px"
    deepest = page.locator(".comment-card").last.bounding_box()
    assert deepest["width"] > 250, deepest


def test_a_post_that_does_not_go_through_says_why_and_keeps_the_text(browser, live_server, user):
    # A tab of its own: Chromium logs each failed request as a console error, and here they are meant.
    context, page = logged_in_tab(browser, live_server, user)
    page.goto(ROLE_URL)
    remember_this_page(page)
    typed = "ইন্টারভিউতে কী জিজ্ঞেস করে?"
    page.get_by_label("Your comment").fill(typed)
    problem = page.locator("#request-problem")
    expect(problem).to_be_hidden()

    page.route("**/comments", lambda route: route.abort("internetdisconnected"))
    page.get_by_role("button", name="Post comment").click()
    expect(problem).to_be_visible()
    expect(problem).to_contain_text("no connection")
    expect(page.get_by_label("Your comment")).to_have_value(typed)
    problem.get_by_role("button", name="Close").click()
    expect(problem).to_be_hidden()
    page.unroute("**/comments")

    # As if they had logged out in another tab: the login's cookies go, the language's stays.
    context.clear_cookies(name=re.compile("^(session|remember_token)$"))
    page.get_by_role("button", name="Post comment").click()
    expect(problem).to_contain_text("this page has expired")
    expect(page.get_by_label("Your comment")).to_have_value(typed)
    assert_same_page(page)
    expect(page.locator(".comment-text", has_text=typed)).to_have_count(0)

    # Asking for a members' fragment now loads the login page, which leads back here.
    card(page, QUESTION).get_by_role("link", name="Reply").click()
    page.wait_for_url(lambda url: url.endswith(f"/auth/login?next={ROLE_URL}"))
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(user.password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{ROLE_URL}")
    context.close()


def test_text_typed_before_a_logout_elsewhere_comes_back_after_logging_in_again(browser, live_server, user):
    context, page = logged_in_tab(browser, live_server, user)
    page.goto(ROLE_URL)
    typed = "নাইট শিফটে কি যাতায়াতের ব্যবস্থা থাকে?"
    page.get_by_label("Your comment").fill(typed)

    other_tab = context.new_page()  # the same browser, logged out there
    other_tab.goto(ROLE_URL)
    open_menu(other_tab)
    other_tab.get_by_role("button", name="Log out").click()
    other_tab.wait_for_url("**/")
    other_tab.close()

    page.get_by_role("button", name="Post comment").click()
    page.wait_for_url(lambda url: "/auth/login" in url)
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(user.password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{ROLE_URL}/comments/new")  # the comment's form, on a page of its own
    expect(page.get_by_label("Your comment")).to_have_value(typed)
    expect(page.locator(".discussion > .notice", has_text="back in the form")).to_be_visible()
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".comment-text", has_text=typed)).to_have_count(1)
    context.close()


def test_a_long_paste_is_kept_whole_and_the_box_says_how_much_is_too_much(browser, live_server, user):
    context, page = logged_in_tab(browser, live_server, user)  # the refused post is a 422, which Chromium logs
    page.goto(ROLE_URL)
    box = page.get_by_label("Your comment")
    expect(page.locator("#body-count")).to_have_text("Up to 5,000 characters")
    box.fill("ক" * 4990)
    expect(page.locator("#body-count")).to_have_text("10 characters left")
    box.fill("ক" * 6000)  # as a paste does: nothing is cut
    assert len(box.input_value()) == 6000
    expect(page.locator("#body-count")).to_have_text("1,000 characters too many: shorten it before sending")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".comment-form p.error")).to_contain_text("Keep it to 5000 characters or fewer (this has 6000)")
    assert len(page.get_by_label("Your comment").input_value()) == 6000
    context.close()


def test_a_posted_reply_does_not_come_back_into_the_next_reply_form(page, user):
    """What is typed is kept in the browser until its post is answered (js/drafts.js):
    once posted, it is dropped, so it cannot be put back and posted a second time."""
    log_in(page, user)
    page.goto(ROLE_URL)
    card(page, QUESTION).get_by_role("link", name="Reply").click()
    card(page, QUESTION).get_by_label("Your reply").fill("Shift kokhon shuru hoy?")
    card(page, QUESTION).get_by_role("button", name="Post reply").click()
    expect(page.locator(".comment-text", has_text="Shift kokhon shuru hoy?")).to_have_count(1)

    page.goto(ROLE_URL)
    card(page, QUESTION).get_by_role("link", name="Reply").click()
    expect(card(page, QUESTION).get_by_label("Your reply")).to_have_value("")
    expect(card(page, QUESTION).locator(".notice")).to_have_count(0)


@pytest.mark.parametrize(("javascript", "language", "notice"), [
    (True, "en", "What you typed before you had to log in again is back in the form. Check it, then send it."),
    (False, "bn", "আবার লগ ইন করার আগে আপনি যা লিখেছিলেন তা ফর্মে ফিরিয়ে দেওয়া হয়েছে। দেখে নিয়ে পাঠান।"),
])
def test_a_reply_typed_when_the_login_ended_opens_in_its_form_after_logging_in_again(
    browser, live_server, user, javascript, language, notice
):
    """Issue 26, item 11: it came back only if the same reply form was opened again, with
    no word, and without JavaScript it was lost."""
    context = new_context(browser, live_server, language=language, java_script_enabled=javascript,
                          viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/auth/login")
    page.locator("input[name=email]").fill(user.email)
    page.locator("input[name=password]").fill(user.password)
    page.locator("form[action='/auth/login'] button[type=submit]").click()
    page.goto(ROLE_URL)
    card(page, QUESTION).locator("a[href$='/reply']").click()
    if not javascript:
        page.wait_for_url("**/reply")
    card(page, QUESTION).locator("textarea").fill("Ami abar login korlam")
    other_tab = context.new_page()  # the same browser: logging out there ends this tab's login too
    other_tab.goto("/auth/sessions")
    other_tab.locator("form[action$='/sessions/end'] button").click()
    expect(other_tab.locator(".flash")).to_have_count(1)

    card(page, QUESTION).locator("form.comment-form button[type=submit]").click()
    page.wait_for_url("**/auth/login**")
    page.locator("input[name=email]").fill(user.email)
    page.locator("input[name=password]").fill(user.password)
    page.locator("form[action='/auth/login'] button[type=submit]").click()
    page.wait_for_url("**/comments/*/reply")
    expect(page.locator("textarea[name=body]")).to_have_value("Ami abar login korlam")
    expect(page.locator(".discussion > p.notice")).to_have_text(notice)
    expect(card(page, QUESTION)).to_be_visible()  # the reply under what it answers
    card(page, QUESTION).locator("form.comment-form button[type=submit]").click()
    expect(page.locator(".comment-text", has_text="Ami abar login korlam")).to_have_count(1)
    context.close()


def test_a_kept_text_older_than_a_day_is_forgotten_when_a_page_opens(page, user):
    log_in(page, user)
    page.goto(ROLE_URL)
    page.evaluate("""() => {
        const day = 24 * 60 * 60 * 1000;
        localStorage.setItem("tracker-draft:/gone#", JSON.stringify({at: Date.now() - 2 * day, texts: {body: "old"}}));
        localStorage.setItem("tracker-draft:/kept#", JSON.stringify({at: Date.now() - 60 * 1000, texts: {body: "new"}}));
    }""")
    page.reload()
    kept = page.evaluate("() => Object.keys(localStorage).filter((key) => key.startsWith('tracker-draft:')).sort()")
    assert kept == ["tracker-draft:/kept#"]
