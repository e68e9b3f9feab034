"""Importing a CSV: the export's own format read back whole (a round trip into a new
account), a minimal hand-made file, and a file with mistakes refused whole, each named
by line and column. A file's cost is bounded (one query for what is tracked, a cap on
its lines, imports an hour), and a long file is imported by a job whose page shows how
far it has got: by RQ with Redis, by `flask imports run`, or on a laptop after the request."""
import csv
import io
import re
import shutil
from datetime import date, datetime, timedelta

import pytest
import pytz
import sqlalchemy as sa
from redis import Redis
from rq import Queue, SimpleWorker

from tracker.applications import import_jobs
from tracker.extensions import db
from tracker.models import Application, ImportJob, utcnow

from .applications_support import CCO, application_count, text_of, track
from .conftest import get_role_id
from .test_applications_jobs import job
from .test_applications_tracker import dhaka_today
from .test_auth_passwords import redis_url  # noqa: F401 (a fixture: a redis-server of the test's own)

HEADER = "title,organisation,stage,applied date\n"


def _upload(client, text: str, name="my-applications.csv", **fields):
    data = {"file": (io.BytesIO(text.encode("utf-8")), name), **fields}
    return client.post("/tracker/import", data=data, content_type="multipart/form-data")


def _everything(app, user_id) -> list[tuple]:
    """Each application of a user as it can travel in a CSV (times to the minute)."""
    minute = lambda moment: moment.replace(second=0, microsecond=0)  # noqa: E731
    with app.app_context():
        rows = db.session.scalars(
            sa.select(Application).where(Application.user_id == user_id).order_by(Application.id)
        )
        return [
            (
                a.title, a.organisation, a.role_id, a.status, a.applied_on, a.next_step, a.next_step_on,
                a.follow_up_on, a.notes, a.link, a.district, a.source, a.pay_min, a.pay_max, a.deadline, a.attempt,
                minute(a.created_at), minute(a.last_changed_at),
                [(c.from_status, c.to_status, c.note, minute(c.changed_at)) for c in a.status_changes],
                [(i.scheduled_at, i.kind, i.outcome, i.notes) for i in a.interviews],
            )
            for a in rows
        ]


def test_export_then_import_into_a_new_account_keeps_everything(seeded, user, other_user, user_client, other_client):
    role_id = get_role_id(seeded, CCO)
    track(seeded, user, organisation="Grameenphone", moves=["applied", "interviewing"],
          applied_on=dhaka_today() - timedelta(days=3), next_step="লিখিত পরীক্ষা",
          next_step_on=dhaka_today() + timedelta(days=4), notes="=SUM(A1) মিতা আপা\nদ্বিতীয় লাইন")
    user_client.post("/tracker/add", data=job(role_id=role_id, title="Sales Executive", organisation="bKash"))
    free = int(user_client.post("/tracker/add", data=job()).headers["Location"].rsplit("/", 1)[1])
    user_client.post(f"/tracker/{free}/status", data={"status": "applied", "note": "CV (পিডিএফ) পাঠালাম"})
    day = (dhaka_today() + timedelta(days=2)).isoformat()
    user_client.post(f"/tracker/{free}/interviews",
                     data={"day": day, "at": "11:30", "kind": "video", "notes": "Zoom\nলিংক ইমেইলে"})
    user_client.post(f"/tracker/{free}/status", data={"status": "rejected", "final": "y"})
    user_client.post(f"/tracker/{free}/reopen", data={"reopen-status": "interviewing", "reopen-note": "আবার ডাকল"})
    user_client.post("/tracker/add", data=job(again="y"))
    exported = user_client.get("/tracker/export.csv").get_data().decode("utf-8")

    response = _upload(other_client, exported)
    assert response.status_code == 303
    assert "Imported 4 applications." in text_of(other_client.get(response.headers["Location"]).get_data(as_text=True))
    mine, theirs = _everything(seeded, user.id), _everything(seeded, other_user.id)
    # Interview notes travel on one line.
    expected = [row[:-1] + ([(i[0], i[1], i[2], " ".join(i[3].split())) for i in row[-1]],) for row in mine]
    assert theirs == expected


def test_an_export_made_in_bengali_imports_too(seeded, user, other_user, user_client, other_client):
    track(seeded, user, organisation="Robi", moves=["applied"])
    user_client.set_cookie("lang", "bn")
    exported = user_client.get("/tracker/export.csv").get_data().decode("utf-8")
    assert "প্রতিষ্ঠান" in exported and "আবেদন করেছি" in exported
    assert _upload(other_client, exported).status_code == 303
    assert [row[:4] for row in _everything(seeded, other_user.id)] == [row[:4] for row in _everything(seeded, user.id)]


def test_a_minimal_file_imports(seeded, user, user_client):
    response = _upload(user_client, "title,organisation,stage,applied date\n"
                                    "Sales Executive,bKash,applied,২০২৬-১১-০২\n"
                                    "কল সেন্টার এজেন্ট,Genex,Saved,\n")
    assert response.status_code == 303
    [(title, organisation, role, status, applied_on, *_rest, changes, interviews)] = _everything(seeded, user.id)[:1]
    assert (title, organisation, role, status, str(applied_on)) == ("Sales Executive", "bKash", None, "applied", "2026-11-02")
    assert [(c[0], c[1], c[2]) for c in changes] == [(None, "saved", ""), ("saved", "applied", "Imported")]
    assert application_count(seeded, user) == 2


def test_mistakes_are_named_by_line_and_column_and_nothing_is_imported(seeded, user, user_client):
    text = ("title,organisation,stage,applied date\n"
            "Sales Executive,bKash,applied,2026-11-02\n"
            ",Genex,shortlisted,yesterday\n")
    response = _upload(user_client, text)
    assert response.status_code == 200
    page = text_of(response.get_data(as_text=True))
    assert "Line 3, column “title”: the job title is empty." in page
    assert "Line 3, column “stage”: “shortlisted” is not a stage we know." in page
    assert "Line 3, column “applied date”: “yesterday” is not a date: write it day first" in page
    assert application_count(seeded, user) == 0


def test_bad_pay_link_and_role_in_the_exports_format_are_named(seeded, user, other_user, user_client, other_client):
    user_client.post("/tracker/add", data=job())
    exported = user_client.get("/tracker/export.csv").get_data().decode("utf-8")
    broken = exported.replace("12000", "twelve").replace("https://facebook.com/genex/posts/1", "facebook")
    page = text_of(_upload(other_client, broken).get_data(as_text=True))
    assert "Line 2, column “Pay from (৳ a month)”: “twelve” is not an amount of taka in digits." in page
    assert "Line 2, column “Link”: “facebook” is not a web address starting with https://." in page
    assert application_count(seeded, other_user) == 0


def test_a_file_without_a_title_column_or_not_utf8_is_refused(seeded, user, user_client):
    page = text_of(_upload(user_client, "name,age\nAsha,20\n").get_data(as_text=True))
    assert "Line 1, column “name”: no column holds the job title." in page
    data = {"file": (io.BytesIO("title\nক্যাশিয়ার\n".encode("utf-16")), "x.csv")}
    page = text_of(user_client.post("/tracker/import", data=data, content_type="multipart/form-data").get_data(as_text=True))
    assert "The file is not UTF-8 text" in page
    assert "Choose a CSV file to import." in text_of(
        user_client.post("/tracker/import", data={}, content_type="multipart/form-data").get_data(as_text=True)
    )
    assert application_count(seeded, user) == 0


def _as_a_spreadsheet_saves_it(exported: str, stamp: str) -> str:
    """The export as Excel on a bn-BD computer saves it: each cell holding only a date, or
    a date and time, rewritten day first (`stamp` for the time); a history's lines stay text."""
    def rewritten(cell: str) -> str:
        for form, written in (("%Y-%m-%d %H:%M", f"%d/%m/%Y {stamp}"), ("%Y-%m-%d", "%d/%m/%Y")):
            try:
                return datetime.strptime(cell, form).strftime(written)
            except ValueError:
                pass
        return cell

    out = io.StringIO()
    csv.writer(out).writerows([[rewritten(cell) for cell in record] for record in csv.reader(io.StringIO(exported))])
    return out.getvalue()


@pytest.mark.parametrize("stamp", ["%H:%M", "%H:%M:%S", "%I:%M %p"])
def test_an_export_saved_by_a_spreadsheet_with_day_first_dates_imports_whole(
    seeded, user, other_user, user_client, other_client, stamp,
):
    track(seeded, user, organisation="Robi", moves=["applied"], applied_on=date(2026, 12, 7),
          next_step_on=date(2027, 1, 13), follow_up_on=date(2026, 12, 21), deadline=date(2026, 12, 31))
    user_client.post("/tracker/add", data=job())
    exported = user_client.get("/tracker/export.csv").get_data().decode("utf-8-sig")
    saved = _as_a_spreadsheet_saves_it(exported, stamp)
    assert "07/12/2026" in saved and "31/12/2026" in saved and "-12-07" not in saved.split("\n")[1]
    response = _upload(other_client, saved)
    assert response.status_code == 303, text_of(response.get_data(as_text=True))
    assert _everything(seeded, other_user.id) == _everything(seeded, user.id)


def test_each_form_of_date_a_spreadsheet_writes_is_read_day_first(seeded, user, user_client):
    forms = ["2026-12-07", "07/12/2026", "7/12/2026", "07-12-2026", "07.12.2026", "7.12.2026",
             "07/12/2026 23:07", "07/12/2026 23:07:00", "07/12/2026 11:07 PM", "7/12/2026 11:07 pm",
             "০৭/১২/২০২৬", "০৭-১২-২০২৬ ২৩:০৭", "২০২৬-১২-০৭ ১১:০৭ PM", "৭/১২/২০২৬ ১১:০৭ অপরাহ্ণ",
             "7/12/2026 12:30 AM"]
    text = "title,organisation,stage,applied date,Saved at\n" + "".join(
        f"Job {n},Org {n},applied,{written},{written}\n" for n, written in enumerate(forms)
    )
    response = _upload(user_client, text)
    assert response.status_code == 303, text_of(response.get_data(as_text=True))
    with seeded.app_context():
        read = db.session.execute(sa.select(Application.title, Application.applied_on, Application.created_at)).all()
    assert {title: applied_on for title, applied_on, _saved in read} == {
        f"Job {n}": date(2026, 12, 7) for n in range(len(forms))
    }
    dhaka = lambda moment: moment.astimezone(pytz.timezone("Asia/Dhaka")).strftime("%d %H:%M:%S")  # noqa: E731
    # A date-only column drops the time; a date-time column keeps it (midnight without one).
    assert [dhaka(saved) for _title, _applied, saved in sorted(read, key=lambda row: int(row[0][4:]))] == (
        ["07 00:00:00"] * 6 + ["07 23:07:00"] * 4 + ["07 00:00:00"] + ["07 23:07:00"] * 3 + ["07 00:30:00"]
    )


def test_a_date_not_day_first_is_refused_saying_how_to_write_it_in_either_language(seeded, user, user_client):
    text = ("title,organisation,stage,applied date,Saved at\n"
            "Cashier,Agora,applied,12/31/2026,31/04/2026 10:00\n"
            "Clerk,Agora,applied,07/12/26,07/12/2026 13:07 PM\n")
    page = text_of(_upload(user_client, text).get_data(as_text=True))
    assert ("Line 2, column “applied date”: “12/31/2026” is not a date: write it day first, as 31/03/2026, "
            "or as 2026-03-31.") in page
    assert "Line 2, column “Saved at”: “31/04/2026 10:00” is not a date and time: write it day first" in page
    assert "Line 3, column “applied date”: “07/12/26” is not a date" in page
    assert "Line 3, column “Saved at”: “07/12/2026 13:07 PM” is not a date and time" in page
    user_client.set_cookie("lang", "bn")
    page = text_of(_upload(user_client, text).get_data(as_text=True))
    assert ("লাইন ২, কলাম “applied date”: “12/31/2026” কোনো তারিখ নয়: আগে দিন লিখুন, যেমন ৩১/০৩/২০২৬, "
            "অথবা ২০২৬-০৩-৩১।") in page
    assert application_count(seeded, user) == 0


def test_the_import_page_says_dates_are_read_day_first_in_either_language(seeded, user, user_client):
    page = text_of(user_client.get("/tracker/import").get_data(as_text=True))
    assert "Dates are read day first, as Bangladesh writes them: 07/12/2026 is 7 December 2026." in page
    user_client.set_cookie("lang", "bn")
    page = text_of(user_client.get("/tracker/import").get_data(as_text=True))
    assert "তারিখ আগে দিন ধরে পড়া হয়, বাংলাদেশে যেভাবে লেখা হয়: ০৭/১২/২০২৬ মানে ৭ ডিসেম্বর ২০২৬।" in page
    assert "যেসব চাকরি আগে থেকেই ট্র্যাক করছি সেগুলো বাদ দিন" in page


def test_importing_what_is_already_tracked_is_refused_whole(seeded, user, user_client):
    user_client.post("/tracker/add", data=job())
    exported = user_client.get("/tracker/export.csv").get_data().decode("utf-8")
    page = text_of(_upload(user_client, exported).get_data(as_text=True))
    assert "Line 2: “Call centre agent (night shift)” at “Genex” is already in your tracker." in page
    assert application_count(seeded, user) == 1


def test_the_skip_box_is_ticked_at_first_and_keeps_what_was_chosen(seeded, user, user_client):
    ticked = re.compile(r'<input checked[^>]*name="skip_tracked"')
    assert ticked.search(user_client.get("/tracker/import").get_data(as_text=True))
    html = _upload(user_client, HEADER + ",Agora,saved,\n").get_data(as_text=True)  # refused, the box unticked
    assert 'name="skip_tracked"' in html and not ticked.search(html)


def test_reimporting_my_export_skips_what_i_track_and_counts_it_in_either_language(seeded, user, user_client):
    user_client.post("/tracker/add", data=job())
    track(seeded, user, organisation="Robi", moves=["applied"])
    exported = user_client.get("/tracker/export.csv").get_data().decode("utf-8")
    exported += "Sales Executive,bKash,applied,07/12/2026\n"
    response = _upload(user_client, exported, skip_tracked="y")
    assert response.status_code == 303
    page = text_of(user_client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Imported 1 application. Skipped 2 jobs you already track." in page
    assert application_count(seeded, user) == 3
    user_client.set_cookie("lang", "bn")
    response = _upload(user_client, exported, skip_tracked="y")
    page = text_of(user_client.get(response.headers["Location"]).get_data(as_text=True))
    assert "০টি আবেদন আমদানি হয়েছে। আগে থেকেই ট্র্যাক করা ৩টি চাকরি বাদ দেওয়া হয়েছে।" in page
    assert application_count(seeded, user) == 3


def test_a_job_the_file_holds_twice_is_refused_even_when_skipping(seeded, user, user_client):
    page = text_of(_upload(user_client, _minimal(2) + "job 1,ORG 1,saved,\n", skip_tracked="y").get_data(as_text=True))
    assert "Line 4: “job 1” at “ORG 1” is the same job as line 3." in page
    assert application_count(seeded, user) == 0


def test_import_without_csrf_is_refused(seeded, user, user_client):
    data = {"file": (io.BytesIO(b"title\nx\n"), "x.csv")}
    response = user_client.post("/tracker/import", data=data, content_type="multipart/form-data", csrf=False)
    assert response.status_code == 400 and application_count(seeded, user) == 0


def _minimal(count: int, first: int = 0) -> str:
    return HEADER + "".join(f"Job {n},Org {n},applied,2026-11-02\n" for n in range(first, first + count))


def test_what_is_already_tracked_is_found_in_one_query_however_long_the_file(seeded, user, user_client, count_queries):
    def reads(text: str) -> int:
        with count_queries() as statements:
            assert _upload(user_client, text).status_code == 303
        return sum(statement.lstrip().upper().startswith("SELECT") for statement in statements)

    reads(_minimal(1, first=100))  # what a first request reads once
    assert reads(_minimal(3)) == reads(_minimal(60, first=3))
    assert application_count(seeded, user) == 64


def test_a_cell_longer_than_the_csv_reader_takes_is_named_in_the_form(seeded, user, user_client):
    text = HEADER + "Cashier,Agora,applied,2026-11-02\n" + f"Clerk,\"{'x' * 131_073}\",saved,\n"
    response = _upload(user_client, text)
    assert response.status_code == 200
    assert "Line 3: a cell holds more than 131072 characters, more than any column takes." in text_of(
        response.get_data(as_text=True)
    )
    assert application_count(seeded, user) == 0


def test_a_nul_byte_in_the_file_is_named_in_the_form_on_every_database(seeded, user, user_client):
    response = _upload(user_client, HEADER + "Cashier,Agora,applied,2026-11-02\nClerk,Ag\x00ora,saved,\n")
    assert response.status_code == 200
    assert "Line 3 holds a NUL character, which is not text" in text_of(response.get_data(as_text=True))
    assert application_count(seeded, user) == 0


def test_the_page_states_the_cap_on_lines_and_a_longer_file_is_refused_unread(seeded, user, user_client):
    page = text_of(user_client.get("/tracker/import").get_data(as_text=True))
    assert "A file holds at most 2,000 applications. One of more than 100 is imported in the background" in page
    seeded.config["IMPORT_MAX_ROWS"] = 5
    page = text_of(_upload(user_client, _minimal(6)).get_data(as_text=True))
    assert "The file holds more than 5 applications: split it." in page
    assert application_count(seeded, user) == 0


def test_imports_an_hour_are_limited_per_member_in_the_form(seeded, user, other_user, user_client, other_client):
    seeded.config["IMPORT_RATE_LIMIT"] = "2 per hour"
    assert _upload(user_client, _minimal(1)).status_code == 303
    assert _upload(user_client, HEADER + ",Agora,saved,\n").status_code == 200  # a try, even refused
    response = _upload(user_client, _minimal(1, first=1))
    assert response.status_code == 429
    assert "You have imported as many files as an hour allows: try again in an hour." in text_of(
        response.get_data(as_text=True)
    )
    assert application_count(seeded, user) == 1
    assert _upload(other_client, _minimal(1)).status_code == 303


def _job_url(response) -> str:
    assert response.status_code == 303
    location = response.headers["Location"]
    assert re.fullmatch(r"/tracker/import/\d+", location), location
    return location


def test_on_a_laptop_a_long_file_is_imported_by_a_job_after_the_request(seeded, user, user_client):
    seeded.config["IMPORT_JOB_ROWS"] = 3
    url = _job_url(_upload(user_client, _minimal(5)))
    assert "Imported 5 applications." in text_of(user_client.get(url).get_data(as_text=True))
    fragment = user_client.htmx("GET", url)
    assert "hx-trigger" not in fragment.get_data(as_text=True)  # it has ended: htmx asks no more
    assert "Imported 5 applications." in fragment.headers["HX-Trigger-After-Settle"]
    assert application_count(seeded, user) == 5
    with seeded.app_context():
        assert db.session.scalar(sa.select(ImportJob.text)) == ""  # the file is not kept


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")
def test_with_redis_an_rq_job_imports_a_long_file_while_its_page_asks_every_two_seconds(
    seeded, user, user_client, redis_url,  # noqa: F811
):
    seeded.config.update(IMPORT_JOB_ROWS=3, IMPORT_RQ_URL=redis_url)
    url = _job_url(_upload(user_client, _minimal(5)))
    html = user_client.get(url).get_data(as_text=True)
    assert "Your file of 5 applications is waiting its turn." in text_of(html)
    assert 'hx-trigger="every 2s"' in html and f'<a href="{url}">Refresh</a>' in html
    assert application_count(seeded, user) == 0
    queue = Queue("imports", connection=Redis.from_url(redis_url))
    assert queue.count == 1
    assert "Job 4" not in user_client.get("/tracker/").get_data(as_text=True)  # drawn and kept before the job
    with seeded.app_context():
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
    assert "Imported 5 applications." in text_of(user_client.get(url).get_data(as_text=True))
    assert "Job 4" in user_client.get("/tracker/").get_data(as_text=True)
    assert application_count(seeded, user) == 5


def test_a_long_file_imported_by_a_job_skips_what_i_track_and_counts_it_in_either_language(seeded, user, user_client):
    seeded.config["IMPORT_JOB_ROWS"] = 3
    assert _upload(user_client, _minimal(2)).status_code == 303
    url = _job_url(_upload(user_client, _minimal(5), skip_tracked="y"))
    page = text_of(user_client.get(url).get_data(as_text=True))
    assert "Imported 3 applications. Skipped 2 jobs you already track." in page
    assert "Skipped 2 jobs you already track." in user_client.htmx("GET", url).headers["HX-Trigger-After-Settle"]
    refused = _job_url(_upload(user_client, _minimal(5)))  # unticked: refused whole, as before
    page = text_of(user_client.get(refused).get_data(as_text=True))
    assert "Line 2: “Job 0” at “Org 0” is already in your tracker." in page
    assert application_count(seeded, user) == 5
    user_client.set_cookie("lang", "bn")
    page = text_of(user_client.get(url).get_data(as_text=True))
    assert "৩টি আবেদন আমদানি হয়েছে। আগে থেকেই ট্র্যাক করা ২টি চাকরি বাদ দেওয়া হয়েছে।" in page


def test_a_long_file_with_mistakes_imports_nothing_and_its_page_names_them(seeded, user, user_client):
    seeded.config["IMPORT_JOB_ROWS"] = 3
    url = _job_url(_upload(user_client, _minimal(4) + "Clerk,Agora,shortlisted,\n"))
    page = text_of(user_client.get(url).get_data(as_text=True))
    assert "Nothing was imported: the file has mistakes" in page
    assert "Line 6, column “stage”: “shortlisted” is not a stage we know." in page
    assert application_count(seeded, user) == 0


def test_anothers_import_is_not_found(seeded, user, user_client, other_client):
    seeded.config["IMPORT_JOB_ROWS"] = 3
    url = _job_url(_upload(user_client, _minimal(5)))
    assert other_client.get(url).status_code == 404
    assert other_client.htmx("GET", url).status_code == 404
    assert user_client.get(url).status_code == 200


def _kept(app, user, text: str, **state) -> int:
    with app.test_request_context():
        job_ = import_jobs.start(user.id, text, text.count("\n") - 1)
        for name, value in state.items():
            setattr(job_, name, value)
        db.session.commit()
        return job_.id


def test_the_worker_command_runs_waiting_jobs_and_those_of_a_worker_that_died(seeded, user, user_client, runner):
    waiting = _kept(seeded, user, _minimal(3))
    died = _kept(seeded, user, _minimal(2, first=3), state="running", started_at=utcnow() - timedelta(minutes=11))
    running = _kept(seeded, user, _minimal(300, first=5), state="running", started_at=utcnow(), checked=100)
    page = text_of(user_client.get(f"/tracker/import/{running}").get_data(as_text=True))
    assert "Checked 100 of 300 applications." in page
    page = text_of(user_client.get("/tracker/import").get_data(as_text=True))  # the form's page shows each
    assert "Your file of 3 applications is waiting its turn." in page and "Checked 100 of 300 applications." in page
    result = runner.invoke(args=["imports", "run"])
    assert result.exit_code == 0, result.output
    assert result.output == "ran 2 imports\n"
    assert application_count(seeded, user) == 5
    for job_id, state in ((waiting, "done"), (died, "done"), (running, "running")):
        with seeded.app_context():
            assert db.session.get(ImportJob, job_id).state == state


def test_deleting_the_account_deletes_the_files_it_has_not_imported_yet(seeded, user, user_client):
    _kept(seeded, user, _minimal(3))
    response = user_client.post("/auth/account/delete", data={"password": user.password, "understood": "y"})
    assert response.status_code == 303
    with seeded.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportJob)) == 0
