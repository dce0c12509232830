"""The screen in every language Guth offers, what it cannot read, bad input, and its evidence."""

import logging

import pytest

import analysis
from analysis import detect_language, screen
from analysis.categories import CATEGORY_NAMES

# "My dad hits me when he's drunk and I'm scared to go home", as a child might write it in each language.
DAD_HITS_ME = {
    "en": "my dad hits me when he's drunk and I'm scared to go home",
    "pl": "Tata mnie bije, kiedy jest pijany, i boję się wracać do domu",
    "ar": "أبي يضربني عندما يشرب وأنا خائف أن أذهب إلى البيت",
    "uk": "Тато б'є мене, коли п'яний, і я боюся йти додому",
    "gd": "Bidh m' athair gam bhualadh nuair a bhios e air an daoraich agus tha an t-eagal orm a dhol dhachaigh",
}


@pytest.mark.parametrize("lang", sorted(DAD_HITS_ME))
def test_the_same_disclosure_is_flagged_in_every_language(lang):
    s = screen(DAD_HITS_ME[lang])
    assert s.flag, lang
    assert s.language == lang
    assert "physical_abuse" in s.categories
    assert not s.needs_human


@pytest.mark.parametrize("lang", sorted(DAD_HITS_ME))
def test_the_page_language_does_not_decide(lang):
    # A child on the English page writes in their own language, and the other way round.
    assert screen(DAD_HITS_ME[lang], language_hint="en").flag
    assert screen(DAD_HITS_ME[lang], language_hint="ar").flag


def test_without_diacritics_still_flagged():
    assert screen("tata mnie bije kiedy jest pijany i boje sie wracac do domu").flag
    assert screen("bidh m athair gam bhualadh nuair a bhios e air an daoraich").flag


@pytest.mark.parametrize(
    "text",
    [
        "Lubię park i plac zabaw, ale autobus często się spóźnia.",
        "أحب الحديقة والمكتبة، لكن الحافلة تتأخر كثيرًا.",
        "Мені подобається парк, але автобус часто запізнюється.",
        "Is toil leam a' phàirc agus an leabharlann, ach bidh am bus anmoch.",
    ],
)
def test_ordinary_answers_in_other_languages_are_not_flagged(text):
    s = screen(text)
    assert not s.flag
    assert s.language in ("pl", "ar", "uk", "gd")


def test_a_language_the_screen_cannot_read_goes_to_a_person():
    s = screen("Îmi place parcul de lângă casă, dar autobuzul întârzie des.")
    assert not s.flag  # nothing suggests harm, so no help page
    assert s.needs_human and s.reason == "language"
    assert s.language == "ro" and s.language_name == "Romanian"
    # A disclosure in that language reaches a person too: flagged, or sent to one.
    assert screen("Tatăl meu mă bate când este beat și mi-e frică să merg acasă").alert


def test_when_the_screen_fails_the_answer_goes_to_a_person_and_the_log_has_no_text(monkeypatch, caplog):
    import analysis.screen_model as sm

    def broken():
        raise RuntimeError("model file missing")

    monkeypatch.setattr(sm, "get_model", broken)
    secret = "nobody knows what happens in our flat at night"
    with caplog.at_level(logging.ERROR, logger="analysis.screen"):
        s = screen(secret)
    assert s.needs_human and s.reason == "error"
    assert caplog.records
    assert all("flat" not in r.getMessage() for r in caplog.records)
    # The rules still flag what they find when the model is gone.
    assert screen("my dad hits me").flag


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😀😀😀🎉",
        "x" * 20_000,
        "I like the park. " * 1200,
        "park \u202eevil\u202c and \u200bzero\u200d width",
        "Lubię park and the bus جيد дуже",
        "\x00\x01 control",
        "\ud800 lone surrogate",
    ],
)
def test_bad_input_gives_a_clear_result(text):
    s = screen(text)
    assert isinstance(s.flag, bool)
    assert isinstance(s.needs_human, bool)
    assert not s.flag


def test_a_disclosure_buried_at_the_end_of_a_long_answer_counts():
    ordinary = ("The park near us is good but the swings are broken and the bus to town is late most days, "
                "and the youth club closed so there is not much to do at the weekend. ")
    s = screen(ordinary * 4 + "Also my mum's boyfriend hits me when she is out.")
    assert s.flag
    assert any("boyfriend hits me" in e.sentence for e in s.evidence)


def test_evidence_names_the_sentence_category_and_score():
    text = "School is fine. The bus is late. My uncle touches me and says it is our secret."
    s = screen(text)
    assert s.flag
    ev = s.evidence[0]
    assert text[ev.start:ev.end].strip() == ev.sentence
    assert "uncle touches me" in ev.sentence
    assert ev.category in s.categories and 0 < ev.score <= 1
    assert s.category_names == [CATEGORY_NAMES[c] for c in s.categories]


def test_thresholds_are_data(monkeypatch):
    import analysis.screen_model as sm

    text = "sometimes I don't want to go home at the weekends"
    limits = sm.thresholds()
    assert set(limits) >= {"en", "gd", "ar", "pl", "uk"}
    monkeypatch.setattr(sm, "thresholds", lambda: {k: {"flag": 1.5, "human": 2.0} for k in limits})
    without_model = screen(text)
    monkeypatch.setattr(sm, "thresholds", lambda: {k: {"flag": 0.0, "human": 2.0} for k in limits})
    assert screen(text).flag
    assert not without_model.flag or without_model.triggers


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I love the park near my house", "en"),
        ("Tha mi toilichte aig an sgoil agus tha caraidean agam", "gd"),
        ("Bardzo lubię moją szkołę i moich przyjaciół", "pl"),
        ("bardzo lubie moja szkole i moich przyjaciol", "pl"),
        ("Я дуже люблю свою школу і друзів", "uk"),
        ("أحب مدرستي وأصدقائي كثيرا", "ar"),
        ("Мне очень нравится моя школа и мои друзья", "ru"),
    ],
)
def test_language_is_detected_offline(text, lang):
    assert detect_language(text).code == lang


def test_short_answers_lean_on_the_page_language_without_claiming_to_know():
    g = detect_language("ok", hint="gd")
    assert g.code == "gd" and not g.reliable
    assert detect_language("😀").code == "und"


def test_categories_have_names_and_urgency():
    assert set(CATEGORY_NAMES) == set(analysis.CATEGORIES)
    assert analysis.urgency_rank(["emotional_abuse", "suicidal"]) == 0
    assert analysis.urgency_rank([], not_screened=True) < analysis.urgency_rank(["neglect"])
