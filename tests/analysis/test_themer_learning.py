"""Learning from planners' codes blends with the codebook prior and never replaces it on thin evidence.

The planner story from issue 13: on the demo answers, review 15, retrain, and no theme's count may move by
more than a factor of two unless the codes themselves moved it.
"""

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import yaml

from analysis import Themer, load_default_codebook
from analysis.themer import MIN_AGREEMENT_N, MIN_POSITIVES

MATERIAL = Path(__file__).resolve().parents[2] / "consult" / "demo" / "material.yaml"


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for x in node:
            yield from _strings(x)
    elif isinstance(node, dict):
        for k in sorted(node):
            yield from _strings(node[k])


@pytest.fixture(scope="module")
def demo():
    data = yaml.safe_load(MATERIAL.read_text(encoding="utf-8"))
    texts = sorted(set(_strings(data["answers"])) | set(_strings(data["translations"])))
    return texts + ["Nothing.", "Nothing", "no comment"]


@pytest.fixture(scope="module")
def zero_shot(demo):
    th = Themer(load_default_codebook(), seed=0)
    return th, th.predict(demo)


def _counts(assignments):
    return Counter(t for a in assignments for t in a.themes)


def _review(texts, machine, picks):
    """A planner reviews the picked answers: keeps what is right, gives a theme where the machine gave none."""
    labels = []
    for i in picks:
        a = machine[i]
        codes = list(a.themes)
        if not codes and not texts[i].lower().startswith(("nothing", "no comment")):
            codes = [max(a.scores, key=a.scores.get)]
        if len(codes) > 2:  # and trims an answer given too many themes to its two best
            codes = sorted(codes, key=lambda t: -a.scores[t])[:2]
        labels.append(codes)
    return labels


def test_planner_story_review_15_then_retrain_keeps_the_themes(demo, zero_shot):
    _, before = zero_shot
    rng = np.random.default_rng(13)
    picks = sorted(rng.choice(len(demo), size=15, replace=False).tolist())
    labels = _review(demo, before, picks)
    th = Themer(load_default_codebook(), seed=0).fit([demo[i] for i in picks], labels)
    after = th.predict(demo)
    c0, c1 = _counts(before), _counts(after)
    # Themes the codes themselves moved: what the planner added or took away among the 15.
    moved = {t for i, codes in zip(picks, labels, strict=True) for t in set(codes) ^ set(before[i].themes)}
    jumps = {t: (c0[t], c1[t]) for t in set(c0) | set(c1)
             if t not in moved and max(c0[t], c1[t]) >= 10 and max(c0[t], c1[t]) > 2 * max(1, min(c0[t], c1[t]))}
    assert not jumps, jumps
    # Answers that say nothing are not swallowed by a theme, and the agreement figure does not claim trust.
    nothing = [a for t, a in zip(demo, after, strict=True) if t in ("Nothing.", "Nothing", "no comment")]
    assert all(not a.themes for a in nothing)
    assert th.agreement.too_early and th.agreement.n == 15 and "too early" in th.agreement.verdict


def test_a_theme_with_few_codes_keeps_the_prior(demo, zero_shot):
    base, _ = zero_shot
    texts = demo[:12]
    labels = [["transport"] if i < MIN_POSITIVES - 1 else [] for i in range(12)]
    th = Themer(load_default_codebook(), seed=0).fit(texts, labels)
    probe = demo[100:140]
    assert np.allclose(th.scores(probe), base.scores(probe))  # 4 codes: no classifier, the prior alone


def test_same_codes_in_any_order_give_the_same_themes(demo, zero_shot):
    _, before = zero_shot
    idx = list(range(0, 120, 3))
    labels = _review(demo, before, idx)
    a = Themer(load_default_codebook(), seed=0).fit([demo[i] for i in idx], labels).predict(demo[:80])
    rev = idx[::-1]
    b = Themer(load_default_codebook(), seed=0).fit([demo[i] for i in rev], labels[::-1]).predict(demo[:80])
    assert a == b


def test_agreement_is_out_of_sample_with_n_and_an_interval(demo, zero_shot):
    _, before = zero_shot
    idx = list(range(0, 2 * MIN_AGREEMENT_N + 20, 2))
    th = Themer(load_default_codebook(), seed=0).fit([demo[i] for i in idx], _review(demo, before, idx))
    ag = th.agreement
    assert not ag.too_early and ag.n == len(idx) and ag.folds >= 3
    lo, hi = ag.sample_f1_ci
    assert 0.0 <= lo <= ag.sample_f1 <= hi <= 1.0 and -1.0 <= ag.kappa <= 1.0
    assert th.suggest_next(demo[200:260], k=5)
