"""The redactor removes personal data and leaves ordinary answers exactly as they were written.

The bars are measured on the frozen test split of tests/analysis/data/redaction (see its README.md);
the regression tests below name each bug that once changed answers with no personal data in them.
"""

from __future__ import annotations

import pytest

from analysis import redact
from analysis.redaction_eval import KINDS, load_redaction_sets, redaction_figures

GLENBRAE_AREAS = ["Glenbrae Town", "Kilmorie", "Strathallan", "Inverbrae", "Ardlochy", "Balnagask Islands"]


@pytest.fixture(scope="module")
def figures() -> dict:
    return redaction_figures("test")


def test_the_test_split_is_the_frozen_one_and_big_enough() -> None:
    clean, pii = load_redaction_sets("test")
    dev_clean, dev_pii = load_redaction_sets("dev")
    assert len(clean) >= 100 and len(pii) >= 80
    assert not {r["id"] for r in clean + pii} & {r["id"] for r in dev_clean + dev_pii}
    all_clean, all_pii = load_redaction_sets("all")
    assert len(all_clean) >= 320 and len(all_pii) >= 250


def test_at_least_95_percent_of_every_kind_of_personal_data_is_removed(figures: dict) -> None:
    missed = figures["missed_examples"]
    for kind in KINDS:
        assert figures["pii_n"][kind] > 0
        assert figures["pii_recall"][kind] >= 0.95, (kind, missed)


def test_at_most_2_percent_of_clean_answers_are_changed(figures: dict) -> None:
    assert figures["clean_n"] >= 100
    assert figures["clean_altered_rate"] <= 0.02, figures["altered_examples"]


# Each bug that changed ordinary answers, in the words a reader would use.


@pytest.mark.parametrize(
    "text",
    [
        "The park is good but the swings are broken.",
        "The Park is our favourite place.",
        "Skate park please!!!",
        "Make Way for bikes on the new road.",
        "The High Street is scary at night.",
        "On the High Street there are only charity shops.",
        "People park on the pavement so I can't get past.",
        "It's a 20 minute walk to the nearest shop.",
        "The school is about 5 minutes walk away.",
    ],
)
def test_a_sentence_starting_with_a_capitalised_verb_or_the_is_not_an_address(text: str) -> None:
    assert redact(text).text == text


@pytest.mark.parametrize(
    "text",
    [
        "Gàidhlig lessons please, my gran speaks it.",
        "More Gaelic books in the library.",
        "I speak Polish at home and English at school.",
        "Arabic classes would be nice.",
        "Ukrainian families need help with English.",
        "Scots is a real language.",
        "We go to Tesco and Lidl for the messages.",
        "On Saturday we go to McDonald's because there's nowhere else.",
        "Play Minecraft and Roblox at the youth club.",
        "TikTok and Snapchat are where the bullying happens.",
        "Everyone watches YouTube on the Xbox.",
        "We could have a Nintendo Switch night with Mario Kart.",
        "Free swimming on Saturdays like before.",
        "In July it's fun but August is boring.",
        "Hogmanay and St Andrew's Day should have more for kids.",
        "Celtic and Rangers fans fighting at the bus station is scary.",
        "I don't feel safe walking past the Tesco at night.",
        "Build more houses Please.",
    ],
)
def test_languages_brands_days_and_months_are_not_names(text: str) -> None:
    assert redact(text).text == text


def test_the_consultations_own_area_names_stay() -> None:
    text = "Put a skate park in Kilmorie. Glenbrae Town gets everything and Balnagask Islands get nothing."
    assert redact(text, keep=GLENBRAE_AREAS).text == text


def test_a_kept_area_name_inside_an_address_or_school_is_still_redacted() -> None:
    r = redact("I live at 7 Kilmorie Crescent and go to Kilmorie Primary", keep=GLENBRAE_AREAS,
               schools=["Kilmorie Primary"])
    assert r.text == "I [ADDRESS] and go to [SCHOOL]"


def test_an_area_the_partnership_lists_to_redact_is_still_redacted() -> None:
    r = redact("We stay in Kilmorie", places=["Kilmorie"], keep=GLENBRAE_AREAS)
    assert r.text == "We stay in [PLACE]"


def test_people_are_still_found_next_to_the_words_that_are_kept() -> None:
    r = redact("My friend Jack and my pal jamie go to Tesco in Kilmorie with Mrs McDonald", keep=GLENBRAE_AREAS)
    assert r.text == "My friend [NAME] and my pal [NAME] go to Tesco in Kilmorie with Mrs [NAME]"
    assert redact("the McDonald family next door").text == "the [NAME] family next door"
    assert redact("I live on Station Road").text == "I live on [ADDRESS]"
    assert "Station" not in redact("we live at 14 Station Road").text
