"""Load the word lists shipped in analysis/data (read once per process)."""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources


def _data_text(name: str) -> str:
    path = resources.files("analysis").joinpath("data", name)
    if name.endswith(".gz"):
        with path.open("rb") as fh:
            return gzip.decompress(fh.read()).decode("utf-8")
    return path.read_text(encoding="utf-8")


def _words(name: str) -> frozenset[str]:
    out: set[str] = set()
    for line in _data_text(name).splitlines():
        if line.startswith("#"):
            continue
        out.update(w.strip().lower() for w in line.split() if w.strip())
    return frozenset(out)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Return ordinary lowercase English words (a capitalised one is not evidence of a name)."""
    return _words("common_words.txt.gz")


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Return common given names, lowercased."""
    return _words("first_names.txt")


@lru_cache(maxsize=1)
def known_proper() -> frozenset[str]:
    """Return capitalised words that are not personal names (platforms, services, days)."""
    return _words("known_proper.txt")


@lru_cache(maxsize=1)
def default_places() -> tuple[str, ...]:
    """Return the default Scottish gazetteer of council areas and towns."""
    names: list[str] = []
    for line in _data_text("scottish_places.txt").splitlines():
        if line.startswith("#"):
            continue
        names.extend(p.strip() for p in line.split("|") if p.strip())
    return tuple(names)


STOPWORDS = frozenset(
    """a about above after again against all am an and any are aren't as at be because been before being
    below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during
    each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers
    herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more
    most mustn't my myself no nor not of off on once only or other ought our ours ourselves out over own same
    shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs them
    themselves then there there's these they they'd they'll they're they've this those through to too under
    until up very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's which
    while who who's whom why why's with won't would wouldn't you you'd you'll you're you've your yours yourself
    yourselves also just really get got would could will shall may might must etc im ive dont cant wont
    nothing never much many always really everywhere everything anything something need needs want wants like good great bad better best lot also even well make go come use thing way day time get say think know see take give one two new
    be do have 's n't 're 've 'll 'd 'm -PRON- lot lots thing things""".split()
)
