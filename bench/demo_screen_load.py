"""The safeguarding screen's false-alarm load on the demo's ordinary answers.

Usage:
  python bench/demo_screen_load.py          # every distinct ordinary free-text answer the demo can draw
  python bench/demo_screen_load.py --show   # also the texts flagged or sent to a person

Reads consult/demo/material.yaml (the fictional Glenbrae material) in place: every free-text answer under
`answers` (English, by question and audience, with the agree/partly/disagree "why" answers) and under
`translations` (gd, ar, pl, uk), but not the `safeguarding` items (disclosures the screen must flag) nor
the `pii` items. Every one of these is an ordinary answer: each flag or "to a person" is a false alarm a
safeguarding lead would have to read. Prints the share flagged and sent to a person, by language.
`flask demo` prints the same load per response ("Safeguarding flags: N responses") after loading.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.screen import screen_many  # noqa: E402

MATERIAL = ROOT / "consult" / "demo" / "material.yaml"


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()
    material = yaml.safe_load(MATERIAL.read_text(encoding="utf-8"))
    texts: dict[str, list[str]] = {"en": sorted(set(_strings(material.get("answers", {}))))}
    for lang, node in (material.get("translations") or {}).items():
        texts[lang] = sorted(set(_strings(node)))
    total = defaultdict(int)
    for lang, items in texts.items():
        res = screen_many(items)
        flagged = [(t, r) for t, r in zip(items, res, strict=True) if r.flag]
        routed = [(t, r) for t, r in zip(items, res, strict=True) if r.needs_human]
        total["n"] += len(items)
        total["flag"] += len(flagged)
        total["person"] += len(routed)
        print(f"{lang}: {len(items)} distinct ordinary answers, flagged {len(flagged)} "
              f"({len(flagged) / max(1, len(items)):.3f}), sent to a person {len(routed)} "
              f"({len(routed) / max(1, len(items)):.3f})")
        if args.show:
            for t, r in flagged:
                print(f"    flag {r.categories} {r.score:.2f}: {t}")
            for t, r in routed:
                print(f"    person ({r.reason}, {r.language}) {r.score:.2f}: {t}")
    n = max(1, total["n"])
    print(f"all: {total['n']} distinct ordinary answers, flagged {total['flag']} ({total['flag'] / n:.3f}), "
          f"sent to a person {total['person']} ({total['person'] / n:.3f})")


if __name__ == "__main__":
    main()
