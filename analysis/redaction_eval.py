"""Measure the redactor on the evaluation sets in tests/analysis/data/redaction (pure functions).

Two figures:

* **PII recall per kind.** Each PII row lists the exact substrings that must be removed and their kind.
  The *words* of an item are its maximal runs of letters and digits (``\\w`` without ``_``), located at
  every place the item's text occurs in the answer (case-sensitive). A word *survives* when any of its
  characters lies outside every span the redactor replaced (``Redaction.spans``, offsets into the
  original text). An item counts as **removed** when no word of it survives at any of its occurrences;
  punctuation and spaces inside an item (the ``+`` of ``+44``, the ``/`` of ``2/1``) do not count.
  Recall for a kind = removed items of that kind / items of that kind; ``"all"`` pools every item.
* **Clean-answer alteration rate.** Share of clean answers (no personal data at all) whose redacted
  text differs from the original in any way.

Every row is redacted the way the app redacts an answer: with the row's ``places`` and ``schools`` (the
partnership's own lists of names to replace) and with its ``areas`` (the area names the consultation
offers respondents) as names to keep. Clean rows carry ``areas`` and no lists; PII rows carry lists.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

from .redact import Redaction, redact_many

KINDS = ("name", "email", "phone", "postcode", "address", "school", "handle", "dob")
DATA_DIR = Path(__file__).resolve().parents[1] / "tests" / "analysis" / "data" / "redaction"
_WORD = re.compile(r"[^\W_]+")


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def in_test_split(row_id: str) -> bool:
    """Return True for the ids a stable SHA-1 hash puts in the 40 % test split."""
    return int(hashlib.sha1(row_id.encode("utf-8")).hexdigest()[:8], 16) % 100 >= 60


def load_redaction_sets(split: str = "test", data_dir: Path | str | None = None) -> tuple[list[dict], list[dict]]:
    """Return (clean rows, pii rows) of one split: "test" (the frozen ids in test_ids.txt), "dev" (the rest) or "all"."""
    if split not in ("test", "dev", "all"):
        raise ValueError(f"split must be 'test', 'dev' or 'all', not {split!r}")
    base = Path(data_dir) if data_dir is not None else DATA_DIR
    clean = _read_jsonl(base / "clean.jsonl")
    pii = _read_jsonl(base / "pii.jsonl")
    if split == "all":
        return clean, pii
    test_ids = {ln.strip() for ln in (base / "test_ids.txt").read_text(encoding="utf-8").splitlines() if ln.strip()}
    want = split == "test"
    return [r for r in clean if (r["id"] in test_ids) == want], [r for r in pii if (r["id"] in test_ids) == want]


def item_removed(text: str, item: str, redaction: Redaction) -> bool:
    """Return True when no word of ``item`` survives, at any occurrence of it in ``text`` (see module docstring)."""
    covered = [False] * len(text)
    for sp in redaction.spans:
        for i in range(max(sp.start, 0), min(sp.end, len(text))):
            covered[i] = True
    starts = [m.start() for m in re.finditer(re.escape(item), text)]
    if not starts:
        raise ValueError(f"{item!r} does not occur in {text!r}")
    for s in starts:
        for w in _WORD.finditer(item):
            if not all(covered[s + i] for i in range(w.start(), w.end())):
                return False
    return True


def _redact_rows(rows: list[dict]) -> list[Redaction]:
    """Redact rows, batching those that share the same places and schools."""
    out: list[Redaction | None] = [None] * len(rows)
    groups: dict[tuple[tuple[str, ...], ...], list[int]] = {}
    for i, r in enumerate(rows):
        key = (tuple(r.get("places") or ()), tuple(r.get("schools") or ()), tuple(r.get("areas") or ()))
        groups.setdefault(key, []).append(i)
    for (places, schools, areas), idx in groups.items():
        texts = [rows[i]["text"] for i in idx]
        for i, red in zip(idx, redact_many(texts, places=places, schools=schools, keep=areas), strict=True):
            out[i] = red
    return [r for r in out if r is not None]


def pii_recall(rows: Iterable[dict]) -> tuple[dict[str, float], dict[str, int], list[dict]]:
    """Return (recall per kind plus "all", items per kind, the items that were missed)."""
    rows = list(rows)
    found = {k: 0 for k in KINDS}
    total = {k: 0 for k in KINDS}
    missed: list[dict] = []
    for row, red in zip(rows, _redact_rows(rows), strict=True):
        for item in row["pii"]:
            kind = item["kind"]
            total[kind] = total.get(kind, 0) + 1
            if item_removed(row["text"], item["text"], red):
                found[kind] = found.get(kind, 0) + 1
            else:
                missed.append({"id": row["id"], "kind": kind, "item": item["text"], "text": row["text"], "after": red.text})
    recall = {k: (found[k] / total[k] if total[k] else 1.0) for k in total}
    n_all = sum(total.values())
    recall["all"] = sum(found.values()) / n_all if n_all else 1.0
    return recall, total, missed


def clean_alterations(rows: Iterable[dict]) -> tuple[float, int, list[tuple[str, str]]]:
    """Return (share of clean answers changed at all, number of answers, every (before, after) pair changed)."""
    rows = list(rows)
    changed = [(r["text"], red.text) for r, red in zip(rows, _redact_rows(rows), strict=True) if red.text != r["text"]]
    return (len(changed) / len(rows) if rows else 0.0), len(rows), changed


def redaction_figures(split: str = "test", data_dir: Path | str | None = None) -> dict:
    """Return the redactor's figures on one split of the evaluation sets.

    Keys: ``pii_recall`` {kind: float, "all": float}, ``pii_n`` {kind: int}, ``clean_altered_rate``
    (0..1), ``clean_n``, ``altered_examples`` (the first 10 (before, after) pairs of changed clean
    answers) and ``missed_examples`` (the first 10 PII items that survived).
    """
    clean, pii = load_redaction_sets(split, data_dir)
    recall, total, missed = pii_recall(pii)
    rate, n, changed = clean_alterations(clean)
    return {
        "split": split,
        "pii_recall": recall,
        "pii_n": total,
        "clean_altered_rate": rate,
        "clean_n": n,
        "altered_examples": changed[:10],
        "missed_examples": missed[:10],
    }


if __name__ == "__main__":
    import sys

    for _split in sys.argv[1:] or ["dev", "test"]:
        f = redaction_figures(_split)
        print(f"{_split}: clean altered {f['clean_altered_rate']:.1%} of {f['clean_n']}; recall " +
              ", ".join(f"{k} {v:.1%}" for k, v in f["pii_recall"].items()) + f"; n {f['pii_n']}")
