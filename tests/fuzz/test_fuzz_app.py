"""Hostile answers, uploads and definitions through the whole app: never a 500.

Each property goes as far into the app as a real person would: an answer that is accepted is stored
(redacted, screened) and then shown again on the next page, on "check your answers" and on Change; an
import that is accepted is committed and its list page shown; a definition that is accepted is saved and
every form of an audience built from it for paper entry."""

from __future__ import annotations

import io
import random

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from tests.conftest import csrf_from
from tests.fuzz.conftest import APP_EXAMPLES, fuzz_settings
from tests.fuzz.strategies import near, texts, weighted
from tests.fuzz.test_fuzz_imports import (
    BILLION_LAUGHS,
    DEFINITION_TEXTS,
    KEEP,
    MUTATIONS,
    ORG_CELLS,
    ORG_COLUMNS,
    POPULATION_CELLS,
    TEMPLATE,
    fuzz_app,
    mutated,
    paper_tables,
    raw_bytes,
    tables,
    to_csv,
    to_xlsx,
)
from tests.fuzz.test_fuzz_questions import AREAS, allowed_values

__all__ = ["fuzz_app"]  # the module-scoped app fixture, shared with the import fuzzers
NOISE_FIELDS = ["skip", "continue_", "q", "message", "website", "x", "more", "csrf_token", "lang"]
RESPONDENT_AUDIENCES = ["child_5_8", "child_8_11", "young_12_17", "parent_carer"]


@pytest.fixture(scope="module")
def planner(fuzz_app):  # type: ignore[no-untyped-def]
    """Return a signed-in planner of the fuzz partnership and a CSRF token for their session."""
    from consult.data import users
    from consult.extensions import db
    from tests.conftest import IsolatedClient
    from tests.security.conftest import sign_in

    partnership_id, _ = fuzz_app.fuzz_ids
    fuzz_app.test_client_class = IsolatedClient
    with fuzz_app.app_context():
        user = users.create_user(email=f"fuzz-{random.randrange(10**9)}@example.org", name="F",
                                 password="correct horse battery", roles=["planner"], partnership_id=partnership_id)
        db.session.commit()
        client = fuzz_app.test_client()
        sign_in(client, user.id)
        token = csrf_from(client.get("/staff/login").get_data(as_text=True))
    return client, token


@pytest.fixture(scope="module")
def respondent(fuzz_app):  # type: ignore[no-untyped-def]
    """Return an anonymous client and a CSRF token for its session (each example starts a fresh response)."""
    from tests.conftest import IsolatedClient

    fuzz_app.test_client_class = IsolatedClient
    client = fuzz_app.test_client()
    return client, csrf_from(client.get("/staff/login").get_data(as_text=True))


# The fuzz consultation is made from the shipped template: its questions are the template's.
AUDIENCES = {a.audience: a for a in TEMPLATE.audiences if a.audience in RESPONDENT_AUDIENCES}


def _fields_for(question):  # type: ignore[no-untyped-def]
    from forms import build_form

    names = list(build_form(question, "en", area_options=AREAS)().answer_fields)
    offered = sorted(allowed_values(question, AREAS)) or ["yes"]
    name = weighted((3, st.sampled_from(names)), (1, st.sampled_from(NOISE_FIELDS)))
    return st.lists(st.tuples(name, st.one_of(near(offered), texts)), max_size=6)


POSTED = {(a, q.core_id): _fields_for(q) for a, aud in AUDIENCES.items() for q in aud.questions}
WHERE = st.sampled_from(sorted(AUDIENCES)).flatmap(
    lambda a: st.tuples(st.just(a), st.sampled_from(range(len(AUDIENCES[a].questions)))))


@fuzz_settings(APP_EXAMPLES)
@given(where=WHERE, data=st.data(), mode=st.sampled_from(["form", "chat", "chat_follow_up"]),
       lang=st.sampled_from(TEMPLATE.languages), easy=st.booleans(), right_q=st.sampled_from([True] * 9 + [False]),
       with_token=st.sampled_from([True] * 9 + [False]), then_send=st.booleans())
def test_hostile_answers_through_the_respond_pages_never_500(fuzz_app, respondent, where, data, mode, lang, easy,  # type: ignore[no-untyped-def]
                                                             right_q, with_token, then_send) -> None:
    from consult.data import consultations, responses
    from consult.extensions import db
    from consult.services import answers as answers_service
    from forms import AnswerData
    from forms.types import SKIPPED

    client, token = respondent
    audience, index = where
    qdef = AUDIENCES[audience].questions[index]
    core_id = qdef.core_id
    event(f"question type: {qdef.type}")
    follow = mode == "chat_follow_up" and bool(qdef.follow_up)
    with fuzz_app.app_context():
        # A fresh person part-way through: in chat, the questions before this one are answered (skipped).
        consultation = consultations.get(fuzz_app.fuzz_ids[1])
        variant = consultations.variant_for(consultation, audience)
        questions = {q.core_id: q for q in responses.questions_for(variant)}
        response, code = responses.start_response(consultation, variant, language=lang, channel="online_form",
                                                  easy_read=easy)
        if mode != "form":
            for earlier in AUDIENCES[audience].questions[:index]:
                answers_service.save(response, questions[earlier.core_id], SKIPPED)
        if follow:  # a short answer given: chat asks once for a bit more
            answers_service.save(response, questions[core_id], AnswerData(text="ok"))
        db.session.commit()
        state = {"slug": "fuzz", "rid": response.id, "code": code, "mode": "form" if mode == "form" else "chat",
                 "easy": easy} | ({"follow": core_id} if follow else {})
    with client.session_transaction() as sess:
        sess["respond"], sess["lang"] = state, lang
    posted = data.draw(POSTED[(audience, core_id)], label="posted")
    if follow:
        posted = [("more" if n in ("answer", "why") else n, v) for n, v in posted]
    q_value = (f"{core_id}:more" if follow else core_id) if right_q else data.draw(near([core_id]), label="q")
    posted = [*posted, ("q", q_value)] + ([("csrf_token", token)] if with_token else [])
    url = f"/c/fuzz/q/{core_id}" if mode == "form" else "/c/fuzz/chat"
    answer = client.post(url, data=MultiDict(posted))
    assert answer.status_code < 500, (url, answer.status_code)
    event(f"{mode}: {answer.status_code}")
    if answer.status_code == 303:  # stored: the next page, check answers and Change show it again
        for page in (answer.headers["Location"], "/c/fuzz/check", f"/c/fuzz/q/{core_id}?change=1"):
            shown = client.get(page)
            assert shown.status_code < 500, (page, shown.status_code)
        if then_send:
            sent = client.post("/c/fuzz/check", data={"csrf_token": token, "may_quote": "y"})
            assert sent.status_code < 500, sent.status_code


ORGS = "/planner/organisations/import"
PAPER = "/planner/c/{id}/paper/import"
POPULATION = "/planner/c/{id}/population"
UPLOADS = st.one_of(
    tables(ORG_COLUMNS, ORG_CELLS).map(lambda t: (ORGS, "orgs.csv", to_csv(*t))),
    paper_tables(TEMPLATE, TEMPLATE.languages, xlsx=False).map(lambda t: (PAPER, "paper.csv", to_csv(*t))),
    paper_tables(TEMPLATE, TEMPLATE.languages, xlsx=True).map(lambda t: (PAPER, "paper.xlsx", to_xlsx(*t))),
    tables(["audience", "area", "count"], POPULATION_CELLS).map(lambda t: (POPULATION, None, to_csv(*t))),
    st.tuples(st.sampled_from([ORGS, PAPER]), st.sampled_from(["x.csv", "x.xlsx", "x.pdf", "", "../../x.csv"]),
              raw_bytes),
)


@fuzz_settings(APP_EXAMPLES)
@given(upload=UPLOADS, with_token=st.sampled_from([True] * 9 + [False]))
# Found by the fuzzers (each a 500 on PostgreSQL): a cell longer than its column; a count int() cannot read.
@example(upload=(ORGS, "orgs.csv", b"name,type,area\nGlenbrae Youth Club,provides," + b"x" * 201 + b"\n"),
         with_token=True)
@example(upload=(POPULATION, None, "audience,area,count\nchild_5_8,north,\u00b2\n".encode()), with_token=True)
@example(upload=(POPULATION, None, b"audience,area,count\nchild_5_8,north,2147483648\n"), with_token=True)
def test_hostile_uploads_never_500(fuzz_app, planner, upload, with_token) -> None:  # type: ignore[no-untyped-def]
    client, token = planner
    target, name, data = upload
    target = target.format(id=fuzz_app.fuzz_ids[1])
    form = {"csrf_token": token} if with_token else {}
    if name is None:  # the population counts are pasted into a text box
        form["population_csv"] = data.decode("utf-8", "replace")
        response = client.post(target, data=form)
    else:
        form["file"] = (io.BytesIO(data), name)
        response = client.post(target, data=form, content_type="multipart/form-data")
    assert response.status_code < 500, (target, name, response.status_code)
    kind = "population" if name is None else "organisations" if target == ORGS else name.rsplit(".", 1)[-1]
    event(f"{kind}: {response.status_code}")
    if response.status_code == 400 and with_token and name is not None and data:
        assert "error-summary-title" in response.get_data(as_text=True), "a refused file with no clear error"
    if response.status_code in (302, 303):  # imported: the page it lands on shows what came in
        shown = client.get(response.headers["Location"])
        assert shown.status_code < 500, (response.headers["Location"], shown.status_code)
        if target == ORGS:
            assert client.get("/planner/organisations").status_code < 500


# Up to three mistakes (none: an audience or two of the template, which saves).
MUTANTS = st.builds(mutated, st.integers(0, 2**32), KEEP, st.lists(MUTATIONS.map(lambda m: m[0]), max_size=3),
                    st.sampled_from(["yaml", "json"]))
DEFINITIONS = weighted((6, MUTANTS), (1, DEFINITION_TEXTS))


@fuzz_settings(APP_EXAMPLES)
@given(text=DEFINITIONS, with_token=st.sampled_from([True] * 9 + [False]), pick=st.integers(0, 10**6))
# Found by the fuzzers (each was a 500): nesting past Python's recursion limit, a number too long for int(),
# a mistyped date; and a "billion laughs" that took minutes and gigabytes to turn into error messages.
@example(text="[" * 1_000, with_token=True, pick=0)
@example(text='{"id": ' + "9" * 5000 + "}", with_token=True, pick=0)
@example(text="id: 2024-13-45\n", with_token=True, pick=0)
@example(text=BILLION_LAUGHS, with_token=True, pick=0)
def test_hostile_definitions_never_500(fuzz_app, planner, text, with_token, pick) -> None:  # type: ignore[no-untyped-def]
    from consult.data import consultations

    client, token = planner
    consultation_id = fuzz_app.fuzz_definition_id
    url = f"/planner/c/{consultation_id}/definition"
    response = client.post(url, data={"definition": text} | ({"csrf_token": token} if with_token else {}))
    assert response.status_code < 500, response.status_code
    event(f"definition: {response.status_code}")
    if response.status_code == 400 and with_token:
        assert "error-summary-title" in response.get_data(as_text=True), "refused with no clear error"
    if response.status_code == 303:  # saved: it shows again, and builds every form of an audience
        assert client.get(url).status_code == 200
        with fuzz_app.app_context():
            c = consultations.get(consultation_id)
            audiences, languages = [v.audience for v in c.variants], list(c.languages)
        audience, lang = audiences[pick % len(audiences)], languages[pick // 7 % len(languages)]
        page = f"/planner/c/{consultation_id}/paper/enter?audience={audience}&channel=paper&language={lang}"
        shown = client.get(page)
        assert shown.status_code == 200, (page, shown.status_code)
