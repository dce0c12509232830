from analysis import (
    Priority,
    Themer,
    analyse_many,
    load_default_codebook,
    redact_many,
    screen_many,
    trace,
)
from analysis.pipeline import get_tokenizer_nlp, lemma_strings

TEXTS = [
    "We need more parks, call me on 07700 900123",
    "My dad hits me sometimes",
    "Jack said the buses are too dear in Glasgow",
    "",
    "I don't feel safe walking home in the dark!!",
    "CAMHS waiting list is a year",
]
PRIORITIES = [
    Priority("mh", "Improve mental health and wellbeing", "Earlier help and shorter waits"),
    Priority("play", "More places to play and things to do", "Parks, youth clubs and activities"),
]


def test_analyse_many_matches_the_steps_one_after_another():
    themer = Themer(load_default_codebook())
    got = analyse_many(TEXTS, themer=themer, priorities=PRIORITIES)
    red = redact_many(TEXTS)
    redacted = [r.text for r in red]
    assert [a.redaction for a in got] == red
    assert [a.screening for a in got] == screen_many(TEXTS)
    assert [a.themes for a in got] == themer.predict(redacted)
    assert [a.priorities for a in got] == trace(redacted, PRIORITIES)
    assert got[1].screening.flag and "[PHONE]" in got[0].redaction.text


def test_analyse_many_without_themer_or_priorities_and_progress():
    seen = []
    got = analyse_many(["more parks", "my mum hits me"], progress=seen.append)
    assert [a.themes for a in got] == [None, None] and [a.priorities for a in got] == [None, None]
    assert [a.screening.flag for a in got] == [False, True]
    assert seen[-1] == 1.0
    assert analyse_many([]) == []


def test_fast_lemmas_match_the_spacy_lemmatizer():
    texts = ["Children's parks aren't open!!  The buses\nwere late", "", "[NAME] said ok", "wee weans playin"]
    nlp = get_tokenizer_nlp()
    expected = [
        " ".join(t.lemma_.lower() for t in doc if not (t.is_punct or t.is_space)) for doc in nlp.pipe(texts)
    ]
    assert lemma_strings(texts) == expected
