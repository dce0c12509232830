"""Propose emergent themes: readable clusters of answers the codebook does not cover.

Clusters are found in embedding space (the shared semantic layer), over the uncovered answers sorted by
text, with fixed seeds, so the same answers always give the same proposals whatever order they come in.
Each proposal is labelled with key phrases built from whole words (lemmas of words that appear whole in its
answers: never a fragment such as "ca" from "can't") and carries every member answer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score

from . import semantic
from ._lexicon import STOPWORDS
from .pipeline import doc_lemma_string, tokenize
from .themer import _NON_ANSWER, ThemeAssignment

# Pieces the tokenizer splits off contractions ("can't" -> "ca" + "n't"), never shown as a phrase.
_FRAGMENTS = frozenset("ca wo sha n't nt 's 're 've 'll 'd 'm gon na wan ta".split())
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_EXTRA_STOP = frozenset("think want need like would could really please thing things lot people also get".split())


@dataclass(frozen=True)
class EmergentTheme:
    """A proposed new theme: a label from key phrases, member text indices and representative ones."""

    label: str
    key_phrases: list[str]
    members: list[int]
    representatives: list[int]


def _readable(lemma: str, words: set[str]) -> bool:
    return (
        len(lemma) >= 3
        and lemma.isalpha()
        and lemma not in _FRAGMENTS
        and lemma not in STOPWORDS
        and lemma not in _EXTRA_STOP
        and lemma in words
    )


def _phrases(docs: list[str], texts: list[str], labels: np.ndarray, clusters: list[int]) -> dict[int, list[str]]:
    """Key phrases per cluster: distinctive lemma uni- and bigrams whose every word is a whole word."""
    words: set[str] = set()
    for t in texts:
        words.update(w.lower() for w in _WORD.findall(t))
    # A lemma is readable if it or its own surface form appears whole somewhere ("walk" from "walking").
    lem_words = set()
    for d, t in zip(docs, texts, strict=True):
        surface = {w.lower() for w in _WORD.findall(t)}
        lem_words.update(x for x in d.split() if x in surface or any(s.startswith(x) for s in surface))
    ok = {w for w in lem_words if _readable(w, lem_words)}

    def analyzer(doc: str) -> list[str]:
        toks = doc.split()
        out = [w for w in toks if w in ok]
        out += [f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False) if a in ok and b in ok and a != b]
        return out

    vec = TfidfVectorizer(analyzer=analyzer, min_df=2 if len(docs) >= 20 else 1, sublinear_tf=True, dtype=np.float32)
    try:
        x = vec.fit_transform(docs)
    except ValueError:
        return {c: [] for c in clusters}
    terms = np.array(vec.get_feature_names_out())
    overall = np.asarray(x.mean(axis=0)).ravel()
    df = np.asarray((x > 0).sum(axis=0)).ravel()
    out: dict[int, list[str]] = {}
    for c in clusters:
        idx = np.flatnonzero(labels == c)
        centroid = np.asarray(x[idx].mean(axis=0)).ravel()
        share = np.asarray((x[idx] > 0).sum(axis=0)).ravel() / max(len(idx), 1)
        weight = (centroid - 0.5 * overall) * (share >= min(0.2, 2 / max(len(idx), 1)))
        order = sorted(np.flatnonzero(weight > 0), key=lambda j: (-round(float(weight[j]), 9), terms[j]))
        phrases: list[str] = []
        for j in order:
            t = str(terms[j])
            if df[j] < 1 or any(t in p.split() or t == p or set(t.split()) <= set(p.split()) for p in phrases):
                continue
            # A bigram absorbs its words already chosen as unigrams.
            phrases = [p for p in phrases if not (" " in t and p in t.split())]
            phrases.append(t)
            if len(phrases) == 5:
                break
        out[c] = phrases
    return out


def propose_emergent(
    texts: list[str],
    assignments: list[ThemeAssignment],
    *,
    min_size: int = 5,
    max_themes: int = 8,
    seed: int = 0,
    vectors: np.ndarray | None = None,
) -> list[EmergentTheme]:
    """Cluster answers the codebook does not cover and label each cluster by its key phrases.

    Args:
        texts: the answers (ideally redacted).
        assignments: the Themer's output for the same texts; texts with no theme are "uncovered".
        min_size: smallest cluster worth proposing.
        max_themes: most clusters to propose.
        seed: random seed for clustering (results are deterministic for a given seed).
        vectors: the texts' sentence vectors (``semantic.embed``), if already computed.

    Returns:
        Proposed themes, largest first; members (every answer in the cluster, including duplicates) and
        representatives (the three nearest its centre) index into ``texts``.
    """
    if len(texts) != len(assignments):
        raise ValueError("texts and assignments must be the same length")
    uncovered = [
        i for i, a in enumerate(assignments)
        if not a.themes and isinstance(texts[i], str) and texts[i].strip() and not _NON_ANSWER.match(texts[i])
    ]
    # Sorted, de-duplicated input: the same answers in any order give the same clusters.
    by_text: dict[str, list[int]] = {}
    for i in uncovered:
        by_text.setdefault(texts[i].strip(), []).append(i)
    uniq = sorted(by_text)
    if len(uncovered) < max(min_size, 2) or len(uniq) < 2:
        return []
    if vectors is not None:
        x = np.vstack([vectors[by_text[t][0]] for t in uniq])
    else:
        x = semantic.embed(uniq)
    keep = np.flatnonzero(np.any(x != 0, axis=1))
    uniq = [uniq[j] for j in keep]
    x = x[keep]
    weight = np.array([len(by_text[t]) for t in uniq], dtype=float)
    n = len(uniq)
    total = int(weight.sum())
    k_max = min(max_themes, max(1, total // max(min_size, 1)), n - 1)
    labels = np.zeros(n, dtype=int)
    if k_max >= 2:
        best = -2.0
        for k in range(2, k_max + 1):
            km = KMeans(n_clusters=k, random_state=seed, n_init=4).fit(x, sample_weight=weight)
            if len(set(km.labels_)) < 2:
                continue
            s = silhouette_score(x, km.labels_, metric="cosine", sample_size=min(n, 2000), random_state=seed)
            if s > best + 1e-9:
                best, labels = s, km.labels_.copy()
    # One tokenisation gives both the lemma strings and the words as written (as lemma_strings would).
    docs: list[str] = []
    surface = Counter()
    for doc in tokenize(uniq):
        d = doc_lemma_string(doc)
        docs.append(d)
        toks = [t.lower_ for t in doc if not (t.is_punct or t.is_space)]
        lem = d.split()
        if len(toks) == len(lem):
            for a, b in zip(lem, toks, strict=True):
                surface[(a, b)] += 1
            for (a1, a2), (b1, b2) in zip(zip(lem, lem[1:], strict=False), zip(toks, toks[1:], strict=False), strict=True):
                surface[(f"{a1} {a2}", f"{b1} {b2}")] += 1
    shown: dict[str, str] = {}
    for (lem_form, word), _count in sorted(surface.items(), key=lambda kv: (-kv[1], kv[0])):
        shown.setdefault(lem_form, word)
    clusters = sorted(set(labels.tolist()))
    phrases = _phrases(docs, uniq, labels, clusters)
    out: list[EmergentTheme] = []
    for c in clusters:
        idx = np.flatnonzero(labels == c)
        members = sorted(i for j in idx for i in by_text[uniq[j]])
        if len(members) < min_size:
            continue
        centre = x[idx].mean(axis=0)
        sims = x[idx] @ centre
        reps = [by_text[uniq[idx[j]]][0] for j in sorted(range(len(idx)), key=lambda j: (-round(float(sims[j]), 6), j))[:3]]
        ph = [shown.get(p, p) for p in phrases.get(c, [])]  # the words people wrote ("swimming pool")
        out.append(EmergentTheme(
            label=(" / ".join(ph[:3]) if ph else "other answers").capitalize(),
            key_phrases=ph,
            members=members,
            representatives=reps,
        ))
    out.sort(key=lambda e: (-len(e.members), e.label))
    return out[:max_themes]
