"""'Delete my answers' after every stage: analysis, moderation, an export, publishing.

Issue 15, finding 3: deleting by receipt code failed with a 500 once the analysis had run (theme
codings referenced the answers), and the response stayed although the privacy notice promises
deletion. After deleting, the person's words must be in no column of any table and on no page;
only a flagged answer stays, for the safeguarding lead.
"""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from consult.extensions import db
from tests.conftest import csrf_from
from tests.consult.planner.downloads import download
from tests.consult.respond.conftest import Respondent, make_consultation, receipt_code
from tests.consult.respond.test_form_mode import CSP_8_11, complete

# Lower-case made-up words: the redactor takes capitalised words for names, and these must be kept.
WORDS = "zqxerase the swings in the park are broken and the slide is rusty"
MORE = "zqxerase more buses so we can get to the swimming pool after school"
MARK = "zqxerase"
DISCLOSURE = "My dad hits me when he is angry and I have to wear long sleeves so nobody sees."
STAFF = "erasure-staff@example.org"
STAGES = ["analysis", "moderation", "export", "published"]


def _filler(consultation, n: int = 10) -> None:  # type: ignore[no-untyped-def]
    from consult.data import consultations, responses
    from consult.services import answers as answers_service
    from forms import AnswerData

    variant = consultations.variant_for(consultation, "child_8_11")
    question = next(q for q in responses.questions_for(variant) if q.core_id == "change_one_thing")
    for i in range(n):
        response, _code = responses.start_response(consultation, variant, language="en", channel="online_form")
        answers_service.save(response, question, AnswerData(value=None, text=f"the swings at the park are broken {i}"))
        answers_service.submit(response)
    db.session.commit()


def _send(client, *, extra: dict | None = None) -> str:  # type: ignore[no-untyped-def]
    """Answer as a child through the pages, with MARK in two free-text answers; return the receipt code."""
    answers = dict(CSP_8_11)
    answers["change_one_thing"] = {"answer": WORDS}
    answers["good_things"] = {"answer": MORE}
    answers.update(extra or {})
    r = Respondent(client, "csp")
    r.start()
    complete(r, answers)
    r.post("/c/csp/check", {"send": "1"})
    return receipt_code(r.text())


def _staff(app, make_user):  # type: ignore[no-untyped-def]
    make_user("planner", "moderator", "tsi", email=STAFF)
    client = app.test_client()
    token = csrf_from(client.get("/staff/login").get_data(as_text=True))
    client.post("/staff/login", data={"email": STAFF, "password": "correct horse battery", "csrf_token": token})
    return client


def _the_person(code: str):  # type: ignore[no-untyped-def]
    from consult.data import responses

    return responses.find_by_receipt(code)


def _reach_stage(stage: str, consultation, code: str, staff) -> None:  # type: ignore[no-untyped-def]
    """Do what happens to answers up to and including the stage, through the code staff use."""
    from consult.data import actions, sector, themes
    from consult.models import Answer, Theme
    from consult.services.analysis_run import analyse_consultation

    person = _the_person(code)
    person.may_quote = True
    db.session.commit()
    analyse_consultation({"consultation_id": consultation.id}, lambda *_a, **_k: None)
    db.session.commit()
    mine = [a for a in person.answers if a.text and MARK in a.text]
    assert len(mine) == 2, "the two answers were stored and analysed"
    # What a planner, the analysis and the TSI make from the answers.
    active = themes.themes_for(consultation)
    themes.set_human_code(mine[0], active[0], present=True, coder_id=None)
    themes.split_theme(consultation, active[0], "Broken play parks", [mine[0].id], coder_id=None)
    themes.replace_proposed_emergent(consultation, [Theme(
        consultation_id=consultation.id, key="emergent-buses", name="Buses", source="emergent", status="proposed",
        examples=[mine[1].text, "the swings at the park are broken 1"])])
    point = sector.get_or_create(consultation)
    sector.replace_points(point, [sector.Draft(text=f"Play parks\n– {sector._excerpt(mine[0].text)}\n– other words",
                                               theme_id=active[0].id)])
    db.session.commit()
    if stage == "analysis":
        return
    assert themes.propose_quote(consultation, mine[0])
    assert themes.moderate_quote(mine[0].id, approve=True) is not None
    db.session.commit()
    assert db.session.get(Answer, mine[0].id).quote_status == "approved"
    if stage == "moderation":
        return
    c = consultation.id
    exported = download(staff, f"/planner/c/{c}/trace", f"/planner/c/{c}/trace.csv")
    assert exported.status_code == 200
    if stage == "export":
        return
    actions.create_action(consultation, status="done", theme=active[0], priority=None, plan_action=None,
                          texts={"en": {"adult": "We fixed the swings.", "child": "We fixed the swings."}},
                          reason="", user_id=None)
    actions.publish(consultation)
    db.session.commit()


def _delete(app, client, code: str, *, closed: bool) -> None:
    if closed:  # after publishing the receipt page no longer opens; the partnership erases on request
        result = app.test_cli_runner().invoke(args=["planner", "erase-answers", code.lower()])
        assert result.exit_code == 0, result.output
        return
    client._cookies.clear()
    r = Respondent(client, "csp")
    r.post("/receipt", {"code": code})
    page = r.post("/c/csp/delete", {"delete": "1"})
    assert page.status_code == 200 and page.request.path == "/deleted", page.get_data(as_text=True)[:500]


def rows_holding(text: str) -> list[str]:
    """Return 'table.column' for every stored value (any column, JSON included) that holds text."""
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()).mappings():
            for column, value in row.items():
                if value is None:
                    continue
                shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
                if text in shown:
                    found.append(f"{table.name}.{column}")
    return sorted(set(found))


def _page_urls(app, consultation) -> list[str]:  # type: ignore[no-untyped-def]
    """Every GET page of the staff and public sides, with this consultation's ids filled in."""
    from consult.models import Answer, Response, Theme

    ids = {
        "consultation_id": [consultation.id], "cid": [consultation.id], "slug": [consultation.slug],
        "theme_id": list(db.session.scalars(select(Theme.id).where(Theme.consultation_id == consultation.id))),
        "priority_id": [p.id for p in consultation.plan.priorities],
        "answer_id": list(db.session.scalars(select(Answer.id).join(Response).where(
            Response.consultation_id == consultation.id))),
        "lang": ["en"], "audience": ["child_8_11"],
    }
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        if rule.endpoint.split(".")[0] not in ("planner", "tsi", "public", "admin", "core"):
            continue
        if not set(rule.arguments) <= set(ids):
            continue
        combos = [{}]
        for arg in sorted(rule.arguments):
            combos = [{**c, arg: v} for c in combos for v in ids[arg]]
        with app.test_request_context():
            from flask import url_for

            urls += [url_for(rule.endpoint, **c) for c in combos]
    return sorted(set(urls))


def pages_holding(app, staff, consultation, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    public = app.test_client()
    found = []
    for url in _page_urls(app, consultation):
        for client in (staff, public):
            if text.encode() in client.get(url).data:
                found.append(url)
    c = consultation.id
    for page, path in ((f"/planner/c/{c}/trace", f"/planner/c/{c}/trace.csv"),
                       (f"/planner/c/{c}/pack", f"/planner/c/{c}/pack.csv")):
        if text.encode() in download(staff, page, path).data:
            found.append(path)
    return sorted(set(found))


@pytest.mark.parametrize("stage", STAGES)
def test_delete_my_answers_after_each_stage_leaves_no_trace(app, client, make_user, stage) -> None:  # type: ignore[no-untyped-def]
    consultation = make_consultation(__import__("forms").load_template("childrens-services-plan"), slug="csp")
    _filler(consultation)
    staff = _staff(app, make_user)
    code = _send(client)
    _reach_stage(stage, consultation, code, staff)
    assert rows_holding(MARK) and pages_holding(app, staff, consultation, MARK), "the words were there to find"

    _delete(app, client, code, closed=stage == "published")

    db.session.expire_all()
    person = _the_person(code)
    assert person.status == "withdrawn" and person.answers == []
    assert rows_holding(MARK) == []
    assert pages_holding(app, staff, consultation, MARK) == []
    from consult.models import SectorPoint, Theme

    assert "other words" in db.session.scalars(select(SectorPoint.text)).one(), "other quotes in the point stay"
    assert "the swings at the park are broken 1" in db.session.scalar(
        select(Theme.examples).where(Theme.key == "emergent-buses")), "other people's examples stay"


def test_a_flagged_answer_stays_for_the_safeguarding_lead_only(app, client, make_user) -> None:  # type: ignore[no-untyped-def]
    from consult.models import Answer

    consultation = make_consultation(__import__("forms").load_template("childrens-services-plan"), slug="csp")
    _filler(consultation)
    staff = _staff(app, make_user)
    code = _send(client, extra={"anything_else": {"answer": DISCLOSURE}})
    from consult.services.analysis_run import analyse_consultation

    analyse_consultation({"consultation_id": consultation.id}, lambda *_a, **_k: None)
    db.session.commit()
    _delete(app, client, code, closed=False)
    db.session.expire_all()
    assert rows_holding(MARK) == []
    kept = db.session.scalars(select(Answer).where(Answer.response_id == _the_person(code).id)).all()
    assert len(kept) == 1 and kept[0].core_id == "anything_else" and kept[0].quote_status == "none"
    where = {re.sub(r"\..*", "", place) for place in rows_holding("long sleeves")}
    assert where and where <= {"answer", "safeguarding_flag"}, where
    assert pages_holding(app, staff, consultation, "long sleeves") == []
