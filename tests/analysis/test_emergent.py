"""Emergent themes a planner can judge: readable whole-word labels, stable across runs, with their answers."""

import re

from analysis import ThemeAssignment, propose_emergent

UNCOVERED = (
    ["I can't walk to the swimming pool, it's too far", "the swimming pool closed and we can't go swimming",
     "reopen the swimming pool please", "we aren't able to go swimming since the pool shut",
     "the old swimming pool should open again", "swimming pool is shut"]
    + ["library wifi never works", "the wifi in the library is terrible", "fix the library wifi",
       "library computers and wifi are slow", "the library wifi drops out all the time", "wifi at the library"]
)


def _run(texts):
    return propose_emergent(texts, [ThemeAssignment([]) for _ in texts], min_size=4, max_themes=4)


def test_labels_are_whole_words_never_fragments():
    out = _run(UNCOVERED)
    assert len(out) == 2
    joined = " ".join(e.label.lower() for e in out)
    assert "pool" in joined and "wifi" in joined
    for e in out:
        for phrase in e.key_phrases:
            for w in phrase.split():
                assert len(w) >= 3 and w not in {"ca", "able", "n't"}, phrase
                assert any(re.search(rf"\b{w}", UNCOVERED[i].lower()) for i in e.members), w


def test_same_answers_in_any_order_give_the_same_proposals():
    a = _run(UNCOVERED)
    rev = UNCOVERED[::-1]
    b = _run(rev)
    n = len(UNCOVERED)
    assert [e.label for e in a] == [e.label for e in b]
    assert [e.members for e in a] == [sorted(n - 1 - i for i in e.members) for e in b]


def test_every_proposal_carries_all_its_member_answers():
    texts = UNCOVERED + UNCOVERED[:3] + ["covered answer", "no comment"]
    assign = [ThemeAssignment([]) for _ in UNCOVERED + UNCOVERED[:3]] + [ThemeAssignment(["x"]), ThemeAssignment([])]
    out = propose_emergent(texts, assign, min_size=4, max_themes=4)
    members = sorted(i for e in out for i in e.members)
    assert members == list(range(len(UNCOVERED) + 3))  # duplicates included; covered and "no comment" left out
    assert all(set(e.representatives) <= set(e.members) and e.members for e in out)
