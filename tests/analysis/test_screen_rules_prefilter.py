"""The rules' fast prefilters keep every sentence the plain alternation of all the rules would keep.

``screen_rules`` only runs the per-category rules on sentences its prefilter passes, so a prefilter that
missed a sentence would silently drop a safeguarding trigger. These tests hold it to the plain alternation
(the old prefilter, always right but slow) over the whole corpus, the redaction test sets and sentences
built from the rules' own trigger words.
"""

import json
import random
import re
from pathlib import Path

import pytest

from analysis import screen_rules as sr
from analysis.screen_model import load_corpus

DATA = Path(__file__).parent / "data" / "redaction"


def _sentences(texts):
    return [s for t in texts for s in sr._SENT_SPLIT.split(sr._normalise(t)) if s and s.strip()]


@pytest.fixture(scope="module")
def sentences():
    texts = [r.text for r in load_corpus()]
    for name in ("clean.jsonl", "pii.jsonl"):
        with (DATA / name).open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh if line.strip()]
    # Sentences of the rules' own words, shuffled: near-misses and hits of every pattern's first words.
    words = sorted({w for p in sr._ALL_PATTERNS for w in re.findall(r"[a-z']{2,}", p)})
    rng = random.Random(13)
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(2, 9))) for _ in range(6000)]
    return _sentences(texts)


def _plain(patterns):
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def test_the_fast_prefilter_is_built_not_the_fallback():
    any_trigger, in_category = sr._prefilters()
    assert any_trigger.pattern != sr._ANY_PLAIN.pattern
    for cat, rx in in_category.items():
        assert rx.pattern != _plain([*sr._STRONG[cat], *sr._TOPIC.get(cat, [])]).pattern, cat


def test_prefilter_keeps_exactly_the_sentences_the_plain_rules_match(sentences):
    any_trigger, _ = sr._prefilters()
    plain = [sr._ANY_PLAIN.search(s) is not None for s in sentences]
    fast = [any_trigger.search(s) is not None for s in sentences]
    assert sum(plain) > 1000  # the sample holds many triggers, not only everyday sentences
    missed = [s for s, p, f in zip(sentences, plain, fast, strict=True) if p and not f]
    extra = [s for s, p, f in zip(sentences, plain, fast, strict=True) if f and not p]
    assert missed == [] and extra == []


def test_each_categorys_prefilter_matches_its_plain_rules(sentences):
    _, in_category = sr._prefilters()
    kept = [s for s in sentences if sr._ANY_PLAIN.search(s)]
    for cat, rx in in_category.items():
        plain = _plain([*sr._STRONG[cat], *sr._TOPIC.get(cat, [])])
        assert [s for s in kept if (plain.search(s) is None) != (rx.search(s) is None)] == [], cat


@pytest.mark.parametrize("patterns", [
    [r"\bab\w*c", r"\b(?:x|y)?z\b"],           # what follows an unknown part is not assumed next to it
    [r"\bcan'?t\s+go", r"\bi(?:'ve|\s+have)?\s+nowhere"],
    [r"\b(?:a|b)[cd]e|\bq", r"\b(?=r)rs|\b[^\W\d]+ing\b"],
    [r"\b(?:ab)+c", r"\bm(?:n)*o", r"\b(?:)?k"],
])
def test_dispatch_finds_a_match_exactly_where_the_alternation_does(patterns):
    rx, plain = sr._dispatch(patterns), _plain(patterns)
    rng = random.Random(7)
    alphabet = "abcdeqrsxyzmnok' i\n-"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(20000)]
    texts += ["abxc", "abc", "zz", "can't go", "cant go", "i have nowhere", "ice", "running", "ababc", "mnnno"]
    assert [t for t in texts if (rx.search(t) is None) != (plain.search(t) is None)] == []


def test_rule_screen_decides_as_with_the_plain_prefilters(monkeypatch):
    texts = [r.text for r in load_corpus()]
    fast = [sr.rule_screen(t) for t in texts]
    plain = (sr._ANY_PLAIN, {c: _plain([*sr._STRONG[c], *sr._TOPIC.get(c, [])]) for c in sr._STRONG})
    monkeypatch.setattr(sr, "_prefilters", lambda: plain)
    slow = [sr.rule_screen(t) for t in texts]
    assert sum(r.flag for r in slow) > 300
    assert fast == slow  # every category, trigger, set-aside reason and sentence
