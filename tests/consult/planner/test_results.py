"""Results by question, the results filters, and suppression of figures that leave the staff area."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from consult.data.filters import ResultFilter
from consult.extensions import db
from consult.models import Answer, Response


def _page(client, url: str) -> str:  # type: ignore[no-untyped-def]
    """Return the page's HTML with the white space between tags taken out."""
    page = client.get(url)
    assert page.status_code == 200
    return re.sub(r">\s+<", "><", page.get_data(as_text=True))


def _count(f: ResultFilter, consultation) -> int:  # type: ignore[no-untyped-def]
    stmt = select(func.count()).select_from(Response).where(Response.consultation_id == consultation.id,
                                                            Response.status == "submitted")
    return int(db.session.scalar(f.apply(stmt)) or 0)


def _add_groups(world, values) -> None:  # type: ignore[no-untyped-def]
    variant = next(v for v in world.consultation.variants if v.audience == "young_12_17")
    question = next(q for q in variant.questions if q.core_id == "groups")
    responses = list(db.session.scalars(select(Response).where(Response.audience == "young_12_17",
                                                               Response.safeguarding.is_(False)).limit(len(values))))
    for r, value in zip(responses, values, strict=True):
        db.session.add(Answer(response_id=r.id, question_id=question.id, core_id="groups", value=value))
    db.session.commit()


def test_filters_come_from_the_url_and_ignore_what_the_consultation_cannot_have(world) -> None:
    c = world.consultation
    north = c.plan.partnership.areas[0]
    f = ResultFilter.from_args(MultiDict({"age": "8-11", "language": "en", "area": str(north.id),
                                          "channel": "carrier-pigeon", "group": "<script>", "audience": "x" * 5000}), c)
    assert f == ResultFilter(age="8-11", language="en", area=str(north.id))
    assert ResultFilter.from_args(f.to_query(), c) == f  # the query round-trips, so a view can be bookmarked
    assert ResultFilter.from_args({"area": "99999999999999999999", "language": "xx"}, c) == ResultFilter()
    assert _count(f, c) == 6  # the six 8-11s in the north (the world's children alternate 8-11 / 12-17)
    assert _count(ResultFilter(audience="parent_carer", language="gd"), c) == 3
    assert _count(ResultFilter(audience="parent_carer", age="8-11"), c) == 0  # a parent is not 8 to 11
    assert _count(ResultFilter(area="none"), c) == 11
    assert _count(ResultFilter(), c) == 27


def test_the_group_filter_reads_the_groups_answer(world) -> None:
    _add_groups(world, [["young_carer"], ["young_carer", "gaelic_home"], ["prefer_not_to_say"]])
    c = world.consultation
    assert _count(ResultFilter(group="young_carer"), c) == 2
    assert _count(ResultFilter(group="gaelic_home", audience="children"), c) == 1
    answers = ResultFilter(group="young_carer").apply_answers(
        select(func.count()).select_from(Answer).where(Answer.core_id == "change_one_thing"))
    assert db.session.scalar(answers) == 2


def _feel_safe(world, audience: str, values, *, language: str = "en") -> None:  # type: ignore[no-untyped-def]
    """Add responses from ``audience`` answering the face scale "feel_safe" with ``values``."""
    from tests.consult.planner.world import _response

    c = world.consultation
    variant = next(v for v in c.variants if v.audience == audience)
    question = next(q for q in variant.questions if q.core_id == "feel_safe")
    for i, value in enumerate(values):
        r, _a = _response(c, audience, text=f"More things to do {i}", area_id=None, language=language)
        db.session.add(Answer(response_id=r.id, question_id=question.id, core_id="feel_safe", value=value))
    db.session.commit()


def test_results_show_each_question_as_a_chart_and_a_table_side_by_side_across_audiences(world, as_role) -> None:
    _feel_safe(world, "child_8_11", [5, 5, 4, 4, 4, 3, 1], language="gd")
    _feel_safe(world, "child_8_11", [2, 2], language="en")
    _feel_safe(world, "parent_carer", [3, 3, 3, 2, 4, 5])
    client = as_role("planner")
    html = _page(client, f"/planner/c/{world.consultation.id}/results")
    assert "<h1>Results by question</h1>" in html and "Exact counts: not for publication." in html
    safe = html[html.index('id="q-feel_safe"'):html.index('id="q-wellbeing"')]
    # An accessible chart: an image with a title and a description, and the table beside it.
    assert 'role="img" aria-labelledby="c-feel_safe-title c-feel_safe-desc"' in safe
    # The face scale's own labels; audiences asked who have not answered are named, not charted.
    assert "Age 8–11 (9 answered): Not safe at all 11%; Not very safe 22%" in safe and "Age 5–8 (" not in safe
    assert "Also asked, with no answers yet:</p>" not in safe and "Children aged 5 to 8, " in safe
    assert '<th scope="col" class="numeric">Age 8–11</th><th scope="col" class="numeric">Parents</th>' in safe
    assert '<th scope="row">Safe</th><td class="numeric">3 <span class="hint">(33%)</span></td>' in safe
    assert '<th scope="row">People who answered</th><td class="numeric">9</td>' in safe
    # Free text links to its themes, with the filter carried along.
    change = html[html.index('id="q-change_one_thing"'):]
    assert "Places to play" in change and f"/planner/c/{world.consultation.id}/themes/{world.places.id}" in change
    assert "LEAKMARKER" not in html


def test_results_filtered_to_8_11_in_gaidhlig(world, as_role) -> None:
    _feel_safe(world, "child_8_11", [5, 5, 4, 4, 4, 3, 1], language="gd")
    _feel_safe(world, "child_8_11", [2, 2], language="en")
    _feel_safe(world, "parent_carer", [3, 3, 3], language="gd")
    client = as_role("planner")
    messy = client.get(f"/planner/c/{world.consultation.id}/results?audience=&age=8-11&language=gd&channel=nonsense")
    url = f"/planner/c/{world.consultation.id}/results?age=8-11&language=gd"
    assert messy.status_code == 302 and messy.headers["Location"].endswith(url)  # a clean address to bookmark
    html = _page(client, url)
    assert '<option value="8-11" selected>' in html and '<option value="gd" lang="gd" selected>' in html
    safe = html[html.index('id="q-feel_safe"'):html.index('id="q-wellbeing"')]
    assert "Parents" not in safe  # the parents' answers are filtered out
    assert "Age 8–11 (7 answered)" in safe and '<td class="numeric">7</td>' in safe
    assert '<th scope="row">Very safe</th><td class="numeric">2 <span class="hint">(29%)</span></td>' in safe
    # As published, the same filtered figures hide the small numbers.
    published = _page(client, url + "&view=published")
    safe = published[published.index('id="q-feel_safe"'):published.index('id="q-wellbeing"')]
    assert "fewer than 5" in safe and '<td class="numeric">2</td>' not in safe and '<td class="numeric">7</td>' in safe
    assert 'name="view" value="published"' in published  # the filter form keeps the view


def test_results_of_another_partnership_are_not_found(world, as_role, app) -> None:  # type: ignore[no-untyped-def]
    from consult.data import consultations

    other = consultations.create_partnership(name="Elsewhere", local_authority="E", health_board="NHS E", areas=[])
    db.session.commit()
    client = as_role("planner")
    from consult.models import User

    user = db.session.scalar(select(User).where(User.email == "planner@example.org"))
    user.partnership_id = other.id
    db.session.commit()
    assert client.get(f"/planner/c/{world.consultation.id}/results").status_code == 404


def test_the_dashboard_themes_and_traceability_take_the_same_filters(world, as_role) -> None:
    client = as_role("planner")
    c = world.consultation.id
    board = _page(client, f"/planner/c/{c}/?language=gd")
    assert '<span class="big-number">3</span> responses submitted' in board and "Showing only:" in board
    themes = _page(client, f"/planner/c/{c}/themes?audience=parent_carer")
    listed = themes[themes.index('id="theme-list"'):]
    assert "Worries and mental health" in listed and "Places to play" not in listed
    assert f"/themes/{world.worries.id}?audience=parent_carer" in listed  # the drill-down keeps the filter
    drill = _page(client, f"/planner/c/{c}/themes/{world.places.id}?age=8-11")
    assert "Answers (6)" in drill and '<option value="8-11" selected>' in drill  # 6 of the 12 are 8-11s
    trace = _page(client, f"/planner/c/{c}/trace?age=8-11")
    matrix = trace[trace.index("<table class=\"table matrix\">"):]
    assert "Places to play" in matrix and "Buses and transport" not in matrix  # the buses were 12-17s
    assert "trace.csv?" in trace and "&amp;age=8-11" in trace


def test_the_traceability_download_hides_small_counts_filtered_or_not(world, as_role) -> None:
    import csv
    import io

    client = as_role("planner")
    trace = client.get(f"/planner/c/{world.consultation.id}/trace?audience=parent_carer").get_data(as_text=True)
    for html in (trace, trace.replace("&amp;audience=parent_carer", "")):
        link = re.search(r'href="([^"]*trace\.csv[^"]*)"', html).group(1).replace("&amp;", "&")
        rows = list(csv.reader(io.StringIO(client.get(link).get_data(as_text=True))))
        worries = [r for r in rows if r[0] == "Worries and mental health"]
        assert worries and all(r[1] == "fewer than 5" for r in worries)  # the 3 parents
        for r in rows[1:]:
            numbers = [r[1], r[5]] + [part.split("=")[1] for part in r[6].split("; ") if part]
            assert all(not n.isdigit() or int(n) == 0 or int(n) >= 5 for n in numbers), r
