"""No input makes a 5xx: the requests that once did, then every route in the URL map
walked with hostile values, as a visitor, a member and a moderator."""
import pytest

HUGE = "99999999999999999999"
SPLIT_HEADER = "/roles\r\nSet-Cookie: x=1"


@pytest.mark.parametrize("path", ["/", "/tracker/"])
def test_a_page_number_too_large_for_the_database_shows_a_page(seeded, user_client, path):
    response = user_client.get(f"{path}?page={HUGE}")
    assert response.status_code in (200, 302)


def test_a_next_with_a_line_break_is_ignored_on_login(client, user):
    response = client.post("/auth/login", data={"email": user.email, "password": user.password, "next": SPLIT_HEADER})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("logged_in", [False, True])
def test_a_next_with_a_line_break_is_ignored_on_the_language_switch(app, user, logged_in):
    client = app.test_client()
    if logged_in:
        client.login(user.email)
    response = client.post("/auth/language", data={"language": "bn", "next": SPLIT_HEADER})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_a_next_with_a_line_break_is_ignored_when_saving_a_role(seeded, user_client):
    from .conftest import get_role_id

    role_id = get_role_id(seeded, "bpo-job")
    response = user_client.post("/tracker/new", data={"role_id": role_id, "next": SPLIT_HEADER})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/tracker/")


def test_htmx_asking_the_save_page_gets_the_save_button_with_no_error(seeded, user_client):
    response = user_client.htmx("GET", "/tracker/new")
    assert response.status_code == 200


def test_saving_a_role_whose_id_is_too_large_for_the_database_is_refused(seeded, user_client):
    response = user_client.post("/tracker/new", data={"role_id": HUGE})
    assert response.status_code == 200 and "Choose a role from the catalogue." in response.get_data(as_text=True)


def test_an_id_too_large_for_the_database_is_not_found(user_client):
    assert user_client.get(f"/tracker/{HUGE}").status_code == 404


@pytest.mark.parametrize(
    "language, words",
    [
        # A text or a file (the tracker's import): both are named, with the size allowed.
        ("en", ["That was too large to send.",
                "Nothing was saved. Go back, shorten the text or choose a smaller file (up to 1 MB), and send it again."]),
        ("bn", ["পাঠানোর জন্য এটি অনেক বড়।",
                "কিছুই সংরক্ষিত হয়নি। ফিরে গিয়ে লেখা ছোট করুন বা আরও ছোট ফাইল বেছে নিন (১ MB পর্যন্ত), তারপর আবার পাঠান।"]),
    ],
)
def test_a_body_over_the_limit_is_refused_unread_with_a_page_that_says_why(app, client, language, words):
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    client.set_cookie("lang", language)
    response = client.post(
        "/auth/login", data=b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1), content_type="application/octet-stream",
        csrf=False,
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    for sentence in words:
        assert sentence in page


def test_htmx_has_words_for_a_body_over_the_limit(user_client):
    page = user_client.get("/tracker/").get_data(as_text=True)
    assert 'data-too-large="That did not go through: it was too large to send.' in page


# The walk: every route, as each kind of reader, with a few hostile values of each kind.
# Values are written percent-encoded, as a browser or a script would send them, so that
# bytes no text holds (a lone surrogate, %ED%A0%80) reach the app too.
HOSTILE_VALUES = {
    "a huge number": HUGE,
    "a negative fraction": "-1.5e308",
    "control characters": "%00%01%09%0D%0A%1B%7F%C2%85",
    "an unpaired surrogate": "%ED%A0%80",
    "text where a number goes": "abc%20%E0%A6%95",
}
LONG = "x" * 100_000
HOSTILE_SLUGS = ("%ED%A0%80", "%00%0D%0A", LONG[:4000])
# Names the views read from the URL, beside every form's fields.
QUERY_NAMES = ["page", "q", "order", "after", "upto", "sort", "status", "role_id", "next", "category",
               "career_type", "level", "back", "action", "moderator"]
HOSTILE_HEADERS = {
    "HX-Request": "true",
    "HX-Current-URL": "http://localhost/%ED%A0%80\x00\x1b",
    "HX-Target": LONG,
    "HX-History-Restore-Request": "\x00",
    "Accept-Language": f"\x00;q=abc, bn;q={HUGE}, en-US;q=-1",
    "Referer": "javascript:alert(1)",
    "X-Forwarded-For": "999.999.999.999",
}
# Routes that end what the later ones need (a session, an application, a comment) go last.
LAST = ("delete", "reject", "logout")


def _form_field_names() -> list[str]:
    from flask_wtf import FlaskForm
    from wtforms.fields.core import UnboundField

    from tracker.applications import forms as application_forms
    from tracker.auth import forms as auth_forms
    from tracker.discussion import forms as discussion_forms
    from tracker.moderation import forms as moderation_forms

    names = set()
    for module in (auth_forms, application_forms, discussion_forms, moderation_forms):
        for form_class in vars(module).values():
            if isinstance(form_class, type) and issubclass(form_class, FlaskForm):
                names.update(name for name in dir(form_class) if isinstance(getattr(form_class, name), UnboundField))
    return sorted(names)


def _row_counts(app) -> dict[str, int]:
    import sqlalchemy as sa

    from tracker.extensions import db

    with app.app_context():
        tables = db.metadata.sorted_tables
        counts = db.session.execute(
            sa.select(*(sa.select(sa.func.count()).select_from(table).scalar_subquery().label(table.name) for table in tables))
        ).one()
        db.session.remove()
        return dict(counts._mapping)


def _encoded(pairs) -> str:
    return "&".join(f"{name}={value}" for name, value in pairs)


def _hostile_bodies(names) -> dict[str, str]:
    """Form bodies, each trying one kind of hostile value in every field."""
    bodies = {kind: _encoded((name, value) for name in names) for kind, value in HOSTILE_VALUES.items()}
    bodies["two values where one goes"] = _encoded(pair for name in names for pair in ((name, "1"), (name, "abc")))
    # 100 KB in each field, a few fields a time, to stay under MAX_CONTENT_LENGTH.
    for start in range(0, len(names), 8):
        bodies[f"100 KB in {names[start]}..."] = _encoded((name, LONG) for name in names[start:start + 8])
    return bodies


def _hostile_queries() -> dict[str, str]:
    queries = {kind: _encoded((name, value) for name in QUERY_NAMES) for kind, value in HOSTILE_VALUES.items()}
    queries["two values where one goes"] = _encoded(pair for name in QUERY_NAMES for pair in ((name, "1"), (name, "abc")))
    queries["100 KB"] = _encoded((name, LONG) for name in ("q", "next", "page", "status"))
    return queries


def _url(app, rule, ids, slug=None) -> str:
    """The rule's URL for the walker's own rows; with `slug` (written as sent) where it takes one."""
    from flask import url_for

    with app.test_request_context():
        url = url_for(rule.endpoint, **{name: ids[name] for name in rule.arguments} | ({"slug": "SLUG"} if slug else {}))
    return url.replace("SLUG", slug) if slug else url


def _requests(app, client, rule, ids, bodies, queries):
    """(method, url, body, headers, what is hostile) for one route."""
    path = _url(app, rule, ids)
    requests = []
    if "GET" in rule.methods:
        requests += [("GET", f"{path}?{query}", None, {}, kind) for kind, query in queries.items()]
        requests.append(("GET", path, None, HOSTILE_HEADERS, "hostile headers"))
        if "slug" in rule.arguments:
            requests += [("GET", _url(app, rule, ids, slug), None, {}, "a hostile slug") for slug in HOSTILE_SLUGS]
    if "POST" in rule.methods:
        # The token first: a field of the same name further on does not replace it.
        token = f"csrf_token={client.csrf_token()}"
        requests += [
            ("POST", f"{path}?{queries['an unpaired surrogate']}", f"{token}&{body}", {}, kind)
            for kind, body in bodies.items()
        ]
        requests.append(("POST", path, token, {**HOSTILE_HEADERS, "X-CSRFToken": client.csrf_token()}, "hostile headers"))
        if "slug" in rule.arguments:
            requests += [("POST", _url(app, rule, ids, slug), token, {}, "a hostile slug") for slug in HOSTILE_SLUGS]
    return requests


def _walk(app, client, ids) -> list[str]:
    """Send every hostile request to every route; return what went wrong."""
    names = _form_field_names() + [f"interview-{ids['interview_id']}-outcome"]
    bodies, queries = _hostile_bodies(names), _hostile_queries()
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]
    rules.sort(key=lambda rule: rule.endpoint.endswith(LAST))
    problems = []
    for rule in rules:
        for method, url, body, headers, kind in _requests(app, client, rule, ids, bodies, queries):
            before = _row_counts(app) if method == "POST" else None
            try:
                response = client.open(
                    url, method=method, data=body, headers=headers,
                    content_type="application/x-www-form-urlencoded" if body is not None else None,
                )
            except Exception as error:  # noqa: BLE001 (the app's exceptions reach the test client)
                problems.append(f"{method} {rule.rule} with {kind}: {type(error).__name__}: {error}"[:300])
                continue
            if response.status_code >= 500:
                problems.append(f"{method} {rule.rule} with {kind}: {response.status_code}")
            elif before is not None and response.status_code >= 400 and _row_counts(app) != before:
                problems.append(f"{method} {rule.rule} with {kind}: refused ({response.status_code}) but wrote")
    return problems


@pytest.fixture
def walker_rows(seeded, user, moderator):
    """Asha's application with an interview, her comment on a role page: what the routes name."""
    from tracker.discussion.threads import post_comment
    from tracker.extensions import db
    from tracker.models import ImportJob, Role, User, UserSession

    from .applications_support import interview_id, track

    application_id = track(seeded, user)
    with seeded.test_request_context():
        role = db.session.scalar(db.select(Role).where(Role.slug == "customer-care-officer"))
        comment = post_comment(role, db.session.get(User, user.id), "কোন কল সেন্টারে বেতন বেশি?")
        phone = UserSession(user_id=user.id, token_digest="0" * 64, description="Asha's phone")
        job = ImportJob(user_id=user.id, language="bn", text="title\nক্যাশিয়ার\n", rows=1)
        db.session.add_all([phone, job])
        db.session.commit()
        comment_id, session_id, job_id = comment.id, phone.id, job.id
    return {
        "application_id": application_id,
        "interview_id": interview_id(seeded, application_id),
        "comment_id": comment_id,
        "user_id": user.id,
        "session_id": session_id,
        "job_id": job_id,
        "slug": "customer-care-officer",
        "form": "details",
        "token": "not-a-signed-token",
    }


@pytest.mark.parametrize("reader", ["visitor", "member", "moderator"])
def test_no_route_answers_a_hostile_request_with_a_5xx_nor_writes_when_it_refuses(
    app, walker_rows, user, moderator, reader, monkeypatch
):
    from tracker.extensions import limiter

    monkeypatch.setattr(limiter, "enabled", False)  # every request reaches its view
    client = app.test_client()
    if reader != "visitor":
        client.login((user if reader == "member" else moderator).email)
    problems = _walk(app, client, walker_rows)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    "method, path, data",
    [("GET", "/?q=a%00b", None), ("GET", "/roles/a%00b", None), ("POST", "/auth/register", {"email": "a\x00@example.com"})],
)
def test_a_nul_character_which_postgresql_cannot_hold_is_refused_on_every_database(client, method, path, data):
    response = client.open(path, method=method, data=data) if data is None else client.post(path, data=data)
    assert response.status_code == 400
    assert "The request could not be understood." in response.get_data(as_text=True)
