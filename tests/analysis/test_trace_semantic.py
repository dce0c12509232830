"""Tracing planners can believe: meaning, calibration per priority, one threshold, no double counting."""

import csv
import json
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import roc_auc_score

from analysis import Priority
from analysis.trace import LINK_THRESHOLD, calibrate, priority_evidence, score_matrix, theme_links, trace

DATA = Path(__file__).resolve().parents[2] / "analysis" / "data" / "tracing"
PRIORITIES = [
    Priority("mh", "Improve children's mental health and wellbeing", "Earlier help and shorter waits for CAMHS"),
    Priority("school", "Every child achieves at school", "Support in class, attainment and positive destinations"),
    Priority("pov", "Reduce child poverty", "Help families with money, food and fuel costs"),
]


def test_on_the_frozen_test_half_tracing_ranks_better_than_tfidf_cosine():
    goals = list(csv.DictReader((DATA / "goals.csv").open(encoding="utf-8")))
    texts = list(csv.DictReader((DATA / "texts.csv").open(encoding="utf-8")))
    test = set(json.loads((DATA / "split.json").read_text())["test"])
    rows = [t for t in texts if t["id"] in test]
    prios = [Priority(g["id"], g["title"], g["description"]) for g in goals]
    x = [t["text"] for t in rows]
    y = np.array([[g["id"] in t["supports"].split(";") for g in goals] for t in rows], dtype=int).ravel()
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(x + [p.document() for p in prios])
    base = (vec.transform(x) @ vec.transform([p.document() for p in prios]).T).toarray().ravel()
    guth = score_matrix(x, prios).ravel()
    assert roc_auc_score(y, guth) > roc_auc_score(y, base) + 0.05


def test_a_theme_linked_to_two_priorities_does_not_lend_them_its_answers():
    texts = ["I feel anxious before every exam at school", "my teacher helps me with reading",
             "school is fine", "the CAMHS wait is a year"]
    themes = [["school", "mental_health"], ["school"], ["school"], ["mental_health"]]
    rows = trace(texts, PRIORITIES)
    ev = priority_evidence(rows, themes)
    for pid in ("mh", "school", "pov"):
        own = [i for i, r in enumerate(rows) if r[pid] >= LINK_THRESHOLD]
        assert ev.answers[pid] == len(own) and ev.supporting[pid] == own
    # The school theme's evidence for mental health is only the answers that themselves talk about it.
    assert ev.by_theme.get("school", {}).get("mh", 0) <= 1
    assert ev.answers["pov"] == 0


def test_a_planners_link_decision_sticks():
    tp = {"school": {"mh": 0.9, "pov": 0.1}}
    assert theme_links(tp) == {"school": {"mh": True, "pov": False}}
    assert theme_links(tp, {("school", "mh"): False, ("school", "pov"): True}) == {"school": {"mh": False, "pov": True}}


def test_chunks_scored_with_one_calibration_match_the_whole():
    texts = [f"{w} {k}" for k in range(30) for w in ("we need help with money for food", "exam stress is awful")]
    cal = calibrate(texts, PRIORITIES)
    whole = trace(texts, PRIORITIES, calibration=cal)
    parts = trace(texts[:25], PRIORITIES, calibration=cal) + trace(texts[25:], PRIORITIES, calibration=cal)
    assert whole == trace(texts, PRIORITIES)
    # The semantic part is identical; only the lexical part's IDF depends on the chunk.
    flat = lambda rows: np.array([[r[p.id] for p in PRIORITIES] for r in rows])  # noqa: E731
    assert np.allclose(flat(whole), flat(parts), atol=0.02)
    assert max(whole[0], key=whole[0].get) == "pov" and max(whole[1], key=whole[1].get) == "mh"


def test_one_sentence_about_a_priority_counts_in_a_long_answer():
    # An answer that says one thing about mental health among unrelated remarks still supports that priority:
    # its best sentence is scored, not only the whole text, whose mean meaning the other sentences dilute.
    filler = ("The survey was on paper. We moved here three years ago from the north. My favourite colour is blue. "
              "The weather has been terrible all summer long. ")
    texts = [filler + "My daughter waited a year for CAMHS and her anxiety got worse.",
             filler + "Thank you for asking us all these questions."]
    with_sentences = score_matrix(texts, PRIORITIES)
    whole_only = score_matrix(texts, PRIORITIES, by_sentence=False)
    assert with_sentences[0, 0] > whole_only[0, 0]
    assert with_sentences[0, 0] >= LINK_THRESHOLD > with_sentences[1].max()
    assert with_sentences[0].argmax() == 0
