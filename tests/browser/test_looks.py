"""What a phone shows at 360 × 640: the header on one line, a role on the catalogue's first
screen, every control big enough for a finger, every text and the focus ring readable."""
import pytest

from tracker.models import utcnow

from ..applications_support import track
from ..moderation_support import set_comment
from ..discussion_support import add_comment  # noqa: F401
from ..discussion_support import role  # noqa: F401
from .conftest import new_context
from .test_discussion import QUESTION, ROLE_URL, card, log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 640}

# WCAG's contrast ratio of two computed colours, and the colour behind an element (the
# first ancestor with a background).
COLOURS = """
  const rgb = (colour) => colour.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const [R, G, B] = [r, g, b].map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const colour = rgb(getComputedStyle(e).backgroundColor);
      if (colour.length < 4 || colour[3] > 0) return colour.slice(0, 3);
    }
    return [255, 255, 255];
  };
"""

# The contrast of each text against the colour behind it.
CONTRAST = """
() => {""" + COLOURS + """
  const poor = [];
  for (const element of document.body.querySelectorAll("*")) {
    const own = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !element.getClientRects().length || element.closest("[hidden], .visually-hidden, svg")) continue;
    const found = ratio(rgb(getComputedStyle(element).color).slice(0, 3), background(element));
    if (found < 4.5) poor.push(`${element.tagName}.${element.className}: ${element.textContent.trim().slice(0, 30)} ${found.toFixed(2)}`);
  }
  return poor;
}
"""

SMALL_TARGETS = """
() => {
  const small = [];
  for (const control of document.querySelectorAll("a, button, input, select, textarea, summary")) {
    if (control.type === "hidden" || !control.getClientRects().length || control.closest("[hidden], details:not([open]) > :not(summary)")) continue;
    // A link inside a sentence is exempt (WCAG 2.5.8); a box or a circle is as big as its label.
    if (control.tagName === "A" && control.closest("p, dd, .comment-text, .role-section, blockquote, .hint, .notice") &&
        !control.closest(".comment-actions, .moderation-actions, .save-role-done, .crumbs, .tracker-links")) continue;
    const target = control.matches("[type=checkbox], [type=radio]") ? control.closest("label") || control : control;
    const box = target.getBoundingClientRect();
    if (box.height < 44 || box.width < 44) small.push(`${control.className} ` + `${control.tagName} ${control.textContent.trim().slice(0, 25) || control.name}: ${Math.round(box.width)}×${Math.round(box.height)}`);
  }
  return small;
}
"""

# WCAG 1.4.11: the edge of each text box and select, 3:1 against its inside and against
# what is around it.
FAINT_EDGES = """
() => {""" + COLOURS + """
  const faint = [];
  for (const box of document.querySelectorAll("input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea")) {
    if (!box.getClientRects().length) continue;
    const edge = rgb(getComputedStyle(box).borderTopColor).slice(0, 3);
    const found = Math.min(ratio(edge, background(box)), ratio(edge, background(box.parentElement)));
    if (found < 3) faint.push(`${box.tagName} ${box.name}: ${found.toFixed(2)}`);
  }
  return faint;
}
"""

# A link standing alone (the block holding it says nothing but links) and shorter than a
# finger; a link in a sentence is exempt (WCAG 2.5.8).
SHORT_STANDALONE_LINKS = """
() => {
  const blockOf = (e) => {
    for (let p = e.parentElement; p; p = p.parentElement) if (!getComputedStyle(p).display.startsWith("inline")) return p;
    return document.body;
  };
  const short = [];
  for (const link of document.querySelectorAll("a[href]")) {
    if (!link.getClientRects().length || link.closest("[hidden], .visually-hidden")) continue;
    const block = blockOf(link);
    let words = block.textContent;
    for (const control of block.querySelectorAll("a, button, label, select, summary, .badge")) words = words.replace(control.textContent, "");
    if (words.replace(/[\\s·|,:←↓()–-]/g, "") !== "") continue;
    const height = link.getBoundingClientRect().height;
    if (height < 44) short.push(`${link.textContent.trim().slice(0, 30)}: ${Math.round(height)} px`);
  }
  return short;
}
"""


@pytest.fixture
def phone(browser, live_server):
    context = new_context(browser, live_server, language=None, viewport=PHONE)  # Bengali, the default
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_members_header_is_one_line_and_the_first_role_is_above_the_fold(phone, seeded, user):
    log_in_bengali(phone, user)
    phone.goto("/")
    header = phone.locator(".site-header").bounding_box()
    assert header["height"] <= 56, header
    first_role = phone.locator(".role-card").first.bounding_box()
    assert first_role["y"] + 48 < PHONE["height"], first_role  # its title at least
    phone.locator(".nav-menu summary").click()
    assert phone.get_by_role("button", name="লগ আউট").is_visible()
    for language in ("bn", "en"):  # English words are longer: the line must hold them too
        phone.context.add_cookies([{"name": "lang", "value": language, "url": phone.url}])
        phone.goto("/tracker/")
        assert phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        assert phone.locator(".site-header").bounding_box()["height"] <= 56


def test_a_visitors_first_screen_shows_a_role(phone, seeded):
    phone.goto("/")
    assert phone.locator(".site-header").bounding_box()["height"] <= 56
    assert phone.locator(".role-card").first.bounding_box()["y"] + 48 < PHONE["height"]


def log_in_bengali(page, person):
    page.goto("/auth/login")
    page.get_by_label("ইমেইল").fill(person.email)
    page.get_by_label("পাসওয়ার্ড").fill(person.password)
    page.get_by_role("button", name="লগ ইন").click()
    page.wait_for_url("**/")


def test_controls_are_finger_sized_and_text_is_readable(phone, seeded, user, moderator):
    application = track(seeded, user, moves=["applied"])
    log_in_bengali(phone, user)
    pages = ["/", ROLE_URL, "/tracker/", "/tracker/board", f"/tracker/{application}", "/notifications"]
    for path in pages:
        phone.goto(path)
        assert "\n".join(phone.evaluate(SMALL_TARGETS)) == "", path
        assert "\n".join(phone.evaluate(CONTRAST)) == "", path


def test_the_moderation_queues_greyed_rows_stay_readable(browser, live_server, seeded, moderator):
    page = new_context(browser, live_server, viewport=PHONE).new_page()
    log_in(page, moderator)
    page.goto(ROLE_URL)
    comment_id = card(page, QUESTION).get_attribute("id").removeprefix("card-")
    set_comment(seeded, int(comment_id), hidden_at=utcnow())
    for path in (ROLE_URL, "/moderation/"):
        page.goto(path)
        assert "\n".join(page.evaluate(CONTRAST)) == "", path
        assert "\n".join(page.evaluate(SMALL_TARGETS)) == "", path
    page.context.close()


def test_the_focus_ring_stands_out_at_3_to_1(phone, seeded):
    phone.goto("/")
    phone.keyboard.press("Tab")  # the skip link
    phone.keyboard.press("Tab")
    ring = phone.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
    )
    assert ring[0] == "solid" and float(ring[1].rstrip("px")) >= 2
    # On the green header the ring is white; on the page, dark blue.
    phone.locator("#q").focus()
    colour = phone.evaluate("getComputedStyle(document.activeElement).outlineColor")
    assert colour == "rgb(23, 78, 166)"  # 8.6:1 on white


def test_the_edges_of_text_boxes_and_selects_stand_out_at_3_to_1(browser, live_server, phone, seeded, user):
    visitor = new_context(browser, live_server, viewport=PHONE).new_page()
    for path in ("/auth/login", "/auth/register", "/"):
        visitor.goto(path)
        assert "\n".join(visitor.evaluate(FAINT_EDGES)) == "", path
    visitor.context.close()
    track(seeded, user, moves=["applied"])
    log_in_bengali(phone, user)
    for path in ("/auth/profile", "/tracker/", "/tracker/add", "/tracker/board", ROLE_URL):
        phone.goto(path)
        assert "\n".join(phone.evaluate(FAINT_EDGES)) == "", path


@pytest.mark.parametrize("language", ["bn", "en"])
def test_links_standing_alone_are_a_finger_tall(browser, live_server, seeded, moderator, language):
    pages = {
        None: ["/auth/login", "/auth/password/forgot", ROLE_URL],
        moderator: ["/auth/profile", "/auth/account/delete", ROLE_URL, "/moderation/", "/moderation/audit",
                    f"/moderation/users/{moderator.id}", "/moderation/roles/bpo-job/lock", "/no-such-page"],
    }
    for person, paths in pages.items():
        page = new_context(browser, live_server, language=language, viewport=PHONE).new_page()
        if person:
            log_in(page, person) if language == "en" else log_in_bengali(page, person)
        for path in paths:
            page.goto(path)
            assert "\n".join(page.evaluate(SHORT_STANDALONE_LINKS)) == "", path
        page.context.close()


def test_a_members_header_shows_the_whole_brand_and_the_unread_count_apart(
    browser, live_server, seeded, role, user, other_user, add_comment
):
    question = add_comment(role, user, "রাতের শিফট আছে?")
    for n in range(3):
        add_comment(role, other_user, f"উত্তর {n}", parent=question)
    for language in ("bn", "en"):
        page = new_context(browser, live_server, language=language, viewport=PHONE).new_page()
        log_in(page, user) if language == "en" else log_in_bengali(page, user)
        page.goto("/tracker/")
        brand = page.locator(".site-nav .brand")
        assert brand.evaluate("(e) => e.scrollWidth <= e.clientWidth && e.getBoundingClientRect().left >= 0"), language
        # A brand cut with "…" would still fit its box: its words must all be on screen.
        assert brand.evaluate("(e) => getComputedStyle(e).textOverflow") != "ellipsis"
        assert page.locator(".site-header").bounding_box()["height"] <= 56
        gap = page.locator(".nav-notifications").evaluate(
            """(link) => {
                 const words = document.createRange();
                 words.selectNodeContents(link.firstChild);
                 return link.querySelector(".badge").getBoundingClientRect().left - words.getBoundingClientRect().right;
               }"""
        )
        assert gap >= 4, (language, gap)
        page.context.close()


def test_the_threads_order_toggle_sits_on_one_line(phone, seeded, role, user, other_user, add_comment):
    add_comment(role, user, "প্রথম প্রশ্ন")
    add_comment(role, other_user, "দ্বিতীয় প্রশ্ন")
    phone.goto(f"/roles/{role.slug}")
    middles = phone.locator(".comment-order").evaluate(
        """(toggle) => [...toggle.childNodes].filter((n) => n.textContent.trim()).map((n) => {
             const range = document.createRange();
             range.selectNodeContents(n);
             const box = range.getBoundingClientRect();
             return box.top + box.height / 2;
           })"""
    )
    assert len(middles) == 3 and max(middles) - min(middles) <= 2, middles


def test_the_profiles_fieldsets_are_drawn_like_the_rest_of_the_page(phone, seeded, user):
    log_in_bengali(phone, user)
    phone.goto("/auth/profile")
    for fieldset in phone.locator("fieldset").all():
        style = fieldset.evaluate(
            "(e) => { const s = getComputedStyle(e); return [s.borderTopStyle, s.borderTopColor, s.borderTopLeftRadius]; }"
        )
        assert style == ["solid", "rgb(213, 219, 225)", "6px"], style  # the page's rules and corners, not the browser's groove
