"""The app with two more routes, for bench/run.py to measure beside the baseline.

/bench/floor does only what every logged-in fragment with a form must: load the reader
from their session and give them a CSRF token (plus the app's response headers): the
floor under any logged-in page here. /bench/floor/session skips loading the reader: what
is left is the session cookie, the CSRF token and the app's response headers, the floor
under any page that has a form at all.
"""
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from wsgi import app


@app.get("/bench/floor")
@login_required
def floor():
    return f"{current_user.display_name} {generate_csrf()}"


@app.get("/bench/floor/session")
def session_floor():
    return generate_csrf()
