"""Redis down: what respondents and staff see when the rate-limit store and the job broker do not answer.

Guth uses Redis for two things: the rate-limit counts (Flask-Limiter, ``RATELIMIT_SWALLOW_ERRORS``)
and, in Celery mode, the job broker. With Redis unreachable:

- a respondent still answers and submits: every answer stored once, the submit is a 303 to the
  confirmation page with a receipt code, never a 500 and never a 429;
- staff still sign in;
- a job started from a page is recorded as failed ("not started") and the page says so and that
  trying again is safe: no 500, and no job left "queued" that no worker will ever see;
- when Redis comes back, the limits apply again and jobs reach the broker again.

The "down" tests point Guth at a loopback port where nothing listens, so they need no Redis at
all. The "comes back" test must stop and restart a server, so it starts its own throwaway
``redis-server`` (nothing on disk) and never touches TEST_REDIS_URL's shared server; it is skipped
where redis-server is not installed. Every request here is timed and must answer within seconds.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

import analysis
from tests.conftest import IsolatedClient, _empty_tables, _normal, csrf_from, in_one_rate_window
from tests.support import services

PASSWORD = "correct horse battery"
QUICK = 5.0  # seconds: the longest any one request may take with Redis down
TEXT = "Longer library hours on Saturdays please."


# ---- fixtures ------------------------------------------------------------------------------------

@pytest.fixture()
def _celery_restored() -> Iterator[None]:
    """Put Guth's Celery app back as it was: these tests point it at brokers that go away."""
    from consult.celery_app import celery

    saved = {k: celery.conf.get(k) for k in ("broker_url", "result_backend")}
    _drop_broker_pools(celery)
    yield
    _drop_broker_pools(celery)
    celery.conf.update(saved)


def _drop_broker_pools(celery) -> None:  # type: ignore[no-untyped-def]
    """Forget cached broker connections, so the next publish uses the broker_url configured now."""
    celery._pool = None
    celery.amqp._producer_pool = None


def _guth(migrated: str, redis_url: str, **extra: object):  # type: ignore[no-untyped-def]
    """Return Guth configured as in production: rate limits and Celery jobs on this Redis."""
    from consult import create_app

    config = {
        "SQLALCHEMY_DATABASE_URI": _normal(migrated), "SERVER_NAME": "localhost",
        "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": redis_url,
        "JOBS_MODE": "celery", "CELERY_BROKER_URL": redis_url,
    }
    config.update(extra)
    app = create_app(config)
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture()
def redis_down_app(_migrated, _celery_restored) -> Iterator:  # type: ignore[no-untyped-def]
    """Guth whose Redis (rate limits and job broker) is a loopback port where nothing listens."""
    from consult.extensions import db

    dead = f"redis://127.0.0.1:{services.free_port()}/15"
    assert not services.redis_alive(dead)
    app = _guth(_migrated, dead)
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables(db)


def _consultation_and_planner():  # type: ignore[no-untyped-def]
    """Make an open consultation (the shipped template) and a planner of its partnership."""
    from consult.data import users
    from consult.extensions import db
    from forms import load_template
    from tests.consult.respond.conftest import make_consultation

    consultation = make_consultation(load_template("childrens-services-plan"), slug="csp")
    planner = users.create_user(email="planner@example.org", name="Planner", password=PASSWORD, roles=["planner"],
                                partnership_id=consultation.plan.partnership_id)
    db.session.commit()
    return consultation, planner


class Timed:
    """A test client that records (method, path, status, seconds) of every request it makes."""

    def __init__(self, client) -> None:  # type: ignore[no-untyped-def]
        self.client = client
        self.log: list[tuple[str, str, int, float]] = []

    def open(self, method: str, path: str, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        response = self.client.open(path, method=method, **kwargs)
        self.log.append((method, path, response.status_code, time.perf_counter() - started))
        return response

    def get(self, path: str, **kwargs):  # type: ignore[no-untyped-def]
        return self.open("GET", path, **kwargs)

    def post(self, path: str, **kwargs):  # type: ignore[no-untyped-def]
        return self.open("POST", path, **kwargs)

    def assert_no_errors_and_quick(self, since: int = 0) -> None:
        """Check the requests made since entry ``since``: no 5xx, no 429, none slower than QUICK."""
        log = self.log[since:]
        errors = [entry for entry in log if entry[2] >= 500 or entry[2] == 429]
        assert not errors, f"requests that failed: {errors}"
        slow = [entry for entry in log if entry[3] > QUICK]
        assert not slow, f"requests slower than {QUICK}s: {slow}"


def _login(browser: Timed, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    token = csrf_from(browser.get("/staff/login").get_data(as_text=True))
    return browser.post("/staff/login", data={"email": email, "password": password, "csrf_token": token})


# ---- Redis down ----------------------------------------------------------------------------------

def test_respondent_answers_and_submits_once_when_redis_is_down(redis_down_app) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import Answer, Response
    from tests.load.formbot import TestClientBrowser, answer_consultation

    _consultation_and_planner()
    # As a server does before it takes requests (analysis.warm_up): otherwise the first free-text answer
    # pays seconds for building the spaCy pipeline, and whether it does depends on which tests ran first.
    analysis.warm_up()
    browser = Timed(redis_down_app.test_client())
    started = time.monotonic()
    journey = answer_consultation(TestClientBrowser(browser), "/c/csp/", rng=random.Random(7), text=lambda f: TEXT)
    assert journey.completed and not journey.errors, journey.errors
    assert journey.receipt_code, "the confirmation page shows the receipt code"
    assert time.monotonic() - started < 60
    browser.assert_no_errors_and_quick()
    submits = [entry for entry in browser.log if entry[0] == "POST" and entry[1].endswith("/check")]
    assert submits and submits[-1][2] == 303, "sending the answers redirects (303) to the confirmation page"
    assert browser.log[-1][1].endswith("/done") and browser.log[-1][2] == 200

    db.session.expire_all()
    responses = db.session.scalars(select(Response)).all()
    assert [r.status for r in responses] == ["submitted"], "one response, submitted"
    per_question = db.session.execute(select(Answer.question_id, func.count(Answer.id))
                                      .where(Answer.response_id == responses[0].id)
                                      .group_by(Answer.question_id)).all()
    assert per_question and all(n == 1 for _q, n in per_question), "each answer stored once"
    assert db.session.scalar(select(func.count(Answer.id)).where(Answer.text.contains("library"))), \
        "the free text answer was kept"


def test_staff_sign_in_when_redis_is_down(redis_down_app) -> None:  # type: ignore[no-untyped-def]
    _consultation_and_planner()
    browser = Timed(redis_down_app.test_client())
    wrong = _login(browser, "planner@example.org", "not the password")
    assert wrong.status_code == 200 and "Email address or password is not right" in wrong.get_data(as_text=True)
    signed_in = _login(browser, "planner@example.org")
    assert signed_in.status_code == 302 and signed_in.headers["Location"].endswith("/planner/")
    assert browser.get("/planner/").status_code == 200
    browser.assert_no_errors_and_quick()


@pytest.mark.parametrize("action", ["themes/run", "reminders"])
def test_job_started_while_the_broker_is_down_fails_clearly(redis_down_app, action) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.jobs import NOT_STARTED
    from consult.models import Job

    consultation, _planner = _consultation_and_planner()
    browser = Timed(redis_down_app.test_client())
    assert _login(browser, "planner@example.org").status_code == 302
    token = csrf_from(browser.get("/staff/login").get_data(as_text=True))
    path = (f"/planner/c/{consultation.id}/themes/run" if action == "themes/run"
            else f"/planner/consultations/{consultation.id}/reminders")
    started = browser.post(path, data={"csrf_token": token})
    assert started.status_code in (302, 303), started.get_data(as_text=True)[:500]
    page = browser.get(started.headers["Location"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "This could not start because the background job service is not answering." in html
    assert "Please try again in a few minutes." in html
    assert 'data-state="failed"' in html and "Running it again is safe." in html
    browser.assert_no_errors_and_quick()

    db.session.expire_all()
    jobs = db.session.scalars(select(Job)).all()
    assert len(jobs) == 1, "the job is recorded, not lost"
    assert jobs[0].state == "failed" and jobs[0].message.startswith(NOT_STARTED)
    assert jobs[0].finished_at is not None


def test_enqueue_outside_a_request_records_the_failure(redis_down_app) -> None:  # type: ignore[no-untyped-def]
    """From cron (``flask send-reminders``) or a script: a failed row comes back, nothing raises."""
    from consult.jobs import NOT_STARTED, enqueue

    started = time.perf_counter()
    row = enqueue("noop", steps=2)
    assert time.perf_counter() - started < QUICK
    assert row.state == "failed" and row.message.startswith(NOT_STARTED)


# ---- Redis comes back ----------------------------------------------------------------------------

class OwnRedis:
    """A redis-server of our own on a fixed free loopback port, nothing on disk, that we stop and start."""

    def __init__(self) -> None:
        self.binary = shutil.which("redis-server")
        self.port = services.free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert self.binary
        self.proc = subprocess.Popen([self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no"], stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not services.redis_alive(self.url):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None
        assert not services.redis_alive(self.url)


@pytest.fixture()
def own_redis() -> Iterator[OwnRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server not installed")
    server = OwnRedis()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _queued_job_ids(url: str) -> list[str]:
    """Return the Guth job ids waiting in the broker's default queue."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    messages = [json.loads(raw) for raw in client.lrange("celery", 0, -1)]
    return [m["headers"]["argsrepr"] for m in messages if m["headers"].get("task") == "guth.run_job"]


def test_limits_and_jobs_work_again_when_redis_comes_back(_migrated, _celery_restored, own_redis) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import Job

    app = _guth(_migrated, own_redis.url, RATELIMIT_LOGIN_ACCOUNT="2 per minute",
                RATELIMIT_LOGIN_ADDRESS="100 per minute", RATELIMIT_ANONYMOUS_POST="100 per minute")
    with app.app_context():
        try:
            consultation, _planner = _consultation_and_planner()
            browser = Timed(app.test_client())

            def tries(email: str, n: int) -> list[int]:
                return [_login(browser, email, "not the password").status_code for _ in range(n)]

            def start_reminders(staff: Timed) -> Job:
                token = csrf_from(staff.get("/staff/login").get_data(as_text=True))
                page = staff.post(f"/planner/consultations/{consultation.id}/reminders", data={"csrf_token": token},
                                  follow_redirects=True)
                assert page.status_code == 200
                db.session.expire_all()
                return db.session.scalars(select(Job).order_by(Job.created_at.desc(), Job.id)).first()

            # Redis up: the account limit holds.
            in_one_rate_window()
            assert tries("up@example.org", 3) == [200, 200, 429]

            own_redis.stop()
            down_from = len(browser.log)
            # Redis down: no limit can be counted, so none is applied (fail open), and nothing fails.
            assert tries("down@example.org", 4) == [200] * 4
            staff = Timed(app.test_client())
            assert _login(staff, "planner@example.org").status_code == 302
            assert start_reminders(staff).state == "failed"
            browser.assert_no_errors_and_quick(since=down_from)
            staff.assert_no_errors_and_quick()

            own_redis.start()  # the same port, empty: as after a restart
            # Redis back: the limits apply again...
            in_one_rate_window()
            assert tries("back@example.org", 3) == [200, 200, 429]
            in_one_rate_window()
            assert tries("down@example.org", 3) == [200, 200, 429], "counting starts afresh"
            # ...and a job started again reaches the broker, queued for a worker.
            again = start_reminders(staff)
            assert again.state == "queued"
            assert _queued_job_ids(own_redis.url) == [repr((again.id,))]
        finally:
            db.session.remove()
            _empty_tables(db)


def test_submission_limits_count_in_redis_per_session_and_per_address(own_redis) -> None:  # type: ignore[no-untyped-def]
    """With Redis as the store (one pipelined round trip per POST), the counts hold across browser sessions."""
    in_one_rate_window()  # every hit in one clock minute: the Nth is refused, however slow
    from tests.security.conftest import app_with_limited_routes

    app = app_with_limited_routes(own_redis.url)
    one, two = app.test_client(), app.test_client()
    one.get("/__submit"), two.get("/__submit")
    assert [one.post("/__submit").status_code for _ in range(3)] == [200, 200, 429]
    blocked = one.post("/__submit")
    assert "Too many tries" in blocked.get_data(as_text=True) and 1 <= int(blocked.headers["Retry-After"]) <= 61
    assert two.post("/__submit").status_code == 200  # its own session count...
    assert two.post("/__submit").status_code == 429  # ...under the address's, which all sessions share
    assert one.post("/__other").status_code == 200  # another endpoint counts apart
    import redis

    keys = redis.Redis.from_url(own_redis.url).keys("*")
    assert keys and all(b"guth" in k for k in keys)  # the counts live in Redis, under Guth's prefix
    # A restart forgets the counts and the counting script (sent by its digest alone): it is loaded again.
    own_redis.stop()
    own_redis.start()
    in_one_rate_window()
    assert [one.post("/__submit").status_code for _ in range(3)] == [200, 200, 429]
