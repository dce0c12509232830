"""The session cookie, verified once per process: a changed, forged or expired cookie is still refused."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, session

from consult.sessions import VerifiedCookieSessionInterface


def _app(secret: str = "k" * 40) -> Flask:
    app = Flask(__name__)
    app.secret_key = secret
    app.session_interface = VerifiedCookieSessionInterface()

    @app.get("/set")
    def set_():  # type: ignore[no-untyped-def]
        session["respond"] = {"rid": 7, "answers": [1]}
        return "ok"

    @app.get("/read")
    def read():  # type: ignore[no-untyped-def]
        mine = session.get("respond")
        if mine:
            mine["answers"].append(2)  # a view changing what it read in place
        return {"respond": session.get("respond")}

    return app


def _cookie(client) -> str:  # type: ignore[no-untyped-def]
    return client.get_cookie("session").value


def test_the_same_cookie_reads_the_same_session_every_time() -> None:
    app = _app()
    client = app.test_client()
    client.get("/set")
    for _ in range(3):  # a change made in place by one request is not seen by the next
        assert client.get("/read").json == {"respond": {"rid": 7, "answers": [1, 2]}}


def test_a_changed_cookie_is_refused_even_after_the_real_one_was_read() -> None:
    app = _app()
    client = app.test_client()
    client.get("/set")
    real = _cookie(client)
    assert client.get("/read").json["respond"]["rid"] == 7
    payload, rest = real.split(".", 1)
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + rest
    client.set_cookie("session", forged)
    assert client.get("/read").json == {"respond": None}
    other = _app("another-secret-" + "x" * 30).test_client()  # signed with another key
    other.get("/set")
    client.set_cookie("session", _cookie(other))
    assert client.get("/read").json == {"respond": None}


def test_an_expired_cookie_is_refused_even_when_it_was_read_before() -> None:
    app = _app()
    client = app.test_client()
    client.get("/set")
    assert client.get("/read").json["respond"]["rid"] == 7
    app.permanent_session_lifetime = timedelta(seconds=-1)  # every cookie is now older than its lifetime
    assert client.get("/read").json == {"respond": None}


def test_a_new_secret_key_refuses_cookies_read_under_the_old_one_unless_it_is_a_fallback() -> None:
    app = _app("old-secret-" + "x" * 30)
    client = app.test_client()
    client.get("/set")
    assert client.get("/read").json["respond"]["rid"] == 7
    app.secret_key = "new-secret-" + "y" * 30
    assert client.get("/read").json == {"respond": None}
    app.config["SECRET_KEY_FALLBACKS"] = ["old-secret-" + "x" * 30]
    assert client.get("/read").json["respond"]["rid"] == 7
