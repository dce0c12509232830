"""The answer POST's quick way (one guarded statement) stores exactly what the full way would, or steps aside.

Each test opens the question page as a person would, then changes the world between that page and
the POST (the consultation closes, the response is withdrawn, the definition is edited, time passes)
and checks the person sees what the full way shows and that nothing is stored that should not be.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from tests.conftest import csrf_from

from .conftest import Respondent


@pytest.fixture()
def person(app, csp):  # type: ignore[no-untyped-def]
    """A young person partway through the shipped consultation in form mode, on the question page."""
    p = Respondent(app.test_client(), "csp")
    p.start("young_12_17")
    return p


@contextmanager
def statements():  # type: ignore[no-untyped-def]
    """Count the SQL statements sent while the block runs, on the app's engine and its autocommit engine."""
    from consult.extensions import autocommit_engine, db

    sent: list[str] = []

    def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        sent.append(statement)

    engines = {db.engine, autocommit_engine()}  # one engine on SQLite, two on PostgreSQL
    for engine in engines:
        event.listen(engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", count)


def _on_page(person, core_id: str) -> str:  # type: ignore[no-untyped-def]
    page = person.get(f"/c/csp/q/{core_id}")
    assert page.status_code == 200
    return csrf_from(page.get_data(as_text=True))


def _post(person, core_id: str, token: str, **fields: str):  # type: ignore[no-untyped-def]
    return person.client.post(f"/c/csp/q/{core_id}", data={"q": core_id, "csrf_token": token, **fields})


def _first_question(person) -> str:  # type: ignore[no-untyped-def]
    return person.last.request.path.rsplit("/", 1)[1]


def _answers():  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import Answer

    db.session.expire_all()
    return {a.core_id: a for a in db.session.scalars(select(Answer))}


def _response():  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import Response

    db.session.expire_all()
    return db.session.scalars(select(Response)).one()


def _choice(person, core_id: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    import re

    html = person.last.get_data(as_text=True)
    radio = re.search(r'type="radio"[^>]*name="([^"]+)"[^>]*value="([^"]+)"', html) or re.search(
        r'name="([^"]+)"[^>]*type="radio"[^>]*value="([^"]+)"', html)
    assert radio, "the first question is a choice"
    return {radio.group(1): radio.group(2), "continue_": "1"}


def test_a_choice_is_stored_in_one_statement_and_the_next_question_follows(person) -> None:  # type: ignore[no-untyped-def]
    core_id = _first_question(person)
    token = _on_page(person, core_id)
    choice = _choice(person, core_id)
    with statements() as sent:
        page = _post(person, core_id, token, **choice)
    assert page.status_code == 303 and "/c/csp/q/" in page.headers["Location"]
    assert page.headers["Location"].rsplit("/", 1)[1] != core_id
    assert len(sent) == 1 and sent[0].lstrip().upper().startswith("INSERT INTO ANSWER")
    stored = _answers()[core_id]
    assert str(stored.value) == next(iter(v for k, v in choice.items() if k != "continue_"))  # a face: 1–5
    # Pressed twice (a double click): still one answer, now at version 2.
    assert _post(person, core_id, token, **choice).status_code == 303
    assert len(_answers()) == 1 and _answers()[core_id].version == 2


def test_the_consultation_closing_between_page_and_post_shows_the_closed_page(person) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import Consultation

    core_id = _first_question(person)
    token = _on_page(person, core_id)
    choice = _choice(person, core_id)
    db.session.scalars(select(Consultation)).one().status = "closed"
    db.session.commit()
    page = _post(person, core_id, token, **choice)
    assert page.status_code == 410 and "closed" in page.get_data(as_text=True).lower()
    assert _answers() == {}


def test_a_withdrawn_response_stores_nothing_more(person) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db

    core_id = _first_question(person)
    token = _on_page(person, core_id)
    choice = _choice(person, core_id)
    _response().status = "withdrawn"
    db.session.commit()
    page = _post(person, core_id, token, **choice)
    assert page.status_code == 303 and page.headers["Location"].endswith("/c/csp/")  # back to the start
    assert _answers() == {}


def test_an_edit_to_the_definition_in_another_process_sends_the_answer_the_full_way(person) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import Consultation

    core_id = _first_question(person)
    token = _on_page(person, core_id)
    choice = _choice(person, core_id)
    # Another web process saved an edit: the version moved on, this process's copy is out of date.
    db.session.scalars(select(Consultation)).one().definition_version += 1
    db.session.commit()
    with statements() as sent:
        page = _post(person, core_id, token, **choice)
    assert page.status_code == 303
    assert len(sent) > 1  # the guarded statement stored nothing; the full way read the new version
    assert str(_answers()[core_id].value) == next(iter(v for k, v in choice.items() if k != "continue_"))


def test_free_text_is_redacted_on_the_quick_way(person) -> None:  # type: ignore[no-untyped-def]
    token = _on_page(person, "good_things")
    with statements() as sent:
        page = _post(person, "good_things", token, answer="Email me at jo.bloggs@example.com about the youth club",
                     continue_="1")
    assert page.status_code == 303 and len(sent) == 1
    stored = _answers()["good_things"]
    assert "jo.bloggs@example.com" not in stored.text and "youth club" in stored.text
    assert stored.text_original and "jo.bloggs@example.com" in stored.text_original  # kept until sent


def test_a_flagged_answer_goes_the_full_way_and_the_lead_sees_it(person) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import SafeguardingFlag

    token = _on_page(person, "good_things")
    page = _post(person, "good_things", token, answer="My dad hits me when he is angry and I am scared to go home",
                 continue_="1")
    assert page.status_code == 303
    assert _response().safeguarding is True
    flag = db.session.scalars(select(SafeguardingFlag)).one()
    assert flag.answer_id == _answers()["good_things"].id
    assert "Childline" in person.get(page.headers["Location"]).get_data(as_text=True)  # help at once


def test_a_response_left_a_while_is_marked_as_recently_used_again(person) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models._base import utcnow

    core_id = _first_question(person)
    token = _on_page(person, core_id)
    choice = _choice(person, core_id)
    long_ago = utcnow() - timedelta(hours=3)
    _response().updated_at = long_ago
    db.session.commit()
    with person.client.session_transaction() as s:  # the page was opened three hours ago
        s["respond"] = dict(s["respond"], t=int(long_ago.timestamp()))
    assert _post(person, core_id, token, **choice).status_code == 303
    assert utcnow() - _response().updated_at.replace(tzinfo=long_ago.tzinfo) < timedelta(minutes=1)
