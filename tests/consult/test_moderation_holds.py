"""Moderation holds: any change to an answer revokes its approval for quoting.

Issue 15, finding 4: changing an answer by receipt code kept its "approved for quoting" status, so
new, unmoderated words reached the planner's quotes and the public page.
"""

from __future__ import annotations

from sqlalchemy import select

from consult.extensions import db
from tests.consult.respond.conftest import Respondent, make_consultation, receipt_code
from tests.consult.respond.test_form_mode import CSP_8_11, complete

FIRST = "the swings in the park are broken and the slide is rusty"
SECOND = "zqxnewwords nobody has read these words yet"


def _approved_quote(consultation, code: str):  # type: ignore[no-untyped-def]
    from consult.data import responses, themes

    person = responses.find_by_receipt(code)
    person.may_quote = True
    answer = next(a for a in person.answers if a.core_id == "change_one_thing")
    theme = themes.ensure_codebook(consultation, __import__("analysis").load_default_codebook())[0]
    themes.set_human_code(answer, theme, present=True, coder_id=None)
    assert themes.propose_quote(consultation, answer)
    assert themes.moderate_quote(answer.id, approve=True) is not None
    db.session.commit()
    assert [a.id for a, _aud in themes.quotes_for_theme(consultation, theme)] == [answer.id]
    return answer.id, theme


def test_changing_an_answer_by_receipt_code_revokes_its_approval(app, client) -> None:  # type: ignore[no-untyped-def]
    from consult.data import themes
    from consult.models import Answer

    consultation = make_consultation(__import__("forms").load_template("childrens-services-plan"), slug="csp")
    r = Respondent(client, "csp")
    r.start()
    complete(r, {**CSP_8_11, "change_one_thing": {"answer": FIRST}})
    r.post("/c/csp/check", {"send": "1"})
    code = receipt_code(r.text())
    answer_id, theme = _approved_quote(consultation, code)

    client._cookies.clear()
    r.post("/receipt", {"code": code})
    r.answer("change_one_thing", {"answer": SECOND, "continue_": "1"}, change=True)
    assert r.post("/c/csp/check", {"send": "1"}).request.path == "/c/csp/done"

    db.session.expire_all()
    answer = db.session.get(Answer, answer_id)
    assert SECOND in (answer.text or "")
    assert answer.quote_status != "approved"
    assert themes.quotes_for_theme(consultation, theme) == []


def test_saving_the_same_words_again_keeps_the_approval(app, client) -> None:  # type: ignore[no-untyped-def]
    from consult.models import Answer

    consultation = make_consultation(__import__("forms").load_template("childrens-services-plan"), slug="csp")
    r = Respondent(client, "csp")
    r.start()
    complete(r, {**CSP_8_11, "change_one_thing": {"answer": FIRST}})
    r.post("/c/csp/check", {"send": "1"})
    code = receipt_code(r.text())
    answer_id, _theme = _approved_quote(consultation, code)
    client._cookies.clear()
    r.post("/receipt", {"code": code})
    r.answer("change_one_thing", {"answer": FIRST, "continue_": "1"}, change=True)
    db.session.expire_all()
    assert db.session.get(Answer, answer_id).quote_status == "approved"


def test_a_change_through_the_data_layer_revokes_it_too(app) -> None:  # type: ignore[no-untyped-def]
    """Paper entry and organisations' drafts save through the answers' one door too: the same rule holds there."""
    from consult.data import consultations, responses
    from consult.models import Answer
    from consult.services import answers
    from forms import AnswerData

    consultation = make_consultation(__import__("forms").load_template("childrens-services-plan"), slug="csp")
    variant = consultations.variant_for(consultation, "child_8_11")
    question = next(q for q in responses.questions_for(variant) if q.core_id == "change_one_thing")
    response, _code = responses.start_response(consultation, variant, language="en", channel="paper")
    saved = db.session.get(Answer, answers.save(response, question, AnswerData(value=None, text=FIRST)).answer_id)
    answers.submit(response)
    saved.quote_status = "approved"
    db.session.commit()
    answers.save(response, question, AnswerData(value=None, text=FIRST))
    assert saved.quote_status == "approved", "the same words: nothing new to moderate"
    answers.save(response, question, AnswerData(value=None, text=SECOND))
    db.session.commit()
    assert db.session.scalar(select(Answer.quote_status).where(Answer.id == saved.id)) == "none"
