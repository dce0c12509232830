"""Multi-label theming against a codebook that learns from human codes."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.linalg import cho_factor, cho_solve, lapack

from . import semantic
from ._ngrams import fast_tfidf, rounded_rows
from ._vectors import CodebookIndex, char_vectorizer, squash, word_vectorizer
from .codebook import Codebook
from .evaluate import Evaluation, evaluate
from .language import SUPPORTED, language_code
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


def _macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    """Mean F1 over the themes that people or the machine used (as ``evaluate`` computes it)."""
    tp = (y & pred).sum(0)
    denom = y.sum(0) + pred.sum(0)
    used = denom > 0
    return float((2 * tp[used] / denom[used]).mean()) if used.any() else 0.0


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
        xw = fast_tfidf(self.word, lem)
        xc = fast_tfidf(self.char, [t.lower() for t in texts])
        return self._stack(xw, xc, vec, prior)

    @staticmethod
    def _stack(xw: sp.spmatrix, xc: sp.spmatrix, vec: np.ndarray, prior: np.ndarray) -> sp.csr_matrix:
        return sp.hstack(
            [xw, xc, sp.csr_matrix(vec.astype(np.float32) * _EMB_WEIGHT), sp.csr_matrix(prior.astype(np.float32))]
        ).tocsr()


def _gram(x: sp.csr_matrix) -> np.ndarray:
    """``x @ x.T`` as a dense array: frequent columns as one dense product, the rest as a sparse one.

    A character bigram is in nearly every answer; a sparse product pays for every pair of answers sharing it,
    which took 40 s for 5,000 answers. Dense, those columns cost one BLAS call.
    """
    n = x.shape[0]
    xc = x.tocsc().astype(np.float64)
    df = np.diff(xc.indptr)
    frequent = df > max(8, n // 10)
    dense = xc[:, np.flatnonzero(frequent)].toarray()
    k = dense @ dense.T
    del dense
    rare = xc[:, np.flatnonzero(~frequent)].tocsr()
    k += (rare @ rare.T).toarray()
    return k


def _platt(s: np.ndarray, y: np.ndarray, iters: int = 25) -> tuple[np.ndarray, np.ndarray]:
    """Fit ``p = 1 / (1 + exp(-(a·s + b)))`` per column by Newton's method (Platt's smoothed targets)."""
    n = len(s)
    a = np.ones(s.shape[1])
    b = np.zeros(s.shape[1])
    pos = y.sum(0)
    target = np.where(y, (pos + 1.0) / (pos + 2.0), 1.0 / (n - pos + 2.0))
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(a * s + b, -30, 30)))
        g = p - target
        w = p * (1 - p) + 1e-9
        ga, gb = (g * s).sum(0), g.sum(0)
        haa, hab, hbb = (w * s * s).sum(0) + 1e-6, (w * s).sum(0), w.sum(0) + 1e-6
        det = haa * hbb - hab * hab
        a -= (hbb * ga - hab * gb) / det
        b -= (haa * gb - hab * ga) / det
    return a, b


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


_EMB_WEIGHT = 1.5
# Ridge penalty of the learned classifiers (features: word and character TF-IDF rows of norm 1 each, the
# sentence vector at 1.5 and the prior); chosen on the NHS FFT 240-answer share, the only one it was tried on.
RIDGE_LAMBDA = 1.0
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
    """Ridge classifiers for the themes with enough evidence, calibrated and blended with the prior.

    ``weights`` (features x themes) are the primal weights of a kernel ridge fit, so scoring a text is one
    sparse product; ``a``, ``b`` map a ridge score to a probability (fitted on leave-one-out scores).
    """

    def __init__(self, features: _Features, coef: np.ndarray, bias: np.ndarray, a: np.ndarray, b: np.ndarray,
                 learned: np.ndarray, blend: np.ndarray, prior_ab: tuple[float, float] | None = None) -> None:
        self.features = features
        self.coef = coef
        self.bias = bias
        self.a, self.b = a, b
        self.learned = learned  # indices of the themes with their own classifier
        self.blend = blend  # each learned theme's share of its score (the prior keeps the rest)
        self.prior_ab = prior_ab  # the codebook prior's calibration on the reviewed answers (None: as it is)
        self.keep: np.ndarray | None = None  # themes whose prior is kept as it is

    def probs(self, inp: _Inputs, prior: np.ndarray) -> np.ndarray:
        out = _calibrated(prior, self.prior_ab, self.keep)
        if not len(self.learned):
            return out
        x = self.features.transform(inp.texts, inp.lemmas, inp.vectors, prior)
        p = _sigmoid(self.a * (np.asarray(x @ self.coef) + self.bias) + self.b)
        k = self.learned
        out[:, k] = self.blend * p + (1.0 - self.blend) * out[:, k]
        return out


def _prior_calibration(prior: np.ndarray, y: np.ndarray) -> tuple[float, float] | None:
    """One logistic map from the codebook prior to how often it is right on the reviewed answers.

    The prior never saw these codes, so they are held out for it. One map for all themes (its ranking
    within a theme is kept): on a consultation where zero-shot scores run high, they no longer outrank the
    learned themes' calibrated probabilities. None (the prior as it is) below ``MIN_AGREEMENT_N`` answers.
    """
    if len(y) < MIN_AGREEMENT_N or not y.any():
        return None
    a, b = _platt(prior.reshape(-1, 1).astype(np.float64), y.reshape(-1, 1))
    if a[0] <= 0:  # the prior runs against the codes: leave it alone rather than invert it
        return None
    return float(a[0]), float(b[0])


def _calibrated(prior: np.ndarray, ab: tuple[float, float] | None, keep: np.ndarray | None = None) -> np.ndarray:
    if ab is None:
        return prior.copy()
    out = _sigmoid(ab[0] * prior + ab[1])
    out[prior <= 0] = 0.0  # an answer that matches nothing (or says nothing) still scores nothing
    if keep is not None and keep.any():
        out[:, keep] = prior[:, keep]
    return out


class Themer:
    """Assign codebook themes to texts; learn from human-coded examples when given them.

    Zero-shot, it scores texts by similarity to each theme's name, description and examples, in embedding
    space (the shared semantic layer) blended with lemma and character n-gram similarity. With people's
    codes, a theme that has at least ``MIN_POSITIVES`` coded answers for and ``MIN_NEGATIVES`` against it
    gets its own ridge classifier (TF-IDF, sentence vector and the prior; all themes in one closed-form
    solve), and its score blends that classifier with the prior with a weight that grows with the evidence.
    From ``MIN_AGREEMENT_N`` reviewed answers the prior may be calibrated on them (one logistic map for all
    themes; it never saw their codes), so a theme whose name matches many answers but that people rarely
    code no longer outranks the themes they do code; it is, when that agrees better with the reviewed answers
    out of sample (sample-F1 plus macro-F1), and a theme with fewer than 3 codes on whose answers the prior
    never fired 3 times keeps its prior as it is (the sample says nothing about it).
    Thresholds (and whether every text gets at least one theme) are tuned on leave-one-out predictions once
    there are ``MIN_AGREEMENT_N`` reviewed answers, and the same predictions give the out-of-sample agreement
    in ``agreement``. The same data and codes, in any order, always give the same themes.
    """

    def __init__(self, codebook: Codebook, *, seed: int = 0) -> None:
        self.codebook = codebook
        self.seed = seed
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

    def fit(self, texts: list[str], labels: list[list[str]]) -> Themer:
        """Learn from human-coded texts.

        One kernel ridge regression for all themes at once (a closed-form solve), with leave-one-out
        predictions from the same solve: each reviewed answer is scored by a model that never saw its codes.
        Those predictions calibrate the classifiers, tune each theme's threshold (from ``MIN_AGREEMENT_N``
        reviewed answers) and give ``agreement``. The TF-IDF vocabulary is fitted on all the reviewed texts
        (their words, never their codes).

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
        n = len(texts)
        positives = y.sum(0)
        learned = np.flatnonzero((positives >= MIN_POSITIVES) & (n - positives >= MIN_NEGATIVES))
        prior_ab = _prior_calibration(prior, y)
        # Themes too rare among the reviewed answers to judge (fewer than 3 codes) keep the prior as it is,
        # unless it already fired on 3 or more of them: the sample is no evidence against what it never saw.
        keep = (positives < 3) & ((prior >= 0.5).sum(0) < 3)
        model = None
        learned_p = np.zeros((n, 0))
        blend = np.zeros(0)
        if len(learned):
            features = _Features()
            x = features.fit_transform(inp.texts, inp.lemmas, inp.vectors, prior)
            k = _gram(x) + 1.0  # the constant is the intercept
            k[np.diag_indices(n)] += RIDGE_LAMBDA
            factor = cho_factor(k, lower=True, check_finite=False)
            targets = y[:, learned].astype(np.float64)
            alpha = cho_solve(factor, targets, check_finite=False)
            inv, info = lapack.dpotri(factor[0], lower=1)
            if info != 0:
                raise np.linalg.LinAlgError("ridge solve failed")
            # Leave-one-out ridge scores in closed form: (f - h y) / (1 - h), h the hat matrix's diagonal.
            hat = 1.0 - RIDGE_LAMBDA * np.diag(inv)[:, None]
            del inv
            k[np.diag_indices(n)] -= RIDGE_LAMBDA
            fitted = k @ alpha
            del k, factor
            loo = (fitted - hat * targets) / np.maximum(1.0 - hat, 1e-9)
            a, b = _platt(loo, y[:, learned])
            useful = a > 0  # a classifier whose held-out scores run against the codes is not used
            learned, alpha, a, b, loo = learned[useful], alpha[:, useful], a[useful], b[useful], loo[:, useful]
            blend = positives[learned] / (positives[learned] + PRIOR_STRENGTH)
            learned_p = _sigmoid(a * loo + b)
            coef = np.asarray(x.T @ alpha, dtype=np.float32)
            model = _Model(features, coef, alpha.sum(0), a, b, learned, blend, prior_ab)
        thresholds = np.full(len(ids), 0.5)
        at_least_one = False
        agreement = Agreement(n, f"too early to judge: {n} reviewed answers (at least {MIN_AGREEMENT_N} needed)")
        if n >= MIN_AGREEMENT_N:
            # The codebook prior as it is, or calibrated on these answers: whichever agrees better out of sample
            # (sample-F1 plus macro-F1, so neither the common themes nor the rare ones pay for the other).
            best = None
            for ab in [None] + ([prior_ab] if prior_ab is not None else []):
                oof = _calibrated(prior, ab, keep)
                oof[:, learned] = blend * learned_p + (1.0 - blend) * oof[:, learned]
                th = np.full(len(ids), 0.5)
                for j in range(len(ids)):
                    if y[:, j].sum() >= 3:
                        th[j] = self._best_threshold(oof[:, j], y[:, j])
                scaled = _rescale(oof, th)
                f_one, f_any = _sample_f1(y, _decode(scaled, True)), _sample_f1(y, _decode(scaled, False))
                both = max(f_one, f_any) + _macro_f1(y, _decode(scaled, f_one > f_any))
                if best is None or both > best[0] + 1e-9:
                    best = (both, ab, th, f_one > f_any, scaled)
            _, prior_ab, thresholds, at_least_one, scaled = best
            if model is not None:
                model.prior_ab = prior_ab
            agreement = self._agreement(y, _decode(scaled, at_least_one), n)
        self._model = model if model is not None else _Model(_Features(), np.zeros((0, 0), np.float32),
                                                             np.zeros(0), np.zeros(0), np.zeros(0),
                                                             np.zeros(0, dtype=int), np.zeros(0), prior_ab)
        self._model.keep = keep
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
            langs = languages[sl] if languages is not None else [language_code(t) for t in chunk]
            pred = _decode(s, self._at_least_one and self.trained)
            blank = np.array([not t.strip() for t in chunk])
            pred[blank] = False
            top = s.max(axis=1) if s.shape[1] else np.zeros(len(chunk))
            for text, lang, row, flags, best in zip(chunk, langs, rounded_rows(s), pred.tolist(),
                                                    top.tolist(), strict=True):
                themes = [i for i, f in zip(ids, flags, strict=True) if f]
                need, reason = _needs_human(text, lang, themes, best)
                out.append(
                    ThemeAssignment(
                        themes=themes,
                        scores=dict(zip(ids, row, strict=True)),
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

    def suggest_next(self, texts: list[str], k: int = 10, *, scores: np.ndarray | None = None,
                     lemmas: list[str] | None = None) -> list[int]:
        """Return indices of texts a person should code next to teach the themer fastest.

        Picks the texts whose theme decisions are least certain, skipping near-duplicates of texts
        already picked so a batch of suggestions covers different ground. ``scores`` (``self.scores`` of the
        texts) and ``lemmas`` may be passed when already computed.
        """
        if not texts or k <= 0:
            return []
        s = self.scores(texts) if scores is None else scores
        uncertainty = (1.0 - np.abs(2.0 * s - 1.0)).max(axis=1) if s.shape[1] else np.zeros(len(texts))
        order = sorted(range(len(texts)), key=lambda i: (-round(float(uncertainty[i]), 6), i))
        # Near-duplicates only matter among the most uncertain: look at enough of them to fill k.
        head = order[: max(50 * k, 500)]
        vec = word_vectorizer(min_df=1)
        try:
            lem = lemma_strings([texts[i] for i in head]) if lemmas is None else [lemmas[i] for i in head]
            x = vec.fit_transform(lem)
        except ValueError:  # no words at all
            return order[:k]
        chosen: list[int] = []
        rows: list[int] = []
        for r, i in enumerate(head):
            if len(chosen) >= k:
                break
            if rows and x[r].nnz and float((x[rows] @ x[r].T).max()) > 0.8:
                continue
            chosen.append(i)
            rows.append(r)
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
