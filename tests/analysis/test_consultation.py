"""The front door: one call analyses a consultation, and what nobody could theme is counted, not dropped."""

from analysis import Priority, analyse_consultation, load_default_codebook

ANSWERS = [
    "We need more parks and places to play, call me on 07700 900123",
    "My dad hits me sometimes",
    "The buses are too dear and never on time",
    "CAMHS waiting list is a year and my son is anxious",
    "Autobusy są za drogie",
    "Waxaan u baahanahay caawimaad badan oo ku saabsan guriga.",
    "no comment",
    "",
    "we can't afford the heating and food",
] * 8
PRIORITIES = [
    Priority("mh", "Improve mental health and wellbeing", "Earlier help and shorter waits"),
    Priority("pov", "Reduce child poverty", "Help families with money, food and fuel"),
    Priority("play", "More places to play and things to do", "Parks, youth clubs and activities"),
]


def test_one_pass_gives_every_part_and_counts_answers_needing_a_person():
    cb = load_default_codebook()
    res = analyse_consultation(ANSWERS, cb, PRIORITIES, {0: ["places_to_play"], 2: ["transport"]})
    assert len(res.answers) == len(ANSWERS)
    assert "[PHONE]" in res.answers[0].analysis.redaction.text
    assert 1 in res.flagged and res.answers[1].analysis.screening.flag
    assert "transport" in res.answers[2].themes and "transport" in res.answers[4].themes
    # The Somali answer is listed for a person, by language; "no comment" and the blank one are not.
    assert 5 in res.needs_human and 6 not in res.needs_human and 7 not in res.needs_human
    assert sum(res.needs_human_by_language.values()) == len(res.needs_human)
    assert res.answers[8].analysis.priorities["pov"] >= res.threshold
    assert res.evidence.answers["pov"] == sum(1 for a in res.answers if a.analysis.priorities["pov"] >= res.threshold)
    assert res.agreement.too_early and res.trained_on == 2
    assert set(res.links) == set(cb.ids)
    assert all(i not in (0, 2) for i in res.suggest_next)
    again = analyse_consultation(ANSWERS, cb, PRIORITIES, {2: ["transport"], 0: ["places_to_play"]})
    assert [a.themes for a in again.answers] == [a.themes for a in res.answers]
