"""Receipt codes (resume, change, delete), kiosk clearing, safeguarding help and language switching."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import csrf_from

from .conftest import Respondent, receipt_code
from .test_form_mode import CSP_8_11, complete

DISCLOSURE = "My dad hits me when he is angry and I have to wear long sleeves so nobody sees."


def _only_response():  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import Response

    return db.session.scalars(select(Response)).one()


def _finish(r: Respondent) -> str:
    complete(r)
    r.post(f"/c/{r.slug}/check", {"send": "1"})
    return receipt_code(r.text())


def _sent_then_back_with_the_receipt(respondent, client) -> tuple[Respondent, str]:  # type: ignore[no-untyped-def]
    """Answer and send, close the browser, then come back with the receipt code; return the respondent and code."""
    r = respondent("csp")
    r.start()
    code = _finish(r)
    client._cookies.clear()
    r.post("/receipt", {"code": code})
    return r, code


def test_save_and_come_back_later_with_the_receipt_code(app, csp, respondent, client) -> None:
    r = respondent("csp")
    r.start()
    r.answer("feel_safe", {"answer": "2", "continue_": "1"})
    code = receipt_code(r.get("/c/csp/save").get_data(as_text=True))
    client._cookies.clear()  # a new visit: the browser was closed
    assert client.get("/c/csp/check").status_code == 303  # a new visitor has nothing in progress
    page = r.post("/receipt", {"code": code.lower().replace("-", " ")})
    assert page.request.path == "/c/csp/q/wellbeing"  # where they stopped, not check-your-answers
    assert "Not very safe" in r.get("/c/csp/check").get_data(as_text=True)
    assert _only_response().status == "in_progress"


def test_change_answers_after_sending_with_the_receipt_code(app, csp, respondent, client) -> None:
    r, _code = _sent_then_back_with_the_receipt(respondent, client)
    assert "You have already sent these answers" in r.text()
    r.answer("feel_safe", {"answer": "1", "continue_": "1"}, change=True)
    page = r.post("/c/csp/check", {"send": "1"})
    assert page.request.path == "/c/csp/done"
    response = _only_response()
    from consult.data import responses

    assert response.status == "submitted"
    assert responses.answers_by_core_id(response)["feel_safe"].value == 1


def test_delete_answers_with_the_receipt_code(app, csp, respondent, client) -> None:
    r, code = _sent_then_back_with_the_receipt(respondent, client)
    assert "Delete my answers" in r.text()
    page = r.get("/c/csp/delete")
    assert "Delete your answers?" in page.get_data(as_text=True)
    page = r.post("/c/csp/delete", {"delete": "1"})
    assert page.request.path == "/deleted"
    response = _only_response()
    assert response.status == "withdrawn" and response.answers == []
    page = r.post("/receipt", {"code": code})
    assert "We could not find answers with that code" in page.get_data(as_text=True)


def test_wrong_receipt_code_is_a_clear_error(csp, respondent) -> None:
    r = respondent("csp")
    for code in ("AAAA-BBBB-CCCC", "", "x" * 60):
        page = r.post("/receipt", {"code": code})
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "<title>Error:" in html and 'href="#code"' in html
    assert "x" * 60 in html  # what was typed stays


def test_receipt_code_after_the_consultation_closes(app, csp, respondent, client) -> None:
    r = respondent("csp")
    r.start()
    code = _finish(r)
    from consult.extensions import db

    csp.status = "closed"
    db.session.commit()
    client._cookies.clear()
    page = r.post("/receipt", {"code": code})
    html = page.get_data(as_text=True)
    assert "<title>Error:" in html and "This consultation has closed" in html
    assert r.get("/c/csp/delete").status_code == 410


def test_kiosk_clears_answers_on_finish(app, csp, respondent, client) -> None:
    r = respondent("csp")
    r.post("/c/csp/kiosk", {"start": "1"})
    r.start()
    assert 'id="kiosk-clear"' in r.text() and "data-idle-seconds" in r.text()
    _finish(r)
    assert "Start again for the next person" in r.text()
    assert _only_response().kiosk is True
    # The next person cannot see or change the last person's answers.
    assert client.get("/c/csp/check").status_code == 303
    assert client.get("/c/csp/done").status_code == 303


def test_kiosk_clears_answers_after_inactivity(app, csp, respondent, client) -> None:
    r = respondent("csp")
    r.post("/c/csp/kiosk", {"start": "1"})
    r.start()
    r.answer("feel_safe", {"answer": "2", "continue_": "1"})
    app.config["KIOSK_IDLE_SECONDS"] = -1  # every pause is too long
    page = client.get("/c/csp/q/wellbeing")
    assert page.status_code == 302 and page.headers["Location"].endswith("/c/csp/kiosk/cleared")
    assert client.get("/c/csp/q/wellbeing").status_code == 303
    app.config["KIOSK_IDLE_SECONDS"] = 120


def test_kiosk_clear_button(app, csp, respondent, client) -> None:
    r = respondent("csp")
    r.post("/c/csp/kiosk", {"start": "1"})
    r.start()
    page = r.post("/c/csp/kiosk/clear", {"clear": "1"})
    assert page.request.path == "/c/csp/kiosk/cleared"
    assert client.get("/c/csp/q/feel_safe").status_code == 303


def test_flagged_text_shows_help_at_once_and_never_reaches_themes(app, csp, respondent) -> None:
    r = respondent("csp")
    r.start()
    r.answer("feel_safe", {"answer": "1", "continue_": "1"})
    r.answer("wellbeing", {"answer": "1", "continue_": "1"})
    page = r.answer("good_things", {"answer": DISCLOSURE, "continue_": "1"})
    html = page.get_data(as_text=True)
    assert page.request.path == "/c/csp/q/more_of"
    assert "Call Childline: 0800 1111" in html and "an adult you trust" in html
    assert "Call Childline" not in r.get("/c/csp/q/more_of").get_data(as_text=True).split("<main")[1]  # once
    complete(r, {k: v for k, v in CSP_8_11.items() if k not in ("feel_safe", "wellbeing", "good_things")})
    r.post("/c/csp/check", {"send": "1"})
    response = _only_response()
    assert response.safeguarding is True
    from consult.data import themes
    from consult.models import SafeguardingFlag

    assert response.id not in {a.response_id for a, _ in themes.analysable_answers(csp)}
    from consult.extensions import db

    assert db.session.scalars(select(SafeguardingFlag)).one().response_id == response.id


def test_flagged_text_in_chat_shows_help(app, csp, respondent, client) -> None:
    from .test_chat import turn

    r = respondent("csp")
    r.start("child_8_11", "chat")
    turn(client, "csp", [("answer", "4")])
    turn(client, "csp", [("answer", "5")])
    page = turn(client, "csp", [("answer", DISCLOSURE), ("continue_", "1")])
    assert "Call Childline: 0800 1111" in page.get_data(as_text=True)


def test_language_switch_mid_way_keeps_every_answer(app, csp, respondent, client) -> None:
    r = respondent("csp")
    r.start()
    r.answer("feel_safe", {"answer": "4", "continue_": "1"})
    r.answer("wellbeing", {"answer": "2", "continue_": "1"})
    r.answer("good_things", {"answer": "The library", "continue_": "1"})
    page = client.get("/c/csp/q/more_of").get_data(as_text=True)
    client.post("/lang", data={"lang": "gd", "csrf_token": csrf_from(page), "next": "/c/csp/q/more_of"})
    page = client.get("/c/csp/q/good_things").get_data(as_text=True)
    assert 'lang="gd"' in page and "Dè tha math mun àite agad?" in page
    assert "The library" in page
    complete(r, {k: v for k, v in CSP_8_11.items() if k not in ("feel_safe", "wellbeing", "good_things")})
    check = r.get("/c/csp/check").get_data(as_text=True)
    assert "Sàbhailte" in check and "Brònach" in check and "The library" in check


def test_changing_a_sent_answer_keeps_no_typed_text_beyond_policy(app, csp, respondent, client) -> None:
    r, _code = _sent_then_back_with_the_receipt(respondent, client)
    r.answer("good_things", {"answer": "Now I like the new library", "continue_": "1"}, change=True)
    from consult.data import responses
    from consult.extensions import db

    db.session.expire_all()
    answer = responses.answers_by_core_id(_only_response())["good_things"]
    assert answer.text == "Now I like the new library"
    assert answer.text_original is None
