"""Traceability: the matrix, each priority's evidence, the gaps, the CSV export."""

from __future__ import annotations

from tests.conftest import csrf_from  # noqa: F401
from tests.consult.planner.downloads import download


def test_matrix_shows_evidence_and_audiences_per_cell(world, as_role) -> None:
    client = as_role("planner")
    html = client.get(f"/planner/c/{world.consultation.id}/trace").get_data(as_text=True)
    assert "Themes against the plan&#39;s priorities" in html or "Themes against the plan's priorities" in html
    row = html[html.index(">Places to play</a>"):]
    row = row[:row.index("</tr>")]
    assert '<td class="cell-linked"><strong>12</strong>' in row
    assert "Age 8–11 6</span>, <span class=\"nowrap\">Age 12–17 6" in row  # audiences in age order
    assert row.count('class="cell-empty"') == 2


def test_recoding_shows_in_the_matrix_at_once(world, as_role) -> None:
    from sqlalchemy import select

    from consult.extensions import db
    from consult.models import Coding
    from tests.conftest import csrf_from as token_from

    client = as_role("planner")
    c = world.consultation.id
    coded = db.session.scalars(select(Coding).where(Coding.theme_id == world.places.id)).first()
    html = client.get(f"/planner/c/{c}/answers/{coded.answer_id}").get_data(as_text=True)
    client.post(f"/planner/c/{c}/answers/{coded.answer_id}", data={"csrf_token": token_from(html)})
    html = client.get(f"/planner/c/{c}/trace").get_data(as_text=True)
    row = html[html.index(">Places to play</a>"):]
    assert '<td class="cell-linked"><strong>11</strong>' in row[:row.index("</tr>")]


def test_gaps_list_themes_no_priority_covers(world, as_role) -> None:
    html = as_role("planner").get(f"/planner/c/{world.consultation.id}/trace").get_data(as_text=True)
    gaps = html[html.index('id="gaps"'):]
    assert "Buses and transport</a> – 11 answers" in gaps
    assert "Places to play" not in gaps  # covered
    assert "Worries" not in gaps  # covered, and too few anyway


def test_priority_page_lists_supporting_themes_and_publishable_quotes(world, as_role) -> None:
    client = as_role("planner")
    safe = next(p for p in world.consultation.plan.priorities if p.key == "safe_places")
    html = client.get(f"/planner/c/{world.consultation.id}/priorities/{safe.id}").get_data(as_text=True)
    assert "<h1>Safe places to play</h1>" in html
    assert "Places to play" in html and "number 0" in html
    supporting, others = html.split("Themes not linked to it")
    assert "Buses" not in supporting
    assert "Buses and transport" in others and "Confirm the link" in others  # a planner can link it
    assert "LEAKMARKER" not in html and "NOCONSENT" not in html
    assert "Refurbish play parks" in html


def test_priority_of_another_plan_is_not_found(world, as_role) -> None:
    assert as_role("planner").get(f"/planner/c/{world.consultation.id}/priorities/99999").status_code == 404


def test_csv_export_of_the_matrix(world, as_role) -> None:
    page = f"/planner/c/{world.consultation.id}/trace"
    r = download(as_role("planner"), page, page + ".csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    text = r.get_data(as_text=True)
    assert text.splitlines()[0] == "theme,answers,priority,linked,score,evidence,audiences"
    assert "Places to play,12,Safe places to play,yes,0.80,12,child_8_11=6; young_12_17=6" in text
    assert "LEAKMARKER" not in text


def _row(html: str, theme: str) -> str:
    row = html[html.index(f">{theme}</a>"):]
    return row[:row.index("</tr>")]


def _run_analysis(client, c: int) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import csrf_from as token_from

    html = client.get(f"/planner/c/{c}/themes").get_data(as_text=True)
    r = client.post(f"/planner/c/{c}/themes/run", data={"csrf_token": token_from(html)})
    assert r.status_code == 303


def test_a_planners_link_decisions_stick_across_analysis_runs(world, as_role) -> None:
    from sqlalchemy import select

    from consult.extensions import db
    from consult.models import ThemePriority
    from tests.conftest import csrf_from as token_from

    client = as_role("planner")
    c = world.consultation.id
    safe = next(p for p in world.consultation.plan.priorities if p.key == "safe_places")
    page = f"/planner/c/{c}/priorities/{safe.id}"
    html = client.get(page).get_data(as_text=True)
    assert "The analysis decided this link." in html
    # Reject the link the analysis made, and confirm one it did not make.
    r = client.post(f"{page}/links/{world.places.id}", data={"csrf_token": token_from(html), "decision": "reject"})
    assert r.status_code == 303 and r.location.endswith(page)
    html = client.get(page).get_data(as_text=True)
    assert "Unlinked “Places to play” from this priority." in html
    supporting = html[html.index("Themes that support it"):html.index("Themes not linked to it")]
    assert "Places to play" not in supporting and "number 0" not in supporting
    client.post(f"{page}/links/{world.buses.id}", data={"csrf_token": token_from(html), "decision": "confirm"})

    trace = client.get(f"/planner/c/{c}/trace").get_data(as_text=True)
    assert "<strong>12</strong>" not in _row(trace, "Places to play")
    assert '<td class="cell-linked"><strong>11</strong>' in _row(trace, "Buses and transport")
    gaps = trace[trace.index('id="gaps"'):]
    assert "Buses and transport" not in gaps  # now covered by the planner's link

    # The analysis runs again (and re-themes the answers): the planner's choices still stand.
    _run_analysis(client, c)
    html = client.get(page).get_data(as_text=True)
    assert "You confirmed this link." in html and "You rejected this link." in html
    supporting = html[html.index("Themes that support it"):html.index("Themes not linked to it")]
    assert "Buses and transport" in supporting and "Places to play" not in supporting
    evidence = {(tp.theme_id, tp.priority_id): tp for tp in db.session.scalars(select(ThemePriority))}
    assert evidence[(world.places.id, safe.id)].evidence_count == 0  # the job counts nothing for a rejected link
    trace = client.get(f"/planner/c/{c}/trace").get_data(as_text=True)
    assert "Buses and transport" not in trace[trace.index('id="gaps"'):]

    # Leaving it to the analysis again brings back the score's say.
    client.post(f"{page}/links/{world.places.id}", data={"csrf_token": token_from(html), "decision": "clear"})
    from consult.data import trace as trace_data

    assert trace_data.link_decisions(world.consultation) == {(world.buses.key, str(safe.id)): True}
    html = client.get(page).get_data(as_text=True)
    assert "The analysis decides the link of “Places to play” again." in html


def test_link_decisions_refuse_bad_input(world, as_role) -> None:
    from tests.conftest import csrf_from as token_from

    client = as_role("planner")
    c = world.consultation.id
    safe = next(p for p in world.consultation.plan.priorities if p.key == "safe_places")
    page = f"/planner/c/{c}/priorities/{safe.id}"
    token = token_from(client.get(page).get_data(as_text=True))
    assert client.post(f"{page}/links/{world.places.id}", data={"csrf_token": token, "decision": "maybe"}
                       ).status_code == 400
    assert client.post(f"{page}/links/{world.places.id}", data={"decision": "reject"}).status_code == 400
    assert client.post(f"{page}/links/999999", data={"csrf_token": token, "decision": "reject"}).status_code == 404
    assert client.post(f"/planner/c/{c}/priorities/999999/links/{world.places.id}",
                       data={"csrf_token": token, "decision": "reject"}).status_code == 404
