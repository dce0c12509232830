"""The untrained Themer (codebook only) gives obvious answers their obvious themes.

Written in the words children and families use; a sanity floor, not a quality measure.
"""

import pytest

from analysis import Themer, load_default_codebook

OBVIOUS = [
    ("the swings at the park", "places_to_play"),
    ("CAMHS waiting list is a year", "mental_health"),
    ("CAMHS waiting list is a year", "waiting_times"),
    ("the buses are too expensive and never on time", "transport"),
    ("my mum can't afford the gas and electric", "cost_of_living"),
    ("I get picked on every day at school", "bullying"),
    ("our flat is damp and there's mould in the bedroom", "housing"),
    ("the youth club is the best thing here", "youth_work"),
    ("nursery hours don't fit with my shifts", "childcare"),
    ("I look after my mum because she is ill", "young_carers"),
    ("there's too much litter and dog poo everywhere", "environment_greenspace"),
    ("adults never listen to what kids say", "being_listened_to"),
    ("my son has been waiting two years for an autism assessment", "additional_support_needs"),
    ("people vaping in the school toilets", "drugs_alcohol"),
    ("I feel anxious all the time", "mental_health"),
    ("can't get a doctor's appointment", "health_services"),
    ("I want a job when I leave school", "employment_skills"),
    ("too much time on my phone and tiktok", "online_safety"),
    ("racist comments at school", "racism_discrimination"),
    ("A proper skatepark that isn't falling apart", "places_to_play"),
]
WRONG = [
    ("CAMHS waiting list is a year", "childcare"),
    ("the swings at the park", "disability"),
    ("I want a job when I leave school", "achieving"),
    ("the plan should include transport", "included"),
    ("We support the priorities.", "additional_support_needs"),
]
NOTHING = ["no comment", "No comment.", "nothing", "n/a", "dont know", "I don't know.", "Nothing to add", "thanks", ""]


@pytest.fixture(scope="module")
def themer():
    return Themer(load_default_codebook())


def test_obvious_answers_get_their_obvious_theme(themer):
    out = themer.predict([t for t, _ in OBVIOUS])
    missed = [(t, want, a.themes) for (t, want), a in zip(OBVIOUS, out, strict=True) if want not in a.themes]
    assert not missed


def test_obvious_answers_do_not_get_unrelated_themes(themer):
    out = themer.predict([t for t, _ in WRONG])
    wrong = [(t, bad, a.themes) for (t, bad), a in zip(WRONG, out, strict=True) if bad in a.themes]
    assert not wrong


def test_the_top_theme_of_an_obvious_answer_is_its_theme(themer):
    out = themer.predict(["the swings at the park", "I get picked on every day at school"])
    assert max(out[0].scores, key=out[0].scores.get) == "places_to_play"
    assert max(out[1].scores, key=out[1].scores.get) == "bullying"


def test_answers_that_say_nothing_get_no_theme(themer):
    out = themer.predict(NOTHING)
    assert [a.themes for a in out] == [[] for _ in NOTHING]
    assert all(v == 0.0 for v in out[0].scores.values())
