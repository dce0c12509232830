"""The form-based question editor and the preview: add, reorder, remove, edit with a version lock, preview."""

from __future__ import annotations

import hashlib
import re

from consult.data import consultations
from consult.extensions import db
from consult.models import Answer, Response
from tests.conftest import csrf_from
from tests.consult.planner.builder_helpers import make_consultation, make_plan

HARD = "Notwithstanding considerable institutional complexity, how would you characterise neighbourhood safety?"


def _setup(partnership, as_role):  # type: ignore[no-untyped-def]
    c = make_consultation(make_plan(partnership), audiences=["child_8_11", "parent_carer"], languages=["en", "gd"])
    return c, as_role("planner")


def _core_ids(c, audience: str) -> list[str]:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return consultations.definition_of(c).audience(audience).core_ids


def _edit_page(client, c, audience: str, core: str) -> str:  # type: ignore[no-untyped-def]
    return client.get(f"/planner/c/{c.id}/questions/{audience}/{core}").get_data(as_text=True)


def _fields(html: str) -> dict[str, str]:
    """Return the edit form's fields as a browser would post them (text boxes, selects, ticked boxes)."""
    data = {m[0]: m[1] for m in re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"', html)}
    data.update({m[0]: m[1] for m in re.findall(r'<input[^>]*id="([^"]+)"[^>]*name="[^"]+"[^>]*type="text" value="([^"]*)"', html)})
    for name, body in re.findall(r"<textarea[^>]*name=\"([^\"]+)\"[^>]*>\r?\n?(.*?)</textarea>", html, flags=re.S):
        data[name] = body.replace("&#39;", "'").replace("&amp;", "&")
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, flags=re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', body)
        data[name] = next((g for g in chosen.groups() if g is not None), "") if chosen else ""
    data.update({n: "y" for n in re.findall(r'<input checked[^>]*name="([^"]+)"', html)})
    data["csrf_token"] = csrf_from(html)
    return data


def test_add_move_and_remove_questions_keeping_one_core_id_across_audiences(app, partnership, as_role) -> None:
    c, client = _setup(partnership, as_role)
    page = client.get(f"/planner/c/{c.id}/questions")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Children aged 8 to 11" in html and "core id" in html
    token = csrf_from(html)
    refused = client.post(f"/planner/c/{c.id}/questions/add", data={
        "csrf_token": token, "qtype": "single_choice", "wording": "Which bus do you take?"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Choose at least one audience to ask" in text and "Which bus do you take?" in text
    added = client.post(f"/planner/c/{c.id}/questions/add", data={
        "csrf_token": token, "audience": ["child_8_11", "parent_carer"], "qtype": "single_choice",
        "wording": "Which bus do you take?", "options": "The number 5\nThe number 12\n"})
    assert added.status_code == 303 and added.headers["Location"].endswith("/questions/child_8_11/which_bus_do_you_take")
    for audience in ("child_8_11", "parent_carer"):
        assert _core_ids(c, audience)[-1] == "which_bus_do_you_take"
    options = consultations.definition_of(c).audience("parent_carer").question("which_bus_do_you_take").options
    assert [(o.value, o.label["en"]) for o in options] == [("the_number_5", "The number 5"), ("the_number_12", "The number 12")]

    before = _core_ids(c, "child_8_11")
    moved = client.post(f"/planner/c/{c.id}/questions/child_8_11/which_bus_do_you_take/move",
                        data={"csrf_token": token, "direction": "up"})
    assert moved.status_code == 303
    assert _core_ids(c, "child_8_11") == [*before[:-2], before[-1], before[-2]]
    assert _core_ids(c, "parent_carer")[-1] == "which_bus_do_you_take"  # only that audience's order changed

    removed = client.post(f"/planner/c/{c.id}/questions/parent_carer/which_bus_do_you_take/remove",
                          data={"csrf_token": token})
    assert removed.status_code == 303
    assert "which_bus_do_you_take" not in _core_ids(c, "parent_carer")
    assert "which_bus_do_you_take" in _core_ids(c, "child_8_11")
    assert "Removed ‘Which bus do you take?’" in client.get(removed.headers["Location"]).get_data(as_text=True)


def test_editing_one_audiences_wording_shows_readability_and_keeps_the_core_id(app, partnership, as_role) -> None:
    c, client = _setup(partnership, as_role)
    data = _fields(_edit_page(client, c, "child_8_11", "feel_safe"))
    assert data["text_en"] == "How safe do you feel where you live?" and data["version"] == "1"
    data.update(text_en=HARD, text_gd="")
    saved = client.post(f"/planner/c/{c.id}/questions/child_8_11/feel_safe", data=data)
    assert saved.status_code == 303
    html = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Saved the question." in html and "(target 80 or more)" in html and "Misses the target." in html
    definition = (db.session.expire_all(), consultations.definition_of(c))[1]
    assert definition.audience("child_8_11").question("feel_safe").text == {"en": HARD}
    assert definition.audience("parent_carer").question("feel_safe").text["en"] != HARD  # its own wording
    assert _fields(html)["version"] == "2"
    score = client.post(f"/planner/c/{c.id}/readability/child_8_11", data={"csrf_token": csrf_from(html),
                                                                           "text": "Do you feel safe?"})
    assert score.json["ok"] is True and "Meets the target." in score.json["message"]

    data = _fields(html)
    data.update(text_en="", text_gd="A bheil thu sàbhailte?")
    empty = client.post(f"/planner/c/{c.id}/questions/child_8_11/feel_safe", data=data)
    body = empty.get_data(as_text=True)
    assert empty.status_code == 400 and 'href="#text_en">English text is required' in body
    assert "A bheil thu sàbhailte?" in body  # what was typed is kept


def test_second_planner_saving_the_same_question_sees_their_version_and_keeps_own_text(
        app, partnership, as_role, make_user, login) -> None:
    c, first = _setup(partnership, as_role)
    mine = _fields(_edit_page(first, c, "child_8_11", "wellbeing"))
    theirs = dict(mine)
    theirs["text_en"] = "How do you feel on a normal day?"
    assert first.post(f"/planner/c/{c.id}/questions/child_8_11/wellbeing", data=theirs).status_code == 303
    mine["text_en"] = "How are you most days?"
    late = first.post(f"/planner/c/{c.id}/questions/child_8_11/wellbeing", data=mine)
    html = late.get_data(as_text=True)
    assert late.status_code == 409
    assert "This question was changed by someone else" in html and "Their version" in html
    assert "How do you feel on a normal day?" in html.split("Their version (saved by someone else)")[1].split("<form")[0]
    assert "How are you most days?</textarea>" in html  # my text is kept in the form
    db.session.expire_all()
    assert consultations.definition_of(c).audience("child_8_11").question("wellbeing").text["en"] == \
        "How do you feel on a normal day?"
    again = _fields(html)  # saving again, having seen theirs, replaces it
    assert first.post(f"/planner/c/{c.id}/questions/child_8_11/wellbeing", data=again).status_code == 303
    db.session.expire_all()
    assert consultations.definition_of(c).audience("child_8_11").question("wellbeing").text["en"] == \
        "How are you most days?"


def test_answered_question_cannot_be_removed_or_retyped(app, partnership, as_role) -> None:
    c, client = _setup(partnership, as_role)
    variant = next(v for v in c.variants if v.audience == "child_8_11")
    question = next(q for q in variant.questions if q.core_id == "good_things")
    r = Response(consultation_id=c.id, variant_id=variant.id, audience="child_8_11", language="en",
                 channel="online_form", status="submitted", receipt_hash=hashlib.sha256(b"x").hexdigest())
    db.session.add(r)
    db.session.flush()
    db.session.add(Answer(response_id=r.id, question_id=question.id, core_id="good_things", text="The park."))
    db.session.commit()
    token = csrf_from(client.get(f"/planner/c/{c.id}/questions").get_data(as_text=True))
    refused = client.post(f"/planner/c/{c.id}/questions/child_8_11/good_things/remove", data={"csrf_token": token})
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "cannot be removed: people have answered it" in page and "Answered: cannot be removed" in page
    assert "good_things" in _core_ids(c, "child_8_11")
    data = _fields(_edit_page(client, c, "child_8_11", "good_things"))
    data["type"] = "short_text"
    retyped = client.post(f"/planner/c/{c.id}/questions/child_8_11/good_things", data=data)
    html = retyped.get_data(as_text=True)
    assert retyped.status_code == 400 and 'href="#type">Cannot change from long_text to short_text' in html


def test_preview_in_gaelic_chat_mode_checks_answers_but_stores_nothing(app, partnership, as_role) -> None:
    c, client = _setup(partnership, as_role)
    url = f"/planner/c/{c.id}/preview?audience=child_8_11&lang=gd&mode=chat"
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'lang="gd"' in html
    assert "A bheil thu sàbhailte far a bheil thu a&#39; fuireach?" in html and "Leum seachad" in html  # Skip, in Gàidhlig
    turn = client.post(url, data={"csrf_token": csrf_from(html), "q": "feel_safe", "answer": "4"})
    after = turn.get_data(as_text=True)
    assert turn.status_code == 200 and "Sàbhailte" in after.split('id="chat-log"')[1]
    assert "Ciamar a tha thu a&#39; faireachdainn" in after  # the next question
    form = client.get(f"/planner/c/{c.id}/preview?audience=parent_carer&mode=form")
    assert form.status_code == 200 and "Question 1 of" in form.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Response)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 0


def test_another_partnerships_consultation_is_not_found(app, partnership, as_role) -> None:
    other = consultations.create_partnership(name="Other", local_authority="O", health_board="NHS O", areas=[])
    theirs = make_consultation(make_plan(other), audiences=["child_8_11"], slug="theirs")
    client = as_role("planner")
    for path in ("questions", "questions/child_8_11/feel_safe", "preview", "definition", "definition.yaml"):
        assert client.get(f"/planner/c/{theirs.id}/{path}").status_code == 404, path
