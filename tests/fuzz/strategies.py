"""Hostile input: control characters, odd Unicode, huge strings, wrong types."""

from __future__ import annotations

from hypothesis import strategies as st

NASTY = [
    "", " ", "\x00", "\x1b[31m", "\u202e", "\ufeff", "<script>alert(1)</script>", "' OR 1=1 --", "${{7*7}}",
    "{{ config }}", "../../etc/passwd", "\r\n\r\n", "Ⅻ", "ﬁ", "e\u0301", "😀" * 3, "\udcff" if False else "\U0010ffff",
    "1e309", "-1", "0", "999999999999999999999", "NaN", "null", "true", "[]", "{}", "a" * 5000,
]

texts = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.text(min_size=1000, max_size=6000),
)
