"""Precision of the safeguarding screen on ordinary answers, without giving up recall.

Hand-written for these tests (not read from the demo material): ordinary answers that mention
topics near safeguarding (community safety, bullying as a topic, professional talk, idioms,
hyperbole) must not be flagged; disclosures written the same way must be.
"""

import pytest

from analysis import screen
from analysis.screen_rules import rule_screen

ORDINARY = [
    # "nowhere to go" as a complaint about places, not about somewhere to sleep
    "There's nowhere to go on a Friday night except the chippy.",
    "We have nowhere to go when it rains.",
    "Honestly nothing. The youth club closed so there's nowhere to go.",
    # idioms
    "My wee sister can't go on the big slide because she's too small.",
    "I can't go on the school trip because it costs too much.",
    "Some people can't go on the trip and it isn't fair.",
    # community safety, not abuse at home
    "I don't feel safe on the bus at night because of the older boys.",
    "The street lights are out and I don't feel safe walking to the shop.",
    "Girls say they don't feel safe in the park after dark.",
    "I'm scared of spiders and the dark",
    # bullying as a topic, or in the past and dealt with
    "Bullying is a big problem and the school needs to deal with it.",
    "I think bullying should be the main priority because it causes so many problems.",
    "My daughter was bullied last year but the school sorted it.",
    # professional and general talk
    "We see a lot of neglect cases linked to poverty.",
    "Staff need training on spotting neglect and abuse.",
    "More support for young people who self harm.",
    "Police should tackle county lines in our town.",
    "Children who go missing from care need a trusted adult.",
    "Domestic abuse services need more money.",
    "Support for children affected by domestic abuse; our waiting list is months long.",
    "Knife crime is rising among teenagers.",
    "Parents are scared to ask for help in case social work get involved.",
    # hyperbole and food complaints
    "I'm starving after PE, can we have a snack",
    "He won't eat the school dinners so he comes home starving.",
    # pets
    "Our dog ran away last week but we found him.",
    "My cat went missing and came back",
    # plain ordinary answers
    "My little sister follows me everywhere and it's annoying",
    "I'd love a youth club so we had somewhere to go.",
    "The swings are broken and the park is full of litter.",
    "The CAMHS waiting list is over a year long.",
    # a few words, or a warm sentence: a model that saw only whole consultation answers read these as
    # disclosures ("the" 0.41, "Never been so well looked after." 0.58)
    "the",
    "the end",
    "Never been so well looked after.",
    "An answer left unfinished long ago.",
]

DISCLOSURES = [
    ("I just can't go on.", "suicidal"),  # a lead files "can't go on" under suicidal thoughts
    ("i cant go on like this", "suicidal"),
    ("I don't see the point of living anymore", "suicidal"),
    ("I don't really see the point in being here and I keep thinking about ending it", "self_harm"),
    ("I get battered at home", "physical_abuse"),
    ("my step dad kicks me when mum is out", "physical_abuse"),
    ("a boy keeps asking me for nudes", "sexual_abuse"),
    ("I'm scared of my dad", "emotional_abuse"),
    ("I don't feel safe at home", "emotional_abuse"),
    ("I don't feel safe when my dad is around", "emotional_abuse"),
    ("I don't feel safe in my house at night", "emotional_abuse"),
    ("I dont feel safe", "emotional_abuse"),
    ("I am starving most days because there is nothing in the cupboards", "neglect"),
    ("I'm hungry at school", "neglect"),
    ("mum is always drunk and doesn't feed us", "parental_substance"),
    ("my dad shouts at my mum and throws things", "domestic_abuse"),
    ("I'm scared he will hurt my mum", "domestic_abuse"),
    ("I hide in my room when her boyfriend is drunk and shouting", "domestic_abuse"),
    ("a guy I met on snapchat wants me to send pics", "exploitation"),
    ("someone I talk to online gives me money to take parcels to people", "exploitation"),
    ("he says he'll show my parents the pictures if I stop talking to him", "exploitation"),
    ("I'm scared to say no to them", "exploitation"),
    ("My son is being bullied and has stopped eating", "bullying_risk"),
    ("the bullying is so bad I don't want to go to school", "bullying_risk"),
    ("people keep posting videos of me", "bullying_risk"),
    ("I have nowhere to go tonight", "missing"),
    ("I've got nowhere to go", "missing"),
    ("I'm sleeping at a friend's because I can't go home", "missing"),
    ("my carers didn't know where I was all weekend", "missing"),
    ("I have nowhere to go after school because mum kicked me out", "missing"),
    ("a kid in our class is being abused at home", "physical_abuse"),
    ("I'm scared to walk home because a man keeps following me", "exploitation"),
    ("nobody at home feeds us", "neglect"),
    ("I hate going home", "emotional_abuse"),
    ("someone keeps messaging me on snap asking for pics", "exploitation"),
    ("he made me do things I didn't want to", "sexual_abuse"),
]


# Ordinary answers the rules leave alone but the recall-first model flags (its score passes the English
# threshold chosen for 96 % cross-validated recall): false alarms a lead will see. They stay in the rules'
# test below; bench/screen_quality.py reports the model's false-alarm rates.
MODEL_FALSE_ALARMS = {
    "There's nowhere to go on a Friday night except the chippy.",
    "Honestly nothing. The youth club closed so there's nowhere to go.",
    "My wee sister can't go on the big slide because she's too small.",
    "I can't go on the school trip because it costs too much.",
    "I think bullying should be the main priority because it causes so many problems.",
    "He won't eat the school dinners so he comes home starving.",
    "My little sister follows me everywhere and it's annoying",
}


@pytest.mark.parametrize("text", ORDINARY)
def test_the_rules_leave_ordinary_answers_alone(text):
    s = rule_screen(text)
    assert not s.flag, (s.categories, s.triggers)


@pytest.mark.parametrize("text", [t for t in ORDINARY if t not in MODEL_FALSE_ALARMS])
def test_ordinary_answers_are_not_flagged(text):
    s = screen(text)
    assert not s.flag, (s.categories, s.triggers)


@pytest.mark.parametrize(("text", "category"), DISCLOSURES)
def test_disclosures_near_those_answers_are_flagged(text, category):
    s = screen(text)
    assert s.flag
    assert category in s.categories, (s.categories, s.triggers)


def test_set_aside_reasons_are_reported():
    assert any("community safety" in a for a in screen("I don't feel safe walking home in the dark").set_aside)
    assert any("place to go" in a for a in screen("We have nowhere to go when it rains.").set_aside)
    assert any("general" in a for a in screen("Young people who go missing need support.").set_aside)


def test_ongoing_harm_is_never_set_aside_as_a_place_complaint():
    # Leisure words do not rescue a plain disclosure of somewhere to sleep.
    assert "missing" in screen("there's nowhere to sleep and the club is shut").categories
