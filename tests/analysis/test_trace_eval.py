import pytest

from analysis import (
    EmergentTheme,
    Priority,
    ThemeAssignment,
    evaluate,
    find_gaps,
    load_default_codebook,
    propose_emergent,
    sentiment,
    stance,
    trace,
    trace_themes,
)

PRIORITIES = [
    Priority("mh", "Improve children's mental health and wellbeing", "Earlier help and shorter waits for CAMHS"),
    Priority("pov", "Reduce child poverty", "Help families with money, food and fuel costs"),
    Priority("play", "More places to play and things to do", "Parks, youth clubs and activities"),
]


def test_trace_scores_the_matching_priority_highest():
    rows = trace(["I feel anxious all the time", "we cant afford food", "more parks please"], PRIORITIES)
    assert [max(r, key=r.get) for r in rows] == ["mh", "pov", "play"]
    assert all(set(r) == {"mh", "pov", "play"} and all(0 <= v <= 1 for v in r.values()) for r in rows)


def test_trace_themes_and_gaps():
    tp = trace_themes(load_default_codebook(), PRIORITIES)
    assert tp["mental_health"]["mh"] > tp["mental_health"]["play"]
    assert tp["cost_of_living"]["pov"] > 0.5
    gaps = find_gaps({"transport": 40, "mental_health": 50, "housing": 3}, tp)
    assert "transport" in gaps and "mental_health" not in gaps and "housing" not in gaps


def test_find_gaps_orders_by_count():
    tp = {"a": {"p": 0.1}, "b": {"p": 0.0}, "c": {"p": 0.9}}
    assert find_gaps({"a": 12, "b": 30, "c": 50}, tp, min_count=10, threshold=0.5) == ["b", "a"]


def test_evaluate_known_values():
    gold = [["a"], ["a", "b"], ["b"], []]
    pred = [["a"], ["a"], ["a"], []]
    ev = evaluate(gold, pred, ["a", "b"], n_boot=200)
    assert ev.per_theme["a"].precision == pytest.approx(2 / 3)
    assert ev.per_theme["a"].recall == 1.0
    assert ev.per_theme["b"].f1 == 0.0 and ev.per_theme["b"].support == 2
    assert ev.micro_f1 == pytest.approx(2 * 2 / (2 * 2 + 1 + 2))
    assert ev.sample_f1 == pytest.approx((1 + 2 / 3 + 0 + 1) / 4)
    lo, hi = ev.sample_f1_ci
    assert 0 <= lo <= ev.sample_f1 <= hi <= 1
    # decisions: gold 10 11 01 00 vs pred 10 10 10 00: po=5/8, pe=.5*.375+.5*.625=.5, kappa=.25
    assert ev.kappa == pytest.approx(0.25, abs=1e-6)
    perfect = evaluate(gold, gold, ["a", "b"], n_boot=50)
    assert perfect.kappa == 1.0 and perfect.micro_f1 == 1.0 and perfect.sample_f1_ci == (1.0, 1.0)


def test_emergent_clusters_uncovered_answers():
    texts = ["the swimming pool closed down"] * 3 + ["swimming pool is shut and we miss it", "reopen the swimming pool"]
    texts += ["wifi in the library is terrible", "library wifi never works", "library computers and wifi are slow",
              "fix the library wifi", "the library wifi drops out"]
    texts += ["covered answer"]
    assign = [ThemeAssignment([], {}) for _ in range(10)] + [ThemeAssignment(["x"], {"x": 0.9})]
    out = propose_emergent(texts, assign, min_size=4, max_themes=4)
    assert len(out) == 2 and all(isinstance(e, EmergentTheme) for e in out)
    labels = " ".join(e.label for e in out)
    assert "pool" in labels and "wifi" in labels
    assert all(10 not in e.members and set(e.representatives) <= set(e.members) for e in out)
    assert propose_emergent(texts, assign, min_size=4, max_themes=4) == out


@pytest.mark.parametrize(
    ("text", "label"),
    [("I love the youth club", "positive"), ("the park is rubbish", "negative"),
     ("teachers are nice but school is boring", "mixed"), ("I go on the bus", "neutral"),
     ("The school was not good", "negative")],
)
def test_sentiment(text, label):
    assert sentiment(text) == label


@pytest.mark.parametrize(
    ("text", "label"),
    [("We strongly support this priority.", "agree"), ("We broadly agree but have concerns about funding.", "partly"),
     ("We do not agree with this.", "disagree"), ("Some thoughts on transport.", None)],
)
def test_stance(text, label):
    assert stance(text) == label
