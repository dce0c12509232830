"""Creating a consultation without YAML: from the shipped template or a copy, with audiences, languages, dates."""

from __future__ import annotations

from datetime import date

from consult.data import consultations
from consult.extensions import db
from consult.models import Consultation
from tests.conftest import csrf_from
from tests.consult.planner.builder_helpers import make_consultation, make_plan


def _post_new(client, **fields):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get("/planner/consultations/new").get_data(as_text=True))
    data = {"csrf_token": token, "title": "Children's Services Plan 2027", "start_from": "template:childrens-services-plan",
            "opens_on": "2027-05-01", "closes_on": "2027-06-30", **fields}
    return client.post("/planner/consultations/new", data=data)


def test_planner_creates_a_draft_from_the_template_with_chosen_audiences_and_languages(
        app, partnership, as_role) -> None:
    plan = make_plan(partnership)
    client = as_role("planner")
    page = client.get("/planner/consultations/new")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Create a consultation" in html and "Children&#39;s Services Plan consultation" in html
    response = _post_new(client, plan=str(plan.id), audiences=["child_8_11", "parent_carer"], languages=["en", "gd"])
    assert response.status_code == 303 and "/questions" in response.headers["Location"]
    made = db.session.scalar(db.select(Consultation).where(Consultation.plan_id == plan.id))
    assert made.status == "draft" and made.title == {"en": "Children's Services Plan 2027"}
    assert made.slug == "children-s-services-plan-2027" and made.opens_on == date(2027, 5, 1)
    assert [v.audience for v in made.variants] == ["child_8_11", "parent_carer"]
    assert made.languages == ["en", "gd"]
    first = made.variants[0].questions[0]
    assert set(first.spec["text"]) == {"en", "gd"}  # Arabic, Polish and Ukrainian left out everywhere
    editor = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Created the consultation as a draft" in editor and "How safe do you feel where you live?" in editor


def test_closing_before_opening_is_a_field_error_that_keeps_what_was_typed(app, partnership, as_role) -> None:
    plan = make_plan(partnership)
    client = as_role("planner")
    response = _post_new(client, plan=str(plan.id), audiences=["child_8_11"], title="Summer survey",
                         opens_on="2027-06-30", closes_on="2027-05-01")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "<title>Error:" in html
    assert 'href="#closes_on">The closing date must be after the opening date' in html
    assert 'value="Summer survey"' in html and 'value="2027-06-30"' in html
    response = _post_new(client, plan=str(plan.id), audiences=[], opens_on="2027-02-30")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Choose at least one audience" in html
    assert "Opening date must be a real date" in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Consultation)) == 0


def test_a_copy_keeps_core_ids_and_no_answers_and_only_the_partnerships_own_can_be_copied(
        app, partnership, as_role) -> None:
    plan = make_plan(partnership)
    source = make_consultation(plan, audiences=["child_8_11", "young_12_17"], slug="year-one")
    other_p = consultations.create_partnership(name="Other", local_authority="Other Council", health_board="NHS O",
                                               areas=[("east", "East")])
    theirs = make_consultation(make_plan(other_p), slug="theirs-2026")
    client = as_role("planner")
    html = client.get("/planner/consultations/new").get_data(as_text=True)
    assert f'value="copy:{source.id}"' in html and f"copy:{theirs.id}" not in html
    refused = _post_new(client, plan=str(plan.id), audiences=["child_8_11"], start_from=f"copy:{theirs.id}")
    assert refused.status_code == 400 and "Not a valid choice" in refused.get_data(as_text=True)
    missing = _post_new(client, plan=str(plan.id), audiences=["parent_carer"], start_from=f"copy:{source.id}")
    assert missing.status_code == 400 and "has no version for: Parents and carers" in missing.get_data(as_text=True)
    made = _post_new(client, plan=str(plan.id), audiences=["child_8_11", "young_12_17"], title="Review year 2",
                     start_from=f"copy:{source.id}", languages=["en"])
    assert made.status_code == 303
    copy = consultations.get_by_slug("review-year-2-2027")
    for old, new in zip(source.variants, copy.variants, strict=True):
        assert [q.core_id for q in old.questions] == [q.core_id for q in new.questions]
        assert {q.id for q in old.questions}.isdisjoint({q.id for q in new.questions})
    assert copy.languages == ["en"] and consultations.consultation_summaries()[0].submitted == 0
