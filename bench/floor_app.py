"""The app with one more route, doing only what every logged-in fragment with a form
must: load the reader from their session and give them a CSRF token (plus the app's
response headers). bench/run.py measures it beside the baseline as the floor under any
logged-in page here."""
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from wsgi import app


@app.get("/bench/floor")
@login_required
def floor():
    return f"{current_user.display_name} {generate_csrf()}"
