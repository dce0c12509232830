"""Quality of Guth's Themer against a TF-IDF + logistic regression baseline on human-coded data.

Usage: python bench/analysis_quality.py [PATH_TO_text_data.csv] [--codes label,subcategory]
       [--shares 0,15,60,240,0.1,0.3,0.5] [--tracing-only]

Prints figures; asserts nothing. The data (NHS FFT phase 1) is read in place, for measurement only, and is
never shipped; the codebook here is built from the data's own category names, not the default codebook.
A share >= 1 is a number of labelled answers, below 1 a fraction. First it prints tracing ROC-AUC on the
frozen test half of ``analysis/data/tracing`` beside a TF-IDF cosine baseline, then on two-sentence texts made
from the same split (each text followed by the one half the split further on; it supports both texts' goals).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import Codebook, Priority, Theme, Themer, evaluate  # noqa: E402
from analysis.trace import LINK_THRESHOLD, score_matrix  # noqa: E402

warnings.filterwarnings("ignore")
DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "nhs-fft-phase1" / "text_data.csv"


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "x"


def baseline(train_x, train_y, test_x, ids, top1=False):
    mlb = MultiLabelBinarizer(classes=ids)
    y = mlb.fit_transform(train_y)
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    x = vec.fit_transform(train_x)
    keep = y.sum(0) > 0
    clf = OneVsRestClassifier(LogisticRegression(max_iter=1000)).fit(x, y[:, keep])
    xt = vec.transform(test_x)
    p = clf.predict(xt)
    if top1:  # stronger variant: always give the most likely theme when none passes 0.5
        proba = clf.predict_proba(xt)
        empty = p.sum(1) == 0
        p[np.flatnonzero(empty), proba[empty].argmax(1)] = 1
    full = np.zeros((len(test_x), len(ids)), dtype=int)
    full[:, np.flatnonzero(keep)] = p
    return [[ids[k] for k in np.flatnonzero(row)] for row in full]


TRACING = Path(__file__).resolve().parents[1] / "analysis" / "data" / "tracing"


def tracing_benchmark() -> None:
    """ROC-AUC over text x goal pairs, dev and frozen test halves, beside TF-IDF cosine (both zero-shot)."""
    import json

    from sklearn.metrics import roc_auc_score

    goals = list(csv.DictReader((TRACING / "goals.csv").open(encoding="utf-8")))
    texts = list(csv.DictReader((TRACING / "texts.csv").open(encoding="utf-8")))
    test = set(json.loads((TRACING / "split.json").read_text())["test"])
    prios = [Priority(g["id"], g["title"], g["description"]) for g in goals]
    print(f"tracing benchmark: {len(texts)} texts x {len(goals)} goals ({TRACING.relative_to(TRACING.parents[2])})")
    for part in ("dev", "test"):
        rows = [t for t in texts if (t["id"] in test) == (part == "test")]
        x = [t["text"] for t in rows]
        y = np.array([[g["id"] in t["supports"].split(";") for g in goals] for t in rows], dtype=int)
        vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(x + [p.document() for p in prios])
        base = (vec.transform(x) @ vec.transform([p.document() for p in prios]).T).toarray()
        guth = score_matrix(x, prios)
        pred = guth >= LINK_THRESHOLD
        tp = float((pred & (y == 1)).sum())
        f1 = 2 * tp / max(pred.sum() + y.sum(), 1)
        print(f"  {part:<4} pairs {y.size}  positives {int(y.sum())}  ROC-AUC guth {roc_auc_score(y.ravel(), guth.ravel()):.3f}"
              f"  tfidf-cosine {roc_auc_score(y.ravel(), base.ravel()):.3f}  guth pair-F1 at {LINK_THRESHOLD} {f1:.3f}")
        # Longer answers: each text followed by the one half the split further on, supporting both texts' goals.
        half = len(x) // 2
        x2 = [f"{a.rstrip('.')}. {x[(i + half) % len(x)]}" for i, a in enumerate(x)]
        y2 = np.maximum(y, np.roll(y, -half, axis=0))
        vec2 = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(x2 + [p.document() for p in prios])
        base2 = (vec2.transform(x2) @ vec2.transform([p.document() for p in prios]).T).toarray()
        whole = score_matrix(x2, prios, by_sentence=False)
        print(f"  {part:<4} two-sentence texts: ROC-AUC guth {roc_auc_score(y2.ravel(), score_matrix(x2, prios).ravel()):.3f}"
              f"  (whole text only {roc_auc_score(y2.ravel(), whole.ravel()):.3f})"
              f"  tfidf-cosine {roc_auc_score(y2.ravel(), base2.ravel()):.3f}")
    sys.stdout.flush()


def fmt(ev):
    return (f"micro {ev.micro_f1:.3f}  macro {ev.macro_f1:.3f}  sample {ev.sample_f1:.3f} "
            f"[{ev.sample_f1_ci[0]:.3f}, {ev.sample_f1_ci[1]:.3f}]  kappa {ev.kappa:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--codes", default="label,subcategory")
    ap.add_argument("--shares", default="0,15,60,240,0.1,0.3,0.5")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--tracing-only", action="store_true")
    args = ap.parse_args()
    tracing_benchmark()
    if args.tracing_only:
        return
    with open(args.path, encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if (r.get("feedback") or "").strip()]
    texts = [r["feedback"] for r in rows]
    print(f"{len(texts)} coded comments from {args.path}")
    for column in args.codes.split(","):
        names = sorted({r[column] for r in rows if r[column]})
        ids = [slug(n) for n in names]
        codebook = Codebook([Theme(slug(n), n) for n in names])
        gold = [[slug(r[column])] if r[column] else [] for r in rows]
        print(f"\n== {column}: {len(ids)} themes ==")
        print(f"{'share':>5}  {'system':<9} figures")
        rng = np.random.default_rng(args.seed)
        order = rng.permutation(len(texts))
        # Every share is scored on the same held-out half, so the curve compares like with like.
        test_idx = order[len(texts) // 2 :]
        pool = order[: len(texts) // 2]
        ex, ey = [texts[i] for i in test_idx], [gold[i] for i in test_idx]
        print(f"test: the same {len(ex)} held-out comments for every share")
        for share in [float(s) for s in args.shares.split(",")]:
            n_train = int(share) if share >= 1 else int(round(share * len(texts)))
            n_train = min(n_train, len(pool))
            tr = pool[:n_train]
            tx, ty = [texts[i] for i in tr], [gold[i] for i in tr]
            label = f"{n_train}" if share >= 1 or share == 0 else f"{share:.0%}"
            t0 = time.perf_counter()
            th = Themer(codebook, seed=args.seed)
            if tx:
                th.fit(tx, ty)
            guth = th.predict(ex)
            tg = time.perf_counter() - t0
            eg = evaluate(ey, [a.themes for a in guth], ids, seed=args.seed)
            needs = sum(a.needs_human for a in guth)
            if len({t for row in ty for t in row}) >= 2:
                t0 = time.perf_counter()
                base = baseline(tx, ty, ex, ids)
                tb = time.perf_counter() - t0
                eb = evaluate(ey, base, ids, seed=args.seed)
                eb1 = evaluate(ey, baseline(tx, ty, ex, ids, top1=True), ids, seed=args.seed)
                print(f"{label:>5}  {'baseline':<9} {fmt(eb)}  ({tb:.1f}s)")
                print(f"{'':>5}  {'base+top1':<9} {fmt(eb1)}")
            else:
                print(f"{label:>5}  {'baseline':<9} (needs labels of two themes)")
            print(f"{'':>5}  {'guth':<9} {fmt(eg)}  ({tg:.1f}s; needs_human {needs})")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
