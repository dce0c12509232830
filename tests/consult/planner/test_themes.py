"""Themes: the list, running the analysis, drilling in, re-coding, rename/merge/split, proposals, agreement."""

from __future__ import annotations

from sqlalchemy import select

from consult.extensions import db
from consult.models import Coding, Job, Theme
from tests.conftest import csrf_from


def _page(client, url):  # type: ignore[no-untyped-def]
    r = client.get(url)
    assert r.status_code == 200, url
    return r.get_data(as_text=True)


def test_themes_list_counts_by_audience_without_flagged(world, as_role) -> None:
    client = as_role("planner")
    html = _page(client, f"/planner/c/{world.consultation.id}/themes")
    assert "Places to play" in html and "Buses and transport" in html
    # 12 places answers, not 13: the flagged response's code is never counted.
    row = html[html.index(">Places to play</a>"):]
    assert '<td class="numeric">12</td>' in row[:200]
    assert "No answers have been reviewed yet" in html


def test_run_analysis_redirects_to_progress_and_back(world, as_role, app) -> None:
    client = as_role("planner")
    html = _page(client, f"/planner/c/{world.consultation.id}/themes")
    r = client.post(f"/planner/c/{world.consultation.id}/themes/run", data={"csrf_token": csrf_from(html)})
    assert r.status_code == 303 and "/planner/jobs/" in r.location
    assert "next=/planner/c/" in r.location.replace("%2F", "/")
    job = db.session.scalars(select(Job).where(Job.kind == "analyse_consultation")).one()
    assert job.state == "done"  # tests run jobs at once
    assert "suggest" in job.result
    progress = _page(client, r.location)
    assert 'value="100"' in progress and "See the results" in progress
    assert f'data-done-url="/planner/c/{world.consultation.id}/themes"' in progress
    page = _page(client, f"/planner/c/{world.consultation.id}/themes")
    assert "LEAKMARKER" not in page
    nxt = _page(client, f"/planner/c/{world.consultation.id}/code-next")
    assert "LEAKMARKER" not in nxt and "Check codes" in nxt


def test_drill_into_theme_lists_redacted_answers_but_never_flagged(world, as_role) -> None:
    client = as_role("planner")
    html = _page(client, f"/planner/c/{world.consultation.id}/themes/{world.places.id}")
    assert "Answers (12)" in html
    assert "The swings in the park are broken number 3" in html
    assert "LEAKMARKER" not in html and "ORIGINALMARKER" not in html
    # Only the approved quote from someone who allowed quoting.
    quotes = html[html.index("Quotes that may be published"):html.index('id="answers"')]
    assert "number 0" in quotes and "NOCONSENT" not in quotes


def test_flagged_answer_cannot_be_opened_for_coding(world, as_role) -> None:
    client = as_role("planner")
    assert client.get(f"/planner/c/{world.consultation.id}/answers/{world.flag.answer_id}").status_code == 404


def test_recode_records_the_coder_and_agreement_updates(world, as_role) -> None:
    client = as_role("planner")
    c = world.consultation.id
    answer = db.session.scalars(select(Coding).where(Coding.theme_id == world.buses.id)).first()
    html = _page(client, f"/planner/c/{c}/answers/{answer.answer_id}")
    assert "Which themes does this answer raise?" in html
    token = csrf_from(html)
    # The person says: not transport, but places to play.
    r = client.post(f"/planner/c/{c}/answers/{answer.answer_id}",
                    data={"csrf_token": token, "theme": [str(world.places.id)]})
    assert r.status_code == 303
    rows = db.session.scalars(select(Coding).where(Coding.answer_id == answer.answer_id,
                                                   Coding.source == "human")).all()
    assert {(x.theme_id, x.present) for x in rows} == {(world.places.id, True), (world.buses.id, False)}
    user_id = rows[0].coder_id
    assert user_id is not None and all(x.coder_id == user_id for x in rows)
    themes = _page(client, f"/planner/c/{c}/themes")
    assert "Compared on 1 answers a person has reviewed" in themes
    assert "Precision and recall for each theme" in themes
    kappa_before = themes.split("data-kappa>")[1].split("<")[0]
    # Agreeing with the machine on another answer raises agreement.
    other = db.session.scalars(select(Coding).where(Coding.theme_id == world.places.id)).all()[3]
    client.post(f"/planner/c/{c}/answers/{other.answer_id}", data={"csrf_token": token,
                                                                  "theme": [str(world.places.id)]})
    themes = _page(client, f"/planner/c/{c}/themes")
    assert "Compared on 2 answers" in themes
    assert themes.split("data-kappa>")[1].split("<")[0] != kappa_before


def test_rename_to_an_existing_name_is_refused(world, as_role) -> None:
    client = as_role("planner")
    c = world.consultation.id
    token = csrf_from(_page(client, f"/planner/c/{c}/themes/{world.places.id}"))
    r = client.post(f"/planner/c/{c}/themes/{world.places.id}/rename",
                    data={"csrf_token": token, "name": "buses AND transport"})
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "<title>Error:" in html
    assert "Another theme already has that name" in html
    db.session.expire_all()
    assert db.session.get(Theme, world.places.id).name == "Places to play"
    ok = client.post(f"/planner/c/{c}/themes/{world.places.id}/rename",
                     data={"csrf_token": token, "name": "Parks and play"})
    assert ok.status_code == 303
    db.session.expire_all()
    assert db.session.get(Theme, world.places.id).name == "Parks and play"


def test_merging_a_theme_into_itself_is_refused(world, as_role) -> None:
    client = as_role("planner")
    c = world.consultation.id
    token = csrf_from(_page(client, f"/planner/c/{c}/themes/{world.places.id}"))
    r = client.post(f"/planner/c/{c}/themes/{world.places.id}/merge",
                    data={"csrf_token": token, "target": str(world.places.id)})
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "A theme cannot be merged into itself" in html
    db.session.expire_all()
    assert db.session.get(Theme, world.places.id).status == "active"
    assert len(db.session.scalars(select(Coding).where(Coding.theme_id == world.places.id)).all()) == 13


def test_merge_moves_codes_and_retires_the_theme(world, as_role) -> None:
    client = as_role("planner")
    c = world.consultation.id
    token = csrf_from(_page(client, f"/planner/c/{c}/themes/{world.buses.id}"))
    r = client.post(f"/planner/c/{c}/themes/{world.buses.id}/merge",
                    data={"csrf_token": token, "target": str(world.places.id)})
    assert r.status_code == 303
    db.session.expire_all()
    assert db.session.get(Theme, world.buses.id).status == "merged"
    html = _page(client, f"/planner/c/{c}/themes/{world.places.id}")
    assert "Answers (23)" in html


def test_split_moves_chosen_answers_to_a_new_theme(world, as_role) -> None:
    client = as_role("planner")
    c = world.consultation.id
    html = _page(client, f"/planner/c/{c}/themes/{world.places.id}")
    token = csrf_from(html)
    ids = [x.answer_id for x in db.session.scalars(select(Coding).where(Coding.theme_id == world.places.id))][:3]
    none = client.post(f"/planner/c/{c}/themes/{world.places.id}/split", data={"csrf_token": token,
                                                                               "new_name": "Swings"})
    assert none.status_code == 400 and "Choose at least one answer" in none.get_data(as_text=True)
    assert db.session.scalar(select(Theme).where(Theme.name == "Swings")) is None
    r = client.post(f"/planner/c/{c}/themes/{world.places.id}/split",
                    data={"csrf_token": token, "new_name": "Swings", "answer": [str(i) for i in ids]})
    assert r.status_code == 303
    new = db.session.scalar(select(Theme).where(Theme.name == "Swings"))
    assert new is not None and new.source == "planner"
    assert "Answers (3)" in _page(client, f"/planner/c/{c}/themes/{new.id}")
    assert "Answers (9)" in _page(client, f"/planner/c/{c}/themes/{world.places.id}")


def test_emergent_proposals_can_be_accepted_or_rejected(world, as_role) -> None:
    a = Theme(consultation_id=world.consultation.id, key="emergent-homework", name="Homework", source="emergent",
              status="proposed", description="homework, too much", examples=["too much homework"])
    b = Theme(consultation_id=world.consultation.id, key="emergent-lunch", name="Lunch", source="emergent",
              status="proposed")
    db.session.add_all([a, b])
    db.session.commit()
    client = as_role("planner")
    c = world.consultation.id
    html = _page(client, f"/planner/c/{c}/themes")
    assert "New themes to review" in html and "Homework" in html
    token = csrf_from(html)
    client.post(f"/planner/c/{c}/themes/{a.id}/review", data={"csrf_token": token, "decision": "accept"})
    client.post(f"/planner/c/{c}/themes/{b.id}/review", data={"csrf_token": token, "decision": "reject"})
    db.session.expire_all()
    assert db.session.get(Theme, a.id).status == "active"
    assert db.session.get(Theme, b.id).status == "rejected"


def test_an_emergent_proposal_opens_on_every_member_answer(world, as_role) -> None:
    from consult.models import Answer

    members = sorted({cd.answer_id for cd in db.session.scalars(select(Coding).where(Coding.theme_id == world.places.id))
                      } - {world.flag.answer_id})
    assert len(members) >= 10
    p = Theme(consultation_id=world.consultation.id, key="emergent-swings", name="Swings", source="emergent",
              status="proposed", description="swings", examples=["the swings"],  # three examples at most
              member_ids=[*members, world.flag.answer_id])  # a flagged answer never shows, even as a member
    db.session.add(p)
    db.session.commit()
    client = as_role("planner")
    c = world.consultation.id
    listing = _page(client, f"/planner/c/{c}/themes")
    assert f"{len(members)} answers<span class=\"visually-hidden\">: Swings" in listing
    html = _page(client, f"/planner/c/{c}/themes/{p.id}")
    assert f"Answers ({len(members)})" in html
    for a in db.session.scalars(select(Answer).where(Answer.id.in_(members))):
        assert a.text in html
    assert "LEAKMARKER" not in html
    # Accepted, it keeps its answers until the next analysis run themes them.
    client.post(f"/planner/c/{c}/themes/{p.id}/review", data={"csrf_token": csrf_from(listing), "decision": "accept"})
    assert f"Answers ({len(members)})" in _page(client, f"/planner/c/{c}/themes/{p.id}")


def test_the_analysis_stores_every_member_of_each_emergent_proposal(world, as_role, monkeypatch) -> None:
    import dataclasses

    import analysis
    from consult.data.themes import analysable_ids
    from consult.services import analysis_run

    real = analysis.analyse_consultation

    def with_one_proposal(texts, *args, **kwargs):  # type: ignore[no-untyped-def]
        result = real(texts, *args, **kwargs)
        members = list(range(len(texts)))
        proposal = analysis.EmergentTheme("swings and slides", ["swings", "slides"], members, members[:3])
        return dataclasses.replace(result, emergent=[proposal])

    monkeypatch.setattr(analysis_run.analysis, "analyse_consultation", with_one_proposal)
    client = as_role("planner")
    c = world.consultation.id
    html = _page(client, f"/planner/c/{c}/themes")
    client.post(f"/planner/c/{c}/themes/run", data={"csrf_token": csrf_from(html)})
    proposal = db.session.scalars(select(Theme).where(Theme.source == "emergent")).one()
    analysable = [i for i, _aud in analysable_ids(world.consultation)]
    assert len(proposal.examples) == 3
    assert sorted(proposal.member_ids) == sorted(analysable) and len(analysable) > 3
    assert f"Answers ({len(analysable)})" in _page(client, f"/planner/c/{c}/themes/{proposal.id}")
