import sqlalchemy as sa

from tracker.auth.users import find_user_by_email
from tracker.discussion.threads import delete_comment
from tracker.extensions import db
from tracker.models import Comment, Role, RoleFacet, SeededComment, User
from tracker.moderation.actions import delete_for_good


def _role_count(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Role.id)))


def test_seed_is_idempotent(app, runner):
    first = runner.invoke(args=["seed"])
    assert "added role customer-care-officer" in first.output
    second = runner.invoke(args=["seed"])
    assert second.exit_code == 0 and "updated role customer-care-officer" in second.output
    assert _role_count(app) == 2
    with app.app_context():
        facets = db.session.scalar(sa.select(sa.func.count(RoleFacet.id)))
    runner.invoke(args=["seed"])
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(RoleFacet.id))) == facets


def test_import_adds_then_updates_a_role(app, runner, tmp_path):
    role_file = tmp_path / "cashier.toml"
    role_file.write_text('slug = "cashier"\ntitle = "ক্যাশিয়ার"\nsalary_bdt = { min = 9000, max = 15000 }\n', encoding="utf-8")
    result = runner.invoke(args=["catalogue", "import", str(role_file)])
    assert result.exit_code == 0 and "added role cashier" in result.output
    role_file.write_text('slug = "cashier"\ntitle = "ক্যাশিয়ার"\nsalary_bdt = { min = 10000, max = 16000 }\n', encoding="utf-8")
    result = runner.invoke(args=["catalogue", "import", str(role_file)])
    assert "updated role cashier" in result.output
    with app.app_context():
        role = db.session.scalar(sa.select(Role).where(Role.slug == "cashier"))
        assert (role.title, role.salary_min_bdt, role.salary_max_bdt) == ("ক্যাশিয়ার", 10000, 16000)


def test_bad_role_files_name_the_problem_and_import_nothing(app, runner, tmp_path):
    good = tmp_path / "good.toml"
    good.write_text('slug = "good"\ntitle = "ভালো"\n', encoding="utf-8")
    cases = {
        'slug = "x"\ntitle = "ক"\nsalary_bdt = { min = "lots" }\n': "salary_bdt.min",
        'slug = "x"\ntitle = "ক"\nage = { min = 30, max = 20 }\n': "min (30) is larger than max (20)",
        'slug = "x"\n': "field 'title' is required",
        'slug = "x"\ntitle = "ক"\ncolour = "red"\n': "unknown field 'colour'",
        'slug = "x"\ntitle = "ক"\nlevels = "এন্ট্রি"\n': "field 'levels' must be a list",
        'slug = "x"\ntitle = "ক"\n[[sections]]\nparagraphs = ["p"]\n': "sections[1].heading is required",
        'slug = "x"\ntitle = = "ক"\n': "line 2",
    }
    for content, message in cases.items():
        bad = tmp_path / "bad.toml"
        bad.write_text(content, encoding="utf-8")
        result = runner.invoke(args=["catalogue", "import", str(good), str(bad)])
        assert result.exit_code != 0, content
        assert message in result.output, (content, result.output)
        assert "bad.toml" in result.output and "Nothing was imported." in result.output
        assert _role_count(app) == 0


def test_import_of_missing_file_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(args=["catalogue", "import", str(tmp_path / "missing.toml")])
    assert result.exit_code != 0 and "no such file" in result.output


def test_create_moderator_promotes_an_existing_user(app, runner, user):
    result = runner.invoke(args=["users", "create-moderator", user.email.upper()])
    assert result.exit_code == 0 and f"promoted moderator {user.email}" in result.output
    with app.app_context():
        assert db.session.get(User, user.id).is_moderator


def test_create_moderator_creates_an_account_that_can_log_in(app, runner, client):
    result = runner.invoke(args=["users", "create-moderator", "mita@example.com", "--name", "Mita"], input="long-password\nlong-password\n")
    assert result.exit_code == 0 and "created moderator mita@example.com" in result.output
    response = client.post("/auth/login", data={"email": "mita@example.com", "password": "long-password"})
    assert response.status_code == 303
    assert "badge-moderator" in client.get("/").get_data(as_text=True)


def test_create_moderator_refuses_a_short_password(app, runner):
    result = runner.invoke(args=["users", "create-moderator", "m@example.com", "--password", "short"])
    assert result.exit_code != 0 and "at least 8 characters" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_create_moderator_refuses_while_another_account_holds_a_look_alike_of_the_name(app, runner, make_user):
    mita = make_user(email="mita@example.com", display_name="Mita Rahman")
    copy = make_user(email="copy@example.com", display_name="M\u0131ta Rahrnan\ufe0f")  # dotless i, rn, a selector
    result = runner.invoke(args=["users", "create-moderator", mita.email])
    assert result.exit_code != 0
    assert f"account {copy.id} ('{copy.display_name}')" in result.output and "'Mita Rahman'" in result.output
    with app.app_context():
        assert not db.session.get(User, mita.id).is_moderator
        db.session.get(User, copy.id).display_name = "Rumana"
        db.session.commit()
    assert runner.invoke(args=["users", "create-moderator", mita.email]).exit_code == 0


def test_create_moderator_makes_no_account_whose_name_another_account_holds(app, runner, user):
    result = runner.invoke(args=["users", "create-moderator", "new@example.com", "--name", "ASHA", "--password", "long-password"])
    assert result.exit_code != 0 and f"account {user.id} ('Asha')" in result.output
    with app.app_context():
        assert find_user_by_email("new@example.com") is None


def test_revoke_and_list_moderators(app, runner, moderator, user):
    assert moderator.email in runner.invoke(args=["users", "list-moderators"]).output
    result = runner.invoke(args=["users", "revoke-moderator", moderator.email])
    assert result.exit_code == 0
    assert "There are no moderators yet." in runner.invoke(args=["users", "list-moderators"]).output
    assert runner.invoke(args=["users", "revoke-moderator", "ghost@example.com"]).exit_code != 0


def _seed_comment_bodies(app) -> list[str]:
    with app.app_context():
        return db.session.scalars(
            sa.select(Comment.body_source).join(Comment.author).where(User.email.endswith("@seed.invalid")).order_by(Comment.id)
        ).all()


def test_seeding_again_never_brings_back_a_seeded_comment_that_was_deleted(app, runner):
    assert runner.invoke(args=["seed"]).exit_code == 0
    bodies = _seed_comment_bodies(app)
    assert len(bodies) == 3
    with app.app_context():
        first, reply = db.session.scalars(
            sa.select(Comment).where(Comment.body_source.in_([bodies[0], bodies[2]])).order_by(Comment.id)
        ).all()
        moderator = db.session.scalar(sa.select(User).where(User.is_moderator))
        delete_comment(first)  # by its author
        delete_for_good(reply, moderator, "spam")  # by a moderator
        db.session.commit()
    assert _seed_comment_bodies(app) == [bodies[1]]
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0 and "added 0 comments on customer-care-officer" in result.output
    assert _seed_comment_bodies(app) == [bodies[1]]


def test_a_thread_seeded_before_keys_were_kept_is_not_seeded_twice(app, runner):
    runner.invoke(args=["seed"])
    with app.app_context():
        db.session.execute(sa.delete(SeededComment))
        db.session.commit()
    result = runner.invoke(args=["seed"])
    assert "added 0 comments on customer-care-officer" in result.output
    assert len(_seed_comment_bodies(app)) == 3
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(SeededComment.id))) == 3
