"""Flesch reading ease, Flesch–Kincaid grade and the per-audience targets."""

from __future__ import annotations

import pytest

from forms import AUDIENCES, READABILITY_TARGETS, check_readability, readability
from forms.readability import Target, syllables


def test_targets_match_quality_bars():
    assert READABILITY_TARGETS["child_5_8"] == Target(90, 2, 10)
    assert READABILITY_TARGETS["child_8_11"] == Target(80, 4, 12)
    assert READABILITY_TARGETS["young_12_17"] == Target(70, 7, 20)
    for adult in ("parent_carer", "organisation", "social_landlord", "other_provider"):
        assert READABILITY_TARGETS[adult] == Target(60, 8, 20)
    assert set(READABILITY_TARGETS) == set(AUDIENCES)


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("cat", 1),
        ("happy", 2),
        ("children", 2),
        ("families", 3),
        ("organisation", 5),
        ("don't", 1),
        ("Glenbrae", 2),
        ("long-term", 2),
    ],
)
def test_syllables(word, count):
    assert syllables(word) == count


def test_scores_follow_the_formulas():
    r = readability("The cat sat on the mat. The dog ran.")
    assert (r.words, r.sentences, r.syllables, r.longest_sentence) == (9, 2, 9, 6)
    assert r.words_per_sentence == 4.5
    assert r.reading_ease == round(206.835 - 1.015 * 4.5 - 84.6 * 1.0, 1)
    assert r.grade == round(0.39 * 4.5 + 11.8 * 1.0 - 15.59, 1)


def test_hard_text_scores_worse_than_easy_text():
    easy = readability("Do you feel safe where you live?")
    hard = readability(
        "Organisations should substantiate their assessment of unmet needs with comprehensive documentary evidence."
    )
    assert easy.reading_ease > 90 > 30 > hard.reading_ease
    assert easy.grade < 2 < 12 < hard.grade


def test_empty_text_is_trivially_easy():
    r = readability("   ")
    assert (r.reading_ease, r.grade, r.words_per_sentence, r.words) == (100.0, 0.0, 0.0, 0)


def test_check_against_audience():
    child = check_readability("Do you feel safe?", "child_5_8")
    assert child.ok and child.target.max_wps == 10 and not child.problems
    long_sentence = (
        "We would like you to tell us about all the things you do on the days after school each week."
    )
    assert not check_readability(long_sentence, "child_5_8").ok
    assert check_readability(long_sentence, "parent_carer").ok
    hard = check_readability(
        "Comprehensive multidisciplinary interventions necessitate evaluation.", "organisation"
    )
    assert not hard.ok and any("reading ease" in p for p in hard.problems)


def test_every_sentence_must_fit_the_cap_not_just_the_average():
    text = "Hi. Yes. " + " ".join(["cat"] * 15) + "."
    r = readability(text)
    assert r.words_per_sentence < 10 < r.longest_sentence
    assert not check_readability(text, "child_5_8").ok


def test_other_languages_check_sentence_length_only():
    gd = check_readability("A bheil thu a' faireachdainn sàbhailte?", "child_5_8", lang="gd")
    assert gd.ok and gd.formulas_apply is False
    long_ar = " ".join(["كلمة"] * 13) + "."
    assert not check_readability(long_ar, "child_5_8", lang="ar").ok
    assert readability(long_ar).words == 13


def test_unknown_audience_raises():
    with pytest.raises(KeyError):
        check_readability("Hello", "teachers")
