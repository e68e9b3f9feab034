"""Issue 27, items 3 to 5: the stage a commenter shows beside their name, how far the
members tracking a role got (counts only, from five members up), "Asked and answered"
(the role page, the catalogue's search, the asker told), and an interview's preparation
list. What a reader sees and what the database holds, in English and in Bengali."""
import io
import json
import zipfile
from datetime import timedelta

import sqlalchemy as sa

from tracker.applications import stages, tracking
from tracker.applications.road import road_counts
from tracker.catalogue import road
from tracker.extensions import db
from tracker.models import Application, Comment, Notification, PreparedSkill, User, utcnow

from .applications_support import CCO, text_of, track
from .conftest import PASSWORD, get_role_id, mails_to
from .discussion_support import Page, add_comment, load_comment, post, role  # noqa: F401


def members_on_the_road(app, make_user, role, moves_each: list[tuple], first: int = 0) -> list:
    """One member per entry of `moves_each`, each tracking `role` with those moves."""
    people = []
    for number, moves in enumerate(moves_each, start=first):
        person = make_user(f"road{number}@example.com", f"Member {number}")
        track(app, person, slug=role.slug, organisation="", moves=moves)
        people.append(person)
    return people


# Item 3: the stage badge.


def test_the_road_the_other_areas_know_is_the_trackers_pipeline():
    assert road.STAGES == stages.PIPELINE



def test_a_comment_shows_the_stage_only_when_its_author_ticks_it(app, role, user, user_client, client):
    track(app, user, slug=role.slug, organisation="", moves=("applied", "interviewing"))
    form = user_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert 'name="show_stage"' in form and "checked" not in form[form.index('name="show_stage"') - 80:form.index('name="show_stage"') + 80]
    post(user_client, role, "No badge, please.")
    post(user_client, role, "I am interviewing next week.", show_stage="y")
    with app.app_context():
        stages = dict(db.session.execute(sa.select(Comment.body_source, Comment.shown_stage)).all())
    assert stages == {"No badge, please.": None, "I am interviewing next week.": "interviewing"}
    page = client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert page.count('<span class="badge badge-stage">on this road: interview</span>') == 1
    client.set_cookie("lang", "bn")
    assert "এই পথে: ইন্টারভিউ" in client.get(f"/roles/{role.slug}").get_data(as_text=True)


def test_the_badge_keeps_the_stage_of_the_day_it_was_posted(app, role, user, user_client, client):
    application = track(app, user, slug=role.slug, organisation="", moves=("applied",))
    post(user_client, role, "Applied today.", show_stage="y")
    with app.test_request_context():
        tracking.change_status(db.session.get(Application, application), "interviewing", user.id)
        db.session.commit()
    page = client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert "on this road: applied" in page and "on this road: interview" not in page


def test_ticking_shows_nothing_without_the_role_in_the_tracker(app, role, user, user_client, client):
    track(app, user, slug=role.slug, organisation="", moves=("rejected",))  # a closed stage is no badge
    post(user_client, role, "Just reading.", show_stage="y")
    with app.app_context():
        assert db.session.scalar(sa.select(Comment.shown_stage)) is None
    assert "badge-stage" not in client.get(f"/roles/{role.slug}").get_data(as_text=True)


def test_a_reply_may_show_the_stage_too(app, role, user, other_user, user_client, add_comment):
    question = add_comment(role, other_user, "Anyone hired?")
    track(app, user, slug=role.slug, organisation="", moves=("applied", "interviewing", "offer", "hired"))
    form = user_client.htmx("GET", f"/comments/{question}/reply").get_data(as_text=True)
    assert f'id="reply-{question}-show-stage"' in form
    post(user_client, role, "Me, last month.", parent=question, htmx=True, show_stage="y")
    with app.app_context():
        assert db.session.scalar(sa.select(Comment.shown_stage).where(Comment.parent_id == question)) == "hired"


def test_the_export_holds_the_badges_and_deleting_the_account_removes_them(app, role, user, user_client, client):
    track(app, user, slug=role.slug, organisation="", moves=("applied",))
    post(user_client, role, "Applied, waiting.", show_stage="y")
    archive = zipfile.ZipFile(io.BytesIO(user_client.get("/auth/account/export.zip").data))
    [comment] = json.loads(archive.read("comments.json"))
    assert comment["shown_stage"] == "applied"
    assert "shown_stage" in archive.read("comments.csv").decode("utf-8-sig").splitlines()[0]
    assert "on this road: applied" in client.get(f"/roles/{role.slug}").get_data(as_text=True)
    user_client.post("/auth/account/delete", data={"password": PASSWORD, "understood": "y"})
    with app.app_context():
        assert db.session.scalars(sa.select(Comment.shown_stage)).all() == [None]
    page = client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert "deleted account" in page and "badge-stage" not in page


# Item 3: the road's counts.


def test_the_counts_show_from_five_members_not_four(app, role, make_user, client):
    moves = [(), ("applied",), ("applied", "interviewing"), ("applied", "rejected")]
    members_on_the_road(app, make_user, role, moves)
    page = client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert "People on the same road" not in page and "road-counts" not in page
    fifth = make_user("fifth@example.com", "Fifth")
    track(app, fifth, slug=role.slug, organisation="", moves=("applied", "interviewing", "offer", "hired"))
    # The visitor's page was kept whole: a new application must draw it again.
    text = text_of(client.get(f"/roles/{role.slug}").get_data(as_text=True))
    assert "People on the same road 5 members track this role. How far they got:" in text
    # How far each got: the rejected one had applied first.
    assert "saved 1 applied 2 interview 1 offer 0 hired 1" in text


def test_the_counts_follow_each_move_and_a_second_application_counts_one_member(app, role, make_user, user, client):
    people = members_on_the_road(app, make_user, role, [()] * 5)
    assert "saved 5 applied 0" in text_of(client.get(f"/roles/{role.slug}").get_data(as_text=True))
    with app.test_request_context():
        application = db.session.scalar(sa.select(Application).where(Application.user_id == people[0].id))
        tracking.change_status(application, "applied", people[0].id)
        db.session.commit()
    track(app, make_user("same@example.com", "Same"), slug=role.slug, organisation="", moves=())
    track(app, people[1], slug=role.slug, organisation="Other", moves=("applied",))
    text = text_of(client.get(f"/roles/{role.slug}").get_data(as_text=True))
    assert "6 members track this role" in text and "saved 4 applied 2" in text


def test_the_counts_are_in_bengali_digits_on_a_bengali_page(app, role, make_user, undecided_client):
    members_on_the_road(app, make_user, role, [("applied",)] * 5)
    text = text_of(undecided_client.get(f"/roles/{role.slug}").get_data(as_text=True))
    assert "একই পথের মানুষ ৫ জন সদস্য এই পদটি ট্র্যাক করছেন।" in text
    assert "আবেদন করেছি ৫" in text and "5" not in text[text.index("একই পথের মানুষ"):text.index("আবেদন করেছি ৫")]


def test_the_counts_are_one_query_however_many_members(app, role, make_user, count_queries):
    counts = []
    for first, total in ((0, 5), (5, 25)):
        members_on_the_road(app, make_user, role, [("applied",)] * (total - first), first=first)
        with app.app_context(), count_queries() as statements:
            found = road_counts(role.id)
        counts.append(len(statements))
        assert found.members == total
    assert counts == [1, 1]


def test_deleting_an_account_takes_the_member_out_of_the_counts(app, role, make_user, user, user_client, client):
    members_on_the_road(app, make_user, role, [("applied",)] * 4)
    track(app, user, slug=role.slug, organisation="", moves=())
    assert "5 members track this role" in client.get(f"/roles/{role.slug}").get_data(as_text=True)
    user_client.post("/auth/account/delete", data={"password": PASSWORD, "understood": "y"})
    assert "People on the same road" not in client.get(f"/roles/{role.slug}").get_data(as_text=True)


# Item 4: answers kept.


def _answered_thread(role, user, other_user, moderator, add_comment, moderator_client):
    question = add_comment(role, user, "Is there a night shift?")
    answer = add_comment(role, other_user, "Yes: ten to six, paid extra.", parent=question)
    moderator_client.post(f"/moderation/comments/{answer}/answer")
    return question, answer


def test_a_marked_answer_joins_asked_and_answered_and_leaves_it_when_unmarked(
    app, role, user, other_user, moderator, add_comment, moderator_client, client
):
    add_comment(role, user, "Unanswered: what shoes?")
    assert "Asked and answered" not in client.get(f"/roles/{role.slug}").get_data(as_text=True)
    question, answer = _answered_thread(role, user, other_user, moderator, add_comment, moderator_client)
    page = client.get(f"/roles/{role.slug}").get_data(as_text=True)
    section = page[page.index('id="answered-heading"'):page.index('id="comments"')]
    assert "<summary>Is there a night shift?</summary>" in section
    assert "<p>Yes: ten to six, paid extra.</p>" in section
    assert f'href="/comments/{question}"' in section and "what shoes" not in section
    client.set_cookie("lang", "bn")
    assert "প্রশ্ন ও উত্তর" in client.get(f"/roles/{role.slug}").get_data(as_text=True)
    client.set_cookie("lang", "en")
    moderator_client.post(f"/moderation/comments/{answer}/not-answer")
    assert "Asked and answered" not in client.get(f"/roles/{role.slug}").get_data(as_text=True)


def test_a_hidden_answer_is_not_kept(app, role, user, other_user, moderator, add_comment, moderator_client, client):
    question, answer = _answered_thread(role, user, other_user, moderator, add_comment, moderator_client)
    moderator_client.post(f"/moderation/comments/{answer}/hide", data={"reason": ""})
    assert "Asked and answered" not in client.get(f"/roles/{role.slug}").get_data(as_text=True)


def test_the_catalogue_finds_words_of_answered_questions_only(
    seeded, user, other_user, moderator, add_comment, moderator_client, client
):
    cco = Page(get_role_id(seeded, CCO), CCO, "")
    add_comment(cco, user, "Do they ask for typing speed?")  # never answered
    question = add_comment(cco, user, "Is there a Nightshift?")
    answer = add_comment(cco, other_user, "Yes, with a Rickshaw allowance.", parent=question)
    found = f'href="/roles/{CCO}"'  # its card in the results
    assert found not in client.get("/?q=nightshift").get_data(as_text=True)
    moderator_client.post(f"/moderation/comments/{answer}/answer")
    for words in ("nightshift", "rickshaw allowance"):
        assert found in client.get(f"/?q={words}").get_data(as_text=True), words
    assert found not in client.get("/?q=typing").get_data(as_text=True)


def test_the_asker_is_told_once_and_mailed_when_they_asked_for_it(
    app, role, user, other_user, moderator, add_comment, moderator_client, user_client
):
    with app.app_context():
        db.session.get(User, user.id).email_answers = True
        db.session.commit()
    question, answer = _answered_thread(role, user, other_user, moderator, add_comment, moderator_client)
    moderator_client.post(f"/moderation/comments/{answer}/not-answer")
    moderator_client.post(f"/moderation/comments/{answer}/answer")
    with app.app_context():
        kinds = db.session.scalars(sa.select(Notification.kind).where(Notification.user_id == user.id)).all()
    assert kinds.count("answered") == 1
    page = user_client.get("/notifications").get_data(as_text=True)
    assert 'Your question on <span lang="bn">ক্যাশিয়ার</span> has an answer' in page and "Read the answer" in page
    [mail] = [mail for mail in mails_to(app, user.email) if "has an answer" in mail.subject]
    assert "Yes: ten to six, paid extra." in mail.body and f"/comments/{answer}" in mail.body
    assert mail.unsubscribe_url


def test_no_one_is_told_of_answering_their_own_question_nor_mailed_unasked(
    app, role, user, other_user, moderator, add_comment, moderator_client
):
    own = add_comment(role, user, "Where is the office?")
    found = add_comment(role, user, "Found it: Gulshan.", parent=own)
    moderator_client.post(f"/moderation/comments/{found}/answer")
    question = add_comment(role, other_user, "What pay?")
    answer = add_comment(role, user, "Fifteen thousand.", parent=question)
    moderator_client.post(f"/moderation/comments/{answer}/answer")
    with app.app_context():
        told = db.session.execute(sa.select(Notification.user_id, Notification.kind).where(Notification.kind == "answered")).all()
    assert told == [(other_user.id, "answered")]
    assert not [mail for mail in mails_to(app, other_user.email) if "has an answer" in mail.subject]


# Item 5: ready for the interview.


def _interviewing(app, person, organisation="Grameenphone") -> int:
    return track(app, person, organisation=organisation, moves=("applied", "interviewing"))


def test_an_application_at_the_interview_stage_shows_what_to_prepare(
    seeded, user, other_user, moderator, add_comment, moderator_client, user_client
):
    earlier = track(seeded, user, organisation="Robi", moves=("applied", "interviewing"))
    with seeded.test_request_context():
        application = db.session.get(Application, earlier)
        tracking.add_interview(application, utcnow() - timedelta(days=30), "in_person", "They asked about angry callers.")
        tracking.change_status(application, "rejected", user.id)
        db.session.commit()
    cco = Page(get_role_id(seeded, CCO), CCO, "")
    question, answer = _answered_thread(cco, other_user, user, moderator, add_comment, moderator_client)
    saved = track(seeded, user, moves=())
    assert "Ready for the interview" not in user_client.get(f"/tracker/{saved}").get_data(as_text=True)
    application = _interviewing(seeded, user, organisation="Banglalink")
    page = user_client.get(f"/tracker/{application}").get_data(as_text=True)
    section = page[page.index('id="preparation"'):page.index('id="details-heading"')]
    assert section.count('type="checkbox" name="skills"') == 6 and "ধৈর্য" in section
    assert "0 of 6 prepared" in section
    assert "<summary>Is there a night shift?</summary>" in section
    assert "They asked about angry callers." in section and "Robi" in section
    user_client.set_cookie("lang", "bn")
    bengali = user_client.get(f"/tracker/{application}").get_data(as_text=True)
    assert "ইন্টারভিউয়ের প্রস্তুতি" in bengali and "৬টির মধ্যে ০টির প্রস্তুতি হয়েছে" in bengali


def test_ticked_skills_are_kept_with_and_without_htmx(seeded, user, user_client):
    application = _interviewing(seeded, user)
    response = user_client.post(f"/tracker/{application}/preparation", data={"skills": ["ধৈর্য", "not in the guide"]})
    assert response.status_code == 303 and response.headers["Location"] == f"/tracker/{application}#preparation"
    with seeded.app_context():
        assert db.session.scalars(sa.select(PreparedSkill.skill)).all() == ["ধৈর্য"]
    fragment = user_client.htmx(
        "POST", f"/tracker/{application}/preparation", data={"skills": ["যোগাযোগের দক্ষতা", "সমস্যা সমাধানের দক্ষতা"]}
    )
    html = fragment.get_data(as_text=True)
    assert '<section id="preparation"' in html and "<html" not in html
    assert "2 of 6 prepared" in html and "Your preparation is saved." in fragment.headers["HX-Trigger-After-Settle"]
    with seeded.app_context():
        assert sorted(db.session.scalars(sa.select(PreparedSkill.skill))) == ["যোগাযোগের দক্ষতা", "সমস্যা সমাধানের দক্ষতা"]
    archive = zipfile.ZipFile(io.BytesIO(user_client.get("/auth/account/export.zip").data))
    [tracked] = json.loads(archive.read("applications.json"))
    assert sorted(tracked["prepared_skills"]) == ["যোগাযোগের দক্ষতা", "সমস্যা সমাধানের দক্ষতা"]


def test_another_members_preparation_is_a_404_and_one_not_at_the_interview_keeps_nothing(seeded, user, other_user, other_client, user_client):
    application = _interviewing(seeded, user)
    assert other_client.post(f"/tracker/{application}/preparation", data={"skills": ["ধৈর্য"]}).status_code == 404
    saved = track(seeded, user, organisation="Robi", moves=("applied",))
    refused = user_client.post(f"/tracker/{saved}/preparation", data={"skills": ["ধৈর্য"]}, follow_redirects=True)
    assert "This application is not at the interview stage any more." in refused.get_data(as_text=True)
    with seeded.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PreparedSkill.id))) == 0


def test_the_preparation_costs_the_same_queries_however_much_it_lists(
    seeded, user, other_user, moderator, add_comment, moderator_client, user_client, count_queries
):
    application = _interviewing(seeded, user)
    user_client.post(f"/tracker/{application}/preparation", data={"skills": ["ধৈর্য"]})
    cco = Page(get_role_id(seeded, CCO), CCO, "")
    counts = []
    for first, total in ((0, 1), (1, 8)):
        for number in range(first, total):
            earlier = track(seeded, user, organisation=f"Earlier {number}", moves=("applied", "interviewing"))
            with seeded.test_request_context():
                tracking.add_interview(db.session.get(Application, earlier), utcnow() - timedelta(days=number + 1), "phone", f"note {number}")
                db.session.commit()
            _answered_thread(cco, other_user, moderator, moderator, add_comment, moderator_client)
        with count_queries() as statements:
            page = user_client.get(f"/tracker/{application}").get_data(as_text=True)
        counts.append(len(statements))
        assert page.count('class="interview-notes"') == total and page.count("<summary>Is there a night shift?") == total
    assert counts[0] == counts[1], counts


def test_a_members_role_page_costs_the_same_queries_however_many_members_and_answers(
    app, role, make_user, user_client, other_user, moderator, add_comment, moderator_client, count_queries
):
    counts = []
    for first, total in ((0, 5), (5, 25)):
        members_on_the_road(app, make_user, role, [("applied",)] * (total - first), first=first)
        for _ in range(first, total, 5):
            _answered_thread(role, other_user, moderator, moderator, add_comment, moderator_client)
        with count_queries() as statements:
            page = user_client.get(f"/roles/{role.slug}").get_data(as_text=True)
        counts.append(len(statements))
        assert f"{total} members track this role" in page
    assert counts[0] == counts[1], counts
