"""Write clean.jsonl and pii.jsonl from the hand-written clean_answers.txt and pii_answers.txt.

Usage: python tests/analysis/data/redaction/build_sets.py [--freeze]

Ids are a hash of the text, so adding or removing an answer never renames another one. With
``--freeze`` it also (re)writes test_ids.txt: the 40 % of ids whose stable hash puts them in the test
split. That was done once, before any tuning; do not run it again (the frozen file is the split).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The demo consultation's areas (consult/demo/__init__.py AREAS): what respondents are offered.
GLENBRAE_AREAS = ["Glenbrae Town", "Kilmorie", "Strathallan", "Inverbrae", "Ardlochy", "Balnagask Islands"]
KINDS = ("name", "email", "phone", "postcode", "address", "school", "handle", "dob")
SOURCES = {
    "big-ask": "paraphrase: Children's Commissioner, 'Children value outside spaces to play' (The Big Ask / Big Ambition quotes)",
    "aberdeen-csp": "paraphrase: Aberdeen City consultation with children and young people for the Children's Services Plan 2017-2020",
    "youngscot-safety": "paraphrase: Police Scotland and Young Scot report on young people's perceptions of personal safety",
    "sutton-cypp": "paraphrase: Sutton Children and Young People's Plan 2010/11 consultation, 'You said'",
    "central-beds": "paraphrase: Central Bedfordshire Children and Young People's Plan 2025-28, the 12 wishes",
    "york-cypp": "paraphrase: York, developing our new Children and Young People's Plan (messages from children and families)",
    "cp-investigates": "paraphrase: Children's Parliament Investigates (calls to action: adults who listen, a calm quiet room)",
    "written-trap": "written for this set: ordinary answers built around words that trip a redactor",
}


def _id(prefix: str, text: str) -> str:
    return f"{prefix}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:10]}"


def in_test_split(row_id: str) -> bool:
    """Return True for the 40 % of ids whose SHA-1 puts them in the test split."""
    return int(hashlib.sha1(row_id.encode("utf-8")).hexdigest()[:8], 16) % 100 >= 60


def _lines(name: str) -> list[str]:
    return [ln.rstrip("\n") for ln in (HERE / name).read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]


def clean_rows() -> list[dict]:
    rows = []
    for ln in _lines("clean_answers.txt"):
        key, text = (p.strip() for p in ln.split("|", 1))
        rows.append({"id": _id("clean", text), "text": text, "areas": GLENBRAE_AREAS, "source": SOURCES[key]})
    return rows


def pii_rows() -> list[dict]:
    rows = []
    for ln in _lines("pii_answers.txt"):
        parts = [p.strip() for p in ln.split(" ## ")]
        text, items = parts[0], parts[1]
        lists = {"places": [], "schools": []}
        for extra in parts[2:]:
            k, v = extra.split("=", 1)
            lists[k] = [x.strip() for x in v.split(";") if x.strip()]
        pii = []
        for item in items.split(" | "):
            kind, sub = item.split("=", 1)
            if kind not in KINDS or sub not in text:
                raise SystemExit(f"bad item {item!r} in {text!r}")
            pii.append({"text": sub, "kind": kind})
        rows.append({"id": _id("pii", text), "text": text, "pii": pii, "places": lists["places"], "schools": lists["schools"]})
    return rows


def main() -> None:
    clean, pii = clean_rows(), pii_rows()
    for name, rows in (("clean.jsonl", clean), ("pii.jsonl", pii)):
        ids = [r["id"] for r in rows]
        if len(set(ids)) != len(ids):
            raise SystemExit(f"duplicate answers in {name}")
        with (HERE / name).open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    if "--freeze" in sys.argv:
        test_ids = sorted(r["id"] for r in clean + pii if in_test_split(r["id"]))
        (HERE / "test_ids.txt").write_text("\n".join(test_ids) + "\n", encoding="utf-8")
    print(f"clean {len(clean)}, pii {len(pii)}")


if __name__ == "__main__":
    main()
