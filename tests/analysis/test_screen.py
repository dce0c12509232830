import pytest

from analysis import CATEGORIES, screen, screen_many


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I want to kill myself", "suicidal"),
        ("sometimes i cut myself", "self_harm"),
        ("dont want to be here anymore", "suicidal"),
        ("I know who to talk to if I feel like hurting myself", "self_harm"),
        ("My dad hits me when he is drunk", "physical_abuse"),
        ("my uncle touches me and I dont like it", "sexual_abuse"),
        ("she calls me stupid and useless", "emotional_abuse"),
        ("there is never any food in the house", "neglect"),
        ("my mums boyfriend hits her", "domestic_abuse"),
        ("An older boy gives me money to carry packages", "exploitation"),
        ("I get bullied every day and they said they will stab me", "bullying_risk"),
        ("I ran away last week", "missing"),
        ("if he hits me again I will run", "physical_abuse"),
        ("Dad doesnt hit me anymore", "physical_abuse"),
        ("If my dad hits me I hide", "physical_abuse"),
        ("my friend self harms and I am worried", "self_harm"),
    ],
)
def test_disclosures_are_flagged_with_category_and_trigger(text, category):
    s = screen(text)
    assert s.flag
    assert category in s.categories
    assert s.triggers and all(t for t in s.triggers)


@pytest.mark.parametrize(
    "text",
    [
        "I feel safe at home",
        "nobody hurts me",
        "if someone was hurt I would tell a teacher",
        "if someone hit me I would tell a teacher",
        "I would never run away",
        "You should tell someone if you are being bullied",
        "More support for children affected by domestic abuse",
        "I love my school and my friends",
        "we need more parks",
        "",
    ],
)
def test_negated_hypothetical_and_ordinary_text_is_not_flagged(text):
    s = screen(text)
    assert not s.flag
    assert s.categories == []


def test_set_aside_triggers_are_reported():
    assert screen("nobody hurts me").set_aside == ["hurts me (negated)"]
    assert "hypothetical" in screen("if someone hit me I would tell a teacher").set_aside[0]


def test_categories_use_the_fixed_vocabulary_and_order():
    s = screen("I ran away because my dad hits me and I want to kill myself")
    assert {"suicidal", "physical_abuse", "missing"} <= set(s.categories)
    assert s.categories == [c for c in CATEGORIES if c in s.categories]


def test_screen_many_keeps_order():
    texts = ["My dad hits me", "I like football", "nobody hurts me"] * 3
    assert [s.flag for s in screen_many(texts)] == [True, False, False] * 3
