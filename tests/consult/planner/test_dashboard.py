"""The consultation dashboard and population counts."""

from __future__ import annotations

from sqlalchemy import select

from consult.extensions import db
from consult.models import Answer, PopulationCount
from tests.conftest import csrf_from


def test_dashboard_shows_counts_as_tables_beside_pictures(world, as_role) -> None:
    client = as_role("planner")
    page = client.get(f"/planner/c/{world.consultation.id}/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<h1>Dashboard</h1>" in html
    # 12 + 3 + 11 + the flagged one: flagged people took part, so they count (as numbers only).
    assert '<span class="big-number">27</span> responses submitted' in html
    assert '<span class="big-number">1</span> sent to the safeguarding lead' in html
    for caption in ("Who answered", "Language", "How they answered", "Area", "Responses over time"):
        assert caption in html
    assert "Children aged 8 to 11" in html and "Gàidhlig" in html and "North" in html
    # Bars are pictures of the table: hidden from screen readers; the timeline has a text alternative.
    assert 'class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"' in html
    assert 'role="img" aria-labelledby="chart-days-alt"' in html and "The busiest day was" in html
    assert "LEAKMARKER" not in html and "ORIGINALMARKER" not in html


def test_tracked_groups_are_counted(world, as_role) -> None:
    variant = next(v for v in world.consultation.variants if v.audience == "young_12_17")
    question = next(q for q in variant.questions if q.core_id == "groups")
    from consult.models import Response

    responses = list(db.session.scalars(select(Response).where(Response.audience == "young_12_17").limit(3)))
    for r, value in zip(responses, [["young_carer"], ["young_carer", "gaelic_home"], ["prefer_not_to_say"]],
                        strict=True):
        db.session.add(Answer(response_id=r.id, question_id=question.id, core_id="groups", value=value))
    db.session.commit()
    html = as_role("planner").get(f"/planner/c/{world.consultation.id}/").get_data(as_text=True)
    assert "3 people answered it" in html
    assert '<th scope="row">Young carers</th><td class="numeric">2</td>' in html
    assert '<th scope="row">Gaelic speakers</th><td class="numeric">1</td>' in html
    assert '<th scope="row">Care experienced</th><td class="numeric">0</td>' in html


def test_population_entry_shows_reach_and_highlights_under_represented(world, as_role) -> None:
    client = as_role("planner")
    url = f"/planner/c/{world.consultation.id}/population"
    north, south = world.consultation.plan.partnership.areas
    token = csrf_from(client.get(url).get_data(as_text=True))
    for audience, area, count in (("young_12_17", north.id, 100), ("parent_carer", south.id, 3000)):
        r = client.post(url, data={"csrf_token": token, "audience": audience, "area": str(area), "count": str(count)})
        assert r.status_code == 303
    html = client.get(f"/planner/c/{world.consultation.id}/").get_data(as_text=True)
    assert "Reach by audience and area" in html
    assert html.count("Under-represented") == 1  # parents in the south: 3 of 3000
    assert 'class="row-low"' in html


def test_population_import_refuses_a_bad_line_and_imports_nothing(world, as_role) -> None:
    client = as_role("planner")
    url = f"/planner/c/{world.consultation.id}/population"
    token = csrf_from(client.get(url).get_data(as_text=True))
    bad = client.post(url, data={"csrf_token": token, "population_csv": "young_12_17,north,100\nteachers,north,5"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "Error:" in html and "There is a problem" in html
    assert "Nothing was imported. Line 2" in html
    assert db.session.scalars(select(PopulationCount)).all() == []
    good = client.post(url, data={"csrf_token": token,
                                  "population_csv": "audience,area,count\nyoung_12_17,north,100\nchild_8_11,,900\n"})
    assert good.status_code == 303
    assert len(db.session.scalars(select(PopulationCount)).all()) == 2


def test_population_count_must_be_a_number(world, as_role) -> None:
    client = as_role("planner")
    url = f"/planner/c/{world.consultation.id}/population"
    token = csrf_from(client.get(url).get_data(as_text=True))
    r = client.post(url, data={"csrf_token": token, "audience": "young_12_17", "area": "", "count": "lots"})
    assert "There is a problem" in r.get_data(as_text=True)
    assert db.session.scalars(select(PopulationCount)).all() == []


def test_responses_over_time_counts_each_day_from_midnight_to_midnight(world, as_role) -> None:
    """Day edges, the night the clocks go forward and a day with nothing: the quick per-day count
    (one index range per day) agrees with grouping every row on date(submitted_at)."""
    from datetime import UTC, datetime

    from sqlalchemy import func

    from consult.data import dashboard
    from consult.models import Response

    moments = [datetime(2026, 3, 28, 23, 59, 59, 999000, tzinfo=UTC), datetime(2026, 3, 29, 0, 0, tzinfo=UTC),
               datetime(2026, 3, 29, 0, 59, tzinfo=UTC), datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # BST begins
               datetime(2026, 3, 30, 12, 0, tzinfo=UTC), datetime(2026, 4, 1, 0, 0, tzinfo=UTC)]
    responses = list(db.session.scalars(select(Response).where(Response.consultation_id == world.consultation.id,
                                                               Response.status == "submitted")
                                        .order_by(Response.id)))
    assert len(responses) > len(moments)
    for i, r in enumerate(responses):
        r.submitted_at = moments[i % len(moments)]
    db.session.commit()
    day = func.date(Response.submitted_at)
    every_row = [(str(d), int(n)) for d, n in db.session.execute(
        select(day, func.count()).where(Response.consultation_id == world.consultation.id,
                                        Response.status == "submitted").group_by(day).order_by(day))]
    quick = dashboard._by_day(world.consultation)
    assert quick == every_row
    assert [d for d, _n in quick] == ["2026-03-28", "2026-03-29", "2026-03-30", "2026-04-01"]  # none on the 31st
    assert sum(n for _d, n in quick) == len(responses)
    html = as_role("planner").get(f"/planner/c/{world.consultation.id}/").get_data(as_text=True)
    assert "The busiest day was 2026-03-29" in html
