"""Safeguarding screen quality on the fictional demo material: recall on disclosures, false alarms on the rest.

Usage: python bench/screen_quality.py [PATH_TO_material.yaml] [--show]

Reads consult/demo/material.yaml as data (a YAML file, not an import of the app):
- `safeguarding`: disclosures that must be flagged, each with the category it should carry;
- `answers`: ordinary answers from children, parents and organisations (every unique text);
- `pii`: answers with personal data (ordinary in content).

Prints recall (any flag, and flag with the expected category), the false-alarm rate on ordinary
answers and on the pii answers, and with --show the texts behind every miss and false alarm.
Asserts nothing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import screen  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[1] / "consult" / "demo" / "material.yaml"

# The material's category names -> the screen's CATEGORIES.
CATEGORY_MAP = {
    "online_exploitation": "exploitation",
    "bullying_with_risk": "bullying_risk",
    "running_away": "missing",
}


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    show = "--show" in sys.argv
    path = Path(args[0]) if args else DEFAULT
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    disclosures = [(d["text"], CATEGORY_MAP.get(d["category"], d["category"])) for d in data["safeguarding"]]
    ordinary = list(dict.fromkeys(_strings(data["answers"])))
    pii = list(dict.fromkeys(p["text"] for p in data.get("pii", [])))

    t0 = time.perf_counter()
    hit = cat_hit = 0
    misses = []
    for text, cat in disclosures:
        s = screen(text)
        hit += s.flag
        cat_hit += cat in s.categories
        if cat not in s.categories:
            misses.append((text, cat, s.categories, s.triggers))
    alarms = []
    for text in ordinary:
        s = screen(text)
        if s.flag:
            alarms.append((text, s.categories, s.triggers))
    pii_alarms = [(t, s.categories, s.triggers) for t in pii if (s := screen(t)).flag]
    elapsed = time.perf_counter() - t0
    n_all = len(disclosures) + len(ordinary) + len(pii)

    print(f"disclosures: {len(disclosures)}")
    print(f"recall_any_flag: {hit / len(disclosures):.3f} ({hit}/{len(disclosures)})")
    print(f"recall_right_category: {cat_hit / len(disclosures):.3f} ({cat_hit}/{len(disclosures)})")
    print(f"ordinary_answers: {len(ordinary)}")
    print(f"false_alarm_rate: {len(alarms) / len(ordinary):.4f} ({len(alarms)}/{len(ordinary)})")
    print(f"pii_answers: {len(pii)}")
    print(f"pii_flag_rate: {len(pii_alarms) / max(len(pii), 1):.4f} ({len(pii_alarms)}/{len(pii)})")
    print(f"ms_per_text: {1000 * elapsed / n_all:.3f}")
    if show:
        for text, cat, got, trig in misses:
            print(f"MISS [{cat}] got={got} {trig}: {text}")
        for text, got, trig in alarms:
            print(f"FALSE ALARM {got} {trig}: {text}")
        for text, got, trig in pii_alarms:
            print(f"PII FLAG {got} {trig}: {text}")


if __name__ == "__main__":
    main()
