"""The audit log: what it shows, its filters, that nothing in the app changes it, and that
moderation pages cost a fixed number of queries however many rows they show."""
import re

import pytest

from tracker.extensions import db
from tracker.models import Comment

from .discussion_support import add_comment, refill_thread, role  # noqa: F401
from .moderation_support import add_report, audit_rows, set_comment


@pytest.fixture
def history(app, role, user, other_user, moderator, make_user, add_comment, moderator_client):
    """Two moderators' actions: Mita hides Asha's comment and suspends Rahim; Nila locks the thread."""
    comment = add_comment(role, user, "Spam here")
    moderator_client.post(f"/moderation/comments/{comment}/hide")
    moderator_client.post(f"/moderation/users/{other_user.id}", data={"days": "2", "reason": "Insults."})
    nila = make_user("nila@example.com", "Nila", moderator=True)
    nila_client = app.test_client()
    nila_client.login(nila.email)
    nila_client.post(f"/moderation/roles/{role.slug}/lock", data={"reason": "Off topic."})
    return comment, nila


def entries(page: str) -> list[str]:
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip() for item in re.findall(r'<li class="audit-entry">(.*?)</li>', page, re.S)]


def test_the_log_says_who_did_what_to_which_comment_or_user_when_and_why(app, history, moderator_client):
    comment, _ = history
    page = moderator_client.get("/moderation/audit").get_data(as_text=True)
    lock, suspend, hide = entries(page)
    assert lock.startswith("Locked a discussion · Nila ·") and "on ক্যাশিয়ার" in lock and "Reason: Off topic." in lock
    assert suspend.startswith("Suspended a user · Moderator Mita ·") and "User Rahim" in suspend and "Reason: Insults." in suspend
    assert hide.startswith("Hid a comment · Moderator Mita ·") and f"Comment #{comment} by Asha on ক্যাশিয়ার" in hide
    assert re.search(r"\d+ seconds? ago", hide)
    assert f'href="/comments/{comment}"' in page


def test_the_log_filters_by_action_and_by_moderator(app, history, moderator, moderator_client):
    _, nila = history
    by_action = entries(moderator_client.get("/moderation/audit?action=suspend").get_data(as_text=True))
    assert len(by_action) == 1 and by_action[0].startswith("Suspended a user")
    by_nila = entries(moderator_client.get(f"/moderation/audit?moderator={nila.id}").get_data(as_text=True))
    assert len(by_nila) == 1 and by_nila[0].startswith("Locked a discussion · Nila")
    both = moderator_client.get(f"/moderation/audit?action=lock&moderator={moderator.id}").get_data(as_text=True)
    assert entries(both) == [] and "No entries." in both
    assert '<option selected value="lock">Locked a discussion</option>' in both
    # Nonsense filters are ignored rather than failing.
    assert len(entries(moderator_client.get("/moderation/audit?action=drop&moderator=x").get_data(as_text=True))) == 3


def test_the_log_has_no_way_to_change_or_delete_entries(app, history, moderator_client):
    page = moderator_client.get("/moderation/audit").get_data(as_text=True)
    assert "<form" not in page.split('class="audit-log"')[1].split("</ol>")[0]
    for rule in app.url_map.iter_rules():
        if "audit" in rule.rule:
            assert rule.methods - {"HEAD", "OPTIONS"} == {"GET"}, rule
    before = audit_rows(app)
    assert moderator_client.post("/moderation/audit").status_code == 405
    assert audit_rows(app) == before


def test_an_entry_outlives_the_comment_it_names(app, role, user, moderator, add_comment, moderator_client):
    comment = add_comment(role, user, "Gone soon")
    moderator_client.post(f"/moderation/comments/{comment}/delete", data={"reason": "Scam"})
    with app.app_context():
        assert db.session.get(Comment, comment) is None
    (entry,) = entries(moderator_client.get("/moderation/audit").get_data(as_text=True))
    assert f"Comment #{comment} by Asha" in entry and "Reason: Scam" in entry


def _withdraw_some(app, people):
    """Hide, hold, report and mark as answers some of the thread's replies."""
    with app.app_context():
        replies = db.session.scalars(db.select(Comment.id).where(Comment.parent_id.is_not(None))).all()
    for n, comment in enumerate(replies):
        if n % 10 == 3:
            set_comment(app, comment, hidden_at=db.func.now())
        if n % 10 == 5:
            set_comment(app, comment, held_reason="links")
        if n % 10 == 7:
            add_report(app, comment, people[n % len(people)], "spam")
            set_comment(app, comment, is_answer=True)


@pytest.mark.parametrize("path", ["/roles/cashier", "/moderation/", "/moderation/audit", "/moderation/users/{user}"])
def test_moderator_pages_cost_the_same_queries_for_5_and_500_comments(
    app, role, user, other_user, moderator, make_user, add_comment, count_queries, moderator_client, path
):
    people = [user, other_user] + [make_user(f"p{n}@example.com", f"Person {n}") for n in range(4)]
    counts = []
    for total in (5, 500):
        refill_thread(app, role, people, total, add_comment)
        _withdraw_some(app, people)
        for comment_id in range(1, 4):
            moderator_client.post(f"/moderation/comments/{comment_id}/hide")
        with count_queries() as statements:
            response = moderator_client.get(path.format(user=user.id))
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
