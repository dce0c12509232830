"""The one builder: field names, Skip/Continue, languages, easy read, CSRF and translation."""

from __future__ import annotations

import io

import pytest
import wtforms
from babel.messages import Catalog
from babel.messages.mofile import write_mo
from flask import Flask
from flask_babel import Babel
from werkzeug.datastructures import MultiDict

import forms
from forms import QUESTION_TYPES, build_form

from .helpers import AREAS

EXPECTED_FIELDS = {
    "single_choice": ["answer"],
    "multiple_choice": ["answer"],
    "face_scale": ["answer"],
    "picture_choice": ["answer"],
    "yes_no": ["answer"],
    "short_text": ["answer"],
    "long_text": ["answer"],
    "rank_top3": ["rank_1", "rank_2", "rank_3"],
    "agree_priority": ["answer", "why"],
    "area": ["answer"],
}


def test_every_type_is_registered_and_documented():
    assert set(QUESTION_TYPES) == set(EXPECTED_FIELDS)
    for name, qtype in QUESTION_TYPES.items():
        assert qtype.name == name
        assert list(qtype.answer_fields) == EXPECTED_FIELDS[name]
        assert type(qtype).__doc__


def test_built_forms_have_answer_fields_then_skip_and_continue(sample):
    for q in sample.audience("child_8_11").questions:
        form = build_form(q, "en", area_options=AREAS)()
        names = list(form._fields)
        assert names == EXPECTED_FIELDS[q.type] + ["skip", "continue_"], q.core_id
        assert form.answer_fields == tuple(EXPECTED_FIELDS[q.type])
        assert isinstance(form.skip, wtforms.Field) and form.skip.type == "SubmitField"
        assert str(form.skip.label.text) == "Skip" and str(form.continue_.label.text) == "Continue"
        assert form.question is q and form.question_type is QUESTION_TYPES[q.type]


def test_form_exposes_wording_and_fallback(questions):
    q = questions["feel_safe"]
    gd = build_form(q, "gd")
    assert gd.question_text == "A bheil thu sàbhailte?"
    assert gd.fell_back is True and gd.untranslated == ("picture alt",)  # alt text only in English
    assert gd.lang == "gd" and gd.text_direction == "ltr"
    assert gd.picture == ("safe.svg", "A house")
    ar = build_form(q, "ar")
    assert ar.question_text == "How safe do you feel?" and ar.fell_back is True
    assert "text" in ar.untranslated
    assert ar.text_direction == "rtl"
    assert build_form(q, "en").fell_back is False
    assert build_form(q, "en", easy_read=True).question_text == "Safe?"
    assert build_form(questions["good_things"], "en").help_text == "Anything at all."
    assert build_form(questions["choose_one"], "gd").untranslated[-3:] == (
        "option clubs",
        "option money",
        "option feelings",
    )


def test_answer_label_is_the_question(questions):
    form = build_form(questions["good_things"], "en")()
    assert form.answer.label.text == "What is good?"
    assert form.answer.description == "Anything at all."


def test_app_subclass_of_built_form_still_validates(questions):
    cls = build_form(questions["choose_one"], "en")

    class AppForm(cls):
        pass

    form = AppForm(MultiDict({"answer": "clubs"}))
    assert form.validate() and form.answer_data().value == "clubs"
    form = AppForm(MultiDict({"answer": "x", "skip": "Skip"}))
    assert form.validate() and form.answer_data().skipped


@pytest.fixture
def app(tmp_path):
    """A tiny Flask app with Flask-Babel and a Gaelic catalogue for a few of our strings."""
    catalog = Catalog(locale="gd")
    catalog.add("Skip", "Leum seachad")
    catalog.add("I'd rather not say", "B' fheàrr leam gun a ràdh")
    catalog.add(
        "Your answer must be %(max)s characters or fewer. It is %(count)s characters now.",
        "Feumaidh do fhreagairt a bhith %(max)s caractairean no nas lugha. Tha e %(count)s a-nis.",
    )
    folder = tmp_path / "gd" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    (folder / "messages.mo").write_bytes(buf.getvalue())

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY="test", BABEL_TRANSLATION_DIRECTORIES=str(tmp_path), WTF_CSRF_ENABLED=True, TESTING=True
    )
    app.locale = "en"
    Babel(app, locale_selector=lambda: app.locale)
    return app


def test_ui_strings_are_lazy_and_follow_the_request_language(app, questions):
    cls = build_form(questions["good_things"], "gd")
    with app.test_request_context():
        app.locale = "gd"
        form = cls(MultiDict({"answer": "x" * 51}))
        assert not form.validate()
        assert (
            str(form.errors["answer"][0])
            == "Feumaidh do fhreagairt a bhith 50 caractairean no nas lugha. Tha e 51 a-nis."
        )
        assert "Leum seachad" in form.skip()
    with app.test_request_context():
        app.locale = "en"
        assert 'value="Skip"' in cls().skip()


def test_rendered_choices_keep_rather_not_say_with_same_weight(app, questions):
    with app.test_request_context():
        app.locale = "gd"
        html = build_form(questions["choose_one"], "gd")().answer()
    assert html.count('type="radio"') == 5
    assert "B&#39; fheàrr leam gun a ràdh" in html or "B' fheàrr leam gun a ràdh" in html
    assert 'value="prefer_not_to_say"' in html


def test_flask_wtf_base_still_checks_csrf_on_skip(app, questions):
    from flask_wtf import FlaskForm

    cls = build_form(questions["choose_one"], "en", base=FlaskForm)
    with app.test_request_context(method="POST", data={"skip": "Skip"}):
        form = cls()
        assert not form.validate()
        assert "csrf_token" in form.errors
    with app.test_request_context(method="POST", data={"answer": "clubs"}):
        form = cls()
        assert not form.validate() and "csrf_token" in form.errors
    with app.test_request_context(method="POST"):
        from flask_wtf.csrf import generate_csrf

        form = cls(formdata=MultiDict({"skip": "Skip", "answer": "dragons", "csrf_token": generate_csrf()}))
        assert form.validate() and form.answer_data().skipped
    app.config["WTF_CSRF_ENABLED"] = False
    with app.test_request_context(method="POST", data={"skip": "Skip", "answer": "dragons"}):
        form = cls()
        assert form.validate_on_submit() and form.answer_data().skipped


def test_lazy_strings_render_without_an_app(questions):
    form = build_form(questions["listened_to"], "en")()
    assert [str(lbl) for _, lbl in form.answer.options()] == ["Yes", "No", "Not sure", "I'd rather not say"]
    assert str(forms.AUDIENCE_LABELS["child_5_8"]) == "I am 5, 6 or 7 years old"
