"""After each htmx action the page says what happened in its one live region and the
focus goes where the reader carries on (js/after-swap.js, from the HX-Trigger-After-Settle
header that tracker/htmx.py after_swap writes); lists are not live regions."""
import json
import re

import pytest

from .applications_support import CCO, application, track  # noqa: F401
from .conftest import get_role_id
from .discussion_support import add_comment, post, role  # noqa: F401
from .moderation_support import age_account


def after_swap(response) -> dict:
    assert response.status_code == 200
    return json.loads(response.headers["HX-Trigger-After-Settle"])["after-swap"]


def live_regions(html: str) -> list[str]:
    return re.findall(r'<[^>]+(?:aria-live="[^"]+"|role="status"|role="log")[^>]*>', html)


@pytest.mark.parametrize("url", ["/", "/roles/customer-care-officer", "/tracker/", "/tracker/board", "/notifications"])
def test_each_page_has_one_polite_live_region_and_no_list_is_one(seeded, user_client, application, url):
    html = user_client.get(url).get_data(as_text=True)
    assert live_regions(html) == ['<div id="announcements" class="visually-hidden" role="status" aria-atomic="true">']


def test_a_search_says_how_many_roles_it_found(seeded, client):
    said = after_swap(client.htmx("get", "/?q=BPO"))
    assert said == {"say": "1 role", "focus": ""}  # the focus stays in the search box


def test_a_typed_job_title_says_how_many_catalogue_roles_match_and_leaves_the_focus(seeded, user_client):
    said = after_swap(user_client.htmx("get", "/tracker/add?title=customer+care"))
    assert said == {"say": "1 catalogue role matches", "focus": ""}  # the focus stays in the title
    assert after_swap(user_client.htmx("get", "/tracker/add?title=zzzz")) == {"say": "", "focus": ""}


def test_saving_a_role_says_so_and_focuses_the_confirmation(seeded, user_client):
    role_id = get_role_id(seeded, CCO)
    response = user_client.htmx("post", "/tracker/new", data={"role_id": role_id})
    assert after_swap(response) == {"say": "Saved to your tracker.", "focus": f"#save-role-{role_id}"}
    assert f'id="save-role-{role_id}"' in response.get_data(as_text=True)


def test_a_board_move_says_where_and_focuses_the_moved_card(seeded, user_client, application):
    response = user_client.htmx("post", f"/tracker/board/{application}/move", data={"status": "applied"})
    assert after_swap(response) == {"say": "Moved to “Applied”.", "focus": f"#card-{application} a"}


def test_a_final_move_says_its_question_once_and_focuses_its_answer(seeded, user_client, application):
    """Said in the live region alone: the question is no alert, which a screen reader
    would read as well (issue 26, item 20: it was said twice)."""
    response = user_client.htmx("post", f"/tracker/board/{application}/move", data={"status": "withdrawn"})
    said = after_swap(response)
    assert said == {"say": "“Withdrawn” closes this application. Close it?", "focus": f"#close-{application}-yes"}
    html = response.get_data(as_text=True)
    assert f'id="close-{application}-yes"' in html and 'role="alert"' not in html


def test_a_refused_board_move_is_said_by_its_alert_alone(seeded, user_client, application):
    response = user_client.htmx("post", f"/tracker/board/{application}/move", data={"status": "hired"})
    assert after_swap(response) == {"say": "", "focus": f"#move-{application}"}
    assert 'role="alert"' in response.get_data(as_text=True)



def test_a_reply_says_it_is_posted_and_focuses_the_new_reply(app, role, user, other_user, user_client, add_comment):
    age_account(app, user)
    question = add_comment(role, other_user, "Is there a night shift?")
    response = post(user_client, role, "Yes, twice a week", parent=question, htmx=True)
    said = after_swap(response)
    assert said["say"] == "Your reply is posted."
    new_id = re.match(r"#card-(\d+)$", said["focus"]).group(1)
    assert f'id="card-{new_id}"' in response.get_data(as_text=True)


def test_a_held_comment_says_it_waits_for_a_moderator(app, role, user_client):
    said = after_swap(post(user_client, role, "See http://a.example and http://b.example", htmx=True))  # two links are held
    assert said["say"] == "Posted, and held until a moderator has looked at it: until then only you see it."


def test_a_form_sent_back_with_its_messages_leaves_the_focus_to_the_first_field_in_error(app, role, user_client):
    response = post(user_client, role, "", htmx=True)
    assert "HX-Trigger-After-Settle" not in response.headers  # js/after-swap.js finds the field
    html = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in html and 'role="alert"' in html


def test_an_edit_says_it_is_saved_and_focuses_the_comment(app, role, user, user_client, add_comment):
    comment = add_comment(role, user, "First words")
    response = user_client.htmx("post", f"/comments/{comment}/edit", data={"body": "Better words"})
    assert after_swap(response) == {"say": "Your comment is saved.", "focus": f"#card-{comment}"}


def test_a_report_says_thank_you_and_focuses_the_comment(app, role, user, other_user, user_client, add_comment):
    comment = add_comment(role, other_user, "Buy followers here")
    response = user_client.htmx("post", f"/moderation/comments/{comment}/report", data={"reason": "spam"})
    said = after_swap(response)
    assert said["focus"] == f"#card-{comment}" and said["say"].startswith("Thank you for reporting this comment.")
