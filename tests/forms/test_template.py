"""The shipped Children's Services Plan template: complete, readable, translated, buildable."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

import forms
from forms import AUDIENCES, build_form, check_readability, list_pictures, load_template, picture_path

from .helpers import AREAS

TEMPLATE = "childrens-services-plan"
PRIORITIES = {
    "priority_mental_health": "mental_health",
    "priority_poverty": "poverty",
    "priority_safe_places": "safe_places",
    "priority_family_support": "family_support",
}
CORE = {
    "area",
    "feel_safe",
    "wellbeing",
    "good_things",
    "change_one_thing",
    "more_of",
    "listened_to",
    "anything_else",
}
ORGS = {"organisation", "social_landlord", "other_provider"}


@pytest.fixture(scope="module")
def template():
    return load_template(TEMPLATE)


def wording(audience):
    """Yield (where, {lang: text}) for every piece of prose the audience reads."""
    if audience.intro:
        yield "intro", audience.intro
    for q in audience.questions:
        for key in ("text", "easy_read", "help", "follow_up"):
            value = getattr(q, key)
            if value:
                yield f"{q.core_id}.{key}", value
        if q.spec.get("why"):
            yield f"{q.core_id}.why", q.spec["why"]


def labels(audience):
    """Yield (where, {lang: text}) for titles and answer labels (fragments, not sentences)."""
    yield "title", audience.title
    for q in audience.questions:
        for opt in q.options:
            yield f"{q.core_id}.{opt.value}", opt.label
        for i, lbl in enumerate(q.spec.get("labels") or []):
            yield f"{q.core_id}.labels[{i}]", lbl


def test_template_is_listed_and_has_all_seven_audiences(template):
    assert TEMPLATE in forms.list_templates()
    assert template.audience_codes == AUDIENCES
    assert template.languages == ["en", "gd", "ar", "pl", "uk"]


@pytest.mark.parametrize("code", AUDIENCES)
def test_english_wording_meets_the_audience_readability_target(template, code):
    audience = template.audience(code)
    failures = []
    for where, text in wording(audience):
        check = check_readability(text["en"], code)
        if not check.ok:
            failures.append(f"{where}: {text['en']!r}: {', '.join(check.problems)}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("code", AUDIENCES)
def test_other_languages_and_labels_keep_the_sentence_cap(template, code):
    audience = template.audience(code)
    cap = forms.READABILITY_TARGETS[code].max_wps
    failures = [
        f"{where}.{lang}"
        for where, texts in [*wording(audience), *labels(audience)]
        for lang, text in texts.items()
        if forms.readability(text).longest_sentence > cap
    ]
    assert not failures


@pytest.mark.parametrize("code", AUDIENCES)
def test_core_questions_and_types(template, code):
    audience = template.audience(code)
    ids = set(audience.core_ids)
    assert CORE <= ids
    types = {q.core_id: q.type for q in audience.questions}
    assert types["feel_safe"] == types["wellbeing"] == "face_scale"
    assert types["good_things"] == types["change_one_thing"] == types["anything_else"] == "long_text"
    assert types["listened_to"] == "yes_no" and types["area"] == "area"
    assert types["more_of"] in ("picture_choice", "multiple_choice")
    assert ("groups" in ids) == (code != "child_5_8")
    if code != "child_5_8":
        assert types["top_three"] == "rank_top3"
        assert types["groups"] == "multiple_choice"
        groups = audience.question("groups")
        assert [o.value for o in groups.options] == [
            "care_experienced",
            "young_carer",
            "disabled",
            "gaelic_home",
            "other_language",
        ]
    has_priorities = code not in ("child_5_8", "child_8_11")
    for core_id, key in PRIORITIES.items():
        assert (core_id in ids) == has_priorities
        if has_priorities:
            q = audience.question(core_id)
            assert q.type == "agree_priority" and q.priority == key
    assert ({"org_gaps", "org_evidence"} <= ids) == (code in ORGS)
    assert ("landlord_housing" in ids) == (code == "social_landlord")
    assert all(q.optional for q in audience.questions)


def test_topics_compare_across_audiences(template):
    values = {
        (a.audience, q.core_id): [o.value for o in q.options]
        for a in template.audiences
        for q in a.questions
        if q.core_id in ("more_of", "top_three")
    }
    assert len({tuple(v) for v in values.values()}) == 1
    assert values[("child_8_11", "more_of")][:3] == ["places_to_play", "clubs", "safe_travel"]


@pytest.mark.parametrize("code", ["child_5_8", "child_8_11"])
@pytest.mark.parametrize("lang", ["gd", "ar"])
def test_young_children_have_gaelic_and_arabic_wording(template, code, lang):
    audience = template.audience(code)
    assert lang in audience.title and lang in audience.intro
    for where, text in wording(audience):
        assert lang in text, where
    for where, text in labels(audience):
        assert lang in text, where
    for q in audience.questions:
        form = build_form(q, lang, area_options=AREAS)
        if q.picture:
            assert lang in q.picture.alt
        assert not form.fell_back, (q.core_id, form.untranslated)


def test_every_audience_has_titles_and_intros_in_every_language(template):
    for audience in template.audiences:
        for lang in template.languages:
            assert lang in audience.title and lang in audience.intro, (audience.audience, lang)


def test_template_stays_generic(template):
    text = forms.dump_definition(template)
    assert "Glenbrae" not in text
    header = forms.TEMPLATES_DIR.joinpath(f"{TEMPLATE}.yaml").read_text(encoding="utf-8")[:1000]
    assert "fluent speaker" in header


@pytest.mark.parametrize("lang", ["en", "gd", "ar", "pl", "uk"])
def test_every_question_builds_and_accepts_a_skip(template, lang):
    from werkzeug.datastructures import MultiDict

    for audience in template.audiences:
        for q in audience.questions:
            for easy in (False, True):
                cls = build_form(q, lang, area_options=AREAS, easy_read=easy)
                form = cls(MultiDict({"skip": "Skip"}))
                assert form.validate() and form.answer_data().skipped
                assert cls.question_text


def test_pictures_are_small_safe_svgs():
    names = list_pictures()
    assert {f"face-{i}.svg" for i in range(1, 6)} <= set(names)
    for name in names:
        path = picture_path(name)
        data = path.read_bytes()
        assert len(data) <= 2048, name
        root = ET.fromstring(data)
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox")
        assert not re.search(rb"<script|on\w+=|href=|<image|<foreignObject", data, re.I), name
    assert picture_path("../builder.py") is None and picture_path("nope.svg") is None


def test_every_shipped_picture_is_used_and_every_used_picture_ships(template):
    used = {f"face-{i}.svg" for i in range(1, 6)}
    for audience in template.audiences:
        for q in audience.questions:
            if q.picture:
                used.add(q.picture.src)
            used.update(o.picture.src for o in q.options if o.picture)
    assert used == set(list_pictures())
