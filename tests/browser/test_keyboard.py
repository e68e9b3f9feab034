"""Keyboard only: after each htmx action the focus is where the reader carries on (the new
reply, the saved confirmation, the edited or reported comment, the moved card, the box a
final move needs), never lost to the body, and the page's live region says what happened."""
import pytest
from playwright.sync_api import expect

from ..applications_support import CCO_TITLE, track
from ..conftest import get_role_id
from ..discussion_support import Page as RolePage
from ..discussion_support import add_comment  # noqa: F401
from ..moderation_support import age_account
from .conftest import HTMX_AT_WORK
from .test_discussion import QUESTION, ROLE_URL, card, log_in

pytestmark = pytest.mark.browser


def tab_to(page, selector: str, most: int = 80) -> int:
    """Press Tab until the focus is on the element `selector` (Playwright's) finds; return
    how many presses it took."""
    target = page.locator(selector).first
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        if target.evaluate("(element) => element === document.activeElement"):
            return presses
    raise AssertionError(f"{selector} is not reached by {most} Tabs")


def press_enter_on(page, selector: str) -> None:
    """Tab to the element `selector` finds, and press Enter there."""
    tab_to(page, selector)
    page.keyboard.press("Enter")


def on_role_page(page, person) -> None:
    log_in(page, person)
    page.goto(ROLE_URL)


def focused(page):
    """The focused element, as a locator (by a mark put on it)."""
    page.evaluate(
        "document.querySelectorAll('[data-focused]').forEach((e) => e.removeAttribute('data-focused'));"
        "document.activeElement.setAttribute('data-focused', '')"
    )
    return page.locator("[data-focused]")


def assert_focus_on(page, selector: str):
    """The focus is on `selector` once htmx has settled: before that it may still move
    (the browser focuses a swapped-in autofocus field at once, htmx again as it settles)."""
    try:
        page.wait_for_function(
            "([selector, busy]) => document.activeElement.matches(selector) && !document.querySelector(busy)",
            arg=[selector, HTMX_AT_WORK],
            timeout=5000,
        )
    except Exception:
        raise AssertionError(f"the focus is not on {selector} but on " + page.evaluate("document.activeElement.outerHTML.slice(0, 300)") + " / said: " + page.locator("#announcements").inner_text())


def said(page, text: str):
    expect(page.locator("#announcements")).to_have_text(text)


def test_reply_with_the_keyboard_focuses_the_new_reply(page, seeded, user):
    age_account(seeded, user)
    on_role_page(page, user)
    question_id = card(page, QUESTION).get_attribute("id").removeprefix("card-")
    press_enter_on(page, f"#card-{question_id} .comment-actions a:text-is('Reply')")
    assert_focus_on(page, "textarea")  # the form takes the focus as it opens
    page.keyboard.type("Kon company te apply korbo?")
    press_enter_on(page, "button:text-is('Post reply')")
    said(page, "Your reply is posted.")
    assert_focus_on(page, ".comment-card")
    expect(focused(page)).to_contain_text("Kon company te apply korbo?")


def test_an_empty_reply_focuses_the_box_with_its_message(page, seeded, user):
    on_role_page(page, user)
    press_enter_on(page, ".comment-actions a:text-is('Reply')")
    assert_focus_on(page, "textarea")
    press_enter_on(page, "button:text-is('Post reply')")
    assert_focus_on(page, "textarea[aria-invalid=true]")
    expect(page.locator("[role=alert]", has_text="Write something before posting.")).to_be_visible()


def test_save_with_the_keyboard_focuses_the_confirmation(page, seeded, user):
    on_role_page(page, user)
    press_enter_on(page, "button:text-is('Save to my tracker')")
    said(page, "Saved to your tracker.")
    assert_focus_on(page, ".save-role-done")
    page.keyboard.press("Tab")  # and on from there: the link to the tracker
    assert_focus_on(page, ".save-role-done a")


def on_role_page_with_own_comment(page, seeded, person, add_comment, text: str) -> int:
    """`person`, whose account is old enough to post unheld, on the role page with a comment
    of theirs saying `text`; return its id."""
    age_account(seeded, person)
    role = RolePage(get_role_id(seeded, "customer-care-officer"), "customer-care-officer", CCO_TITLE)
    comment = add_comment(role, person, text)
    on_role_page(page, person)
    return comment


def test_edit_with_the_keyboard_focuses_the_saved_comment(page, seeded, user, add_comment):
    comment = on_role_page_with_own_comment(page, seeded, user, add_comment, "First words")
    press_enter_on(page, f"#card-{comment} a:text-is('Edit')")
    assert_focus_on(page, "textarea")
    page.keyboard.press("Control+A")
    page.keyboard.type("Better words")
    press_enter_on(page, "button:text-is('Save changes')")
    said(page, "Your comment is saved.")
    assert_focus_on(page, f"#card-{comment}")
    expect(focused(page)).to_contain_text("Better words")


def test_report_with_the_keyboard_focuses_the_reported_comment(page, seeded, user):
    on_role_page(page, user)
    question_id = card(page, QUESTION).get_attribute("id").removeprefix("card-")
    press_enter_on(page, f"#card-{question_id} a:text-is('Report')")
    tab_to(page, f"#card-{question_id} input[type=radio]")
    page.keyboard.press("Space")
    press_enter_on(page, "button:text-is('Send report')")
    expect(page.locator("#announcements")).to_contain_text("Thank you for reporting this comment.")
    assert_focus_on(page, f"#card-{question_id}")


def test_board_moves_with_the_keyboard_keep_the_focus_on_the_card_and_the_closing_question_is_at_hand(page, seeded, user):
    application = track(seeded, user)
    log_in(page, user)
    page.goto("/tracker/board")
    tab_to(page, f"#move-{application}")
    page.keyboard.type("Applied")  # a select's type-ahead
    expect(page.locator(f"#move-{application}")).to_have_value("applied")
    # One control per card: the button is one Tab on.
    page.keyboard.press("Tab")
    assert_focus_on(page, f"#card-{application} button")
    page.keyboard.press("Enter")
    assert_focus_on(page, f"#card-{application} a")
    expect(page.locator(".board-column", has=page.locator("#column-applied")).locator(f"#card-{application}")).to_be_visible()
    said(page, "Moved to “Applied”.")

    # A closing stage: the card asks, said once, with the focus on its answer, not 13 Tabs away.
    tab_to(page, f"#move-{application}")
    page.keyboard.type("Withdrawn")  # a select's type-ahead
    expect(page.locator(f"#move-{application}")).to_have_value("withdrawn")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert_focus_on(page, f"#close-{application}-yes")
    said(page, "“Withdrawn” closes this application. Close it?")
    expect(page.locator(f"#card-{application} [role=alert]")).to_have_count(0)  # it was said twice
    page.keyboard.press("Enter")
    said(page, "Moved to “Withdrawn”.")
    assert_focus_on(page, f"#card-{application} a")
    expect(page.locator(".board-column", has=page.locator("#column-withdrawn")).locator(f"#card-{application}")).to_be_visible()


def test_opening_and_closing_a_card_s_forms_with_the_keyboard_keeps_the_focus_in_the_card(page, seeded, user, add_comment):
    comment = on_role_page_with_own_comment(page, seeded, user, add_comment, "Words to delete")
    press_enter_on(page, f"#card-{comment} a:text-is('Delete')")
    assert_focus_on(page, f"#card-{comment}.is-confirming")  # the question is read, the Delete button one Tab on
    press_enter_on(page, f"#card-{comment} a:text-is('Cancel')")
    assert_focus_on(page, f"#card-{comment}")
    expect(focused(page)).to_contain_text("Words to delete")

    question_id = card(page, QUESTION).get_attribute("id").removeprefix("card-")
    press_enter_on(page, f"#card-{question_id} a:text-is('Report')")
    assert_focus_on(page, f"#card-{question_id} input[type=radio]")


def test_an_empty_comment_focuses_its_box_with_the_message(page, seeded, user):
    on_role_page(page, user)
    press_enter_on(page, "button:text-is('Post comment')")
    assert_focus_on(page, "#new-comment textarea[aria-invalid=true]")
    expect(page.locator("#new-comment [role=alert]")).to_have_text("Write something before posting.")
