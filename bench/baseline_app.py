"""The baseline: a bare Flask route returning a small string, served exactly like the app."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    """Return a few bytes: the stack's own ceiling on this machine."""
    return "hello"
