"""Loading, validating, localising and round-tripping consultation definitions."""

from __future__ import annotations

import json

import pytest

import forms
from forms import DefinitionError, dump_definition, load_definition, localised


def errors_of(data) -> list[str]:
    with pytest.raises(DefinitionError) as info:
        load_definition(data)
    return info.value.errors


def test_sample_loads_into_typed_definition(sample):
    aud = sample.audience("child_8_11")
    assert sample.id == "sample-2026"
    assert aud.core_ids[:3] == ["choose_one", "choose_many", "feel_safe"]
    q = aud.question("good_things")
    assert (q.type, q.max_length, q.follow_up_min_words, q.optional) == ("long_text", 50, 4, True)
    assert q.help == {"en": "Anything at all."}
    assert aud.question("must").optional is False
    assert aud.question("priority_poverty").priority == "poverty"
    assert aud.question("feel_safe").picture.src == "safe.svg"
    assert aud.question("choose_one").options[0].label["gd"] == "Àiteachan airson cluich"
    assert aud.question("choose_one").spec["type"] == "single_choice"
    with pytest.raises(KeyError):
        sample.audience("parent_carer")
    with pytest.raises(KeyError):
        aud.question("nope")


def test_unknown_type_error_names_the_path(sample_dict):
    sample_dict["audiences"][0]["questions"][4]["type"] = "slider"
    errs = errors_of(sample_dict)
    assert any(e.startswith("audiences[0].questions[4].type: 'slider' is not a question type") for e in errs)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.update(id="Not A Slug"), "id: must be a short slug"),
        (lambda d: d.update(languages=["en", "fr"]), "languages[1]: unsupported language 'fr'"),
        (lambda d: d.update(languages=["gd"]), "languages: must include 'en'"),
        (lambda d: d["title"].pop("en"), "title.en: English text is required"),
        (lambda d: d.update(title="Plain"), "title: must be a map of language to text"),
        (lambda d: d.update(colour="red"), "colour: unknown key"),
        (lambda d: d.update(audiences=[]), "audiences: must be a non-empty list"),
        (
            lambda d: d["audiences"][0].update(audience="teachers"),
            "audiences[0].audience: unknown audience 'teachers'",
        ),
        (
            lambda d: d["audiences"].append(dict(d["audiences"][0])),
            "audiences[1].audience: 'child_8_11' appears twice",
        ),
        (
            lambda d: d["audiences"][0].update(questions=[]),
            "audiences[0].questions: must be a non-empty list",
        ),
        (
            lambda d: d["audiences"][0]["questions"][0].update(core_id="Bad-Id"),
            "audiences[0].questions[0].core_id: must be a key",
        ),
        (
            lambda d: d["audiences"][0]["questions"][1].update(core_id="choose_one"),
            "audiences[0].questions[1].core_id: 'choose_one' is used twice",
        ),
        (
            lambda d: d["audiences"][0]["questions"][0].pop("options"),
            "audiences[0].questions[0].options: is required",
        ),
        (
            lambda d: d["audiences"][0]["questions"][0].update(
                options=[{"value": "a", "label": {"en": "A"}}]
            ),
            "audiences[0].questions[0].options: needs between 2 and 30 options",
        ),
        (
            lambda d: d["audiences"][0]["questions"][0]["options"].append(
                {"value": "prefer_not_to_say", "label": {"en": "x"}}
            ),
            "audiences[0].questions[0].options[4].value: 'prefer_not_to_say' is reserved",
        ),
        (
            lambda d: d["audiences"][0]["questions"][0]["options"].append(
                {"value": "play", "label": {"en": "x"}}
            ),
            "audiences[0].questions[0].options[4].value: 'play' is used twice",
        ),
        (
            lambda d: d["audiences"][0]["questions"][0]["options"][1].update(label={"fr": "x"}),
            "audiences[0].questions[0].options[1].label.en: English text is required",
        ),
        (
            lambda d: d["audiences"][0]["questions"][0]["options"][1]["label"].update(fr="x"),
            "audiences[0].questions[0].options[1].label.fr: language not in this consultation's languages",
        ),
        (
            lambda d: d["audiences"][0]["questions"][0].update(optinal=True),
            "audiences[0].questions[0].optinal: unknown key",
        ),
        (
            lambda d: d["audiences"][0]["questions"][0].update(optional="yes"),
            "audiences[0].questions[0].optional: must be true or false",
        ),
        (
            lambda d: d["audiences"][0]["questions"][0].update(max_length=10),
            "audiences[0].questions[0].max_length: unknown key",
        ),
        (
            lambda d: d["audiences"][0]["questions"][2].update(labels=[{"en": "a"}] * 4),
            "audiences[0].questions[2].labels: must be a list of exactly 5 labels",
        ),
        (
            lambda d: d["audiences"][0]["questions"][2]["picture"].update(src="../../etc/passwd"),
            "audiences[0].questions[2].picture.src: must be a picture file name",
        ),
        (
            lambda d: d["audiences"][0]["questions"][2]["picture"].update(src="unicorn.svg"),
            "audiences[0].questions[2].picture.src: no picture called 'unicorn.svg'",
        ),
        (
            lambda d: d["audiences"][0]["questions"][3]["options"][0].pop("picture"),
            "audiences[0].questions[3].options[0].picture: is required for picture_choice",
        ),
        (
            lambda d: d["audiences"][0]["questions"][4].update(multiple="yes"),
            "audiences[0].questions[4].multiple: must be true or false",
        ),
        (
            lambda d: d["audiences"][0]["questions"][6].update(max_length=0),
            "audiences[0].questions[6].max_length: must be between 1 and 10000",
        ),
        (
            lambda d: d["audiences"][0]["questions"][6].update(max_length="long"),
            "audiences[0].questions[6].max_length: must be a whole number",
        ),
        (
            lambda d: d["audiences"][0]["questions"][7].update(follow_up_min_words=0),
            "audiences[0].questions[7].follow_up_min_words: must be between 1 and 50",
        ),
        (
            lambda d: d["audiences"][0]["questions"][9].pop("priority"),
            "audiences[0].questions[9].priority: is required",
        ),
        (
            lambda d: d["audiences"][0]["questions"][9].update(priority="Mental Health"),
            "audiences[0].questions[9].priority: must be a key",
        ),
        (
            lambda d: d["audiences"][0]["questions"][5]["text"].update(en="Bad\x07bell"),
            "audiences[0].questions[5].text.en: contains control characters",
        ),
        (
            lambda d: d["audiences"][0]["questions"][5]["text"].update(en="   "),
            "audiences[0].questions[5].text.en: must not be empty",
        ),
        (
            lambda d: d["audiences"][0]["questions"][5].pop("text"),
            "audiences[0].questions[5].text: is required",
        ),
    ],
)
def test_invalid_definitions_report_their_path(sample_dict, mutate, expected):
    mutate(sample_dict)
    errs = errors_of(sample_dict)
    assert any(e.startswith(expected) for e in errs), errs


def test_every_problem_is_reported_at_once(sample_dict):
    sample_dict["id"] = "BAD"
    sample_dict["audiences"][0]["questions"][0]["type"] = "slider"
    sample_dict["audiences"][0]["questions"][6]["max_length"] = -1
    errs = errors_of(sample_dict)
    assert len(errs) >= 3
    assert "3 problem(s)" in str(DefinitionError(errs[:3]))


def test_same_core_id_must_compare_across_audiences(sample_dict):
    parent = {
        "audience": "parent_carer",
        "title": {"en": "Parents"},
        "questions": [{"core_id": "feel_safe", "type": "yes_no", "text": {"en": "Are children safe?"}}],
    }
    sample_dict["audiences"].append(parent)
    errs = errors_of(sample_dict)
    assert any(
        e.startswith("audiences[1].questions[0].type: core_id 'feel_safe' is answered as 'yes_no' here")
        for e in errs
    )


def test_picture_choice_many_compares_with_multiple_choice(sample_dict):
    parent = {
        "audience": "parent_carer",
        "title": {"en": "Parents"},
        "questions": [
            {
                "core_id": "pictures_many",
                "type": "multiple_choice",
                "text": {"en": "Pick"},
                "options": sample_dict["audiences"][0]["questions"][0]["options"],
            },
            {
                "core_id": "priority_poverty",
                "type": "agree_priority",
                "priority": "mental_health",
                "text": {"en": "x"},
            },
        ],
    }
    sample_dict["audiences"].append(parent)
    errs = errors_of(sample_dict)
    assert not any("pictures_many" in e for e in errs)
    assert any(e.startswith("audiences[1].questions[1].type: core_id 'priority_poverty'") for e in errs)


def test_yaml_and_json_text_and_files(tmp_path, sample_dict):
    from_yaml = load_definition(dump_definition(sample_dict))
    from_json = load_definition(json.dumps(sample_dict))
    path = tmp_path / "c.yaml"
    path.write_text(dump_definition(sample_dict), encoding="utf-8")
    assert load_definition(path).to_dict() == load_definition(str(path)).to_dict() == from_yaml.to_dict()
    assert from_json.to_dict() == sample_dict


def test_bad_sources_raise_definition_error(tmp_path):
    assert errors_of(tmp_path / "missing.yaml")[0].startswith(str(tmp_path / "missing.yaml"))
    assert "invalid YAML" in errors_of("id: [unclosed\n")[0]
    assert errors_of("id: a\nid: b\n")[0].endswith("invalid YAML: duplicate key 'id'")
    assert "invalid JSON" in errors_of('{"id": }')[0]
    assert errors_of("- just\n- a list\n") == ["(top): a definition must be a mapping, not a list"]
    assert "must be a mapping" in errors_of("")[0]
    with pytest.raises(DefinitionError):
        load_definition(42)  # type: ignore[arg-type]


def test_round_trip_through_yaml(sample):
    text = dump_definition(sample)
    again = load_definition(text)
    assert again.to_dict() == sample.to_dict()
    assert again == sample
    assert dump_definition(again) == text
    assert "Àiteachan airson cluich" in text  # unicode kept readable for planners


def test_template_round_trips_without_yaml_aliases():
    defn = forms.load_template("childrens-services-plan")
    text = dump_definition(defn)
    assert "&id" not in text and "*id" not in text
    assert load_definition(text).to_dict() == defn.to_dict()


def test_to_dict_is_a_copy(sample):
    data = sample.to_dict()
    data["id"] = "changed"
    assert sample.to_dict()["id"] == "sample-2026"


@pytest.mark.parametrize(
    ("mapping", "lang", "expected"),
    [
        ({"en": "Hello", "gd": "Halò"}, "gd", ("Halò", False)),
        ({"en": "Hello", "gd": "Halò"}, "gd_GB", ("Halò", False)),
        ({"en": "Hello", "gd": "Halò"}, "ar", ("Hello", True)),
        ({"en": "Hello", "gd": "  "}, "gd", ("Hello", True)),
        ({"en": "Hello"}, "en", ("Hello", False)),
        ({"en": "Hello"}, "en-GB", ("Hello", False)),
        ({"gd": "Halò"}, "ar", ("Halò", True)),
        ({}, "gd", ("", False)),
        (None, "gd", ("", False)),
    ],
)
def test_localised_reports_fallback_to_english(mapping, lang, expected):
    assert localised(mapping, lang) == expected


def test_audiences_and_labels():
    assert forms.AUDIENCES == [
        "child_5_8",
        "child_8_11",
        "young_12_17",
        "parent_carer",
        "organisation",
        "social_landlord",
        "other_provider",
    ]
    assert set(forms.AUDIENCE_LABELS) == set(forms.AUDIENCES)
    assert str(forms.AUDIENCE_LABELS["child_8_11"]) == "I am 8 to 11 years old"
    assert forms.CHILD_AUDIENCES == {"child_5_8", "child_8_11", "young_12_17"}


def test_list_and_load_templates():
    assert "childrens-services-plan" in forms.list_templates()
    with pytest.raises(KeyError):
        forms.load_template("../pyproject")
