"""Build Guth's spaCy pipeline once per process and register its components."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.attrs import IS_PUNCT, IS_SPACE, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from . import _lexicon

BATCH_SIZE = 1000

# Words after which the next word is very likely a person's name.
_NAME_CUES = frozenset(
    """called named name's mr mrs ms miss dr sir mx mister""".split()
)
_RELATION_CUES = frozenset(
    """friend pal mate bestie brother sister bro sis cousin mum mam mom mummy dad daddy stepdad stepmum
    teacher boyfriend girlfriend partner son daughter wean husband wife gran granny papa nana auntie aunt
    uncle worker neighbour carer keyworker""".split()
)
_SENT_END = frozenset({".", "!", "?", ":", ";", '"', "(", ")", "-", "*", "•", "…"})
_NEXT_VERBS = frozenset(
    """and said says is was has had keeps kept told tells hit hits called calls who does did""".split()
)


_LOWER_CUES = _NAME_CUES | _RELATION_CUES | {"is"}
_APOS_WORD = re.compile(r"[A-Za-z]+['’-][A-Za-z]+")


def _is_title(text: str) -> bool:
    return len(text) > 1 and text[0].isupper() and not text.isupper()


@Language.factory(
    "guth_name_tagger_v1",
    assigns=["doc.spans"],
    default_config={"spans_key": "guth_names"},
)
def make_name_tagger(nlp: Language, name: str, spans_key: str) -> NameTagger:
    """Create the component that marks likely personal names in doc.spans[spans_key]."""
    return NameTagger(spans_key)


class NameTagger:
    """Mark people's names using capitalisation, a given-name list and context cues.

    There is no statistical NER in a blank pipeline, so this leans to recall: a capitalised word
    mid-sentence that is not ordinary vocabulary is treated as a name.
    """

    def __init__(self, spans_key: str = "guth_names") -> None:
        self.spans_key = spans_key
        self.common = _lexicon.common_words()
        self.first = _lexicon.first_names()
        self.known = _lexicon.known_proper()

    def _is_name(self, words: list[str], lows: list[str], i: int) -> bool:
        text = words[i]
        low = lows[i]
        # Fast exit (same answer as the full rules): a word not starting with a capital can only be a
        # name if it is a given name or follows a cue word.
        if not text[:1].isupper() and low not in self.first and (i == 0 or lows[i - 1] not in _LOWER_CUES):
            return False
        if not (text.isalpha() or _APOS_WORD.fullmatch(text)):
            return False
        if low in self.known or len(text) < 2 or (text.isupper() and len(text) > 1):
            return False
        title = _is_title(text)
        is_first = low in self.first
        is_common = low in self.common
        prev = words[i - 1] if i > 0 else None
        sent_start = prev is None or prev in _SENT_END or "\n" in prev
        if prev is not None:
            pl = lows[i - 1]
            cue = pl in _NAME_CUES or (pl in _RELATION_CUES and (title or not is_common))
            if pl == "is" and i >= 2 and lows[i - 2] == "name":
                cue = True
            if pl == "im" or (pl in {"'m", "am"} and i >= 2 and lows[i - 2] == "i"):
                cue = cue or (title and not is_common)
            if cue and low not in _lexicon.STOPWORDS and (title or is_first or not is_common):
                return True
        if title:
            if not sent_start:
                return is_first or not is_common
            if is_first and not is_common:
                return True
            if not is_common and i + 1 < len(words):
                nxt, nxt_low = words[i + 1], lows[i + 1]
                return nxt_low in _NEXT_VERBS or (_is_title(nxt) and nxt_low not in self.common)
            return False
        return is_first and not is_common

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        words = [t.text for t in doc]
        lows = [w.lower() for w in words]
        i = 0
        n = len(words)
        while i < n:
            if self._is_name(words, lows, i):
                j = i + 1
                # Surnames and double-barrelled names: following capitalised words.
                while j < n and _is_title(words[j]) and lows[j] not in self.known and words[j].isalpha():
                    j += 1
                spans.append(Span(doc, i, j, label="NAME"))
                i = j
            else:
                i += 1
        doc.spans[self.spans_key] = spans
        return doc


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """Return the process-wide pipeline: blank English, lookup lemmatizer, name tagger."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("guth_name_tagger_v1")
    nlp.initialize()
    return nlp


def pipe(texts: Iterable[str], batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """Run the cached pipeline over texts in batches."""
    return get_nlp().pipe(texts, batch_size=batch_size)


@lru_cache(maxsize=1)
def get_tokenizer_nlp() -> Language:
    """Return a pipeline with only the lemmatizer (for features, where names are irrelevant)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


class _Lemmas:
    """Lowercase lookup lemmas by token ORTH id, cached: the lookup lemmatizer's answer without its per-token cost.

    Equivalent to running the ``lemmatizer`` component (lookup mode) and taking ``token.lemma_.lower()``
    for every token that is neither punctuation nor whitespace. Works on any Doc from a blank English
    tokenizer, so one tokenisation can serve redaction, theming and tracing.
    """

    def __init__(self) -> None:
        nlp = get_tokenizer_nlp()
        self.table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        self.cache: dict[int, str] = {}
        self.pieces: dict[str, str] = {}  # a whitespace-separated piece of text -> its lemma string

    def _miss(self, orth: int, punct: int, space: int, strings) -> str:
        if punct or space:
            lemma = ""
        else:
            text = strings[orth]
            lemma = self.table.get(text, text).lower()
        if len(self.cache) < 2_000_000:
            self.cache[orth] = lemma
        return lemma

    def doc_string(self, doc: Doc) -> str:
        """Return the doc as a space-joined string of lowercase lemmas (punctuation dropped)."""
        if not len(doc):
            return ""
        cache = self.cache
        strings = doc.vocab.strings
        words = []
        for orth, punct, space in doc.to_array(_LEMMA_ATTRS).tolist():
            w = cache.get(orth)
            if w is None:
                w = self._miss(orth, punct, space, strings)
            if w:
                words.append(w)
        return " ".join(words)


_LEMMA_ATTRS = [ORTH, IS_PUNCT, IS_SPACE]


@lru_cache(maxsize=1)
def _lemmas() -> _Lemmas:
    return _Lemmas()


def doc_lemma_string(doc: Doc) -> str:
    """Return one Doc (from any blank English pipeline here) as a space-joined string of lowercase lemmas."""
    return _lemmas().doc_string(doc)


def tokenize(texts: Iterable[str], batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """Tokenise texts with the shared blank English tokenizer only (no components)."""
    return get_tokenizer_nlp().tokenizer.pipe(texts, batch_size=batch_size)


# The most whitespace-separated pieces whose lemmas are kept (then the store starts again).
_PIECE_CACHE = 200_000


def lemma_strings(texts: Iterable[str], batch_size: int = BATCH_SIZE) -> list[str]:
    """Return each text as a space-joined string of lowercase lemmas (punctuation dropped).

    The tokenizer splits a text at whitespace first and tokenises each piece on its own (prefixes, suffixes,
    infixes and exceptions never look past it), and whitespace tokens have no lemma here: so a text's lemmas
    are its pieces' lemmas in order. Each piece is tokenised once and its lemmas kept (an answer, its sentences
    and its redacted form share most pieces), the same strings as a Doc of the whole text gives.
    """
    texts = [t if isinstance(t, str) else "" for t in texts]
    lem = _lemmas()
    cache = lem.pieces
    if len(cache) > _PIECE_CACHE:
        cache.clear()
    split = [t.split() for t in texts]
    missing = list(dict.fromkeys(p for pieces in split for p in pieces if p not in cache))
    for piece, doc in zip(missing, tokenize(missing, batch_size), strict=True):
        cache[piece] = lem.doc_string(doc)
    return [" ".join([w for w in map(cache.__getitem__, pieces) if w]) for pieces in split]
