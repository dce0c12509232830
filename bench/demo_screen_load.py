"""The safeguarding screen's false-alarm load on the demo's ordinary answers.

Usage:
  python bench/demo_screen_load.py              # every distinct ordinary free-text answer the demo can draw
  python bench/demo_screen_load.py --show       # also the texts flagged or sent to a person
  python bench/demo_screen_load.py --responses  # the demo's RESPONSES: load the demo (2,000 responses, seed
                                                # 2026, as `flask demo`) into a throwaway SQLite database and
                                                # count the responses the lead would have to read

Reads consult/demo/material.yaml (the fictional Glenbrae material) in place: every free-text answer under
`answers` (English, by question and audience, with the agree/partly/disagree "why" answers) and under
`translations` (gd, ar, pl, uk), but not the `safeguarding` items (disclosures the screen must flag) nor
the `pii` items. Every one of these is an ordinary answer: each flag or "to a person" is a false alarm a
safeguarding lead would have to read. Prints the share flagged and sent to a person, by language.
`flask demo` prints the same load per response ("Safeguarding flags: N responses") after loading; with
--responses this bench runs that loader itself (consult/demo, no analysis) and splits the figure: responses
flagged or sent to a person by language, by why (flagged / sent to a person only), and how many of them hold
one of the demo's planted disclosures (`safeguarding` items: those must be flagged; every other one is a
false alarm).
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


def _responses(count: int, seed: int) -> None:
    """Load the demo into a throwaway database and report the responses flagged or sent to a person."""
    import os
    import tempfile

    os.environ.setdefault("GUTH_ENV", "testing")
    from flask_migrate import upgrade
    from sqlalchemy import select

    from consult import create_app
    from consult.demo import load_demo
    from consult.extensions import db
    from consult.models import Answer, Response, SafeguardingFlag

    material = yaml.safe_load(MATERIAL.read_text(encoding="utf-8"))
    planted = {item["text"] for item in material.get("safeguarding") or []}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GUTH_INSTANCE_PATH"] = tmp  # the demo's uploads and secret key stay in the throwaway place
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/demo.db", "MAIL_SERVER": None})
        with app.app_context():
            upgrade()
            lines = load_demo(responses=count, seed=seed, analyse=False)
            langs = dict(db.session.execute(select(Response.id, Response.language)).all())
            flags = db.session.execute(select(SafeguardingFlag.response_id, SafeguardingFlag.needs_human,
                                              Answer.text).outerjoin(Answer, Answer.id == SafeguardingFlag.answer_id)
                                       ).all()
            db.session.remove()
    by_response: dict[int, dict] = {}
    for rid, human, text in flags:
        r = by_response.setdefault(rid, {"flag": False, "person": False, "planted": False})
        r["person" if human else "flag"] = True
        r["planted"] = r["planted"] or (text in planted)
    print(next((line for line in lines if line.startswith("Safeguarding flags")), "Safeguarding flags: ?"))
    n_lang = defaultdict(int)
    for lang in langs.values():
        n_lang[lang] += 1
    for lang in sorted(n_lang, key=lambda k: -n_lang[k]):
        rs = [r for rid, r in by_response.items() if langs.get(rid) == lang]
        print(f"  {lang}: {n_lang[lang]} responses, flagged or sent to a person {len(rs)} "
              f"({len(rs) / n_lang[lang]:.3f}): flagged {sum(r['flag'] for r in rs)}, "
              f"sent to a person only {sum(not r['flag'] for r in rs)}, holding a planted disclosure "
              f"{sum(r['planted'] for r in rs)}")
    rs = list(by_response.values())
    false = sum(not r["planted"] for r in rs)
    print(f"all: {len(langs)} responses, flagged or sent to a person {len(rs)} ({len(rs) / max(1, len(langs)):.3f}); "
          f"planted disclosures among them {sum(r['planted'] for r in rs)}, false alarms {false} "
          f"({false / max(1, len(langs)):.3f} of responses)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--responses", action="store_true")
    ap.add_argument("--count", type=int, default=2000, help="with --responses: how many (as `flask demo`)")
    ap.add_argument("--seed", type=int, default=2026, help="with --responses: the demo's seed")
    args = ap.parse_args()
    if args.responses:
        _responses(args.count, args.seed)
        return
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
