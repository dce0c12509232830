"""Character n-gram counting against a fixed vocabulary, for a whole batch of texts in a few array passes.

The same counts as sklearn's ``char_wb`` analyzer (lowercased, no accent stripping) followed by a vocabulary
lookup, which costs a Python string and a dict lookup per n-gram. Here each character becomes its index in
the vocabulary's alphabet, an n-gram becomes those indices packed into one 64-bit integer (exact, no
hashing), and the vocabulary is a sorted array of the same integers: finding every n-gram of every text is
one ``searchsorted``. Texts whose characters cannot be encoded fall back to the Python analyzer.
"""

from __future__ import annotations

import re

import numpy as np
from scipy import sparse

_WHITE_SPACES = re.compile(r"\s\s+")
_SEP = 0  # joins texts; never in a vocabulary of real n-grams


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """sklearn's ``char_wb`` n-grams (lowercased, no accent stripping), in another order, without its loop.

    sklearn pads each word with a space and takes its n-grams; here the padded words are joined by those
    spaces (two between words), so an n-gram lies within one padded word exactly when it has no two spaces.
    Only for ``low <= 3`` (sklearn also counts a padded word shorter than ``low`` whole).
    """
    if low > 3:
        raise ValueError("char_wb_ngrams needs low <= 3")
    words = _WHITE_SPACES.sub(" ", text.lower()).split()
    if not words:
        return []
    s = " " + "  ".join(words) + " "
    size = len(s)
    return [g for n in range(low, high + 1) for i in range(size - n + 1) if "  " not in (g := s[i : i + n])]


# With a large alphabet (many scripts and emoji) five characters do not fit in 64 bits; the n-gram is then
# hashed (multiply-add modulo 2**64), where two n-grams share a key about once in 10**13 lookups. The
# safeguarding screen asks for exact keys only and otherwise uses the Python analyzer.
_MULTIPLIER = 0x9E3779B97F4A7C15


class CharGrams:
    """Count ``char_wb`` n-grams of many texts against a vocabulary {n-gram: column}."""

    def __init__(self, vocabulary: dict[str, int], low: int, high: int, *, exact: bool = False) -> None:
        self.low, self.high, self.size = low, high, (max(vocabulary.values()) + 1 if vocabulary else 0)
        chars = sorted({c for g in vocabulary for c in g})
        self.alphabet = np.array([ord(c) for c in chars], dtype=np.uint32)
        bits = max(1, int(len(chars)).bit_length())
        self.packed = bits * high <= 63
        self.bits = bits
        # sklearn also counts a padded word shorter than ``low`` whole (" a " among 4- and 5-grams).
        self.short = list(range(3, low))
        self.usable = bool(vocabulary) and (self.packed or not exact) and _SEP not in self.alphabet \
            and all(min(low, 3) <= len(g) <= high for g in vocabulary)
        if not self.usable:
            return
        code = {c: i + 1 for i, c in enumerate(chars)}
        keys = np.zeros(len(vocabulary), dtype=np.uint64)
        cols = np.zeros(len(vocabulary), dtype=np.int64)
        mask = (1 << 64) - 1
        for k, (g, j) in enumerate(vocabulary.items()):
            v = 0
            for c in g:
                v = ((v << bits) | code[c]) if self.packed else (v * _MULTIPLIER + code[c]) & mask
            keys[k] = v
            cols[k] = j
        order = np.argsort(keys, kind="stable")
        self.keys, self.cols = keys[order], cols[order]

    def counts(self, texts: list[str]) -> sparse.csr_matrix:
        """(texts, vocabulary) raw n-gram counts, in canonical form (sorted columns, no duplicates)."""
        n = len(texts)
        prepared = []
        for t in texts:
            words = t.lower().split()
            prepared.append(" " + "  ".join(words) + " " if words else "")
        big = "\x00".join(prepared) + "\x00"
        cp = np.frombuffer(big.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        length = len(cp)
        # Each position's text: the texts are joined, each followed by one separator.
        row_of = np.repeat(np.arange(n, dtype=np.int64), [len(p) + 1 for p in prepared])
        idx = np.searchsorted(self.alphabet, cp)
        np.clip(idx, 0, len(self.alphabet) - 1, out=idx)
        code = np.where(self.alphabet[idx] == cp, idx + 1, 0).astype(np.uint64)
        zeros = np.concatenate([[0], np.cumsum(code == 0)])
        pairs = np.concatenate([[0], np.cumsum((cp[:-1] == 32) & (cp[1:] == 32))])
        found = []
        shift = np.uint64(self.bits)
        mult = np.uint64(_MULTIPLIER)
        size = np.int64(max(self.size, 1))
        for m in [*self.short, *range(self.low, self.high + 1)]:
            count = length - m + 1
            if count <= 0:
                continue
            # No unknown character and no two spaces (a word boundary) within the n-gram.
            ok = (zeros[m : m + count] == zeros[:count]) & (pairs[m - 1 : m - 1 + count] == pairs[:count])
            if m < self.low:  # only a whole padded word: a space at each end
                ok &= (cp[:count] == 32) & (cp[m - 1 : m - 1 + count] == 32)
            v = code[:count].copy()
            with np.errstate(over="ignore"):
                for j in range(1, m):
                    if self.packed:
                        v <<= shift
                        v |= code[j : j + count]
                    else:
                        v *= mult
                        v += code[j : j + count]
            pos = np.flatnonzero(ok)
            v = v[pos]
            keys, cols = self._keys_of(m)
            if not len(keys):
                continue
            at = np.searchsorted(keys, v)
            np.clip(at, 0, len(keys) - 1, out=at)
            hit = keys[at] == v
            found.append(row_of[pos[hit]] * size + cols[at[hit]])
        # One sort of (row, column) keys gives the matrix in canonical form, each n-gram counted once.
        key = np.sort(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
        if len(key):
            first = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
            data = np.diff(np.append(first, len(key))).astype(np.float32)
            key = key[first]
        else:
            data = np.zeros(0, dtype=np.float32)
        rows, cols = np.divmod(key, size)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        out = sparse.csr_matrix((data, cols, indptr), shape=(n, self.size))
        out.has_canonical_format = True
        return out

    def _keys_of(self, m: int) -> tuple[np.ndarray, np.ndarray]:
        """The sorted keys (and their columns) an m-gram may have: packed, the m-grams are one run of the
        sorted keys (their first character's code is at least 1); hashed, every key."""
        if not self.packed:
            return self.keys, self.cols
        cache = self.__dict__.setdefault("_by_length", {})
        if m not in cache:
            lo = np.searchsorted(self.keys, np.uint64(1) << np.uint64(self.bits * (m - 1)))
            hi = np.searchsorted(self.keys, np.uint64(1) << np.uint64(self.bits * m)) if self.bits * m < 64 \
                else len(self.keys)
            cache[m] = (self.keys[lo:hi], self.cols[lo:hi])
        return cache[m]


def tfidf_rows(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear TF-IDF rows of norm 1 from raw counts (as sklearn's TfidfVectorizer with sublinear_tf)."""
    x = counts.tocsr().astype(np.float32)
    x.sum_duplicates()
    x.data = (1.0 + np.log(x.data)) * idf.astype(np.float32)[x.indices]
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1), dtype=np.float32).ravel())
    norms[norms == 0] = 1.0
    x.data /= np.repeat(norms, np.diff(x.indptr))
    return x


def counts_by_analyzer(analyse, get, texts: list[str], size: int) -> sparse.csr_matrix:
    """(texts, vocabulary) raw counts with a Python analyzer and a vocabulary ``get``."""
    cols: list[int] = []
    lengths = np.zeros(len(texts), dtype=np.int64)
    for i, t in enumerate(texts):
        found = [j for j in map(get, analyse(t)) if j is not None]
        lengths[i] = len(found)
        cols.extend(found)
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    return sparse.csr_matrix((np.ones(len(cols), dtype=np.float32), np.asarray(cols, dtype=np.int64), indptr),
                             shape=(len(texts), size))


_WORD_CACHE = 200_000


class WordGrams:
    """Count a ``word`` analyzer's n-grams of many texts against its vocabulary, word by word.

    sklearn's analyzer lowercases the text, finds its tokens with the token pattern, drops stop words and
    joins neighbours into n-grams. No token holds a space, and a space is no word character, so the tokens of
    a text are its space-separated pieces' tokens, in order (lowercasing a piece alone is lowercasing it in the
    text: even Greek's final sigma looks no further than a space). Each piece's tokens (stop words dropped) are
    found once and kept; the n-grams and the vocabulary look-ups are as sklearn's.
    """

    def __init__(self, vectorizer) -> None:
        pattern = re.compile(vectorizer.token_pattern)
        self.vocabulary = vectorizer.vocabulary_
        self.size = len(self.vocabulary)
        self.lower = bool(vectorizer.lowercase)
        self.low, self.high = vectorizer.ngram_range
        stop = vectorizer.get_stop_words()
        self.stop = frozenset(stop) if stop else frozenset()
        self.findall = pattern.findall
        self.usable = (vectorizer.analyzer == "word" and vectorizer.tokenizer is None and vectorizer.preprocessor is None
                       and not vectorizer.strip_accents and vectorizer.input == "content"
                       and pattern.groups <= 1 and self.low >= 1)
        self.cache: dict[str, tuple[str, ...]] = {}

    def _tokens(self, piece: str) -> tuple[str, ...]:
        found = self.findall(piece.lower() if self.lower else piece)
        if self.stop:
            found = [w for w in found if w not in self.stop]
        if len(self.cache) >= _WORD_CACHE:
            self.cache.clear()
        tokens = self.cache[piece] = tuple(found)
        return tokens

    def counts(self, texts: list[str]) -> sparse.csr_matrix:
        """(texts, vocabulary) raw counts, as ``counts_by_analyzer`` with the vectorizer's own analyzer."""
        get = self.vocabulary.get
        cache = self.cache
        low, high = self.low, self.high
        cols: list[int] = []
        lengths = np.zeros(len(texts), dtype=np.int64)
        for i, t in enumerate(texts):
            tokens: list[str] = []
            for piece in t.split(" "):
                found = cache.get(piece)
                if found is None:
                    found = self._tokens(piece)
                tokens.extend(found)
            before = len(cols)
            n = len(tokens)
            for size in range(low, min(high, n) + 1):
                if size == 1:
                    grams = tokens
                else:
                    grams = [" ".join(tokens[k : k + size]) for k in range(n - size + 1)]
                cols.extend(j for j in map(get, grams) if j is not None)
            lengths[i] = len(cols) - before
        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        return sparse.csr_matrix((np.ones(len(cols), dtype=np.float32), np.asarray(cols, dtype=np.int64), indptr),
                                 shape=(len(texts), self.size))


def fast_tfidf(vectorizer, docs: list[str]) -> sparse.csr_matrix:
    """``vectorizer.transform(docs)`` for a fitted sublinear, l2-normed TfidfVectorizer, for the whole batch at once.

    Character n-grams are counted by ``CharGrams`` (kept on the vectorizer), other analyzers' n-grams
    are looked up in one pass; idf and the norm are applied to the whole matrix.
    """
    if not (vectorizer.sublinear_tf and vectorizer.norm == "l2" and vectorizer.use_idf):
        return vectorizer.transform(docs)
    grams = getattr(vectorizer, "_guth_grams", None)
    if grams is None and vectorizer.analyzer == "char_wb" and vectorizer.lowercase \
            and not vectorizer.strip_accents and vectorizer.preprocessor is None:
        grams = CharGrams(vectorizer.vocabulary_, *vectorizer.ngram_range)
        vectorizer._guth_grams = grams
    if grams is None and vectorizer.analyzer == "word":
        grams = WordGrams(vectorizer)
        vectorizer._guth_grams = grams
    if grams is not None and grams.usable:
        counts = grams.counts(docs)
    else:
        counts = counts_by_analyzer(vectorizer.build_analyzer(), vectorizer.vocabulary_.get, docs,
                                    len(vectorizer.vocabulary_))
    return tfidf_rows(counts, vectorizer.idf_)


# Every 0..1 score rounded to four places, as one shared float each: 100,000 answers x 35 themes of scores
# would otherwise hold 3.5 million float objects.
_FOUR_PLACES = [k / 10000 for k in range(10001)]


def rounded_rows(scores: np.ndarray) -> list[list[float]]:
    """Rows of 0..1 scores rounded to four places (the same values as ``round(v, 4)``), floats shared."""
    table = _FOUR_PLACES
    steps = np.rint(np.clip(scores, 0.0, 1.0) * 10000).astype(np.int64).tolist()
    return [[table[k] for k in row] for row in steps]
