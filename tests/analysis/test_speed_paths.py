"""The fast paths the analysis takes for throughput give exactly what the plain ways give.

Character n-gram counts (the screen model's and the themer's features) are held to sklearn's own analyzer,
and the embedder's fast tokenisation to the tokenizer's ordinary one, so a speed-up cannot move a score.
"""

from collections import Counter

import numpy as np
import pytest
from scipy import sparse

from analysis._ngrams import CharGrams, counts_by_analyzer
from analysis._vectors import char_vectorizer
from analysis.screen_model import get_model, load_corpus
from analysis.semantic import MAX_TOKENS, get_embedder


@pytest.fixture(scope="module")
def texts():
    rows = load_corpus()
    return [r.text for r in rows] + ["", " ", "a", "ab", "😀 x", "İstanbul ǅ Straße", "I  \t\n  x", "Mo  phàiste"]


def _sklearn_counts(vocabulary, low, high, docs):
    analyse = char_vectorizer(ngram_range=(low, high)).build_analyzer()
    x = counts_by_analyzer(analyse, vocabulary.get, docs, max(vocabulary.values()) + 1)
    x.sum_duplicates()
    return x


def _same(a: sparse.csr_matrix, b: sparse.csr_matrix) -> bool:
    return a.shape == b.shape and np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices) \
        and np.array_equal(a.data, b.data)


@pytest.mark.parametrize("which", ["en", "ml"])
def test_screen_models_char_counts_are_sklearns(texts, which):
    block = getattr(get_model(), which).chars
    assert block.grams is not None  # the fast counter is the one in use
    low, high = block.grams.low, block.grams.high
    docs = [t.lower() for t in texts]
    got = block.grams.counts(docs)
    assert got.has_sorted_indices and got.nnz > 10_000
    assert _same(got, _sklearn_counts(block.vocabulary, low, high, docs))


@pytest.mark.parametrize("ngrams", [(2, 5), (4, 5), (3, 5)])
def test_themer_char_counts_are_sklearns(texts, ngrams):
    vocab = char_vectorizer(ngram_range=ngrams, max_features=200_000).fit([t.lower() for t in texts[::3]]).vocabulary_
    grams = CharGrams(vocab, *ngrams)
    assert grams.usable and grams.packed
    docs = [t.lower() for t in texts]
    assert _same(grams.counts(docs), _sklearn_counts(vocab, *ngrams, docs))
    assert grams.counts([]).shape == (0, grams.size)


def test_hashed_char_counts_count_every_ngram_once():
    # Thousands of distinct characters: five of them no longer fit in 64 bits, so n-grams are hashed.
    rng = np.random.default_rng(3)
    alphabet = [chr(0x4E00 + i) for i in range(5000)]
    docs = [" ".join("".join(rng.choice(alphabet, rng.integers(1, 6))) for _ in range(rng.integers(1, 8)))
            for _ in range(3000)]
    vocab = char_vectorizer(ngram_range=(2, 5)).fit(docs).vocabulary_
    grams = CharGrams(vocab, 2, 5)
    assert grams.usable and not grams.packed
    got = grams.counts(docs)
    want = _sklearn_counts(vocab, 2, 5, docs)
    assert _same(got, want)
    row = got[0].toarray().ravel()
    assert Counter({j: c for j, c in enumerate(row) if c}) == Counter(
        {j: c for j, c in enumerate(want[0].toarray().ravel()) if c})


def test_fast_tokenisation_gives_the_same_ids(texts):
    emb = get_embedder()
    long = [" ".join(texts[i : i + 40]) for i in range(0, 1200, 40)]  # past MAX_TOKENS: truncated alike
    docs = texts + long
    slow = [e.ids for e in emb.tokenizer.encode_batch(docs, add_special_tokens=False)]
    assert emb.token_ids(docs) == slow
    assert max(map(len, slow)) == MAX_TOKENS


_AWKWARD = ["", " ", "  ", "   a  b  ", "end. ", "a\tb\nc d", "x<s>y </s>", "<unk> ok", "a <s> b", "مرحبا  بك",
            "Tha mi ag iarraidh barrachd ", "Мені страшно вдома", "😀 😀  😀", "\u00a0hi there\u2003ok", "a" * 3000,
            " leading", "trailing   ", "Mo  phàiste", "I'm  not", "..  ..", "▁ ▁▁ x"]


def test_word_by_word_tokenisation_is_the_tokenizers_own_on_awkward_text(texts):
    """Pieces cut before a space that follows a non-space, tokenised alone and joined: the same ids as the
    whole text, for runs of spaces, leading and trailing spaces, special tokens and every script."""
    emb = get_embedder()
    docs = _AWKWARD + texts[:2000] + [" ".join(["word"] * 700)]
    want = [e.ids for e in emb.tokenizer.encode_batch(docs, add_special_tokens=False)]
    assert emb.token_ids(docs) == want
    assert emb.token_ids(docs) == want  # the second time from the kept pieces
    assert len(emb.token_ids([" ".join(["word"] * 700)])[0]) == MAX_TOKENS


def test_the_kept_pieces_start_again_when_full(monkeypatch):
    import analysis.semantic as semantic

    emb = semantic.Embedder()
    monkeypatch.setattr(semantic, "_PIECE_CACHE", 50)
    docs = [f"word{i} and more{i} words" for i in range(200)]
    want = [e.ids for e in emb.tokenizer.encode_batch(docs, add_special_tokens=False)]
    got = [emb.token_ids([d])[0] for d in docs]
    assert got == want
    assert len(emb._rest) <= 50 + 3 and len(emb._first) <= 50 + 1


def _canonical(x: sparse.csr_matrix) -> sparse.csr_matrix:
    x = x.copy()
    x.sum_duplicates()
    x.sort_indices()
    return x


@pytest.mark.parametrize("make", ["themer_words", "codebook_words", "trace_words", "screen_words"])
def test_word_by_word_ngram_counts_are_sklearns(texts, make):
    """Word n-grams counted piece by piece (each space-separated piece's tokens kept) are sklearn's own, for
    every word analyzer the analysis uses: lemma strings with and without stop words, and raw text lowercased."""
    from analysis._lexicon import STOPWORDS
    from analysis._ngrams import WordGrams
    from analysis._vectors import word_vectorizer
    from analysis.pipeline import lemma_strings
    from analysis.screen_model import WORDS, _vectorizer

    awkward = _AWKWARD + ["ΟΔΟΣ ΣΟΦΟΣ σοφος", "İstanbul IŞIK", "a\tb\nc  d", "[name] said [place] was ok", "don't  can't"]
    if make == "screen_words":
        docs = texts + awkward
        vec = _vectorizer(WORDS).fit(docs[::2])
    else:
        docs = lemma_strings(texts + awkward)
        if make == "themer_words":
            vec = word_vectorizer(ngram_range=(1, 2), min_df=1)
        elif make == "codebook_words":
            vec = word_vectorizer(stop_words=sorted(w for w in STOPWORDS if w.isalpha()), ngram_range=(1, 2))
        else:
            vec = word_vectorizer(ngram_range=(1, 1), min_df=1)
        vec.fit(docs[::2])
    grams = WordGrams(vec)
    assert grams.usable
    want = _canonical(counts_by_analyzer(vec.build_analyzer(), vec.vocabulary_.get, docs, len(vec.vocabulary_)))
    got = _canonical(grams.counts(docs))
    assert got.nnz > 5_000 and _same(got, want)
    assert _same(_canonical(grams.counts(docs)), want)  # again, from the kept pieces


def test_lemmas_piece_by_piece_are_the_whole_docs(texts):
    """Lemma strings made from each whitespace-separated piece's kept lemmas are those of a Doc of the whole
    text, for every kind of whitespace, contractions, URLs, placeholders and emoji."""
    from analysis.pipeline import _lemmas, lemma_strings, tokenize

    docs = texts + _AWKWARD + ["a\u00a0b", "x\u3000y\u2028z", "U.K. e.g. don't can't won't", "http://x.org/a?b=1, ok",
                               "[NAME] said [PLACE]'s", "Jack's mum's", "...!!", "😀😀 hi😀", "St. Andrew's", ":) :-( <3"]
    want = [_lemmas().doc_string(d) for d in tokenize(docs)]
    assert lemma_strings(docs) == want
    assert lemma_strings(docs) == want  # again, from the kept pieces
