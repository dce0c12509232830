"""Propose emergent themes: readable clusters of answers the codebook does not cover."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

from ._vectors import content_words, word_vectorizer
from .pipeline import lemma_strings
from .themer import ThemeAssignment


@dataclass(frozen=True)
class EmergentTheme:
    """A proposed new theme: a label from key phrases, member text indices and representative ones."""

    label: str
    key_phrases: list[str]
    members: list[int]
    representatives: list[int]


def propose_emergent(
    texts: list[str],
    assignments: list[ThemeAssignment],
    *,
    min_size: int = 5,
    max_themes: int = 8,
    seed: int = 0,
) -> list[EmergentTheme]:
    """Cluster answers the codebook does not cover and label each cluster by its key phrases.

    Args:
        texts: the answers (ideally redacted).
        assignments: the Themer's output for the same texts; texts with no theme are "uncovered".
        min_size: smallest cluster worth proposing.
        max_themes: most clusters to propose.
        seed: random seed for clustering (results are deterministic for a given seed).

    Returns:
        Proposed themes, largest first; members and representatives index into ``texts``.
    """
    if len(texts) != len(assignments):
        raise ValueError("texts and assignments must be the same length")
    uncovered = [i for i, a in enumerate(assignments) if not a.themes and texts[i] and texts[i].strip()]
    if len(uncovered) < max(min_size, 2):
        return []
    docs = content_words(lemma_strings([texts[i] for i in uncovered]))
    keep = [j for j, d in enumerate(docs) if d.strip()]
    if len(keep) < max(min_size, 2):
        return []
    uncovered = [uncovered[j] for j in keep]
    docs = [docs[j] for j in keep]
    vec = word_vectorizer(ngram_range=(1, 2), min_df=2 if len(docs) >= 20 else 1, token_pattern=r"(?u)\b[a-z][a-z'-]+\b")
    try:
        x = vec.fit_transform(docs)
    except ValueError:
        return []
    nonempty = np.asarray(x.getnnz(axis=1)).ravel() > 0
    if nonempty.sum() < max(min_size, 2):
        return []
    rows = np.flatnonzero(nonempty)
    x = x[rows]
    uncovered = [uncovered[r] for r in rows]
    n = x.shape[0]
    k_max = min(max_themes, max(1, n // max(min_size, 1)))
    best_labels = np.zeros(n, dtype=int)
    if k_max >= 2:
        best_score = -2.0
        sample = min(n, 2000)
        for k in range(2, k_max + 1):
            km = KMeans(n_clusters=k, random_state=seed, n_init=4).fit(x)
            if len(set(km.labels_)) < 2:
                continue
            s = silhouette_score(x, km.labels_, metric="cosine", sample_size=sample, random_state=seed)
            if s > best_score + 1e-9:
                best_score, best_labels = s, km.labels_
    terms = np.array(vec.get_feature_names_out())
    overall = np.asarray(x.mean(axis=0)).ravel()
    out: list[EmergentTheme] = []
    for c in sorted(set(best_labels.tolist())):
        idx = np.flatnonzero(best_labels == c)
        if len(idx) < min_size:
            continue
        centroid = np.asarray(x[idx].mean(axis=0)).ravel()
        weight = centroid - 0.5 * overall
        top = [terms[j] for j in np.argsort(-weight, kind="stable")[:12] if weight[j] > 0]
        phrases: list[str] = []
        for t in top:  # prefer bigrams; drop unigrams already inside a chosen phrase
            if any(t in p.split() or t == p for p in phrases):
                continue
            phrases.append(t)
            if len(phrases) == 5:
                break
        sims = np.asarray(x[idx] @ centroid).ravel()
        reps = [uncovered[idx[j]] for j in np.argsort(-sims, kind="stable")[:3]]
        out.append(
            EmergentTheme(
                label=" / ".join(phrases[:3]) if phrases else "other",
                key_phrases=phrases,
                members=sorted(uncovered[j] for j in idx),
                representatives=reps,
            )
        )
    out.sort(key=lambda e: (-len(e.members), e.label))
    return out[:max_themes]
