"""Coding at scale (issue 16, part 4): paged drill-downs, bulk add/remove/move, history and undo,
merge and split keeping every answer, answers needing a person, the question on the re-code page."""

from __future__ import annotations

from sqlalchemy import select

from consult.data import coding, themes
from consult.extensions import db
from consult.models import Answer, CodingBatch, Theme
from tests.conftest import csrf_from


def _get(client, url: str) -> str:  # type: ignore[no-untyped-def]
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return r.get_data(as_text=True)


def _themed(consultation) -> set[int]:  # type: ignore[no-untyped-def]
    return {aid for aid, tids in themes.effective_codings(consultation).items() if tids}


def _members(consultation, theme) -> set[int]:  # type: ignore[no-untyped-def]
    return {aid for aid, tids in themes.effective_codings(consultation).items() if theme.id in tids}


def test_bulk_move_from_search_is_in_the_history_and_undone(world, as_role) -> None:
    client = as_role("planner")
    c = world.consultation.id
    html = _get(client, f"/planner/c/{c}/search?q=bus")
    ticked = sorted(_members(world.consultation, world.buses))[:5]
    r = client.post(f"/planner/c/{c}/coding/bulk", data={
        "csrf_token": csrf_from(html), "answer": [str(i) for i in ticked], "theme": str(world.places.id),
        "action": "move", "back": f"/planner/c/{c}/search?q=bus&page=1"})
    assert r.status_code == 303 and r.location.endswith(f"/planner/c/{c}/search?q=bus&page=1")
    assert _members(world.consultation, world.buses) & set(ticked) == set()
    assert set(ticked) <= _members(world.consultation, world.places)
    after = _get(client, r.location)
    assert "Moved 5 answers to “Places to play”." in after
    history = _get(client, f"/planner/c/{c}/coding/history")
    assert "Moved answers to “Places to play”" in history and "Test User" in history
    batch = db.session.scalars(select(CodingBatch)).one()
    assert batch.answers == 5
    r = client.post(f"/planner/c/{c}/coding/undo", data={"csrf_token": csrf_from(history), "batch": str(batch.id)})
    assert r.status_code == 303
    db.session.expire_all()
    assert set(ticked) <= _members(world.consultation, world.buses)
    assert _members(world.consultation, world.places) & set(ticked) == set()
    history = _get(client, f"/planner/c/{c}/coding/history")
    assert "Undone: the codes of 5 answers are back as they were." in history and f"Undone (change {batch.id + 1})" in history
    again = client.post(f"/planner/c/{c}/coding/undo", data={"csrf_token": csrf_from(history),
                                                              "batch": str(batch.id)})
    assert "already been undone" in _get(client, again.location)


def test_bulk_mistakes_are_said_on_the_page_and_keep_the_ticks(world, as_role) -> None:
    client = as_role("planner")
    c = world.consultation.id
    html = _get(client, f"/planner/c/{c}/themes/{world.buses.id}")
    token = csrf_from(html)
    r = client.post(f"/planner/c/{c}/coding/bulk", data={"csrf_token": token, "theme": str(world.places.id),
                                                          "action": "move", "from_theme": str(world.buses.id)})
    assert r.status_code == 400 and "Tick at least one answer" in r.get_data(as_text=True)
    one = sorted(_members(world.consultation, world.buses))[0]
    r = client.post(f"/planner/c/{c}/coding/bulk", data={"csrf_token": token, "answer": str(one), "theme": "",
                                                          "action": "move", "from_theme": str(world.buses.id)})
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and "Choose a theme" in page and f'value="{one}" id="answer-{one}" checked' in page
    flagged = world.flag.answer_id
    r = client.post(f"/planner/c/{c}/coding/bulk", data={"csrf_token": token, "answer": str(flagged),
                                                          "theme": str(world.buses.id), "action": "add",
                                                          "back": f"/planner/c/{c}/search?q=park"})
    assert r.status_code == 400, "a flagged answer cannot be coded"
    assert db.session.scalar(select(CodingBatch.id)) is None


def test_remove_from_a_theme_page_and_undo_leaves_later_changes(world, as_role) -> None:
    user = None
    ids = sorted(_members(world.consultation, world.places))[:3]
    batch = coding.bulk_change(world.consultation, "remove", ids, theme=None, from_theme=world.places, user_id=user)
    assert _members(world.consultation, world.places) & set(ids) == set()
    # Someone codes one of them back by hand before the undo: that later decision stands.
    answer = db.session.get(Answer, ids[0])
    coding.recode_answer(world.consultation, answer, {world.places.id, world.worries.id}, user_id=user)
    done = coding.undo(world.consultation, batch, user_id=user)
    assert done.skipped == 1 and done.restored == 2
    assert set(ids) <= _members(world.consultation, world.places)
    assert ids[0] in _members(world.consultation, world.worries)


def test_split_then_merge_back_keeps_every_answer_and_the_new_theme_has_its_own_description(world, as_role) -> None:
    client = as_role("planner")
    c = world.consultation.id
    world.places.description = "Parks, play areas and somewhere to go."
    db.session.commit()
    before_all, before_places = _themed(world.consultation), _members(world.consultation, world.places)
    html = _get(client, f"/planner/c/{c}/themes/{world.places.id}")
    chosen = sorted(before_places)[:4]
    r = client.post(f"/planner/c/{c}/themes/{world.places.id}/split", data={
        "csrf_token": csrf_from(html), "new_name": "Broken swings", "description": "Swings that need mending.",
        "answer": [str(i) for i in chosen]})
    assert r.status_code == 303
    new = db.session.scalar(select(Theme).where(Theme.name == "Broken swings"))
    assert new.description == "Swings that need mending."
    assert _members(world.consultation, new) == set(chosen)
    assert _themed(world.consultation) == before_all, "the split kept every answer themed"
    html = _get(client, f"/planner/c/{c}/themes/{new.id}")
    r = client.post(f"/planner/c/{c}/themes/{new.id}/merge", data={"csrf_token": csrf_from(html),
                                                                    "target": str(world.places.id)})
    assert r.status_code == 303
    db.session.expire_all()
    assert _members(world.consultation, world.places) == before_places, "merging back lost no answer"
    assert _themed(world.consultation) == before_all
    kinds = [b.kind for b in db.session.scalars(select(CodingBatch).order_by(CodingBatch.id))]
    assert kinds == ["split", "merge"]
    # Undo the merge, then the split: back where we started, the split theme folded back.
    merge, split = reversed(list(db.session.scalars(select(CodingBatch).order_by(CodingBatch.id))))
    coding.undo(world.consultation, merge, user_id=None)
    assert _members(world.consultation, new) == set(chosen) and new.status == "active"
    coding.undo(world.consultation, split, user_id=None)
    assert _members(world.consultation, world.places) == before_places and new.status == "merged"


def test_theme_answers_are_paged(world, as_role) -> None:
    from consult.models import Coding
    from tests.consult.planner.world import _response

    for i in range(12, 60):
        _r, a = _response(world.consultation, "child_8_11", text=f"The swings in the park are broken number {i}",
                          area_id=None)
        db.session.add(Coding(answer_id=a.id, theme_id=world.places.id, source="machine", confidence=0.9))
    db.session.commit()
    client = as_role("planner")
    url = f"/planner/c/{world.consultation.id}/themes/{world.places.id}"
    first, second = _get(client, url), _get(client, url + "?page=2")
    assert "Answers (60)" in first and "first 200" not in first
    assert first.count('name="answer"') == 50 and second.count('name="answer"') == 10
    assert 'aria-current="page">2<' in second and "Page 2 of 2" in second
    assert "number 59" in second and "number 59" not in first


def test_needs_a_person_lists_each_kind_with_its_question(world, as_role) -> None:
    from consult.models import Coding, Job

    client = as_role("planner")
    c = world.consultation.id
    bus = sorted(_members(world.consultation, world.buses))
    low = db.session.scalars(select(Coding).where(Coding.answer_id == bus[0])).one()
    low.confidence = 0.52
    unthemed = db.session.scalars(select(Coding).where(Coding.answer_id == bus[1])).one()
    db.session.delete(unthemed)
    db.session.add(Job(id="needs-person-test", kind="analyse_consultation", state="done", params={"consultation_id": c},
                       result={"needs_human_languages": {str(bus[2]): "fr", str(bus[3]): "en"}}))
    db.session.commit()
    html = _get(client, f"/planner/c/{c}/coding/needs-a-person")
    assert "No theme (1)" in html and "Low confidence (1)" in html and "Language not themed (1)" in html
    assert "twice a day" in html
    assert "Question: <bdi>What one change would make" in html
    assert "twice a day" in _get(client, f"/planner/c/{c}/coding/needs-a-person?reason=language")
    # Once a person has coded it, it leaves the list.
    coding.recode_answer(world.consultation, db.session.get(Answer, bus[1]), {world.buses.id}, user_id=None)
    db.session.commit()
    assert "No theme (0)" in _get(client, f"/planner/c/{c}/coding/needs-a-person")


def test_recode_page_shows_the_question_and_saving_is_in_the_history(world, as_role) -> None:
    client = as_role("planner")
    c = world.consultation.id
    one = sorted(_members(world.consultation, world.buses))[0]
    html = _get(client, f"/planner/c/{c}/answers/{one}")
    assert "The question" in html and "What one change would make" in html
    r = client.post(f"/planner/c/{c}/answers/{one}", data={"csrf_token": csrf_from(html),
                                                             "theme": [str(world.places.id)]})
    assert r.status_code == 303
    batch = db.session.scalars(select(CodingBatch)).one()
    assert batch.kind == "recode" and batch.answers == 1
    assert "Changed one answer&#39;s codes" in _get(client, f"/planner/c/{c}/coding/history")


def test_saving_an_answer_with_no_theme_counts_it_as_reviewed(world, as_role) -> None:
    from consult.models import Response

    c = world.consultation
    variant = next(v for v in c.variants if v.audience == "young_12_17")
    question = next(q for q in variant.questions if q.core_id == "good_things")
    response = db.session.scalars(select(Response).where(Response.consultation_id == c.id,
                                                         Response.safeguarding.is_(False))).first()
    nothing = Answer(response_id=response.id, question_id=question.id, core_id="good_things", text="Nothing.")
    db.session.add(nothing)
    db.session.commit()
    client = as_role("planner")
    html = _get(client, f"/planner/c/{c.id}/answers/{nothing.id}")
    r = client.post(f"/planner/c/{c.id}/answers/{nothing.id}", data={"csrf_token": csrf_from(html)})  # none ticked
    assert r.status_code == 303
    # The person said no theme applies: a review the learning and the agreement figure count, with no theme.
    assert themes.reviewed_labels(c) == {nothing.id: []}
    assert not themes.effective_codings(c)[nothing.id]


def test_the_history_says_when_in_scotlands_time_and_the_planners_language(world, as_role) -> None:
    """A change made at 09:05 UTC on 4 May reads 10:05 (BST), with the month in the page's language, not '04 May
    2026 09:05 UTC' in English on a Gàidhlig page."""
    from datetime import UTC, datetime

    client = as_role("planner")
    c = world.consultation.id
    html = _get(client, f"/planner/c/{c}/themes/{world.buses.id}")
    ticked = sorted(_members(world.consultation, world.buses))[:2]
    client.post(f"/planner/c/{c}/coding/bulk", data={
        "csrf_token": csrf_from(html), "answer": [str(i) for i in ticked], "theme": str(world.places.id),
        "action": "move", "back": f"/planner/c/{c}/themes/{world.buses.id}"})
    batch = db.session.scalars(select(CodingBatch)).one()
    batch.created_at = datetime(2026, 5, 4, 9, 5, tzinfo=UTC)
    db.session.commit()
    history = _get(client, f"/planner/c/{c}/coding/history")
    assert ">4 May 2026, 10:05</time>" in history and "UTC" not in history
    client.post("/lang", data={"lang": "gd", "next": f"/planner/c/{c}/coding/history", "csrf_token": csrf_from(history)})
    gaelic = _get(client, f"/planner/c/{c}/coding/history")
    assert "May 2026" not in gaelic and "10:05</time>" in gaelic
