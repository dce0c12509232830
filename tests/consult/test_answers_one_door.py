"""One door for answers: the same answers given in form mode, in chat, on paper and by the demo loader are
stored alike (text, words as typed, follow-up, redaction, flags); an organisation's shared draft stores
what a paper copy of the same response stores."""

from __future__ import annotations

import random

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from tests.conftest import csrf_from
from tests.consult.respond.conftest import Respondent, csp  # noqa: F401  (the shipped template, open now)
from tests.consult.respond.test_chat import turn

PII = "The park by the river is the best, email jo.bloggs@example.com if you want to play football there with us"
DISCLOSURE = "My dad hits me when he is angry and I have to wear long sleeves so nobody sees."

# One child's answers (8-11), as the form's fields: each channel posts or builds exactly these.
FIELDS: dict[str, list[tuple[str, str]]] = {
    "feel_safe": [("answer", "4")],
    "wellbeing": [("answer", "5")],
    "good_things": [("answer", PII)],
    "more_of": [("answer", "places_to_play"), ("answer", "clubs")],
    "top_three": [("rank_1", "clubs"), ("rank_2", "places_to_play")],
    "listened_to": [("answer", "not_sure")],
    "change_one_thing": [("answer", DISCLOSURE)],
    "area": [("answer", "north")],
    "groups": [],  # skipped
    "anything_else": [],  # skipped
}
QUICK = {"feel_safe", "wellbeing", "listened_to", "area"}  # chat: one tap, no Send button


def _stored(response_id: int) -> dict:  # type: ignore[no-untyped-def]
    """Return what is stored of a response: each answer's columns and its flags, and the response's own marks."""
    from consult.extensions import db
    from consult.models import Answer, Response, SafeguardingFlag

    db.session.expire_all()
    response = db.session.get(Response, response_id)
    answers = {}
    for a in db.session.scalars(select(Answer).where(Answer.response_id == response_id)):
        flags = db.session.scalars(select(SafeguardingFlag).where(SafeguardingFlag.answer_id == a.id)).all()
        answers[a.core_id] = {
            "value": a.value, "skipped": a.skipped, "text": a.text, "text_original": a.text_original,
            "follow_up": a.follow_up, "quote_status": a.quote_status,
            "flags": [(sorted(f.categories), sorted(f.triggers), f.needs_human, f.reason, f.language,
                       [(e["category"], e["sentence"], e["start"], e["end"]) for e in f.evidence]) for f in flags]}
    return {"status": response.status, "safeguarding": response.safeguarding,
            "area": response.area.code if response.area else None, "answers": answers}


def _by_form(client) -> int:  # type: ignore[no-untyped-def]
    person = Respondent(client, "csp")
    person.start("child_8_11", "form")
    for core_id, items in FIELDS.items():
        person.answer(core_id, items + ([("continue_", "1")] if items else [("skip", "1")]))
    assert person.post("/c/csp/check", {"send": "1"}).request.path == "/c/csp/done"
    return _only_response("online_form")


def _by_chat(client) -> int:  # type: ignore[no-untyped-def]
    person = Respondent(client, "csp")
    person.start("child_8_11", "chat")
    for core_id, items in FIELDS.items():
        page = turn(client, "csp", items + ([] if core_id in QUICK else [("continue_", "1")] if items
                                            else [("skip", "1")]))
        assert page.status_code == 200 and "There is a problem" not in page.get_data(as_text=True), core_id
    assert person.post("/c/csp/check", {"send": "1"}).request.path == "/c/csp/done"
    return _only_response("online_chat")


def _by_paper(client, consultation, make_user, login) -> int:  # type: ignore[no-untyped-def]
    make_user("planner", email="planner@example.org")
    login("planner@example.org")
    url = f"/planner/c/{consultation.id}/paper/enter?audience=child_8_11&channel=paper&language=en"
    html = client.get(url).get_data(as_text=True)
    posted = [(f"{core_id}-{name}", value) for core_id, items in FIELDS.items() for name, value in items]
    assert client.post(url, data=MultiDict([("csrf_token", csrf_from(html)), *posted])).status_code == 303
    return _only_response("paper")


def _as_answer_data(consultation, audience: str, fields: dict[str, list[tuple[str, str]]]) -> dict:  # type: ignore[no-untyped-def]
    """Return the answers as the forms package reads them from these fields (blank: skipped)."""
    from flask import current_app

    from consult.data import consultations
    from consult.services.paper_import import check_answer

    aud = consultations.definition_of(consultation).audience(audience)
    areas = [(a.code, a.name) for a in consultation.plan.partnership.areas]
    out = {}
    with current_app.test_request_context():  # the built forms' labels are translated strings
        for core_id, items in fields.items():
            data, errors = check_answer(aud.question(core_id), MultiDict(items), "en", areas)
            assert not errors, (core_id, errors)
            out[core_id] = data
    return out


def _by_demo(consultation) -> int:  # type: ignore[no-untyped-def]
    from consult.demo import _Generator
    from consult.extensions import db

    class Steady(random.Random):
        """The demo's dice, fixed: the first audience, language and channel; nothing special."""

        def choices(self, population, weights=None, *, cum_weights=None, k=1):  # type: ignore[no-untyped-def]
            return [population[0]] * k

        def random(self) -> float:
            return 0.5

    made = _as_answer_data(consultation, "child_8_11", FIELDS)
    generator = _Generator(Steady(), {}, consultation, [], consultation.opens_on)
    generator.pick_audience = lambda: "child_8_11"  # type: ignore[method-assign]
    generator.answer = lambda question, audience, language: made[question.core_id]  # type: ignore[method-assign]
    response = generator.make_response()
    db.session.commit()
    return response.id


def _only_response(channel: str) -> int:
    from consult.extensions import db
    from consult.models import Response

    return db.session.scalars(select(Response.id).where(Response.channel == channel)).one()


def test_the_same_answers_are_stored_alike_by_form_chat_paper_and_demo(app, csp, client, make_user,  # type: ignore[no-untyped-def]  # noqa: F811
                                                                      login) -> None:
    form = _stored(_by_form(app.test_client()))
    chat = _stored(_by_chat(app.test_client()))
    paper = _stored(_by_paper(client, csp, make_user, login))
    demo = _stored(_by_demo(csp))
    # What was stored is what the policy says, whatever the channel: redacted, the disclosure flagged and its
    # typed words kept for the safeguarding lead only, the other typed words gone once the answers were sent.
    good, harm = form["answers"]["good_things"], form["answers"]["change_one_thing"]
    assert "jo.bloggs@example.com" not in good["text"] and good["text_original"] is None and not good["flags"]
    assert harm["flags"] and harm["text_original"] == DISCLOSURE and form["safeguarding"] is True
    assert good["follow_up"] is None and form["answers"]["groups"]["skipped"] and form["area"] == "north"
    assert form["status"] == "submitted"
    for name, other in (("chat", chat), ("paper", paper), ("demo", demo)):
        assert set(other["answers"]) == set(form["answers"]), name
        for core_id, stored in form["answers"].items():
            assert other["answers"][core_id] == stored, (name, core_id)
        assert {k: v for k, v in other.items() if k != "answers"} == {k: v for k, v in form.items()
                                                                        if k != "answers"}, name


ORG_FIELDS = {
    "priority_mental_health": [("answer", "partly"), ("why", "Ask Ann Smith on 07700 900123: waiting lists are long")],
    "org_gaps": [("answer", "Transport to services from the villages, write to help@familyhub.example.org")],
}


def test_an_organisations_draft_stores_what_its_paper_copy_stores(app, csp) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from consult.data import consultations, org_responses, responses
    from consult.extensions import db
    from consult.models import Contact, Organisation
    from consult.services import answers as answers_service
    from consult.services.paper_import import enter_response

    made = _as_answer_data(csp, "organisation", ORG_FIELDS)
    org = Organisation(partnership_id=csp.plan.partnership_id, name="Family Hub", name_key="family hub",
                       org_type="provides")
    org.contacts.append(Contact(name="Ann", email="ann@familyhub.example.org"))
    db.session.add(org)
    db.session.flush()
    draft = org_responses.get_or_start(csp, org, "organisation")
    questions = {q.core_id: q for q in responses.questions_for(consultations.variant_for(csp, "organisation"))}
    for core_id, data in made.items():
        answers_service.save_org_part(draft, questions[core_id], data, contact=org.contacts[0], expected_version=0)
    answers_service.submit_org(draft, org.contacts[0])
    paper, _flagged = enter_response(csp, "organisation", channel="paper", language="en", answers=made, user_id=None)
    db.session.commit()
    online, on_paper = _stored(draft.id), _stored(paper.id)
    assert online == on_paper
    why = online["answers"]["priority_mental_health"]
    assert why["value"] == "partly" and "07700 900123" not in why["text"] and why["text_original"] is None
    assert not online["safeguarding"]  # an organisation writing about its work is not screened
