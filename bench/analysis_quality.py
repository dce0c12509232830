"""Quality of Guth's Themer against a TF-IDF + logistic regression baseline on human-coded data.

Usage: python bench/analysis_quality.py [PATH_TO_text_data.csv] [--codes label,subcategory] [--shares 0.1,0.3,0.5]

Prints figures; asserts nothing. The data (NHS FFT phase 1) is for measurement only and is never
shipped; the codebook here is built from the data's own category names, not the default codebook.
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

from analysis import Codebook, Theme, Themer, evaluate  # noqa: E402

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


def fmt(ev):
    return (f"micro {ev.micro_f1:.3f}  macro {ev.macro_f1:.3f}  sample {ev.sample_f1:.3f} "
            f"[{ev.sample_f1_ci[0]:.3f}, {ev.sample_f1_ci[1]:.3f}]  kappa {ev.kappa:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--codes", default="label,subcategory")
    ap.add_argument("--shares", default="0.1,0.3,0.5")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
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
        for share in [float(s) for s in args.shares.split(",")]:
            n_train = int(round(share * len(texts)))
            tr, te = order[:n_train], order[n_train:]
            tx, ty = [texts[i] for i in tr], [gold[i] for i in tr]
            ex, ey = [texts[i] for i in te], [gold[i] for i in te]
            t0 = time.perf_counter()
            base = baseline(tx, ty, ex, ids)
            tb = time.perf_counter() - t0
            t0 = time.perf_counter()
            guth = Themer(codebook, seed=args.seed).fit(tx, ty).predict(ex)
            tg = time.perf_counter() - t0
            eb1 = evaluate(ey, baseline(tx, ty, ex, ids, top1=True), ids, seed=args.seed)
            eb = evaluate(ey, base, ids, seed=args.seed)
            eg = evaluate(ey, [a.themes for a in guth], ids, seed=args.seed)
            print(f"{share:>5.0%}  {'baseline':<9} {fmt(eb)}  ({tb:.1f}s)")
            print(f"{'':>5}  {'base+top1':<9} {fmt(eb1)}")
            print(f"{'':>5}  {'guth':<9} {fmt(eg)}  ({tg:.1f}s)")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
