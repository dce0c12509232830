"""Stored free text holds no bidi overrides or zero-width characters (issue 15, finding 8).

A right-to-left override makes staff read an answer or a name differently from what it holds; a
zero-width space hides a word from searching and matching.
"""

from __future__ import annotations

from sqlalchemy import select

from consult.text import INVISIBLE, clean_text

HOSTILE = "the \u202eswings\u202c are bro\u200bken \u2066isolate\u2069 \ufeffzqx"


def test_clean_text_removes_overrides_isolates_and_zero_width_but_keeps_marks() -> None:
    assert clean_text(HOSTILE) == "the swings are broken isolate zqx"
    assert clean_text("مرحبا\u200f ok\u200e") == "مرحبا\u200f ok\u200e", "direction marks are legitimate"
    assert clean_text(None) is None


def test_answers_typed_by_respondents_are_stored_clean(app, client) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import Answer
    from tests.consult.respond.conftest import Respondent, make_consultation
    from tests.consult.respond.test_form_mode import CSP_8_11, complete

    make_consultation(__import__("forms").load_template("childrens-services-plan"), slug="csp")
    r = Respondent(client, "csp")
    r.start()
    complete(r, {**CSP_8_11, "change_one_thing": {"answer": HOSTILE}})
    stored = db.session.scalars(select(Answer).where(Answer.core_id == "change_one_thing")).one()
    for text in (stored.text, stored.text_original):
        assert text is None or not INVISIBLE.search(text), repr(text)
    assert "swings are broken" in stored.text


def test_every_orm_write_is_cleaned(app, partnership) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import Organisation

    org = Organisation(partnership_id=partnership.id, name="Evil\u202e Trust", name_key="evil trust",
                       org_type="provides", themes_of_interest=["a\u200bb"])
    db.session.add(org)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Organisation, org.id)
    assert stored.name == "Evil Trust" and stored.themes_of_interest == ["ab"]


def test_staff_pages_isolate_what_people_wrote_in_bdi() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "consult" / "templates" / "planner"
    for name, shown in (("theme.html", "{{ a.text }}"), ("moderation.html", "{{ a.text }}"),
                        ("answer.html", "{{ answer.text }}"), ("code_next.html", "{{ a.text }}"),
                        ("priority.html", "{{ a.text }}")):
        source = (root / name).read_text()
        assert f"<bdi>{shown}</bdi>" in source and source.count(shown) == source.count(f"<bdi>{shown}</bdi>"), name
