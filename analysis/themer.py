"""Multi-label theming against a codebook that learns from human codes."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from ._vectors import CodebookIndex, char_vectorizer, squash, word_vectorizer
from .codebook import Codebook
from .pipeline import lemma_strings

CHUNK = 2048
_PRIOR_WEIGHT = 1.0
# Answers that say nothing: with no human codes to learn otherwise, they get no theme.
_NON_ANSWER = re.compile(
    r"^[\s\W]*(?:no\s+comments?|nothing(?:\s+(?:else|to\s+(?:add|say)|really|at\s+all|more))?|none|n/?a|no|nope|nah|"
    r"not\s+sure|(?:i\s+)?don'?t\s+know|(?:i\s+)?dont\s+know|idk|dunno|no\s+idea|not\s+applicable|nil|ok|okay|"
    r"(?:no\s+)?thanks?(?:\s+you)?|no\s+thank\s+you|not\s+really|can'?t\s+think\s+of\s+anything)[\s\W]*$",
    re.I,
)
_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)


@dataclass(frozen=True)
class ThemeAssignment:
    """Themes assigned to one text, and a 0..1 score for every codebook theme (0.5 is the cut)."""

    themes: list[str]
    scores: dict[str, float] = field(default_factory=dict)


def _check_labels(codebook: Codebook, labels: Sequence[Sequence[str]]) -> None:
    known = set(codebook.ids)
    unknown = sorted({t for row in labels for t in row if t not in known})
    if unknown:
        raise ValueError(f"unknown theme id(s) in labels: {', '.join(unknown)}")


def _rescale(p: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Map probabilities so that each theme's threshold lands on 0.5 (monotone, stays in 0..1)."""
    t = np.clip(t, 1e-3, 1 - 1e-3)
    low = 0.5 * p / t
    high = 0.5 + 0.5 * (p - t) / (1 - t)
    return np.clip(np.where(p < t, low, high), 0.0, 1.0)


def _sample_f1(y: np.ndarray, pred: np.ndarray) -> float:
    tp = (y & pred).sum(1)
    denom = y.sum(1) + pred.sum(1)
    f = np.where(denom == 0, 1.0, 2 * tp / np.maximum(denom, 1))
    return float(f.mean())


def _untrained(raw: np.ndarray) -> np.ndarray:
    """Score from codebook similarity alone, discounting themes well behind the best match."""
    if not raw.size:
        return squash(raw, centre=0.36)
    top = raw.max(axis=1, keepdims=True)
    gap = top - raw
    # When three or more themes match almost equally, the match rests on a word they all share
    # ("support", "school"), not on what the answer is about.
    spread = ((raw >= 0.9 * top) & (top > 0)).sum(axis=1, keepdims=True)
    raw = np.where(spread >= 3, 0.6 * raw, raw)
    return squash(raw - 0.6 * gap, centre=0.36)


def _decode(scaled: np.ndarray, at_least_one: bool) -> np.ndarray:
    pred = scaled >= 0.5
    if at_least_one and scaled.shape[1]:
        empty = ~pred.any(1)
        top = scaled.argmax(1)
        pred[np.flatnonzero(empty), top[empty]] = True
    return pred


class _Features:
    """Word-lemma and character n-gram TF-IDF fitted on training texts, plus codebook similarity."""

    def __init__(self, index: CodebookIndex) -> None:
        self.index = index
        self.word = word_vectorizer(ngram_range=(1, 2), min_df=1, max_features=200_000)
        self.char = char_vectorizer(ngram_range=(2, 5), max_features=200_000)

    def fit_transform(self, texts: list[str], lem: list[str]) -> sp.csr_matrix:
        xw = self.word.fit_transform(lem)
        xc = self.char.fit_transform([t.lower() for t in texts])
        return self._stack(xw, xc, self.index.raw(texts, lem))

    def transform(self, texts: list[str], lem: list[str]) -> tuple[sp.csr_matrix, np.ndarray]:
        prior = self.index.raw(texts, lem)
        return self.transform_with_prior(texts, lem, prior), prior

    def transform_with_prior(self, texts: list[str], lem: list[str], prior: np.ndarray) -> sp.csr_matrix:
        xw = self.word.transform(lem)
        xc = self.char.transform([t.lower() for t in texts])
        return self._stack(xw, xc, prior)

    @staticmethod
    def _stack(xw: sp.spmatrix, xc: sp.spmatrix, prior: np.ndarray) -> sp.csr_matrix:
        return sp.hstack([xw, xc, sp.csr_matrix(prior.astype(np.float32) * _PRIOR_WEIGHT)]).tocsr()


class Themer:
    """Assign codebook themes to texts; learn from human-coded examples when given them.

    Without training it scores texts by similarity to each theme's name, description and
    examples. With training it fits one logistic regression per theme on word and character
    n-grams plus that codebook similarity, and tunes each theme's threshold (and whether every
    text gets at least one theme) by cross-validation on the training share.
    """

    def __init__(self, codebook: Codebook, *, seed: int = 0, C: float = 8.0) -> None:
        self.codebook = codebook
        self.seed = seed
        self.C = C
        self._index: CodebookIndex | None = None
        self._features: _Features | None = None
        self._models: list[LogisticRegression | float | None] = []
        self._thresholds = np.full(len(codebook.themes), 0.5)
        self._at_least_one = False
        self.n_trained = 0

    @property
    def index(self) -> CodebookIndex:
        """Return the codebook similarity index (built on first use)."""
        if self._index is None:
            self._index = CodebookIndex(self.codebook)
        return self._index

    @property
    def trained(self) -> bool:
        """Return whether the themer has learned from coded examples."""
        return self._features is not None

    def _fit_models(self, x: sp.csr_matrix, y: np.ndarray) -> list[LogisticRegression | float | None]:
        models: list[LogisticRegression | float | None] = []
        for k in range(y.shape[1]):
            pos = int(y[:, k].sum())
            if pos == 0:
                models.append(None)  # never coded: fall back to the codebook prior
            elif pos == len(y):
                models.append(1.0)
            else:
                clf = LogisticRegression(
                    C=self.C, class_weight="balanced", solver="liblinear", random_state=self.seed, max_iter=200
                )
                clf.fit(x, y[:, k])
                models.append(clf)
        return models

    @staticmethod
    def _probs(models: list, x: sp.csr_matrix, prior: np.ndarray) -> np.ndarray:
        out = np.empty((x.shape[0], len(models)))
        fallback = _untrained(prior) if any(m is None for m in models) else None
        for k, m in enumerate(models):
            if m is None:
                out[:, k] = fallback[:, k]
            elif isinstance(m, float):
                out[:, k] = m
            else:
                out[:, k] = m.predict_proba(x)[:, 1]
        return out

    def fit(self, texts: list[str], labels: list[list[str]]) -> Themer:
        """Learn from human-coded texts.

        Args:
            texts: the coded answers.
            labels: for each text, the theme ids a person assigned (may be empty).

        Returns:
            self, trained.

        Raises:
            ValueError: lengths differ or a label is not a codebook theme id.
        """
        if len(texts) != len(labels):
            raise ValueError("texts and labels must be the same length")
        _check_labels(self.codebook, labels)
        if not texts:
            return self
        ids = self.codebook.ids
        pos = {t: k for k, t in enumerate(ids)}
        y = np.zeros((len(texts), len(ids)), dtype=bool)
        for i, row in enumerate(labels):
            for t in row:
                y[i, pos[t]] = True
        lem = lemma_strings(texts)
        prior_all = self.index.raw(texts, lem)
        thresholds = np.full(len(ids), 0.5)
        at_least_one = bool(y.any(1).mean() >= 0.9)
        n = len(texts)
        if n >= 30:
            oof = np.zeros(y.shape)
            folds = KFold(n_splits=3, shuffle=True, random_state=self.seed)
            for tr, te in folds.split(np.arange(n)):
                feats = _Features(self.index)
                xtr = feats.fit_transform([texts[i] for i in tr], [lem[i] for i in tr])
                xte, _ = feats.transform([texts[i] for i in te], [lem[i] for i in te])
                oof[te] = self._probs(self._fit_models(xtr, y[tr]), xte, prior_all[te])
            for k in range(len(ids)):
                if y[:, k].sum() >= 3:
                    thresholds[k] = self._best_threshold(oof[:, k], y[:, k])
            scaled = _rescale(oof, thresholds)
            at_least_one = _sample_f1(y, _decode(scaled, True)) > _sample_f1(y, _decode(scaled, False))
        self._features = _Features(self.index)
        x = self._features.fit_transform(texts, lem)
        self._models = self._fit_models(x, y)
        self._thresholds = thresholds
        self._at_least_one = at_least_one
        self.n_trained = n
        return self

    @staticmethod
    def _best_threshold(p: np.ndarray, y: np.ndarray) -> float:
        best, best_f = 0.5, -1.0
        for t in _GRID:
            pred = p >= t
            tp = float((pred & y).sum())
            f = 2 * tp / max(pred.sum() + y.sum(), 1)
            if f > best_f + 1e-9:
                best, best_f = float(t), f
        return best

    def scores(
        self, texts: list[str], *, lemmas: list[str] | None = None, raw: np.ndarray | None = None
    ) -> np.ndarray:
        """Return an (n_texts, n_themes) array of 0..1 scores, 0.5 being each theme's cut.

        ``lemmas`` (``pipeline.lemma_strings`` of the texts) and ``raw`` (``self.index.raw``) may be
        passed when already computed, so one tokenisation serves several steps.
        """
        if not texts:
            return np.zeros((0, len(self.codebook.themes)))
        lem = lemmas if lemmas is not None else lemma_strings(texts)
        if raw is None:
            raw = self.index.raw(texts, lem)
        if self._features is None:
            out = _untrained(raw)
            out[[i for i, t in enumerate(texts) if _NON_ANSWER.match(t)]] = 0.0
            return out
        x = self._features.transform_with_prior(texts, lem, raw)
        return _rescale(self._probs(self._models, x, raw), self._thresholds)

    def predict(
        self,
        texts: list[str],
        progress: Callable[[float], None] | None = None,
        *,
        lemmas: list[str] | None = None,
        raw: np.ndarray | None = None,
    ) -> list[ThemeAssignment]:
        """Assign themes to texts.

        Args:
            texts: answers to theme (ideally already redacted).
            progress: called with the fraction done (0..1) after each chunk.
            lemmas: the texts' lemma strings, if already computed.
            raw: ``self.index.raw`` of the texts, if already computed.

        Returns:
            One ThemeAssignment per text, with a score for every codebook theme.
        """
        ids = self.codebook.ids
        out: list[ThemeAssignment] = []
        texts = [t if isinstance(t, str) else "" for t in texts]
        n = len(texts)
        for start in range(0, n, CHUNK):
            chunk = texts[start : start + CHUNK]
            s = self.scores(
                chunk,
                lemmas=None if lemmas is None else lemmas[start : start + CHUNK],
                raw=None if raw is None else raw[start : start + CHUNK],
            )
            pred = _decode(s, self._at_least_one and self.trained)
            blank = np.array([not t.strip() for t in chunk])
            pred[blank] = False
            for row, flags in zip(s.tolist(), pred.tolist(), strict=True):
                out.append(
                    ThemeAssignment(
                        themes=[i for i, f in zip(ids, flags, strict=True) if f],
                        scores=dict(zip(ids, [round(v, 4) for v in row], strict=True)),
                    )
                )
            if progress is not None:
                progress(min(1.0, (start + len(chunk)) / n))
        if progress is not None and n == 0:
            progress(1.0)
        return out

    def suggest_next(self, texts: list[str], k: int = 10) -> list[int]:
        """Return indices of texts a person should code next to teach the themer fastest.

        Picks the texts whose theme decisions are least certain, skipping near-duplicates of texts
        already picked so a batch of suggestions covers different ground.
        """
        if not texts or k <= 0:
            return []
        s = self.scores(texts)
        uncertainty = (1.0 - np.abs(2.0 * s - 1.0)).max(axis=1)
        order = sorted(range(len(texts)), key=lambda i: (-round(float(uncertainty[i]), 6), i))
        vec = word_vectorizer(min_df=1)
        try:
            x = vec.fit_transform(lemma_strings(texts))
        except ValueError:  # no words at all
            return order[:k]
        chosen: list[int] = []
        for i in order:
            if len(chosen) >= k:
                break
            if chosen and x[i].nnz and float((x[chosen] @ x[i].T).max()) > 0.8:
                continue
            chosen.append(i)
        for i in order:  # fill up if diversity filtering left too few
            if len(chosen) >= k:
                break
            if i not in chosen:
                chosen.append(i)
        return chosen
