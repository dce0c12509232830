"""The safeguarding development corpus, its frozen split, the shipped model, and the bars on the test split."""

import hashlib
import json
from collections import Counter

import pytest

from analysis.categories import CATEGORIES
from analysis.screen_model import DATA, Screeners, corpus_digest, in_test_split, load_corpus, split_corpus

KEYS = {"id", "text", "label", "categories", "lang", "person", "directness", "register", "setting", "kind", "source"}


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_corpus_is_big_and_balanced_enough(corpus):
    pos = [r for r in corpus if r.label == 1]
    neg = [r for r in corpus if r.label == 0]
    assert len(pos) >= 600 and len(neg) >= len(pos)
    per_cat = Counter(c for r in pos if r.lang == "en" for c in r.categories)
    assert all(per_cat[c] >= 30 for c in CATEGORIES), per_cat
    for lang in ("gd", "ar", "pl", "uk"):
        assert sum(1 for r in pos if r.lang == lang) >= 40, lang
        assert sum(1 for r in neg if r.lang == lang) >= 40, lang


def test_every_row_is_well_formed(corpus):
    ids = Counter(r.id for r in corpus)
    assert not [i for i, n in ids.items() if n > 1]
    texts = Counter(" ".join(r.text.lower().split()) for r in corpus)
    assert not [t for t, n in texts.items() if n > 1]
    for r in corpus:
        assert KEYS <= set(r.meta), r.id
        assert r.label in (0, 1)
        assert (r.label == 1) == bool(r.categories), r.id
        assert 1 <= len(r.text.split()) <= 80, r.id


def test_the_test_split_is_frozen(corpus):
    frozen = json.loads((DATA / "split.json").read_text(encoding="utf-8"))
    test = sorted(r.id for r in corpus if in_test_split(r.id))
    assert test == frozen["test"]
    chosen = set(test)
    digest = hashlib.sha256("\n".join(r.text for r in corpus if r.id in chosen).encode()).hexdigest()
    assert digest == frozen["test_sha256"]


def test_the_shipped_model_was_trained_on_the_train_split_only():
    train, test = split_corpus()
    models = Screeners.load()
    assert models.en.corpus_sha256 == corpus_digest([r for r in train if r.lang == "en"])
    assert models.ml.corpus_sha256 == corpus_digest(train)
    assert models.ml.corpus_sha256 != corpus_digest(train + test)


def test_the_english_model_learned_only_the_training_half_of_the_nhs_comments():
    from analysis._build import nhs_fft
    from analysis.screen_model import texts_digest

    models = Screeners.load()
    assert models.en.extra_sha256, "the English model learns real everyday comments as negatives"
    if not nhs_fft.available():
        pytest.skip("the NHS FFT comments are not beside this checkout (../shared/data/nhs-fft-phase1)")
    negatives = nhs_fft.training_negatives()
    assert models.en.extra_sha256 == texts_digest(negatives)
    rows = nhs_fft.rows()
    in_train = sum(nhs_fft.in_training_half(idx) for idx, _ in rows)
    assert 0.45 < in_train / len(rows) < 0.55, "about half trains, the rest is held out"
    assert len(negatives) <= in_train
