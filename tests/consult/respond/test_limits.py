"""Rate limits on the respondent pages that store something: past the limit, 429 and a clear page."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.conftest import SUBMIT_LIMITS, _normal, app_on_test_database, in_one_rate_window

from .conftest import Respondent, make_consultation


@pytest.fixture()
def limited_app(_migrated) -> Iterator:  # type: ignore[no-untyped-def]
    """An app with the rate limits on: three stored POSTs per browser session per minute."""
    from forms import load_template

    config = {"SQLALCHEMY_DATABASE_URI": _normal(_migrated), "SERVER_NAME": "localhost", **SUBMIT_LIMITS}
    with app_on_test_database(config) as app:
        make_consultation(load_template("childrens-services-plan"), slug="csp")
        yield app


def _blocked(page) -> None:  # type: ignore[no-untyped-def]
    assert page.status_code == 429
    html = page.get_data(as_text=True)
    assert "Too many tries" in html and "Please wait a minute" in html
    assert page.headers.get("Retry-After")


def test_answering_too_fast_gets_429_with_a_clear_page(limited_app) -> None:  # type: ignore[no-untyped-def]
    in_one_rate_window()  # every hit in one clock minute: the Nth is refused, however slow
    from consult.extensions import db
    from consult.models import Answer

    person = Respondent(limited_app.test_client(), "csp")
    person.start("young_12_17")
    for _ in range(3):
        core_id = person.last.request.path.rsplit("/", 1)[1]
        assert person.answer(core_id, {"skip": "1"}).status_code == 200
    core_id = person.last.request.path.rsplit("/", 1)[1]
    _blocked(person.answer(core_id, {"skip": "1"}))
    assert person.get(f"/c/csp/q/{core_id}").status_code == 200  # reading is never limited
    db.session.expire_all()
    assert db.session.query(Answer).count() == 3  # the blocked answer stored nothing


@pytest.mark.parametrize(("path", "data"), [("/c/csp/check", {"send": "1"}),
                                            ("/c/csp/chat", {"skip": "1"})])
def test_check_and_chat_posts_are_limited_too(limited_app, path, data) -> None:  # type: ignore[no-untyped-def]
    in_one_rate_window()  # every hit in one clock minute: the Nth is refused, however slow
    person = Respondent(limited_app.test_client(), "csp")
    person.start("young_12_17", mode="chat" if "chat" in path else "form")
    for _ in range(3):
        assert person.post(path, data, follow=False).status_code < 400
    _blocked(person.post(path, data, follow=False))


def test_starting_again_and_again_is_limited(limited_app) -> None:  # type: ignore[no-untyped-def]
    in_one_rate_window()  # every hit in one clock minute: the Nth is refused, however slow
    person = Respondent(limited_app.test_client(), "csp")
    for _ in range(3):
        assert person.start("young_12_17").status_code == 200
    _blocked(person.post("/c/csp/how?audience=young_12_17", {"mode": "form", "start": "1"}, follow=False))


def test_another_session_still_gets_its_own_tries(limited_app) -> None:  # type: ignore[no-untyped-def]
    one = Respondent(limited_app.test_client(), "csp")
    for _ in range(3):
        one.start("young_12_17")
    two = Respondent(limited_app.test_client(), "csp")
    assert two.start("young_12_17").status_code == 200


@pytest.fixture()
def redis_limited_app(_migrated) -> Iterator:  # type: ignore[no-untyped-def]
    """The same limits counted in Redis, as in production (TEST_REDIS_URL, else a throwaway redis-server)."""
    from forms import load_template
    from tests.load import server

    with server.redis() as url:
        config = {"SQLALCHEMY_DATABASE_URI": _normal(_migrated), "SERVER_NAME": "localhost", **SUBMIT_LIMITS,
                  "RATELIMIT_STORAGE_URI": url, "RATELIMIT_SWALLOW_ERRORS": False,
                  "RATELIMIT_KEY_PREFIX": f"guth-test-{os.getpid()}"}
        with app_on_test_database(config) as app:
            make_consultation(load_template("childrens-services-plan"), slug="csp")
            from consult.extensions import limiter

            limiter.reset()
            yield app
            limiter.reset()


def test_limits_counted_in_redis_refuse_the_fourth_answer_and_spare_the_school(redis_limited_app) -> None:  # type: ignore[no-untyped-def]
    """With Redis: the 4th answer in a minute is refused, and counts towards no other limit (the address's)."""
    in_one_rate_window()
    from consult.extensions import limiter

    person = Respondent(redis_limited_app.test_client(), "csp")
    person.start("young_12_17")
    # Redis forgets its scripts when it restarts: the first answer after that still counts.
    limiter.storage.get_connection().script_flush()
    for _ in range(3):
        core_id = person.last.request.path.rsplit("/", 1)[1]
        assert person.answer(core_id, {"skip": "1"}).status_code == 200
    core_id = person.last.request.path.rsplit("/", 1)[1]
    for _ in range(2):
        _blocked(person.answer(core_id, {"skip": "1"}))
    connection = limiter.storage.get_connection()
    counts = {key.decode(): int(connection.get(key)) for key in connection.scan_iter(
        f"*{redis_limited_app.config['RATELIMIT_KEY_PREFIX']}*")}
    address = [n for key, n in counts.items() if "submit-address" in key and "respond.question" in key]
    session = [n for key, n in counts.items() if "submit-session" in key and "respond.question" in key]
    assert session == [3] and address == [3], counts  # the two refused answers used none of the school's allowance
