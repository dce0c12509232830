"""Shared text features: lemma and character n-gram TF-IDF, and codebook similarity."""

from __future__ import annotations

import re

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from ._lexicon import STOPWORDS
from ._ngrams import fast_tfidf
from .codebook import Codebook
from .pipeline import lemma_strings

_STOP = sorted(w for w in STOPWORDS if w.isalpha())
CHAR_WEIGHT = 0.5


def word_vectorizer(**kw) -> TfidfVectorizer:
    """Return a TF-IDF over lemma uni- and bigrams (texts are pre-lemmatised)."""
    params = dict(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w[\w'-]*\b|\[\w+\]", lowercase=False, dtype=np.float32)
    params.update(kw)
    return TfidfVectorizer(**params)


def char_vectorizer(**kw) -> TfidfVectorizer:
    """Return a TF-IDF over character n-grams within words (robust to spelling and inflection)."""
    params = dict(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1, dtype=np.float32, max_features=150_000)
    params.update(kw)
    return TfidfVectorizer(**params)


def content_words(lemmas: list[str]) -> list[str]:
    """Drop stopwords from space-joined lemma strings."""
    stop = STOPWORDS
    return [" ".join(w for w in s.split() if w not in stop) for s in lemmas]


class CodebookIndex:
    """Score texts against each theme's name, description and examples (no training needed)."""

    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        docs: list[str] = []
        owner: list[int] = []
        for k, theme in enumerate(codebook.themes):
            # The theme's own words count most: name + description as one doc, each example as another.
            docs.append(theme.document())
            owner.append(k)
            for ex in theme.examples:
                docs.append(f"{ex}")
                owner.append(k)
        lem = lemma_strings(docs)
        self.word = word_vectorizer(stop_words=_STOP, ngram_range=(1, 2))
        self.char = char_vectorizer(ngram_range=(4, 5))
        dw = self.word.fit_transform(lem)
        dc = self.char.fit_transform(content_words(lem))
        self.docs = sp.hstack([_l2(dw), CHAR_WEIGHT * _l2(dc)]).tocsr().astype(np.float32)
        self.docs = _l2(self.docs)
        order = np.argsort(np.array(owner), kind="stable")
        self.docs = self.docs[order]
        owner_sorted = np.array(owner)[order]
        self.starts = np.searchsorted(owner_sorted, np.arange(len(codebook.themes)))

    def raw(self, texts: list[str], lemmas: list[str] | None = None) -> np.ndarray:
        """Return an (n_texts, n_themes) array of max cosine similarity to each theme's docs."""
        if not texts:
            return np.zeros((0, len(self.codebook.themes)), dtype=np.float32)
        lem = lemmas if lemmas is not None else lemma_strings(texts)
        lem = [_plan_speak(t, s) for t, s in zip(texts, lem, strict=True)]
        xw = _l2(fast_tfidf(self.word, lem))
        xc = _l2(fast_tfidf(self.char, content_words(lem)))
        x = sp.hstack([xw, CHAR_WEIGHT * xc]).tocsr()
        x = _l2(x.astype(np.float32))
        sims = (x @ self.docs.T).toarray()
        return np.maximum.reduceat(sims, self.starts, axis=1)

    def scores(self, texts: list[str], lemmas: list[str] | None = None) -> np.ndarray:
        """Return similarities squashed to 0..1, where 0.5 means "probably about this theme"."""
        return squash(self.raw(texts, lemmas))


_INCLUDED = re.compile(r"\b(?:included|inclusion|inclusive|including\s+(?:me|us|everyone|everybody|all))\b", re.I)


def _plan_speak(text: str, lemmas: str) -> str:
    """Drop "include" when it is plan language ("the plan should include X"), not inclusion ("feel included")."""
    if "include" in lemmas and not _INCLUDED.search(text):
        return " ".join(w for w in lemmas.split() if w != "include")
    return lemmas


def squash(raw: np.ndarray, centre: float = 0.32, slope: float = 14.0) -> np.ndarray:
    """Map cosine similarity to a 0..1 score with a logistic curve centred where matches start to be real."""
    out = 1.0 / (1.0 + np.exp(-slope * (raw - centre)))
    out[raw <= 0] = 0.0
    return out.astype(np.float64)


def _l2(x: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.diags(1.0 / norms).astype(np.float32) @ x
