"""A corpus of XSS payloads (tests/data/xss_payloads.txt) stored in every field a person
can type into and shown in Chromium with the Content-Security-Policy switched off, so
only the app's own escaping and sanitising stand between a payload and the reader."""
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from tracker.applications.tracking import save_role
from tracker.discussion.threads import post_comment
from tracker.extensions import db
from tracker.models import Application, Role, User, utcnow

from ..conftest import PASSWORD
from .conftest import new_context

pytestmark = pytest.mark.browser

PAYLOADS = Path(__file__).resolve().parent.parent.joinpath("data", "xss_payloads.txt").read_text(encoding="utf-8").splitlines()
# Anything a payload manages to run calls one of these, or makes a request htmx would log.
TRAP = """
window.__ran = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => window.__ran.push(name + ":" + args.join(","));
}
"""


def test_the_corpus_is_large():
    assert len(PAYLOADS) >= 100


@pytest.fixture
def stored_payloads(seeded, user):
    """Every payload as a display name, a comment, a job title, an organisation, a district
    and a note of Asha's."""
    with seeded.app_context():
        role = db.session.scalar(sa.select(Role).where(Role.slug == "customer-care-officer"))
        asha = db.session.get(User, user.id)
        asha.display_name = PAYLOADS[1][:60]
        for number, payload in enumerate(PAYLOADS):
            author = User(email=f"x{number}@example.com", display_name=payload[:60])
            db.session.add(author)
            post_comment(role, author, payload)
        db.session.commit()
        for number, payload in enumerate(PAYLOADS):
            application, _ = save_role(user.id, role.id, f"{number} {payload}"[:200])
            application.notes = payload
            application.next_step = payload[:200]
            # The fields of any job: its own title, district and search.
            application.title = f"{number} {payload}"[:200]
            application.district = payload[:100]
            application.next_step_on = (utcnow() + timedelta(days=1)).date()
        db.session.commit()
        return db.session.scalars(sa.select(Application.id).where(Application.user_id == user.id)).all()


def _visit_all(page, paths, settle=True):
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        if settle:  # let any htmx request a payload might have planted go out
            page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__ran") == [], (path, page.evaluate("window.__ran"))


def test_no_payload_runs_anywhere_it_is_shown(browser, live_server, stored_payloads, user):
    context = new_context(browser, live_server, bypass_csp=True, viewport={"width": 360, "height": 740})
    context.add_init_script(TRAP)
    page = context.new_page()
    problems = []
    page.on("dialog", lambda dialog: (problems.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))

    thread_pages = len(PAYLOADS) // 20 + 2
    _visit_all(page, [f"/roles/customer-care-officer?page={n}" for n in range(1, thread_pages)])
    # The text is still there to read, escaped rather than lost.
    page.goto("/roles/customer-care-officer")
    assert "alert('xss')" in page.locator("#comments").inner_text()

    # A search query is only echoed back into the search box.
    _visit_all(page, ["/?q=" + quote(payload) for payload in PAYLOADS], settle=False)

    page.goto("/auth/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
    _visit_all(page, ["/tracker/", "/tracker/?page=2", "/tracker/?page=3", "/tracker/board", "/notifications"])
    _visit_all(page, ["/tracker/proof", "/tracker/add?title=" + quote(PAYLOADS[0])])
    _visit_all(page, ["/tracker/?q=" + quote(payload) for payload in PAYLOADS[::11]], settle=False)
    _visit_all(page, [f"/tracker/{application_id}" for application_id in stored_payloads[::7]])
    page.goto(f"/tracker/{stored_payloads[0]}")
    assert "<script>alert('xss')</script>" in page.locator("main").inner_text()
    context.close()
    assert problems == []
