"""Every question type's validation, through forms.build_form with the shipped template's questions:
whatever is posted, the form validates or gives errors — it never raises — and whatever it accepts is
an answer the question offers, clean and within its limits, that reads back the same (Back and Change)."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

import forms
from forms import PREFER_NOT_TO_SAY, QUESTION_TYPES, AnswerData, build_form, load_template
from forms.text import bad_characters
from forms.types import BuildContext
from forms.types.choice import ChoiceType
from tests.fuzz.conftest import fuzz_settings
from tests.fuzz.strategies import near, texts, weighted

TEMPLATE = load_template("childrens-services-plan")
AREAS = [("north", "North"), ("south", "South")]
LANGS = ["en", "gd", "ar", "pl", "uk", "xx", "en_GB", ""]
EXTRA_NAMES = ["other", "csrf_token", "answer-0", "continue_", "q", "why", "rank_4", "more"]

_TEMPLATE_DATA: list[dict] = []


def template_data() -> dict:
    """Return the shipped template as plain data (a fresh copy each time)."""
    import copy

    import yaml

    if not _TEMPLATE_DATA:
        path = forms.TEMPLATES_DIR / "childrens-services-plan.yaml"
        _TEMPLATE_DATA.append(yaml.safe_load(path.read_text(encoding="utf-8")))
    return copy.deepcopy(_TEMPLATE_DATA[0])


def _load_question(spec: dict) -> forms.QuestionDef:
    """Return ``spec`` as a question, validated by load_definition like any planner's edit."""
    data = template_data()
    data["audiences"] = [{**data["audiences"][0], "questions": [spec]}]
    try:
        return forms.load_definition(data).audiences[0].questions[0]
    except forms.DefinitionError as exc:  # pragma: no cover - shows why if the template changes
        raise AssertionError(exc.errors) from exc


def _variants_by_type() -> dict[str, list[tuple[str, forms.QuestionDef, list | None]]]:
    """Return, per type, the shapes it comes in: (label, question, area options passed to the builder).

    Every type is fuzzed as the template has it and as a required (``optional: false``) question; picture
    choice as one answer and as several; area with the partnership's areas and with none; the text types
    with a tiny limit as well, so the length check is hit by ordinary input too.
    """
    found: dict[str, forms.QuestionDef] = {}
    for audience in TEMPLATE.audiences:
        for q in audience.questions:
            found.setdefault(q.type, q)
    if "single_choice" not in found:  # the template has none: make one from its multiple-choice question
        spec = dict(found["multiple_choice"].spec)
        spec.update(type="single_choice", core_id="fuzz_single")
        spec.pop("max_choices", None)
        spec.pop("min_choices", None)
        found["single_choice"] = _load_question(spec)
    out: dict[str, list[tuple[str, forms.QuestionDef, list | None]]] = {}
    for qtype, q in found.items():
        specs = {"template": dict(q.spec), "required": {**q.spec, "optional": False}}
        if qtype == "picture_choice":
            single = {k: v for k, v in q.spec.items() if k != "multiple"}
            specs.update(single=single, single_required={**single, "optional": False},
                         multiple={**q.spec, "multiple": True})
        if qtype in ("short_text", "long_text", "agree_priority"):
            specs["tiny_limit"] = {**q.spec, "max_length": 5, "optional": False}
        variants = [(label, _load_question(spec), AREAS) for label, spec in specs.items()]
        if qtype == "area":
            variants += [(f"{label}_no_areas", question, None) for label, question, _ in list(variants)]
        out[qtype] = variants
    return out


VARIANTS = _variants_by_type()


def test_every_question_type_is_fuzzed() -> None:
    assert set(VARIANTS) == set(QUESTION_TYPES)
    assert all(len(v) >= 2 for v in VARIANTS.values())


def allowed_values(question: forms.QuestionDef, areas: list | None) -> set[str]:
    """Return every answer value the question offers (from its choice list, not from the form)."""
    handler = QUESTION_TYPES[question.type]
    if not isinstance(handler, ChoiceType):
        return set()
    return {str(v) for v, _l, _p in handler.choice_list(question, BuildContext(lang="en", area_options=areas))}


def _as_formdata(data: dict) -> MultiDict:
    out: MultiDict = MultiDict()
    for name, value in data.items():
        for v in value if isinstance(value, list) else [value]:
            out.add(name, v)
    return out


def _check_accepted(question: forms.QuestionDef, areas: list | None, stored: AnswerData, skip: bool) -> None:
    """Assert that an accepted answer is one the question offers, clean and within its limits."""
    handler = QUESTION_TYPES[question.type]
    json.dumps(stored.to_dict())
    if skip:
        assert stored.skipped, "Skip was pressed but an answer was stored"
    if stored.skipped:
        assert question.optional or skip, "a required question was left empty but accepted"
        return
    if stored.text is not None:
        multiline = question.type != "short_text"
        assert stored.text, "empty text stored instead of None"
        assert not bad_characters(stored.text, multiline=multiline), repr(stored.text[:80])
        assert stored.text == stored.text.strip(), "text stored untrimmed"
        assert unicodedata.is_normalized("NFC", stored.text), "text stored not NFC-normalised"
        assert "\r" not in stored.text
        limit = question.max_length or getattr(handler, "default_max_length", 1000)
        assert len(stored.text) <= limit, (len(stored.text), limit)
    allowed = allowed_values(question, areas)
    value = stored.value
    if question.type in ("short_text", "long_text"):
        assert value is None and stored.text
    elif question.type == "agree_priority":
        assert value is None or str(value) in allowed, value
        assert value is not None or stored.text
    elif question.type == "rank_top3" or isinstance(value, list):
        assert isinstance(value, list) and value, value
        assert len(set(value)) == len(value), f"an answer chosen twice: {value}"
        assert all(str(v) in allowed for v in value), value
        if PREFER_NOT_TO_SAY in value:
            assert value == [PREFER_NOT_TO_SAY], value
        if question.type == "rank_top3":
            assert len(value) <= 3
        else:
            assert question.type == "multiple_choice" or question.spec.get("multiple")
    else:
        assert str(value) in allowed, value
        if question.type == "face_scale":
            assert value == PREFER_NOT_TO_SAY or (isinstance(value, int) and 1 <= value <= 5), value


def _postings(variants):  # type: ignore[no-untyped-def]
    """Posted form data for one of the variants: either what a browser sends (each answer field once, or a
    few times for checkboxes, with offered values, near misses or hostile text, now and then a stray field),
    or anything at all under any name, repeated."""
    names: set[str] = set()
    multi: set[str] = set()
    values: set[str] = set()
    others = [PREFER_NOT_TO_SAY, "dont_know", "yes", "no", "not_sure", "1", "5", "agree", "partly", "north"]
    for _label, question, areas in variants:
        form = build_form(question, "en", area_options=areas)()
        names.update(form.answer_fields)
        multi.update(n for n in form.answer_fields if getattr(form, n).type == "MultiCheckboxField")
        values.update(allowed_values(question, areas))
    # Offered values, near misses of them, hostile text; now and then another type's answers.
    value = weighted((4, near(sorted(values) or others)), (1, near(others)))
    browser = st.tuples(
        st.fixed_dictionaries({n: weighted((1, st.just([])), (3, st.lists(value, min_size=1, max_size=4 if n in multi
                                                                              else 1))) for n in sorted(names)}),
        st.lists(st.tuples(st.sampled_from(EXTRA_NAMES), value), max_size=2),
    ).map(lambda t: [(n, v) for n, vs in t[0].items() for v in vs] + t[1])
    field_names = weighted((3, st.sampled_from(sorted(names))), (1, st.sampled_from(EXTRA_NAMES)), (1, texts))
    anything = st.lists(st.tuples(field_names, value), max_size=10)
    return weighted((2, browser), (1, anything))


def _round_trip(question, areas, lang, easy, stored: AnswerData) -> None:  # type: ignore[no-untyped-def]
    """The stored answer, shown again (Back/Change) and sent unchanged, is accepted as the same answer."""
    handler = QUESTION_TYPES[question.type]
    cls = build_form(question, lang, area_options=areas, easy_read=easy)
    again = cls(_as_formdata(handler.form_data(stored)))
    assert again.validate(), (handler.form_data(stored), again.errors)
    assert again.answer_data() == stored, (again.answer_data(), stored)


POSTINGS = {qtype: _postings(variants) for qtype, variants in VARIANTS.items()}


@pytest.mark.parametrize("qtype", sorted(QUESTION_TYPES))
@fuzz_settings()
@given(data=st.data(), skip=st.sampled_from([False] * 5 + [True]), lang=st.sampled_from(LANGS), easy=st.booleans())
def test_question_type_validation_never_raises(qtype: str, data, skip: bool, lang: str, easy: bool) -> None:  # type: ignore[no-untyped-def]
    variants = VARIANTS[qtype]
    handler = QUESTION_TYPES[qtype]
    label, question, areas = variants[data.draw(st.sampled_from(range(len(variants))), label="variant")]
    posted = data.draw(POSTINGS[qtype], label="posted")
    event(f"variant: {label}")
    formdata = MultiDict(posted)
    if skip:
        formdata.add("skip", "Skip")
    cls = build_form(question, lang, area_options=areas, easy_read=easy)
    form = cls(formdata)
    if form.validate():
        stored = form.answer_data()
        assert isinstance(stored, AnswerData)
        event("accepted: skipped" if stored.skipped else "accepted: an answer")
        # Skip is pressed by our flag or by any non-empty "skip" among the posted fields (Skip is always
        # allowed, even on a required question: only Continue needs an answer).
        assert form.skip.data or not skip
        _check_accepted(question, areas, stored, bool(form.skip.data))
        assert isinstance(handler.display(question, stored, lang, area_options=areas), str)
        if not stored.skipped:
            _round_trip(question, areas, lang, easy, stored)
    else:
        event("refused with errors")
        assert not form.skip.data or any(n not in form.answer_fields for n, f in form._fields.items() if f.errors)
        assert form.errors and all(str(m) for ms in form.errors.values() for m in ms)
