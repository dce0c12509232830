"""Build analysis/data/common_words.txt.gz from spacy-lookups-data word probabilities.

A word is "common" when its lowercase form is reasonably frequent and more frequent than its
title-case form: such words are ordinary vocabulary, so a capitalised occurrence mid-sentence is
not evidence of a name. Run once at development time; the output ships with the package.
"""

import gzip
import json
import os
import re

import spacy_lookups_data

OUT = os.path.join(os.path.dirname(__file__), "..", "data", "common_words.txt.gz")


def main() -> None:
    src = os.path.join(os.path.dirname(spacy_lookups_data.__file__), "data", "en_lexeme_prob.json.gz")
    with gzip.open(src) as fh:
        prob = json.load(fh)
    words = []
    for w, lp in prob.items():
        if not re.fullmatch(r"[a-z][a-z'-]*", w) or lp < -16.0:
            continue
        title = prob.get(w.title(), -30.0)
        if lp >= title + 0.2:
            words.append(w)
    words.sort()
    with gzip.open(OUT, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(words) + "\n")
    print(len(words), "words ->", OUT)


if __name__ == "__main__":
    main()
