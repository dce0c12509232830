"""Plans: 3-5 priorities with outcome indicators, yearly values and progress, annual reviews (issue 17)."""

from __future__ import annotations

import re
from datetime import date

from consult.extensions import db
from consult.models import AuditEvent, Plan, PlanReview, Question
from tests.conftest import csrf_from


def _plan_data(n: int, *, title: str = "Lochside plan 2026-29", start: str = "2026-04-01",
               end: str = "2029-03-31") -> dict:
    data = {"title": title, "period_start": start, "period_end": end, "vision": "Every child heard."}
    for i in range(n):
        data[f"priorities-{i}-title"] = f"Priority number {i + 1}"
        data[f"priorities-{i}-description"] = f"What priority {i + 1} means"
        data[f"priorities-{i}-shanarri"] = ["safe", "included"]
        data[f"priorities-{i}-indicators-0-name"] = f"Indicator {i + 1}"
        data[f"priorities-{i}-indicators-0-baseline"] = "40"
        data[f"priorities-{i}-indicators-0-target"] = "60"
        data[f"priorities-{i}-indicators-0-unit"] = "%"
        data[f"priorities-{i}-indicators-0-direction"] = "up"
    return data


def _post(client, url: str, data: dict):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def test_a_plan_with_four_priorities_and_indicators_is_saved(app, as_role) -> None:
    client = as_role("planner")
    r = _post(client, "/planner/plans/new", _plan_data(4))
    assert r.status_code == 303, r.get_data(as_text=True)[:2000]
    plan = Plan.query.one()
    assert [p.title for p in plan.priorities] == [f"Priority number {i}" for i in range(1, 5)]
    assert plan.priorities[0].shanarri == ["safe", "included"]
    ind = plan.priorities[2].indicators[0]
    assert (ind.name, ind.baseline, ind.target, ind.unit) == ("Indicator 3", 40.0, 60.0, "%")
    page = client.get(r.location).get_data(as_text=True)
    assert "Priority number 4" in page and "Indicator 3" in page and "2026/27" in page
    assert AuditEvent.query.filter_by(action="plan.save").count() == 1


def test_two_or_seven_priorities_and_overlapping_periods_get_field_messages_and_keep_the_words(app, as_role) -> None:
    client = as_role("planner")
    r = _post(client, "/planner/plans/new", _plan_data(2))
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and "A plan has 3 to 5 priorities. You have written 2" in page
    assert 'href="#priorities-fieldset"' in page and 'value="Priority number 2"' in page
    assert "Every child heard." in page

    seven = _post(client, "/planner/plans/new", _plan_data(7))
    page = seven.get_data(as_text=True)
    assert seven.status_code == 400 and "You have written 7" in page and 'value="Priority number 7"' in page
    assert Plan.query.count() == 0

    assert _post(client, "/planner/plans/new", _plan_data(3)).status_code == 303
    clash = _post(client, "/planner/plans/new", _plan_data(3, title="Another", start="2028-04-01", end="2031-03-31"))
    page = clash.get_data(as_text=True)
    assert clash.status_code == 400 and "overlaps" in page and 'id="period_start-error"' in page
    assert 'value="Another"' in page

    bad = _plan_data(3, title="Later", start="2029-04-01", end="2032-03-31")
    bad["priorities-1-indicators-0-baseline"] = "about forty"
    r = _post(client, "/planner/plans/new", bad)
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and "Enter a number, like 42 or 12.5" in page and 'value="about forty"' in page
    assert Plan.query.count() == 1


def test_add_another_priority_adds_a_box_and_saves_nothing(app, as_role) -> None:
    client = as_role("planner")
    data = _plan_data(5)
    data["add_priority"] = "Add another priority"
    r = _post(client, "/planner/plans/new", data)
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and 'name="priorities-5-title"' in page and 'value="Priority number 5"' in page
    assert Plan.query.count() == 0


def test_clone_the_last_plan_starts_the_next_period_with_its_words(app, as_role) -> None:
    client = as_role("planner")
    assert _post(client, "/planner/plans/new", _plan_data(3)).status_code == 303
    plan = Plan.query.one()
    first = plan.priorities[0].indicators[0]
    r = _post(client, f"/planner/plans/{plan.id}/values/2028", {f"v{first.id}": "52.5"})
    assert r.status_code == 303
    page = client.get("/planner/plans/new?clone=last").get_data(as_text=True)
    assert 'value="2029-04-01"' in page and 'value="2032-03-31"' in page
    assert 'value="Priority number 3"' in page and 'value="52.5"' in page  # last value is the new baseline
    assert 'name="priorities-0-id" type="hidden" value=""' in page  # a copy: new rows, not the old plan's


def test_values_each_year_and_the_progress_chart_with_its_words_and_table(app, as_role) -> None:
    client = as_role("planner")
    _post(client, "/planner/plans/new", _plan_data(3))
    plan = Plan.query.one()
    ind = plan.priorities[0].indicators[0]
    assert _post(client, f"/planner/plans/{plan.id}/values/2026", {f"v{ind.id}": "45"}).status_code == 303
    assert _post(client, f"/planner/plans/{plan.id}/values/2027", {f"v{ind.id}": "61"}).status_code == 303
    bad = _post(client, f"/planner/plans/{plan.id}/values/2028", {f"v{ind.id}": "lots"})
    assert bad.status_code == 400 and "Enter a number" in bad.get_data(as_text=True)
    assert client.get(f"/planner/plans/{plan.id}/values/2031").status_code == 404
    page = client.get(f"/planner/plans/{plan.id}/progress").get_data(as_text=True)
    assert 'role="img"' in page and f'aria-labelledby="ind-{ind.id}-title ind-{ind.id}-desc"' in page
    assert "Baseline 40 %. 2026/27: 45 %. 2027/28: 61 %. Target 60 %. Target met." in page
    assert "<th scope=\"col\" class=\"numeric\">2028/29</th>" in page and "<td class=\"numeric\">61</td>" in page


def test_plan_page_links_priorities_to_the_themes_that_evidence_them(world, as_role) -> None:
    client = as_role("planner")
    plan = world.consultation.plan
    page = client.get(f"/planner/plans/{plan.id}").get_data(as_text=True)
    safe_places = page.split("Safe places to play", 1)[1].split("</li>\n", 1)[0]
    assert world.places.name in safe_places and world.buses.name not in safe_places  # buses scored under the threshold


def test_annual_review_clones_last_years_questions_and_compares_year_on_year(world, as_role) -> None:
    client = as_role("planner")
    plan = world.consultation.plan
    r = _post(client, f"/planner/plans/{plan.id}", {"year": "2026", "opens_on": "2027-01-10", "closes_on": "2027-02-20"})
    assert r.status_code == 303
    review = PlanReview.query.one()
    assert (review.year, review.previous_id) == (2026, world.consultation.id)
    new = review.consultation
    assert new.status == "draft" and new.title["en"].endswith("2026/27") and new.opens_on == date(2027, 1, 10)
    core = {q.core_id for q in Question.query.filter(Question.variant.has(consultation_id=new.id))}
    old = {q.core_id for q in Question.query.filter(Question.variant.has(consultation_id=world.consultation.id))}
    assert core == old
    again = _post(client, f"/planner/plans/{plan.id}", {"year": "2026", "opens_on": "2027-01-10",
                                                        "closes_on": "2027-01-01"})
    assert again.status_code == 400  # 2026 is no longer offered, and it would close before it opens
    # last year's young people said how safe they feel on the face scale: the comparison reads it in words
    from consult.models import Answer, Response

    for response in Response.query.filter_by(consultation_id=world.consultation.id, audience="young_12_17",
                                             safeguarding=False).limit(3):
        question = Question.query.filter_by(variant_id=response.variant_id, core_id="feel_safe").one()
        db.session.add(Answer(response_id=response.id, question_id=question.id, core_id="feel_safe", value=5))
    db.session.commit()
    page = client.get(f"/planner/c/{new.id}/year-on-year").get_data(as_text=True)
    assert "Who answered" in page and world.places.name in page, page[-3000:]
    row = re.sub(r"\s+", " ", re.search(r"<tr>\s*<t[hd][^>]*>\s*Very safe.*?</tr>", page, re.S).group(0))
    assert re.search(r"0 \(0%\).*3 \(100%\)", row), row  # none yet this year; all three last year
    plan_page = client.get(f"/planner/plans/{plan.id}").get_data(as_text=True)
    assert f"/planner/c/{new.id}/year-on-year" in plan_page


def test_another_partnerships_plan_is_not_found(world, as_role) -> None:
    from consult.data import consultations

    other = consultations.create_partnership(name="Elsewhere", local_authority="x", health_board="y", areas=[])
    theirs = consultations.create_plan(other, title="Theirs", period_start=date(2026, 4, 1),
                                       period_end=date(2029, 3, 31), vision="",
                                       priorities=[{"key": f"k{i}", "title": f"T{i}"} for i in range(3)])
    db.session.commit()
    client = as_role("planner")
    for url in (f"/planner/plans/{theirs.id}", f"/planner/plans/{theirs.id}/edit",
                f"/planner/plans/{theirs.id}/progress", f"/planner/plans/{theirs.id}/values/2026"):
        assert client.get(url).status_code == 404, url
    assert "Theirs" not in client.get("/planner/plans").get_data(as_text=True)
