"""The batched screen decides exactly as the one-at-a-time screen; its shortcuts change no result."""

from collections import Counter

import pytest

from analysis import screen, screen_lexicon, screen_many
from analysis.screen_model import CHARS, _vectorizer, char_wb_ngrams, load_corpus


@pytest.fixture(scope="module")
def corpus_texts():
    rows = load_corpus()
    # Every language, short and long answers (long ones are scored sentence by sentence and in windows).
    picked = rows[::7] + [r for r in rows if len(r.text.split()) > 25][:40]
    return [r.text for r in picked]


def _decision(s):
    return (s.flag, s.categories, s.needs_human, s.reason, s.language, s.triggers, s.set_aside)


def test_screen_many_decides_as_screen_does_one_by_one(corpus_texts):
    texts = [*corpus_texts, "", "   ", None, "😀😀", "123", "tata mnie bije", "nie bije mnie"]
    one = [screen(t) for t in texts]
    many = screen_many(texts)
    assert len(many) == len(texts)
    assert [_decision(s) for s in many] == [_decision(s) for s in one]
    assert sum(s.flag for s in many) > 20  # the sample has disclosures in it, not only everyday answers
    for a, b in zip(one, many, strict=True):
        assert abs(a.score - b.score) <= 2e-4
        assert [(e.category, e.start, e.end, e.source) for e in a.evidence] == \
            [(e.category, e.start, e.end, e.source) for e in b.evidence]


def test_screen_many_flags_a_disclosure_among_everyday_answers():
    texts = ["more buses please", "My dad hits me when he is drunk", "a bigger park"]
    assert [s.flag for s in screen_many(texts)] == [False, True, False]


@pytest.mark.parametrize("text", [
    "", " ", "a", "I  \t\n  x", "Don't  know!!", "İstanbul ǅ Straße", "a b c dd eee ffff", "Mo  phàiste",
    "Тато мене б'є", "أبي يضربني كل يوم",
])
def test_char_ngrams_are_sklearns(text):
    sk = _vectorizer({k: v for k, v in CHARS.items() if k not in ("min_df", "max_features")}).build_analyzer()
    assert Counter(char_wb_ngrams(text, *CHARS["ngram_range"])) == Counter(sk(text))


def test_lexicon_prefilter_loses_no_hit(corpus_texts):
    def brute(text):
        import unicodedata

        text = unicodedata.normalize("NFC", text)
        found = []
        for lang, lex in screen_lexicon.lexicons().items():
            prepared, index = screen_lexicon._prepare(text, lang)
            for category, _strong, rx in lex.patterns:
                for m in rx.finditer(prepared):
                    s = m.start() if index is None else index[m.start()]
                    found.append((lang, category, s))
        return found

    hits = 0
    for text in corpus_texts:
        got, aside = screen_lexicon.find(text)
        # every pattern match is either a hit or set aside as negated; the prefilter drops none
        assert len(got) + len(aside) == len(brute(text))
        hits += len(got)
    assert hits > 5


@pytest.mark.parametrize(("low", "high", "exact"), [(2, 4, True), (2, 5, False), (4, 5, False)])
def test_vectorised_char_counts_are_sklearns(corpus_texts, low, high, exact):
    from sklearn.feature_extraction.text import TfidfVectorizer

    from analysis._ngrams import CharGrams, counts_by_analyzer, fast_tfidf

    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(low, high), sublinear_tf=True).fit(corpus_texts[::2])
    texts = [*corpus_texts, "", " ", "a", "Don't  know!!", "İstanbul ǅ Straße 😀", "\x00 odd"]
    grams = CharGrams(vec.vocabulary_, low, high, exact=exact)
    assert grams.usable
    ours = grams.counts(texts)
    theirs = counts_by_analyzer(vec.build_analyzer(), vec.vocabulary_.get, texts, len(vec.vocabulary_))
    theirs.sum_duplicates()
    assert (ours != theirs).nnz == 0
    assert abs(fast_tfidf(vec, texts) - vec.transform(texts)).max() < 1e-5


def test_screen_many_with_the_sentence_vectors_given_decides_the_same(corpus_texts):
    from analysis import semantic

    texts = corpus_texts[:120]
    given = list(semantic.embed(texts))
    given[3] = None  # a text without one is embedded as usual
    assert screen_many(texts, vectors=given) == screen_many(texts)


def test_lexicon_shortcuts_change_nothing(corpus_texts):
    # The text as each lexicon reads it skips folds that cannot apply (ASCII has no accents, text without
    # Arabic letters no Arabic forms); the literal prefilter is found exactly when some literal is in the text.
    import unicodedata

    texts = [*corpus_texts, "", "İstanbul ǅ Straße", "Mo  phàiste", "Tata mnie bije", "أبي يضربني كل يوم",
             "ana t3ban w drbni", "the bag agus"]
    for text in texts:
        text = unicodedata.normalize("NFC", text)
        for lang, lex in screen_lexicon.lexicons().items():
            low = text.lower()
            if len(low) != len(text):
                low = "".join((ch.lower()[:1] or ch) for ch in text)
            low = low.replace("’", "'")
            if lang in ("gd", "pl"):
                low = low.translate(screen_lexicon._accent_table())
            index = None
            if lang == "ar":
                low = low.translate(screen_lexicon._AR_FOLD)
                if screen_lexicon._AR_MARKS.search(low):
                    index = [i for i, ch in enumerate(low) if not screen_lexicon._AR_MARKS.match(ch)]
                    low = "".join(low[i] for i in index)
            assert screen_lexicon._prepare(text, lang) == (low, index)
            found = lex.any_literal.search(low) is not None
            assert found == any(lit in low for lit in lex.literals), (lang, text)
