"""Issue 27 in a real browser at 360 px: a member shows their stage beside a comment they
post inline, and "Asked and answered" below the guide opens a moderator's marked answer
and leads to its thread, with scripts and without."""
import pytest
from playwright.sync_api import expect

from ..applications_support import track
from .conftest import assert_fits_360px, new_context
from .test_discussion import QUESTION, ROLE_URL, assert_same_page, card, log_in, remember_this_page

pytestmark = pytest.mark.browser

ANSWER = "We’re glad you like the Kormo app."


def test_a_member_shows_their_stage_beside_a_comment_posted_inline(page, browser, live_server, seeded, user):
    track(seeded, user, moves=("applied", "interviewing"))
    log_in(page, user)
    page.goto(ROLE_URL)
    remember_this_page(page)
    form = page.locator("#comments form.comment-form").last
    form.get_by_label("Your comment").fill("Interview on Sunday, any tips?")
    tick = form.get_by_label("Show beside my name how far I got with this role in my tracker")
    expect(tick).not_to_be_checked()
    tick.check()
    form.get_by_role("button", name="Post comment").click()
    posted = card(page, "Interview on Sunday, any tips?")
    expect(posted.locator(".badge-stage")).to_have_text("on this road: interview")
    assert_same_page(page)

    reader = new_context(browser, live_server, language=None, viewport={"width": 360, "height": 740}).new_page()
    reader.goto(ROLE_URL)
    expect(card(reader, "Interview on Sunday, any tips?").locator(".badge-stage")).to_have_text("এই পথে: ইন্টারভিউ")
    assert_fits_360px(reader, [ROLE_URL])
    reader.context.close()


@pytest.mark.parametrize("scripts", [True, False])
def test_asked_and_answered_opens_the_answer_and_leads_to_its_thread(page, browser, live_server, moderator, scripts):
    log_in(page, moderator)
    page.goto(ROLE_URL)
    card(page, ANSWER).get_by_role("button", name="Mark as the answer").click()
    expect(card(page, ANSWER).locator(".badge-answer")).to_be_visible()

    reader = new_context(browser, live_server, viewport={"width": 360, "height": 740}, java_script_enabled=scripts).new_page()
    reader.goto(ROLE_URL)
    section = reader.locator("section.answered")
    expect(section.get_by_role("heading", name="Asked and answered")).to_be_visible()
    expect(section.get_by_text(ANSWER)).not_to_be_visible()
    section.locator("summary", has_text=QUESTION[:20]).click()
    expect(section.get_by_text(ANSWER)).to_be_visible()
    section.get_by_role("link", name="Read the thread").click()
    reader.wait_for_url("**/roles/customer-care-officer*#comment-*")
    expect(card(reader, QUESTION)).to_be_visible()
    assert_fits_360px(reader, [ROLE_URL])
    reader.context.close()


def test_the_new_boxes_meet_the_sites_looks_at_360px(browser, live_server, seeded, make_user, user, moderator):
    from .test_looks import CONTRAST, PHONE, SHORT_STANDALONE_LINKS, SMALL_TARGETS

    for number in range(5):
        track(seeded, make_user(f"road{number}@example.com", f"Member {number}"), moves=("applied",))
    interviewing = track(seeded, user, organisation="Robi", moves=("applied", "interviewing"))
    moderating = new_context(browser, live_server, viewport=PHONE).new_page()
    log_in(moderating, moderator)
    moderating.goto(ROLE_URL)
    card(moderating, ANSWER).get_by_role("button", name="Mark as the answer").click()
    expect(card(moderating, ANSWER).locator(".badge-answer")).to_be_visible()
    moderating.context.close()

    # A member's pages, as the site's own looks test checks them (a visitor's header links
    # are the header's business).
    for language in ("bn", "en"):
        phone = new_context(browser, live_server, viewport=PHONE).new_page()
        log_in(phone, user)
        phone.context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
        paths = [ROLE_URL, f"/tracker/{interviewing}"]
        for path in paths:
            phone.goto(path)
            expect(phone.locator("section.road, #preparation")).to_be_visible()
            for details in phone.locator("section.answered details, #preparation details").all():
                details.locator("summary").click()
            # (The application page's "Read the role guide" stands alone, short, from before.)
            checks = (SMALL_TARGETS, CONTRAST, SHORT_STANDALONE_LINKS) if path == ROLE_URL else (SMALL_TARGETS, CONTRAST)
            for check in checks:
                assert "\n".join(phone.evaluate(check)) == "", (path, language)
        assert_fits_360px(phone, paths)
        phone.context.close()
