"""Agreement between machine and human codes: per-theme P/R/F1, micro/macro/sample F1, kappa."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class ThemeScore:
    """Precision, recall, F1 and support (gold count) for one theme."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Evaluation:
    """Agreement figures for a set of coded texts."""

    per_theme: dict[str, ThemeScore]
    micro_f1: float
    macro_f1: float
    sample_f1: float
    sample_f1_ci: tuple[float, float]
    kappa: float
    kappa_per_theme: dict[str, float] = field(default_factory=dict)
    n: int = 0

    def lines(self) -> list[str]:
        """Return the figures as ``name: value`` lines."""
        out = [
            f"n: {self.n}",
            f"micro_f1: {self.micro_f1:.4f}",
            f"macro_f1: {self.macro_f1:.4f}",
            f"sample_f1: {self.sample_f1:.4f}",
            f"sample_f1_ci_low: {self.sample_f1_ci[0]:.4f}",
            f"sample_f1_ci_high: {self.sample_f1_ci[1]:.4f}",
            f"kappa: {self.kappa:.4f}",
        ]
        for tid, s in self.per_theme.items():
            out += [
                f"precision.{tid}: {s.precision:.4f}",
                f"recall.{tid}: {s.recall:.4f}",
                f"f1.{tid}: {s.f1:.4f}",
                f"support.{tid}: {s.support}",
                f"kappa.{tid}: {self.kappa_per_theme.get(tid, 0.0):.4f}",
            ]
        return out


def _binarise(rows: Sequence[Sequence[str]], ids: list[str]) -> np.ndarray:
    pos = {t: k for k, t in enumerate(ids)}
    y = np.zeros((len(rows), len(ids)), dtype=bool)
    for i, row in enumerate(rows):
        for t in row:
            if t in pos:
                y[i, pos[t]] = True
    return y


def _f1(tp: float, fp: float, fn: float) -> float:
    return 2 * tp / (2 * tp + fp + fn) if (2 * tp + fp + fn) else 0.0


def _kappa(a: np.ndarray, b: np.ndarray) -> float:
    """Return Cohen's kappa for two binary decision vectors."""
    n = a.size
    if n == 0:
        return 0.0
    po = float((a == b).mean())
    pa, pb = float(a.mean()), float(b.mean())
    pe = pa * pb + (1 - pa) * (1 - pb)
    if pe >= 1.0:
        return 1.0 if po == 1.0 else 0.0
    return (po - pe) / (1 - pe)


def per_sample_f1(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Return F1 per text (1.0 when both gold and prediction are empty)."""
    tp = (y & p).sum(1)
    denom = y.sum(1) + p.sum(1)
    return np.where(denom == 0, 1.0, 2 * tp / np.maximum(denom, 1))


def evaluate(
    gold: Sequence[Sequence[str]],
    pred: Sequence[Sequence[str]],
    theme_ids: list[str],
    *,
    seed: int = 0,
    n_boot: int = 1000,
) -> Evaluation:
    """Compare predicted theme sets with human codes.

    Args:
        gold: human theme ids per text.
        pred: predicted theme ids per text (same order and length as gold).
        theme_ids: the themes to score (labels outside it are ignored).
        seed: seed for the bootstrap.
        n_boot: bootstrap resamples for the 95 % interval of sample-averaged F1.

    Returns:
        Evaluation with per-theme scores, micro/macro/sample F1, the sample-F1 interval and
        Cohen's kappa over all (text, theme) yes/no decisions.
    """
    if len(gold) != len(pred):
        raise ValueError("gold and pred must be the same length")
    ids = list(theme_ids)
    y = _binarise(gold, ids)
    p = _binarise(pred, ids)
    per: dict[str, ThemeScore] = {}
    kper: dict[str, float] = {}
    f1s = []
    for k, tid in enumerate(ids):
        tp = float((y[:, k] & p[:, k]).sum())
        fp = float((~y[:, k] & p[:, k]).sum())
        fn = float((y[:, k] & ~p[:, k]).sum())
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f = _f1(tp, fp, fn)
        per[tid] = ThemeScore(round(prec, 6), round(rec, 6), round(f, 6), int(y[:, k].sum()))
        kper[tid] = round(_kappa(y[:, k], p[:, k]), 6)
        if y[:, k].any() or p[:, k].any():
            f1s.append(f)
    tp = float((y & p).sum())
    fp = float((~y & p).sum())
    fn = float((y & ~p).sum())
    sf = per_sample_f1(y, p)
    if len(sf) and n_boot > 0:
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, len(sf), size=(n_boot, len(sf)))
        boots = sf[idx].mean(axis=1)
        ci = (float(np.percentile(boots, 2.5)), float(np.percentile(boots, 97.5)))
    else:
        m = float(sf.mean()) if len(sf) else 0.0
        ci = (m, m)
    return Evaluation(
        per_theme=per,
        micro_f1=round(_f1(tp, fp, fn), 6),
        macro_f1=round(float(np.mean(f1s)) if f1s else 0.0, 6),
        sample_f1=round(float(sf.mean()) if len(sf) else 0.0, 6),
        sample_f1_ci=(round(ci[0], 6), round(ci[1], 6)),
        kappa=round(_kappa(y.ravel(), p.ravel()), 6),
        kappa_per_theme=kper,
        n=len(gold),
    )
