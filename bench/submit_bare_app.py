"""A bare Flask app with one POST endpoint: the baseline the submit path is measured against.

Served exactly as Guth is (deploy/gunicorn.conf.py) by bench/submit_ratio.py.
"""

from flask import Flask, redirect, request

app = Flask(__name__)


@app.post("/submit")
def submit():  # type: ignore[no-untyped-def]
    """Read the form and redirect, as Guth's answer POST does; store nothing."""
    _ = request.form.get("answer")
    return redirect("/next", code=303)


@app.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    return {"status": "ok"}
