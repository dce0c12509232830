"""The shared semantic layer: offline static sentence embeddings, one per answer, through the spaCy Doc.

Weights: WordLlama's ``l2_supercat`` 256-dimension token embedding table (MIT code; weights distilled from the
Llama-2 / phi-3 embedding tables, see ``analysis/data/LICENSES-wordllama.md``), shipped inside the ``wordllama``
wheel. We read its safetensors file and tokenizer file straight from the installed package, checked against the
SHA-256 pinned below, and never import the package (its import calls ``logging.basicConfig``) or any code path
that could download. A sentence vector is the mean of its token vectors, L2-normalised, as WordLlama's own
``embed`` computes it; we tokenise without padding and take the mean as one sparse product (CSR token counts ×
embedding table), which is several times faster than padding each batch to its longest text.

The Doc exposes its vector through ``doc.user_hooks["vector"]`` (``doc.vector``) and ``doc._.guth_vector``;
the component ``guth_sentence_vectors_v1`` fills it for a whole batch in one product. Theming, tracing,
emergent themes and the safeguarding screen all read the same vector.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import threading
from functools import lru_cache
from itertools import chain
from pathlib import Path

import numpy as np
from scipy import sparse

DIM = 256
_WEIGHTS = "weights/l2_supercat_256.safetensors"
_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
# Pinned: a wheel whose weights or tokenizer differ is refused rather than silently changing every score.
_SHA256 = {
    _WEIGHTS: "64b47a2dc493cb8e85944076601189739852d7b64e0e1eedcb1937a251cd9fd5",
    _TOKENIZER: "93248f2a9ec36c7b35f700a033d5f36228aae48db61aee31007fa49062cdeb68",
}
# Longer texts are embedded on their first tokens only (a 20,000-character answer costs no more than this).
MAX_TOKENS = 512


# Where a text is cut into pieces that tokenise alone exactly as in the whole text: before a space that follows
# a non-space. Each piece's ids are kept (at most this many pieces; then the store starts again).
_PIECE_CUT = re.compile(r"(?<=[^ ])(?= )")
_PIECE_CACHE = 200_000
_SPECIAL = re.compile(r"<(?:unk|/?s)>")


class EmbeddingsUnavailable(RuntimeError):
    """The embedding weights are missing or are not the pinned ones."""


def _package_dir() -> Path:
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingsUnavailable("the wordllama package is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _checked(path: Path, rel: str) -> Path:
    if not path.is_file():
        raise EmbeddingsUnavailable(f"{rel} is missing from the wordllama package")
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    if h.hexdigest() != _SHA256[rel]:
        raise EmbeddingsUnavailable(f"{rel} does not match its pinned SHA-256")
    return path


class Embedder:
    """Sentence vectors from a static token table: ``embed(texts) -> (n, 256) float32``, rows L2-normalised."""

    def __init__(self, root: Path | None = None) -> None:
        from safetensors import safe_open
        from tokenizers import Tokenizer

        root = root or _package_dir()
        weights = _checked(root / _WEIGHTS, _WEIGHTS)
        tok = _checked(root / _TOKENIZER, _TOKENIZER)
        with safe_open(str(weights), framework="numpy") as fh:
            table = fh.get_tensor("embedding.weight")
        self.table = np.ascontiguousarray(table, dtype=np.float32)
        self.tokenizer = Tokenizer.from_file(str(tok))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self._lock = threading.Lock()
        # encode_batch_fast gives the same ids without computing character offsets (half the time).
        self._encode = getattr(self.tokenizer, "encode_batch_fast", None) or self.tokenizer.encode_batch
        self._space = self.tokenizer.token_to_id("▁")
        self._first: dict[str, list[int]] = {}  # a text's first piece -> its ids
        self._rest: dict[str, list[int]] = {}  # a later piece (" word", its space first) -> its ids

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids of each text (no padding, truncated to MAX_TOKENS): the tokenizer's own ids, word by word.

        The tokenizer has no pre-tokenizer: it prepends "▁", turns every space into "▁" and runs BPE over the
        whole text at once, about 25k short answers a second. No token of its vocabulary holds a "▁" after a
        character that is not one (only runs of "▁" do), so no merge crosses the point where a space follows
        a non-space: cut there, the pieces' ids joined are the whole text's. Each piece is tokenised once and
        its ids kept (answers, their sentences and the screen's pieces share most words), three to four times
        faster. A text holding a special token ("<s>"), which the tokenizer splits off first, or a "▁" of its own
        goes to the tokenizer whole.
        """
        texts = [t if isinstance(t, str) else "" for t in texts]
        whole = [i for i, t in enumerate(texts) if ("<" in t and _SPECIAL.search(t)) or "▁" in t]
        skip = set(whole)
        split = [[] if i in skip or not t else _PIECE_CUT.split(t) for i, t in enumerate(texts)]
        with self._lock:  # a Tokenizer is not documented as safe to share between threads
            first, rest = self._first, self._rest
            if len(first) > _PIECE_CACHE:
                first.clear()
            if len(rest) > _PIECE_CACHE:
                rest.clear()
            new_first = list(dict.fromkeys(pieces[0] for pieces in split if pieces and pieces[0] not in first))
            new_rest = list(dict.fromkeys(p for pieces in split for p in pieces[1:] if p not in rest))
            if new_first:
                for p, e in zip(new_first, self._encode(new_first, add_special_tokens=False), strict=True):
                    first[p] = e.ids
            if new_rest:
                # A later piece starts with its space: the "▁" the tokenizer prepends stands for that space.
                for p, e in zip(new_rest, self._encode([p[1:] for p in new_rest], add_special_tokens=False),
                                strict=True):
                    rest[p] = e.ids if p != " " else [self._space]
            out: list[list[int]] = []
            for pieces in split:
                if not pieces:
                    out.append([])
                    continue
                row = list(first[pieces[0]])
                for p in pieces[1:]:
                    row.extend(rest[p])
                out.append(row[:MAX_TOKENS])
            if whole:
                for i, e in zip(whole, self._encode([texts[i] for i in whole], add_special_tokens=False),
                                strict=True):
                    out[i] = e.ids
        return out

    def embed(self, texts: list[str]) -> np.ndarray:
        """Return one L2-normalised vector per text (a zero vector for a text with no tokens)."""
        n = len(texts)
        if n == 0:
            return np.zeros((0, DIM), dtype=np.float32)
        ids = self.token_ids([t if isinstance(t, str) else "" for t in texts])
        lengths = np.fromiter((len(x) for x in ids), dtype=np.int64, count=n)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        cols = np.fromiter(chain.from_iterable(ids), dtype=np.int64, count=int(indptr[-1]))
        np.clip(cols, 0, self.table.shape[0] - 1, out=cols)
        vals = np.ones(len(cols), dtype=np.float32)
        counts = sparse.csr_matrix((vals, cols, indptr), shape=(n, self.table.shape[0]))
        out = np.asarray(counts @ self.table, dtype=np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    """The process-wide embedder (loaded once: about 16 MB, well under a second)."""
    return Embedder()


def embed(texts: list[str]) -> np.ndarray:
    """Sentence vectors for texts, one row each (see ``Embedder.embed``)."""
    return get_embedder().embed(list(texts))


# --- spaCy -----------------------------------------------------------------------------------------------

_EXT = "guth_vector"


def _ensure_extension() -> None:
    from spacy.tokens import Doc

    if not Doc.has_extension(_EXT):
        Doc.set_extension(_EXT, default=None)


def doc_vector(doc) -> np.ndarray:
    """The Doc's sentence vector, computed on first use and kept on the Doc."""
    _ensure_extension()
    vec = doc._.get(_EXT)
    if vec is None:
        vec = get_embedder().embed([doc.text])[0]
        _attach(doc, vec)
    return vec


def _attach(doc, vec: np.ndarray) -> None:
    _ensure_extension()
    doc._.set(_EXT, vec)
    doc.user_hooks["vector"] = lambda d: d._.get(_EXT)
    doc.user_hooks["has_vector"] = lambda d: True
    doc.user_hooks["similarity"] = lambda d, other: float(np.dot(d._.get(_EXT), doc_vector(other)))


def doc_vectors(docs) -> np.ndarray:
    """Vectors for many Docs at once (one sparse product for the ones not yet embedded)."""
    docs = list(docs)
    _ensure_extension()
    todo = [i for i, d in enumerate(docs) if d._.get(_EXT) is None]
    if todo:
        vecs = get_embedder().embed([docs[i].text for i in todo])
        for i, v in zip(todo, vecs, strict=True):
            _attach(docs[i], v)
    if not docs:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.vstack([d._.get(_EXT) for d in docs])


class SentenceVectors:
    """spaCy component: gives each Doc its sentence vector (a whole batch in one product in ``pipe``)."""

    def __init__(self, nlp=None, name: str = "guth_sentence_vectors") -> None:
        self.name = name
        _ensure_extension()

    def __call__(self, doc):
        doc_vector(doc)
        return doc

    def pipe(self, stream, batch_size: int = 256):
        batch = []
        for doc in stream:
            batch.append(doc)
            if len(batch) >= batch_size:
                doc_vectors(batch)
                yield from batch
                batch = []
        if batch:
            doc_vectors(batch)
            yield from batch


def _register() -> None:
    from spacy.language import Language

    if "guth_sentence_vectors_v1" not in Language.factories:
        Language.factory("guth_sentence_vectors_v1")(lambda nlp, name: SentenceVectors(nlp, name))


_register()
