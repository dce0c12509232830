"""Rate limits on the respondent pages that store something: past the limit, 429 and a clear page."""

from __future__ import annotations

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
