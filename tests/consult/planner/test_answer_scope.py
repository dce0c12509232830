"""A consultation's answers are found through its own responses, and one read of the codes serves a page.

``answer_in`` is how planner pages keep their cost with their own consultation (bench/national.py); it must
select exactly that consultation's answers on both databases. ``codes_of`` reads a consultation's codes in
one query for the themes page's table and its agreement figure: a person's code overrides the machine's.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from consult.data import consultations, themes
from consult.data.answer_scope import answer_in
from consult.extensions import db
from consult.models import Answer, Response
from forms import load_template
from tests.consult.planner.world import _response


def _ids(condition) -> set[int]:  # type: ignore[no-untyped-def]
    return set(db.session.scalars(select(Answer.id).where(condition)))


def test_answer_in_selects_exactly_one_consultations_answers(world) -> None:
    first = world.consultation
    second = consultations.create_consultation(first.plan, load_template("childrens-services-plan"),
                                               slug="testbrae-2027", opens_on=date(2027, 5, 1),
                                               closes_on=date(2027, 6, 30), status="open")
    for i in range(3):
        _response(second, "child_8_11", text=f"More swings next year {i}", area_id=None)
    db.session.commit()
    joined = {c.id: set(db.session.scalars(select(Answer.id).join(Response, Answer.response_id == Response.id)
                                           .where(Response.consultation_id == c.id))) for c in (first, second)}
    assert _ids(answer_in(first.id)) == joined[first.id] and len(joined[first.id]) == 27
    assert _ids(answer_in(second.id)) == joined[second.id] and len(joined[second.id]) == 3
    assert not _ids(answer_in(999_999))
    # the statement cache must not reuse one consultation's id for another
    counts = [db.session.scalar(select(func.count()).select_from(Answer).where(answer_in(c.id)))
              for c in (first, second, first)]
    assert counts == [27, 3, 27]


def test_one_read_of_the_codes_gives_the_table_and_the_reviewed_answers(world) -> None:
    c = world.consultation
    before = themes.theme_counts(c)
    assert before[world.places.id] == 12 and before[world.worries.id] == 3
    answer = db.session.scalars(select(Answer).join(Response).where(
        Response.consultation_id == c.id, Answer.text.like("Waiting lists%"))).first()
    themes.set_human_code(answer, world.worries, present=False, coder_id=None)  # a person removes one code
    themes.set_human_code(answer, world.buses, present=True, coder_id=None)  # and adds another
    after = themes.theme_counts(c)
    assert after[world.worries.id] == 2 and after[world.buses.id] == 12
    codes = themes.codes_of(c)
    assert codes[1] == {answer.id}
    assert themes.reviewed_labels(c, codes=codes) == {answer.id: ["transport"]}
    table = {t.id: n for t, n, _per in themes.theme_table(c, codes=codes)}
    assert table == {t.id: n for t, n, _per in themes.theme_table(c)} and table[world.buses.id] == 12
    # the machine's codes replaced by a Core delete and a bulk insert, still in the same transaction
    places = [a for a, tids in themes.effective_codings(c).items() if world.places.id in tids]
    themes.replace_machine_codings(places, [(a, world.buses.id, 0.5) for a in places])
    final = themes.theme_counts(c)
    assert final[world.places.id] == 0 and final[world.buses.id] == 24
    db.session.rollback()
    assert themes.theme_counts(c) == before  # nothing was committed: the first figures again
