import pytest

from analysis import Codebook, Theme, Themer, load_default_codebook

SMALL = Codebook(
    [
        Theme("play", "Places to play", "parks and playgrounds", ["more parks", "the swings are broken"]),
        Theme("travel", "Transport", "buses and trains", ["the bus is late", "train fares"]),
        Theme("money", "Cost of living", "poverty and prices", ["we cannot afford food", "bills are too high"]),
    ]
)

PLAY = ["the park needs new swings", "more playgrounds please", "a skate park for us", "the play park is dirty"]
TRAVEL = ["buses never turn up", "the bus to town is slow", "trains are always late", "need a better bus route"]
MONEY = ["food is too expensive", "heating bills are huge", "cannot afford the uniform", "money is tight for us"]


def _training(n_rep=4):
    texts, labels = [], []
    for rep in range(n_rep):
        for group, tid in ((PLAY, "play"), (TRAVEL, "travel"), (MONEY, "money")):
            for t in group:
                texts.append(f"{t} {'really' * (rep % 2)}".strip())
                labels.append([tid])
    return texts, labels


def test_default_codebook_has_shanarri_and_topics():
    cb = load_default_codebook()
    for tid in ["safe", "healthy", "achieving", "nurtured", "active", "respected", "responsible", "included",
                "mental_health", "bullying", "school", "places_to_play", "transport", "cost_of_living", "housing",
                "family_support", "online_safety", "being_listened_to", "young_carers", "childcare"]:
        assert tid in cb.ids
    assert all(t.examples for t in cb.themes)
    assert Codebook.from_dict(cb.to_dict()) == cb


def test_untrained_themer_uses_the_codebook():
    th = Themer(load_default_codebook())
    out = th.predict(["we need more parks and places to play", "the bus is too dear and never comes",
                      "I feel really stressed about exams", "my mum cant afford the heating"])
    assert "places_to_play" in out[0].themes
    assert "transport" in out[1].themes
    assert "mental_health" in out[2].themes
    assert "cost_of_living" in out[3].themes
    assert set(out[0].scores) == set(load_default_codebook().ids)
    assert all(0.0 <= v <= 1.0 for a in out for v in a.scores.values())


def test_training_learns_and_is_deterministic():
    texts, labels = _training()
    th = Themer(SMALL, seed=0).fit(texts, labels)
    test = ["the skate park is great", "the train was late again", "we struggle to afford food"]
    pred = th.predict(test)
    assert [a.themes for a in pred] == [["play"], ["travel"], ["money"]]
    again = Themer(SMALL, seed=0).fit(texts, labels).predict(test)
    assert again == pred


def test_unknown_theme_id_in_labels_is_rejected():
    with pytest.raises(ValueError, match="unknown theme id"):
        Themer(SMALL).fit(["a text"], [["nope"]])


def test_progress_is_reported_and_blank_text_gets_no_theme():
    seen = []
    out = Themer(SMALL).predict(["more parks", "   "], progress=seen.append)
    assert seen[-1] == 1.0
    assert out[1].themes == []


def test_suggest_next_returns_distinct_valid_indices():
    texts, labels = _training(2)
    th = Themer(SMALL).fit(texts, labels)
    pool = ["the park bus costs money", "swings", "bus", "completely unrelated words here", "swings"]
    picks = th.suggest_next(pool, k=3)
    assert len(picks) == 3 and len(set(picks)) == 3
    assert all(0 <= i < len(pool) for i in picks)
    assert picks == th.suggest_next(pool, k=3)
