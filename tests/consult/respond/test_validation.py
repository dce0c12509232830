"""Bad input through the pages: every question type's checks, tampering, CSRF, closed, wrong codes.

Each error page: status not 500, title starts "Error:", a summary linking to the field, and what
the person typed still there.
"""

from __future__ import annotations

import pytest

from tests.conftest import csrf_from

# (question, posted data, message shown, field the summary links to, text that must still be on the page)
BAD = [
    ("choose_one", [("answer", "nope")], "Choose one of the answers shown", "answer", None),
    ("choose_one", [("answer", "play"), ("answer", "clubs")], "Choose only one answer", "answer", None),
    ("choose_many", [("answer", "play"), ("answer", "prefer_not_to_say")], "rather not say", "answer", None),
    ("choose_many", [("answer", "hacked")], "Choose one of the answers shown", "answer", None),
    ("feel_safe", [("answer", "6")], "Choose one of the answers shown", "answer", None),
    ("pictures", [("answer", "../etc")], "Choose one of the answers shown", "answer", None),
    ("pictures_many", [("answer", "play"), ("answer", "zzz")], "Choose one of the answers shown", "answer", None),
    ("listened_to", [("answer", "maybe")], "Choose one of the answers shown", "answer", None),
    ("short", [("answer", "x" * 25)], "20 characters or fewer", "answer", "x" * 25),
    ("short", [("answer", "bad\u0007bell")], "hidden characters", "answer", None),
    ("good_things", [("answer", "Lovely " * 10)], "50 characters or fewer", "answer", "Lovely Lovely"),
    ("top_three", [("rank_1", "play"), ("rank_2", "play")], "already chosen this as your 1st", "rank_2", None),
    ("top_three", [("rank_1", "nope")], "Choose one of the answers shown", "rank_1", None),
    ("priority_poverty", [("answer", "agree"), ("why", "because " * 10)], "40 characters or fewer", "why",
     "because because"),
    ("priority_poverty", [("answer", "strongly")], "Choose one of the answers shown", "answer", None),
    ("area", [("answer", "mars")], "Choose one of the answers shown", "answer", None),
    ("must", [], "Choose an answer, or choose Skip", "answer", None),
]


@pytest.mark.parametrize(("core_id", "data", "message", "field", "kept"), BAD,
                         ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_bad_answers_show_a_clear_error(sample, respondent, core_id, data, message, field, kept) -> None:
    r = respondent("sample")
    r.start("child_8_11", "form")
    page = r.answer(core_id, [*data, ("continue_", "1")])
    html = r.text()
    assert page.status_code == 200
    assert "<title>Error:" in html
    assert "There is a problem" in html and f'href="#{field}"' in html
    assert message in html.replace("&#39;", "'").replace("&#34;", '"').replace("&quot;", '"')
    assert f'id="{field}-error"' in html and 'aria-describedby="' in html
    if kept:
        assert kept in html
    assert page.request.path == f"/c/sample/q/{core_id}"  # stayed on the question


GOOD = [
    ("choose_one", [("answer", "play")], "play"),
    ("choose_many", [("answer", "play"), ("answer", "money")], ["play", "money"]),
    ("feel_safe", [("answer", "prefer_not_to_say")], "prefer_not_to_say"),
    ("pictures", [("answer", "clubs")], "clubs"),
    ("pictures_many", [("answer", "clubs"), ("answer", "feelings")], ["clubs", "feelings"]),
    ("listened_to", [("answer", "not_sure")], "not_sure"),
    ("top_three", [("rank_1", "money"), ("rank_3", "play")], ["money", "play"]),
    ("priority_poverty", [("answer", "partly"), ("why", "Food costs")], "partly"),
    ("area", [("answer", "south")], "south"),
]


@pytest.mark.parametrize(("core_id", "data", "value"), GOOD, ids=[g[0] for g in GOOD])
def test_good_answers_are_stored_and_shown_again(app, sample, respondent, core_id, data, value) -> None:
    r = respondent("sample")
    r.start("child_8_11", "form")
    page = r.answer(core_id, [*data, ("continue_", "1")])
    assert "There is a problem" not in r.text()
    assert page.request.path != f"/c/sample/q/{core_id}"
    from sqlalchemy import select

    from consult.extensions import db
    from consult.models import Answer

    answer = db.session.scalar(select(Answer).where(Answer.core_id == core_id))
    assert answer.value == value
    again = r.get(f"/c/sample/q/{core_id}").get_data(as_text=True)
    assert "checked" in again or "selected" in again


def test_skip_stores_a_skipped_answer_whatever_was_typed(app, sample, respondent) -> None:
    r = respondent("sample")
    r.start("child_8_11", "form")
    r.answer("short", [("answer", "x" * 50), ("skip", "1")])
    assert "There is a problem" not in r.text()
    from consult.data import responses
    from consult.extensions import db
    from consult.models import Response

    answers = responses.answers_by_core_id(db.session.query(Response).one())
    assert answers["short"].skipped and answers["short"].text is None


def test_tampered_hidden_question_field_is_refused(sample, respondent) -> None:
    r = respondent("sample")
    r.start("child_8_11", "form")
    page = r.post("/c/sample/q/choose_one", [("q", "choose_many"), ("answer", "play"), ("continue_", "1")])
    html = page.get_data(as_text=True)
    assert "<title>Error:" in html and "This page was out of date" in html
    assert page.request.path == "/c/sample/q/choose_one"


def test_missing_or_stale_csrf_keeps_typed_text(sample, respondent, client) -> None:
    r = respondent("sample")
    r.start("child_8_11", "form")
    typed = "Something I typed carefully"
    for token in (None, "stale-token"):
        data = {"q": "good_things"[:0] + "short", "answer": typed[:20], "continue_": "1"}
        if token:
            data["csrf_token"] = token
        page = client.post("/c/sample/q/short", data=data)
        html = page.get_data(as_text=True)
        assert page.status_code == 400
        assert "<title>Error:" in html and "This page timed out" in html and 'href="#answer"' in html
        assert typed[:20] in html
        assert csrf_from(html)  # a fresh token, so pressing the button again works


def test_closed_consultation_is_a_clear_page(app, respondent) -> None:
    from forms import load_definition
    from tests.forms.helpers import SAMPLE

    from .conftest import make_consultation

    consultation = make_consultation(load_definition(SAMPLE), slug="sample")
    r = respondent("sample")
    r.start("child_8_11", "form")
    from consult.extensions import db

    consultation.status = "closed"
    db.session.commit()
    for path in ("/c/sample/", "/c/sample/q/choose_one", "/c/sample/chat", "/c/sample/check", "/c/sample/how"):
        page = r.get(path)
        assert page.status_code == 410, path
        assert "This consultation has closed" in page.get_data(as_text=True)
    page = r.client.post("/c/sample/q/choose_one", data={"answer": "play", "q": "choose_one"})
    assert page.status_code in (400, 410)


def test_unknown_question_is_404(sample, respondent) -> None:
    r = respondent("sample")
    r.start("child_8_11", "form")
    assert r.get("/c/sample/q/not_a_question").status_code == 404


def test_errors_are_translated(sample, respondent, client) -> None:
    r = respondent("sample")
    r.start("child_8_11", "form")
    page = client.get("/c/sample/q/choose_one").get_data(as_text=True)
    client.post("/lang", data={"lang": "ar", "csrf_token": csrf_from(page), "next": "/c/sample/q/choose_one"})
    page = r.answer("choose_one", [("answer", "nope"), ("continue_", "1")])
    html = page.get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in html and "<title>" in html and page.status_code == 200
