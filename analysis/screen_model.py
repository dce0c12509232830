"""The supervised part of the safeguarding screen, trained on Guth's own development corpus.

Features: the shared sentence vector (``analysis.semantic``), word 1–2-gram TF-IDF and character 2–5-gram
TF-IDF (the character grams carry Polish, Ukrainian, Arabic and Gàidhlig word forms and children's spelling
slips). One logistic regression scores "a lead must see this"; one per category says which kind of harm.
A text is scored whole, sentence by sentence and in short windows of words, and its score is the highest of
those, so a disclosure buried at the end of a long answer about the bus still counts.

The model is trained when first needed (about a second) on the corpus's *train* split only
(``data/safeguarding/split.json`` freezes the test split), so the figures ``bench/screen_quality.py`` prints
on the test split are out of sample. Thresholds are data (``data/safeguarding/thresholds.json``), chosen by
``bench/screen_quality.py --tune`` for recall first.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

from .categories import CATEGORIES

DATA = Path(__file__).parent / "data" / "safeguarding"
_SENT = re.compile(r"[^.!?\n؟]+[.!?\n؟]*")
_WORDS = re.compile(r"\S+")
WINDOW, STRIDE = 12, 6
MAX_PIECES = 400
_EMBED_WEIGHT = 2.0


@dataclass(frozen=True)
class Example:
    id: str
    text: str
    label: int
    categories: tuple[str, ...]
    lang: str
    meta: dict


def load_corpus() -> list[Example]:
    """Every labelled example in ``data/safeguarding/*.jsonl``."""
    rows: list[Example] = []
    for path in sorted(DATA.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                o = json.loads(line)
                cats = tuple(c for c in o.get("categories") or () if c in CATEGORIES)
                rows.append(Example(str(o["id"]), o["text"], int(o["label"]), cats, o.get("lang", "en"), o))
    return rows


def test_ids() -> frozenset[str]:
    """The frozen test split's ids (empty when no split has been frozen)."""
    path = DATA / "split.json"
    if not path.is_file():
        return frozenset()
    return frozenset(json.loads(path.read_text(encoding="utf-8"))["test"])


def split_corpus() -> tuple[list[Example], list[Example]]:
    """(train, test) by the frozen split."""
    rows = load_corpus()
    test = test_ids()
    return [r for r in rows if r.id not in test], [r for r in rows if r.id in test]


def pieces(text: str) -> list[tuple[int, int]]:
    """Spans to score: the whole text, each sentence, and windows of WINDOW words (for long sentences)."""
    spans: list[tuple[int, int]] = []
    stripped = text.strip()
    if not stripped:
        return spans
    spans.append((0, len(text)))
    sentences = [(m.start(), m.end()) for m in _SENT.finditer(text) if m.group().strip()]
    if len(sentences) > 1:
        spans.extend(sentences)
    words = [(m.start(), m.end()) for m in _WORDS.finditer(text)]
    if len(words) > WINDOW + STRIDE // 2:
        for i in range(0, len(words) - STRIDE, STRIDE):
            chunk = words[i : i + WINDOW]
            spans.append((chunk[0][0], chunk[-1][1]))
    seen: set[tuple[int, int]] = set()
    out = []
    for s in spans:
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out[:MAX_PIECES]


class ScreenModel:
    """A trained screen: ``score(texts)`` → P(disclosure) per text; ``categories(texts)`` → per-category P."""

    def __init__(self, examples: list[Example], *, seed: int = 0) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        texts: list[str] = []
        labels: list[int] = []
        for ex in examples:
            texts.append(ex.text)
            labels.append(ex.label)
            if ex.label == 0:
                # A safe answer's sentences are safe too: teaches the model that pieces are not disclosures.
                for s, e in pieces(ex.text)[1:]:
                    texts.append(ex.text[s:e])
                    labels.append(0)
        self.words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, lowercase=True)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2,
                                     lowercase=True, max_features=150_000)
        self.words.fit(texts)
        self.chars.fit(texts)
        x = self._features(texts)
        y = np.asarray(labels)
        self.flag = LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000, random_state=seed)
        self.flag.fit(x, y)
        pos = [ex for ex in examples if ex.label == 1 and ex.categories]
        self.cat_models: dict[str, object] = {}
        if pos:
            xp = self._features([ex.text for ex in pos])
            for cat in CATEGORIES:
                yc = np.asarray([1 if cat in ex.categories else 0 for ex in pos])
                if 0 < yc.sum() < len(yc):
                    m = LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000, random_state=seed)
                    m.fit(xp, yc)
                    self.cat_models[cat] = m
        self._lock = threading.Lock()

    def _features(self, texts: list[str]):
        from .semantic import embed

        vec = embed(texts) * _EMBED_WEIGHT
        return sparse.hstack([self.words.transform(texts), self.chars.transform(texts), sparse.csr_matrix(vec)],
                             format="csr")

    def score_pieces(self, texts: list[str]) -> np.ndarray:
        """P(disclosure) for each piece of text."""
        if not texts:
            return np.zeros(0)
        return self.flag.predict_proba(self._features(texts))[:, 1]

    def category_scores(self, texts: list[str]) -> list[dict[str, float]]:
        """P(category | disclosure) for each text."""
        if not texts or not self.cat_models:
            return [{} for _ in texts]
        x = self._features(texts)
        cols = {c: m.predict_proba(x)[:, 1] for c, m in self.cat_models.items()}
        return [{c: float(v[i]) for c, v in cols.items()} for i in range(len(texts))]

    def score(self, text: str) -> tuple[float, tuple[int, int], dict[str, float]]:
        """The text's score (its highest-scoring piece), that piece's span and its category scores."""
        spans = pieces(text)
        if not spans:
            return 0.0, (0, 0), {}
        scores = self.score_pieces([text[s:e] for s, e in spans])
        best = int(np.argmax(scores))
        span = spans[best]
        cats = self.category_scores([text[span[0]:span[1]]])[0]
        return float(scores[best]), span, cats


_build_lock = threading.Lock()


@lru_cache(maxsize=1)
def get_model() -> ScreenModel:
    """The screen model trained on the corpus's train split (built once per process)."""
    with _build_lock:
        train, _ = split_corpus()
        return ScreenModel(train)


@lru_cache(maxsize=1)
def thresholds() -> dict[str, dict[str, float]]:
    """Per-language thresholds: ``flag`` (a lead must see it) and ``human`` (a person should read it)."""
    path = DATA / "thresholds.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return data.get("languages", {"en": {"flag": 0.5, "human": 1.01}})
