"""Results by question, the results filters, and suppression of figures that leave the staff area."""

from __future__ import annotations

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from consult.data.filters import ResultFilter
from consult.extensions import db
from consult.models import Answer, Response


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
