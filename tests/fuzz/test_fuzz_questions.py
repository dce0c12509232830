"""Every question type's validation, through forms.build_form with the shipped template's questions:
whatever is posted, the form validates or gives errors — it never raises."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

import forms
from forms import QUESTION_TYPES, AnswerData, build_form, load_template
from tests.fuzz.conftest import fuzz_settings
from tests.fuzz.strategies import texts

TEMPLATE = load_template("childrens-services-plan")
AREAS = [("north", "North"), ("south", "South")]
LANGS = ["en", "gd", "ar", "pl", "uk", "xx"]


_TEMPLATE_DATA: list[dict] = []


def template_data() -> dict:
    """Return the shipped template as plain data (a fresh copy each time)."""
    import copy

    import yaml

    if not _TEMPLATE_DATA:
        path = forms.TEMPLATES_DIR / "childrens-services-plan.yaml"
        _TEMPLATE_DATA.append(yaml.safe_load(path.read_text(encoding="utf-8")))
    return copy.deepcopy(_TEMPLATE_DATA[0])


def _questions_by_type() -> dict[str, forms.QuestionDef]:
    found: dict[str, forms.QuestionDef] = {}
    for audience in TEMPLATE.audiences:
        for q in audience.questions:
            found.setdefault(q.type, q)
    if "single_choice" not in found:  # the template has none: make one from its multiple-choice question
        base = found["multiple_choice"]
        spec = dict(base.spec)
        spec.update(type="single_choice", core_id="fuzz_single")
        spec.pop("max_choices", None)
        spec.pop("min_choices", None)
        data = template_data()
        data["audiences"] = [{**data["audiences"][0], "questions": [spec]}]
        try:
            found["single_choice"] = forms.load_definition(data).audiences[0].questions[0]
        except forms.DefinitionError as exc:  # pragma: no cover - shows why if the template changes
            raise AssertionError(exc.errors) from exc
    return found


QUESTIONS = _questions_by_type()


def test_every_question_type_is_fuzzed() -> None:
    assert set(QUESTIONS) == set(QUESTION_TYPES)


def _postings(question: forms.QuestionDef):  # type: ignore[no-untyped-def]
    cls = build_form(question, "en", area_options=AREAS)
    names = [name for name, _ in cls()._fields.items()] + ["other", "csrf_token", "answer-0"]
    options = [str(o.value) for o in (question.options or [])] + [a for a, _ in AREAS] + [
        "prefer_not_to_say", "dont_know", "yes", "no", "1", "5", "agree", "disagree"]
    values = st.one_of(st.sampled_from(options), texts)
    return st.lists(st.tuples(st.sampled_from(names), values), max_size=14)


@pytest.mark.parametrize("qtype", sorted(QUESTION_TYPES))
def test_question_type_validation_never_raises(qtype: str) -> None:
    question = QUESTIONS[qtype]
    handler = QUESTION_TYPES[qtype]

    @fuzz_settings()
    @given(posted=_postings(question), lang=st.sampled_from(LANGS), easy=st.booleans())
    def check(posted, lang, easy):  # type: ignore[no-untyped-def]
        cls = build_form(question, lang, area_options=AREAS, easy_read=easy)
        form = cls(MultiDict(posted))
        if form.validate():
            stored = form.answer_data()
            assert isinstance(stored, AnswerData)
            json.dumps(stored.to_dict())
            assert isinstance(handler.display(question, stored, lang, area_options=AREAS), str)
            if stored.text is not None:
                assert "\x00" not in stored.text
        else:
            assert form.errors and all(str(m) for ms in form.errors.values() for m in ms)

    check()
