"""Every question type: good answers, bad input, skip, pre-fill and display."""

from __future__ import annotations

import json

import pytest

from forms import PREFER_NOT_TO_SAY, QUESTION_TYPES, AnswerData

from .helpers import AREAS, submit


def answer(form):
    return form.answer_data()


def errors(form, field="answer"):
    return [str(e) for e in form.errors.get(field, [])]


# -- single choice, picture choice, yes/no, area, face scale ---------------------------------


@pytest.mark.parametrize(
    ("core_id", "good", "stored"),
    [
        ("choose_one", "clubs", "clubs"),
        ("pictures", "money", "money"),
        ("listened_to", "not_sure", "not_sure"),
        ("area", "south", "south"),
        ("area", "dont_know", "dont_know"),
        ("feel_safe", "4", 4),
    ],
)
def test_single_answer_types_store_the_choice(questions, core_id, good, stored):
    form, ok = submit(questions[core_id], {"answer": good, "continue_": "Continue"})
    assert ok, form.errors
    assert answer(form) == AnswerData(value=stored, text=None, skipped=False)


@pytest.mark.parametrize(
    "core_id", ["choose_one", "pictures", "listened_to", "area", "feel_safe", "priority_poverty"]
)
def test_single_answer_types_offer_rather_not_say(questions, core_id):
    form, ok = submit(questions[core_id], {"answer": PREFER_NOT_TO_SAY})
    assert ok
    assert answer(form).value == PREFER_NOT_TO_SAY
    assert answer(form).declined and not answer(form).skipped
    labels = [str(label) for _, label in form.answer.options()]
    assert labels[-1] == "I'd rather not say"


@pytest.mark.parametrize(
    ("core_id", "bad"),
    [
        ("choose_one", "unicorns"),
        ("pictures", "clubs "),
        ("listened_to", "maybe"),
        ("area", "east"),
        ("feel_safe", "6"),
        ("feel_safe", "0"),
        ("feel_safe", "<script>"),
        ("priority_poverty", "strongly_agree"),
    ],
)
def test_option_not_offered_is_a_validation_error(questions, core_id, bad):
    form, ok = submit(questions[core_id], {"answer": bad})
    assert not ok
    assert errors(form) == ["Choose one of the answers shown"]


def test_two_values_for_a_radio_is_refused(questions):
    form, ok = submit(questions["choose_one"], {"answer": ["clubs", "play"]})
    assert not ok
    assert errors(form) == ["Choose only one answer"]


def test_area_options_come_from_the_app_with_dont_know_and_rather_not_say(questions):
    form, _ = submit(
        questions["area"], {}, area_options=[("north", "North"), ("dont_know", "dup"), ("north", "again")]
    )
    assert [v for v, _ in form.answer.options()] == ["north", "dont_know", PREFER_NOT_TO_SAY]
    assert str(form.answer.options()[1][1]) == "I don't know"
    form, _ = submit(questions["area"], {}, area_options=None)
    assert [v for v, _ in form.answer.options()] == ["dont_know", PREFER_NOT_TO_SAY]


def test_face_scale_has_five_labelled_faces(questions):
    form, _ = submit(questions["feel_safe"], {})
    faces = form.answer.options()[:5]
    assert [v for v, _ in faces] == ["1", "2", "3", "4", "5"]
    assert [str(lbl) for _, lbl in faces] == ["Very bad", "Bad", "OK", "Good", "Very good"]
    for value, label in faces:
        src, alt = form.answer.picture_for(value)
        assert src == f"face-{value}.svg" and alt == str(label)


def test_picture_choice_carries_pictures_with_alt_text(questions):
    form, _ = submit(questions["pictures"], {})
    assert form.answer.picture_for("play") == ("places-to-play.svg", "Picture of Places to play")
    assert form.answer.picture_for(PREFER_NOT_TO_SAY) is None


# -- multiple choice ---------------------------------------------------------------------------


@pytest.mark.parametrize("core_id", ["choose_many", "pictures_many"])
def test_multiple_choice(questions, core_id):
    q = questions[core_id]
    form, ok = submit(q, {"answer": ["money", "play", "money"]})
    assert ok
    assert answer(form).value == ["money", "play"]
    form, ok = submit(q, {"answer": ["money", "dragons"]})
    assert not ok and errors(form) == ["Choose one of the answers shown"]
    form, ok = submit(q, {"answer": [PREFER_NOT_TO_SAY]})
    assert ok and answer(form).value == [PREFER_NOT_TO_SAY] and answer(form).declined
    form, ok = submit(q, {"answer": [PREFER_NOT_TO_SAY, "play"]})
    assert not ok and "rather not say" in errors(form)[0]
    assert form.answer.data == [PREFER_NOT_TO_SAY, "play"]  # what they chose stays


# -- free text ---------------------------------------------------------------------------------


def test_text_is_trimmed_and_nfc_normalised(questions):
    form, ok = submit(questions["good_things"], {"answer": "  Cafe\u0301 and parks\r\nand the beach  "})
    assert ok
    assert answer(form) == AnswerData(value=None, text="Café and parks\nand the beach", skipped=False)


@pytest.mark.parametrize("core_id", ["short", "good_things"])
def test_text_too_long_is_refused_and_kept(questions, core_id):
    q = questions[core_id]
    limit = q.max_length
    form, ok = submit(q, {"answer": "é" * limit})
    assert ok
    form, ok = submit(q, {"answer": "e\u0301" * limit})  # counted after NFC: still fits
    assert ok
    form, ok = submit(q, {"answer": "x" * (limit + 1)})
    assert not ok
    assert errors(form) == [
        f"Your answer must be {limit} characters or fewer. It is {limit + 1} characters now."
    ]
    assert form.answer.data == "x" * (limit + 1)


@pytest.mark.parametrize("bad", ["hi\x00there", "bell\x07", "esc\x1b[31m", "del\x7f", "c1\x85c1", "\ud800"])
def test_control_characters_are_refused(questions, bad):
    form, ok = submit(questions["good_things"], {"answer": bad})
    assert not ok
    assert errors(form) == ["Your answer has hidden characters we cannot accept. Please type it again."]


def test_newlines_allowed_in_long_text_not_short(questions):
    _, ok = submit(questions["good_things"], {"answer": "one\n\ttwo"})
    assert ok
    form, ok = submit(questions["short"], {"answer": "one\ntwo"})
    assert not ok and errors(form)


def test_arabic_and_emoji_text_are_fine(questions):
    form, ok = submit(questions["good_things"], {"answer": "الحديقة جميلة 🌳\u200f"}, lang="ar")
    assert ok and answer(form).text == "الحديقة جميلة 🌳\u200f"


def test_text_field_shows_a_character_count_hint(questions):
    cls_form, _ = submit(questions["good_things"], {})
    assert str(cls_form.count_hint) == "You can write up to 50 characters."
    assert cls_form.answer.render_kw["data-maxlength"] == "50"
    assert 'dir="auto"' in cls_form.answer()  # typed words run in their own direction, whatever the page's
    assert "maxlength" not in cls_form.answer.render_kw  # GOV.UK: let people type on, then tell them


def test_blank_text_counts_as_skipped(questions):
    form, ok = submit(questions["good_things"], {"answer": "   \n "})
    assert ok and answer(form).skipped


# -- rank top three ----------------------------------------------------------------------------


def test_rank_top3_in_order(questions):
    form, ok = submit(questions["top_three"], {"rank_1": "money", "rank_2": "play", "rank_3": "clubs"})
    assert ok and answer(form).value == ["money", "play", "clubs"]


def test_rank_top3_allows_fewer_and_closes_gaps(questions):
    form, ok = submit(questions["top_three"], {"rank_1": "money", "rank_2": "", "rank_3": "clubs"})
    assert ok and answer(form).value == ["money", "clubs"]
    form, ok = submit(questions["top_three"], {"rank_2": "play"})
    assert ok and answer(form).value == ["play"]


def test_rank_top3_refuses_duplicates(questions):
    form, ok = submit(questions["top_three"], {"rank_1": "money", "rank_2": "play", "rank_3": "money"})
    assert not ok
    assert errors(form, "rank_3") == ["You have already chosen this as your 1st choice"]
    assert form.rank_3.data == "money"


def test_rank_top3_refuses_unknown_and_rather_not_say_later(questions):
    form, ok = submit(questions["top_three"], {"rank_1": "dragons"})
    assert not ok and errors(form, "rank_1") == ["Choose one of the answers shown"]
    form, ok = submit(questions["top_three"], {"rank_2": PREFER_NOT_TO_SAY})
    assert not ok and errors(form, "rank_2")
    form, ok = submit(questions["top_three"], {"rank_1": PREFER_NOT_TO_SAY})
    assert ok and answer(form).value == [PREFER_NOT_TO_SAY]


def test_rank_top3_rather_not_say_stands_alone(questions):
    form, ok = submit(questions["top_three"], {"rank_1": PREFER_NOT_TO_SAY, "rank_2": "play"})
    assert not ok and "leave this empty" in errors(form, "rank_2")[0]


def test_rank_fields_are_labelled_with_ordinals(questions):
    form, _ = submit(questions["top_three"], {})
    assert [str(getattr(form, n).label.text) for n in ("rank_1", "rank_2", "rank_3")] == [
        "1st choice",
        "2nd choice",
        "3rd choice",
    ]
    assert form.rank_1.options()[0][0] == ""


# -- agree with a priority ---------------------------------------------------------------------


def test_agree_priority_with_reason(questions):
    form, ok = submit(questions["priority_poverty"], {"answer": "partly", "why": " Food costs too much "})
    assert ok and answer(form) == AnswerData(value="partly", text="Food costs too much", skipped=False)
    assert [str(lbl) for _, lbl in form.answer.options()] == [
        "I agree",
        "I partly agree",
        "I disagree",
        "I'd rather not say",
    ]


def test_agree_priority_reason_is_checked(questions):
    form, ok = submit(questions["priority_poverty"], {"answer": "agree", "why": "x" * 41})
    assert not ok and form.errors["why"]
    form, ok = submit(questions["priority_poverty"], {"answer": "agree", "why": "a\x00b"})
    assert not ok and form.errors["why"]


def test_agree_priority_reason_only_is_kept(questions):
    form, ok = submit(questions["priority_poverty"], {"why": "Not sure about this"})
    assert ok and answer(form) == AnswerData(value=None, text="Not sure about this", skipped=False)


# -- skip, required and tampering --------------------------------------------------------------


@pytest.mark.parametrize(
    "core_id",
    [
        "choose_one",
        "choose_many",
        "feel_safe",
        "good_things",
        "top_three",
        "priority_poverty",
        "area",
        "short",
    ],
)
def test_skip_wins_over_anything_typed(questions, core_id):
    junk = {
        "answer": ["dragons", "x" * 5000],
        "rank_1": "dragons",
        "rank_2": "dragons",
        "why": "\x00",
        "skip": "Skip",
    }
    form, ok = submit(questions[core_id], junk)
    assert ok, form.errors
    assert answer(form) == AnswerData(value=None, text=None, skipped=True)
    assert not form.errors


@pytest.mark.parametrize("core_id", ["choose_one", "feel_safe", "good_things", "top_three", "listened_to"])
def test_continue_with_nothing_is_a_skip_when_optional(questions, core_id):
    form, ok = submit(questions[core_id], {"continue_": "Continue"})
    assert ok and answer(form).skipped


def test_required_question_needs_an_answer_or_skip(questions):
    form, ok = submit(questions["must"], {"continue_": "Continue"})
    assert not ok and errors(form) == ["Choose an answer, or choose Skip"]
    form, ok = submit(questions["must"], {"skip": "Skip"})
    assert ok and answer(form).skipped
    form, ok = submit(questions["must"], {"answer": PREFER_NOT_TO_SAY})
    assert ok


def test_unknown_fields_are_ignored(questions):
    form, ok = submit(questions["choose_one"], {"answer": "play", "is_admin": "1", "answer_2": "x"})
    assert ok and answer(form).value == "play"


# -- pre-fill, display, free text, follow-up ---------------------------------------------------

CASES = [
    ("choose_one", {"answer": "clubs"}, "Clubs"),
    ("choose_many", {"answer": ["money", "play"]}, "Help with money, Places to play"),
    ("feel_safe", {"answer": "2"}, "Bad"),
    ("pictures", {"answer": "feelings"}, "Help with feelings"),
    ("pictures_many", {"answer": ["feelings"]}, "Help with feelings"),
    ("listened_to", {"answer": "yes"}, "Yes"),
    ("short", {"answer": "Parks"}, "Parks"),
    ("good_things", {"answer": "The park"}, "The park"),
    ("top_three", {"rank_1": "clubs", "rank_2": "money"}, "1. Clubs; 2. Help with money"),
    (
        "priority_poverty",
        {"answer": "disagree", "why": "Other things first"},
        "I disagree: Other things first",
    ),
    ("area", {"answer": "north"}, "North ward"),
]


@pytest.mark.parametrize(("core_id", "data", "shown"), CASES)
def test_form_data_prefills_display_summarises_and_answers_serialise(questions, core_id, data, shown):
    q = questions[core_id]
    qtype = QUESTION_TYPES[q.type]
    form, ok = submit(q, data)
    assert ok
    stored = answer(form)
    assert json.loads(json.dumps(stored.to_dict())) == stored.to_dict()
    assert AnswerData.from_dict(stored.to_dict()) == stored
    again = type(form)(data=qtype.form_data(stored))
    assert again.answer_data() == stored  # Back / Change shows the same answer
    assert qtype.display(q, stored, "en", area_options=AREAS) == shown
    assert qtype.display(q, AnswerData(skipped=True), "en") == "Skipped"
    assert qtype.display(q, None, "en") == "Not answered"
    assert qtype.form_data(AnswerData(skipped=True)) == {}


def test_display_in_another_language_falls_back_per_label(questions):
    q = questions["choose_one"]
    qtype = QUESTION_TYPES[q.type]
    assert qtype.display(q, AnswerData(value="play"), "gd") == "Àiteachan airson cluich"
    assert qtype.display(q, AnswerData(value="clubs"), "gd") == "Clubs"
    assert qtype.display(q, AnswerData(value=PREFER_NOT_TO_SAY), "gd") == "I'd rather not say"


def test_free_text_is_what_must_be_screened(questions):
    text_type = QUESTION_TYPES["long_text"]
    agree = QUESTION_TYPES["agree_priority"]
    choice = QUESTION_TYPES["single_choice"]
    assert text_type.free_text(AnswerData(text="My name is Sam")) == "My name is Sam"
    assert agree.free_text(AnswerData(value="agree", text="because")) == "because"
    assert choice.free_text(AnswerData(value="play")) is None
    assert text_type.free_text(AnswerData(skipped=True)) is None
    assert text_type.free_text(None) is None


def test_follow_up_only_for_short_free_text(questions):
    q = questions["good_things"]
    t = QUESTION_TYPES[q.type]
    assert t.needs_follow_up(q, AnswerData(text="The park"))
    assert not t.needs_follow_up(q, AnswerData(text="The park by the big river"))
    assert not t.needs_follow_up(q, AnswerData(skipped=True))
    assert not t.needs_follow_up(questions["short"], AnswerData(text="hi"))  # no follow_up configured
    merged = t.with_follow_up(AnswerData(text="The park"), "  it has swings ")
    assert merged == AnswerData(value=None, text="The park\n\nit has swings", skipped=False)
    assert t.with_follow_up(AnswerData(text="The park"), "   ") == AnswerData(text="The park")
