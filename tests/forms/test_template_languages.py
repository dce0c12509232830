"""Every string of every shipped template is in every language the consultation offers."""

from __future__ import annotations

import copy

import pytest

import forms
from forms.i18n import definition_texts, missing_translations

from .helpers import AREAS


@pytest.fixture(scope="module", params=forms.list_templates())
def template(request):
    return forms.load_template(request.param)


def test_every_string_of_every_variant_has_every_offered_language(template):
    problems = missing_translations(template)
    assert not problems, (
        f"{len(problems)} string(s) in the shipped template {template.id!r} lack a language it offers "
        f"({', '.join(template.languages)}):\n" + "\n".join(problems)
    )


def test_the_check_walks_every_kind_of_text(template):
    fields = {
        name.split(".", 1)[0] if name.startswith("options.") else name
        for _a, _q, name, _t in definition_texts(template)
    }
    assert {
        "title",
        "purpose",
        "intro",
        "text",
        "easy_read",
        "help",
        "follow_up",
        "picture alt",
        "options",
    } <= fields
    assert any(name.startswith("labels[") for name in fields)
    walked = {a for a, _q, _n, _t in definition_texts(template)}
    assert set(template.audience_codes) <= walked


@pytest.mark.parametrize("lang", ["gd", "ar", "pl", "uk"])
def test_no_shipped_question_falls_back_to_english(template, lang):
    still_english = [
        f"{audience.audience} / {q.core_id}: {', '.join(form.untranslated)}"
        for audience in template.audiences
        for q in audience.questions
        for easy in (False, True)
        if (form := forms.build_form(q, lang, area_options=AREAS, easy_read=easy)).fell_back
    ]
    assert not still_english


@pytest.mark.parametrize(
    "field, path",
    [
        ("help", ["audiences", 3, "questions", 1, "help"]),
        ("options.clubs", ["audiences", 3, "questions", 3, "options", 1, "label"]),
        ("labels[1]", ["audiences", 3, "questions", 1, "labels", 1]),
        ("picture alt", ["audiences", 0, "questions", 0, "picture", "alt"]),
        ("follow_up", ["audiences", 2, "questions", 2, "follow_up"]),
    ],
)
def test_a_missing_language_is_named_with_its_audience_question_and_field(field, path):
    data = copy.deepcopy(forms.load_template("childrens-services-plan").raw)
    node = data
    for step in path:
        node = node[step]
    assert isinstance(node, dict) and "pl" in node
    del node["pl"]
    definition = forms.load_definition(data)
    audience = data["audiences"][path[1]]["audience"]
    core_id = data["audiences"][path[1]]["questions"][path[3]]["core_id"]
    problems = missing_translations(definition)
    # YAML anchors share one mapping between variants, so the gap shows wherever it is used.
    assert f"{audience} / {core_id} / {field}: missing pl" in problems
    assert all(p.endswith("missing pl") for p in problems)


def test_a_blank_translation_counts_as_missing():
    data = copy.deepcopy(forms.load_template("childrens-services-plan").raw)
    data["audiences"][2]["intro"]["uk"] = "   "
    with pytest.raises(forms.DefinitionError):
        forms.load_definition(data)  # the loader refuses blank text outright
    data["audiences"][2]["intro"].pop("uk")
    assert missing_translations(forms.load_definition(data)) == [
        "young_12_17 / (audience) / intro: missing uk"
    ]
