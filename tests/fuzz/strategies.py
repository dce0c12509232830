"""Hostile input: control characters, odd Unicode, huge strings, wrong types, and near-misses of valid values."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy


def _same(value):  # type: ignore[no-untyped-def]
    return value


def weighted(*choices: tuple[int, SearchStrategy]) -> SearchStrategy:
    """Return ``one_of`` the strategies, each drawn ``weight`` times as often (``one_of`` itself drops a
    strategy given twice, so each extra share is a distinct copy)."""
    return st.one_of(*[s if i == 0 else s.map(_same) for weight, s in choices for i in range(weight)])


NASTY = [
    "", " ", "\x00", "\x1b[31m", "\u202e", "\ufeff", "<script>alert(1)</script>", "' OR 1=1 --", "${{7*7}}",
    "{{ config }}", "../../etc/passwd", "\r\n\r\n", "Ⅻ", "ﬁ", "e\u0301", "😀" * 3, "\U0010ffff", "\ufffe", "\ufdd0",
    "1e309", "-1", "0", "999999999999999999999", "NaN", "null", "true", "[]", "{}", "=HYPERLINK(1)",
    "\u0000\u0085\u2028\u2029",
]
# Long ones built when drawn, so Hypothesis's statistics do not print them whole in every strategy's name.
nasty = st.one_of(st.sampled_from(NASTY), st.sampled_from([("a", 5000), ("ﷺ", 200)]).map(lambda t: t[0] * t[1]))

texts = st.one_of(
    nasty,
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.text(min_size=1000, max_size=6000),
)

# What goes wrong with a right answer on its way in: spaces, case, invisible and control characters,
# a separator, a decomposed accent.
_EDGES = ["", " ", "\t", "\u00a0", "\u200b", "\ufeff", "\x00", "\r", "\n", ";", ",", "\u0301", "\u202e"]


# The same hostility in sizes that fit a table cell (a table of 6000-character cells overruns the data
# Hypothesis may draw for one example, so the example is thrown away rather than tried).
short_texts = st.one_of(st.sampled_from(NASTY), st.text(max_size=40), st.text(alphabet=st.characters(codec="utf-8"),
                                                                             max_size=60))
# Text a person would type: no control characters, any script.
plain = st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=60)
# Plain text of every length around the columns' limits (one draw, however long).
sized = st.builds(lambda n, ch: ch * n, st.integers(1, 400), st.sampled_from(["x", "é", "ﷺ", "😀", "e\u0301"]))


def near(valid: list[str], hostile: SearchStrategy = texts) -> SearchStrategy:
    """Return a strategy of the ``valid`` values, near misses of them, and hostile text."""
    exact = st.sampled_from(valid)
    missed = st.tuples(exact, st.sampled_from(_EDGES), st.sampled_from(_EDGES), st.booleans()).map(
        lambda t: (t[1] + t[0] + t[2]).upper() if t[3] else t[1] + t[0] + t[2])
    return weighted((2, exact), (1, missed), (1, hostile))
