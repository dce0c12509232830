"""Multi-label theming against a codebook that learns from human codes."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from . import semantic
from ._vectors import CodebookIndex, char_vectorizer, squash, word_vectorizer
from .codebook import Codebook
from .evaluate import Evaluation, evaluate
from .language import SUPPORTED, detect_language
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
    """Themes assigned to one text, and a 0..1 score for every codebook theme (0.5 is the cut).

    ``needs_human`` is True when the machine could not theme the answer with confidence (no theme fits, or
    it is in a language the codebook has little to go on): a person should code it. ``language`` is the
    detected language code ("und" for an empty answer).
    """

    themes: list[str]
    scores: dict[str, float] = field(default_factory=dict)
    needs_human: bool = False
    reason: str = ""
    language: str = "en"


@dataclass(frozen=True)
class Agreement:
    """Out-of-sample agreement between the machine and people, over the reviewed answers.

    Cross-validated: each reviewed answer is themed by a model that never saw its codes. Below
    ``MIN_AGREEMENT_N`` reviewed answers the figures are not computed and ``verdict`` says it is too early.
    """

    n: int
    verdict: str
    sample_f1: float | None = None
    sample_f1_ci: tuple[float, float] | None = None
    kappa: float | None = None
    macro_f1: float | None = None
    folds: int = 0

    @property
    def too_early(self) -> bool:
        return self.sample_f1 is None


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


class SemanticIndex:
    """Each theme in embedding space: its name, name + description and every example phrase (all languages).

    A text's similarity to a theme is its best cosine to any of the theme's phrases, taken relative to the
    text's average similarity to all themes (a static-embedding sentence vector is close to everything
    a little; what matters is which theme it is closest to).
    """

    def __init__(self, codebook: Codebook) -> None:
        docs: list[str] = []
        owner: list[int] = []
        for k, theme in enumerate(codebook.themes):
            for d in [theme.name, theme.document(), *theme.all_examples()]:
                docs.append(d)
                owner.append(k)
        self.vectors = semantic.embed(docs)
        self.owner = np.array(owner)
        order = np.argsort(self.owner, kind="stable")
        self.vectors = self.vectors[order]
        self.starts = np.searchsorted(self.owner[order], np.arange(len(codebook.themes)))
        self.n_themes = len(codebook.themes)

    def raw(self, vectors: np.ndarray) -> np.ndarray:
        """Return (n_texts, n_themes) similarity relative to the text's mean similarity to the themes."""
        if not len(vectors):
            return np.zeros((0, self.n_themes), dtype=np.float32)
        sims = vectors @ self.vectors.T
        best = np.maximum.reduceat(sims, self.starts, axis=1)
        rel = best - best.mean(axis=1, keepdims=True)
        rel[~np.any(vectors, axis=1)] = 0.0
        return rel.astype(np.float32)


# How the two zero-shot signals combine into one similarity on the lexical scale (tuned on the obvious-answer
# tests and the NHS zero-shot figure; see bench/analysis_quality.py).
_SEM_WEIGHT = 0.9
_SEM_OFFSET = 0.02


def blend_prior(lexical: np.ndarray, sem: np.ndarray) -> np.ndarray:
    """Blend lexical and embedding similarity to the codebook into one raw zero-shot similarity."""
    if lexical.size:
        # When three or more themes share one word of the answer almost equally ("support"), that word is not
        # what the answer is about: discount it before the embedding adds its own view.
        top = lexical.max(axis=1, keepdims=True)
        spread = ((lexical >= 0.9 * top) & (top > 0)).sum(axis=1, keepdims=True)
        lexical = np.where(spread >= 3, 0.6 * lexical, lexical)
    s = np.clip(_SEM_WEIGHT * (sem - _SEM_OFFSET), 0.0, None)
    return (1.0 - (1.0 - np.clip(lexical, 0, 1)) * (1.0 - np.clip(s, 0, 1))).astype(np.float32)


class _Features:
    """Word-lemma and character n-gram TF-IDF fitted on training texts, the sentence vector, and the prior."""

    def __init__(self) -> None:
        self.word = word_vectorizer(ngram_range=(1, 2), min_df=1, max_features=200_000)
        self.char = char_vectorizer(ngram_range=(2, 5), max_features=200_000)

    def fit_transform(self, texts: list[str], lem: list[str], vec: np.ndarray, prior: np.ndarray) -> sp.csr_matrix:
        xw = self.word.fit_transform(lem)
        xc = self.char.fit_transform([t.lower() for t in texts])
        return self._stack(xw, xc, vec, prior)

    def transform(self, texts: list[str], lem: list[str], vec: np.ndarray, prior: np.ndarray) -> sp.csr_matrix:
        xw = self.word.transform(lem)
        xc = self.char.transform([t.lower() for t in texts])
        return self._stack(xw, xc, vec, prior)

    @staticmethod
    def _stack(xw: sp.spmatrix, xc: sp.spmatrix, vec: np.ndarray, prior: np.ndarray) -> sp.csr_matrix:
        return sp.hstack(
            [xw, xc, sp.csr_matrix(vec.astype(np.float32) * _EMB_WEIGHT), sp.csr_matrix(prior.astype(np.float32))]
        ).tocsr()


_EMB_WEIGHT = 1.5
# A theme gets its own classifier only with this many people-coded answers for and against it.
MIN_POSITIVES = 5
MIN_NEGATIVES = 5
# The classifier's share of a theme's score is positives / (positives + PRIOR_STRENGTH): 5 codes give it a
# third, 40 codes four fifths; the codebook prior keeps the rest.
PRIOR_STRENGTH = 10.0
# Agreement is reported, and thresholds tuned, only from this many reviewed answers.
MIN_AGREEMENT_N = 30
# Below this top score an answer in a language other than English is sent to a person as well.
CONFIDENT = 0.6


@dataclass
class _Inputs:
    texts: list[str]
    lemmas: list[str]
    lexical: np.ndarray
    vectors: np.ndarray
    prior_raw: np.ndarray

    def take(self, idx: Sequence[int]) -> _Inputs:
        idx = list(idx)
        return _Inputs([self.texts[i] for i in idx], [self.lemmas[i] for i in idx], self.lexical[idx],
                       self.vectors[idx], self.prior_raw[idx])


class _Model:
    """Per-theme classifiers blended with the prior (None: the prior alone)."""

    def __init__(self, features: _Features, models: list, weights: np.ndarray) -> None:
        self.features = features
        self.models = models
        self.weights = weights

    def probs(self, inp: _Inputs, prior: np.ndarray) -> np.ndarray:
        out = prior.copy()
        if not any(m is not None for m in self.models):
            return out
        x = self.features.transform(inp.texts, inp.lemmas, inp.vectors, prior)
        for k, m in enumerate(self.models):
            if m is None:
                continue
            w = self.weights[k]
            out[:, k] = w * m.predict_proba(x)[:, 1] + (1.0 - w) * prior[:, k]
        return out


class Themer:
    """Assign codebook themes to texts; learn from human-coded examples when given them.

    Zero-shot, it scores texts by similarity to each theme's name, description and examples, in embedding
    space (the shared semantic layer) blended with lemma and character n-gram similarity. With people's
    codes, a theme that has at least ``MIN_POSITIVES`` coded answers for and ``MIN_NEGATIVES`` against it
    gets its own logistic regression (TF-IDF, sentence vector and the prior), and its score blends that
    classifier with the prior with a weight that grows with the evidence. Thresholds (and whether every
    text gets at least one theme) are tuned by cross-validation once there are ``MIN_AGREEMENT_N`` reviewed
    answers, and the same folds give the out-of-sample agreement in ``agreement``. The same data and codes,
    in any order, always give the same themes.
    """

    def __init__(self, codebook: Codebook, *, seed: int = 0, C: float = 4.0) -> None:
        self.codebook = codebook
        self.seed = seed
        self.C = C
        self._index: CodebookIndex | None = None
        self._semantic: SemanticIndex | None = None
        self._model: _Model | None = None
        self._thresholds = np.full(len(codebook.themes), 0.5)
        self._at_least_one = False
        self.n_trained = 0
        self.agreement = Agreement(0, "too early to judge: nobody has reviewed any answers yet")

    @property
    def index(self) -> CodebookIndex:
        """Return the lexical codebook similarity index (built on first use; translations count as examples)."""
        if self._index is None:
            self._index = CodebookIndex(self.codebook.with_translations_as_examples())
        return self._index

    @property
    def semantic_index(self) -> SemanticIndex:
        """Return the codebook in embedding space (built on first use)."""
        if self._semantic is None:
            self._semantic = SemanticIndex(self.codebook)
        return self._semantic

    @property
    def trained(self) -> bool:
        """Return whether the themer has learned from coded examples."""
        return self._model is not None

    # --- inputs ---------------------------------------------------------------------------------------

    def _inputs(self, texts: list[str], lemmas: list[str] | None = None, raw: np.ndarray | None = None,
                vectors: np.ndarray | None = None) -> _Inputs:
        lem = lemmas if lemmas is not None else lemma_strings(texts)
        lexical = raw if raw is not None else self.index.raw(texts, lem)
        vec = vectors if vectors is not None else semantic.embed(texts)
        prior_raw = blend_prior(lexical, self.semantic_index.raw(vec))
        return _Inputs(texts, lem, lexical, vec, prior_raw)

    @staticmethod
    def _prior(inp: _Inputs) -> np.ndarray:
        out = _untrained(inp.prior_raw)
        nothing = [i for i, t in enumerate(inp.texts) if _NON_ANSWER.match(t)]
        out[nothing] = 0.0
        return out

    # --- training -------------------------------------------------------------------------------------

    def _fit_model(self, inp: _Inputs, y: np.ndarray, prior: np.ndarray) -> _Model:
        features = _Features()
        pos = y.sum(0)
        neg = len(y) - pos
        want = (pos >= MIN_POSITIVES) & (neg >= MIN_NEGATIVES)
        models: list[LogisticRegression | None] = [None] * y.shape[1]
        if want.any():
            x = features.fit_transform(inp.texts, inp.lemmas, inp.vectors, prior)
            for k in np.flatnonzero(want):
                clf = LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear",
                                         random_state=self.seed, max_iter=200)
                clf.fit(x, y[:, k])
                models[k] = clf
        weights = pos / (pos + PRIOR_STRENGTH)
        return _Model(features, models, weights)

    def fit(self, texts: list[str], labels: list[list[str]]) -> Themer:
        """Learn from human-coded texts.

        Args:
            texts: the coded answers.
            labels: for each text, the theme ids a person assigned (may be empty).

        Returns:
            self, trained; ``self.agreement`` holds the out-of-sample agreement.

        Raises:
            ValueError: lengths differ or a label is not a codebook theme id.
        """
        if len(texts) != len(labels):
            raise ValueError("texts and labels must be the same length")
        _check_labels(self.codebook, labels)
        if not texts:
            return self
        # The same codes in any order give the same model.
        pairs = sorted(zip([t if isinstance(t, str) else "" for t in texts],
                           [tuple(sorted(set(row))) for row in labels], strict=True))
        texts = [p[0] for p in pairs]
        ids = self.codebook.ids
        pos = {t: k for k, t in enumerate(ids)}
        y = np.zeros((len(texts), len(ids)), dtype=bool)
        for i, (_, row) in enumerate(pairs):
            for t in row:
                y[i, pos[t]] = True
        inp = self._inputs(texts)
        prior = self._prior(inp)
        thresholds = np.full(len(ids), 0.5)
        at_least_one = False
        n = len(texts)
        agreement = Agreement(n, f"too early to judge: {n} reviewed answers (at least {MIN_AGREEMENT_N} needed)")
        if n >= MIN_AGREEMENT_N:
            oof = np.zeros(y.shape)
            n_folds = 5 if n >= 100 else 3
            folds = KFold(n_splits=n_folds, shuffle=True, random_state=self.seed)
            for tr, te in folds.split(np.arange(n)):
                model = self._fit_model(inp.take(tr), y[tr], prior[tr])
                oof[te] = model.probs(inp.take(te), prior[te])
            for k in range(len(ids)):
                if y[:, k].sum() >= 3:
                    thresholds[k] = self._best_threshold(oof[:, k], y[:, k])
            scaled = _rescale(oof, thresholds)
            at_least_one = _sample_f1(y, _decode(scaled, True)) > _sample_f1(y, _decode(scaled, False))
            agreement = self._agreement(y, _decode(scaled, at_least_one), n_folds)
        self._model = self._fit_model(inp, y, prior)
        self._thresholds = thresholds
        self._at_least_one = at_least_one
        self.n_trained = n
        self.agreement = agreement
        return self

    def _agreement(self, y: np.ndarray, pred: np.ndarray, folds: int) -> Agreement:
        ids = self.codebook.ids
        gold = [[ids[k] for k in np.flatnonzero(r)] for r in y]
        got = [[ids[k] for k in np.flatnonzero(r)] for r in pred]
        ev: Evaluation = evaluate(gold, got, ids, seed=self.seed, n_boot=500)
        low = ev.sample_f1_ci[0]
        if ev.kappa >= 0.7 and low >= 0.6:
            verdict = "the machine agrees well with people on answers it was not trained on"
        elif ev.kappa >= 0.4:
            verdict = "moderate agreement: check the machine's codes and review more answers"
        else:
            verdict = "weak agreement: do not rely on the machine's codes yet; review more answers"
        return Agreement(len(y), verdict, ev.sample_f1, ev.sample_f1_ci, ev.kappa, ev.macro_f1, folds)

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

    # --- prediction -----------------------------------------------------------------------------------

    def scores(
        self,
        texts: list[str],
        *,
        lemmas: list[str] | None = None,
        raw: np.ndarray | None = None,
        vectors: np.ndarray | None = None,
    ) -> np.ndarray:
        """Return an (n_texts, n_themes) array of 0..1 scores, 0.5 being each theme's cut.

        ``lemmas`` (``pipeline.lemma_strings`` of the texts), ``raw`` (``self.index.raw``) and ``vectors``
        (``semantic.embed``) may be passed when already computed, so one pass serves several steps.
        """
        if not texts:
            return np.zeros((0, len(self.codebook.themes)))
        inp = self._inputs(texts, lemmas, raw, vectors)
        prior = self._prior(inp)
        if self._model is None:
            return prior
        return _rescale(self._model.probs(inp, prior), self._thresholds)

    def predict(
        self,
        texts: list[str],
        progress: Callable[[float], None] | None = None,
        *,
        lemmas: list[str] | None = None,
        raw: np.ndarray | None = None,
        vectors: np.ndarray | None = None,
        languages: list[str] | None = None,
    ) -> list[ThemeAssignment]:
        """Assign themes to texts.

        Args:
            texts: answers to theme (ideally already redacted).
            progress: called with the fraction done (0..1) after each chunk.
            lemmas: the texts' lemma strings, if already computed.
            raw: ``self.index.raw`` of the texts, if already computed.
            vectors: ``semantic.embed`` of the texts, if already computed.
            languages: each text's language code, if already detected.

        Returns:
            One ThemeAssignment per text, with a score for every codebook theme, its language and
            whether a person needs to code it.
        """
        ids = self.codebook.ids
        out: list[ThemeAssignment] = []
        texts = [t if isinstance(t, str) else "" for t in texts]
        n = len(texts)
        for start in range(0, n, CHUNK):
            chunk = texts[start : start + CHUNK]
            sl = slice(start, start + CHUNK)
            s = self.scores(
                chunk,
                lemmas=None if lemmas is None else lemmas[sl],
                raw=None if raw is None else raw[sl],
                vectors=None if vectors is None else vectors[sl],
            )
            langs = languages[sl] if languages is not None else [detect_language(t).code for t in chunk]
            pred = _decode(s, self._at_least_one and self.trained)
            blank = np.array([not t.strip() for t in chunk])
            pred[blank] = False
            top = s.max(axis=1) if s.shape[1] else np.zeros(len(chunk))
            for text, lang, row, flags, best in zip(chunk, langs, s.tolist(), pred.tolist(), top.tolist(),
                                                    strict=True):
                themes = [i for i, f in zip(ids, flags, strict=True) if f]
                need, reason = _needs_human(text, lang, themes, best)
                out.append(
                    ThemeAssignment(
                        themes=themes,
                        scores=dict(zip(ids, [round(v, 4) for v in row], strict=True)),
                        needs_human=need,
                        reason=reason,
                        language=lang if text.strip() else "und",
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


def _needs_human(text: str, lang: str, themes: list[str], best: float) -> tuple[bool, str]:
    """Whether a person must code this answer, and why (never for a blank answer or one that says nothing)."""
    if not text.strip() or _NON_ANSWER.match(text):
        return False, ""
    if lang not in SUPPORTED and lang != "und":
        return True, f"written in a language the codebook does not cover ({lang})"
    if not themes:
        return True, "no theme fits with confidence"
    if lang != "en" and best < CONFIDENT:
        return True, f"not confident about the theme of an answer in {lang}"
    return False, ""
