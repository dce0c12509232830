"""Command line for batch analysis; see ``python -m analysis --help``."""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from .codebook import Codebook, CodebookError
from .evaluate import evaluate
from .redact import redact_many
from .screen import screen
from .sentiment import sentiment
from .themer import Themer
from .trace import LINK_THRESHOLD, calibrate, load_priorities, trace

CHUNK = 5000
PROGRESS_MIN_ROWS = 2000


class UsageError(Exception):
    """A problem with the input files, reported to the person with exit code 2."""


class Progress:
    """A plain progress bar on stderr (shown for long runs, or always with --progress)."""

    def __init__(self, label: str, total: int, stream: TextIO | None = None, force: bool = False) -> None:
        self.label = label
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = force or total >= PROGRESS_MIN_ROWS
        self.start = time.monotonic()
        self._last = -1

    def __call__(self, fraction: float) -> None:
        if not self.enabled:
            return
        pct = int(max(0.0, min(1.0, fraction)) * 100)
        if pct == self._last:
            return
        self._last = pct
        bar = "#" * (pct // 4) + "-" * (25 - pct // 4)
        elapsed = time.monotonic() - self.start
        end = "\n" if pct >= 100 else ""
        self.stream.write(f"\r{self.label} [{bar}] {pct:3d}% {elapsed:6.1f}s{end}")
        self.stream.flush()


def _read_csv(path: str, required: Sequence[str]) -> list[dict[str, str]]:
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"{path}: file not found")
    try:
        with p.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            fields = reader.fieldnames or []
            if not fields:
                raise UsageError(f"{path}: the file is empty (expected a header with columns {', '.join(required)})")
            missing = [c for c in required if c not in fields]
            if missing:
                raise UsageError(f"{path}: missing column(s) {', '.join(missing)} (found: {', '.join(fields)})")
            rows = [{k: (v or "") for k, v in r.items() if k is not None} for r in reader]
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 text") from exc
    except csv.Error as exc:
        raise UsageError(f"{path}: not a readable CSV ({exc})") from exc
    if not rows:
        raise UsageError(f"{path}: the file has a header but no rows")
    return rows


def _split_themes(value: str) -> list[str]:
    return [t.strip() for t in value.split(";") if t.strip()]


def _load_codebook(path: str) -> Codebook:
    if not Path(path).is_file():
        raise UsageError(f"{path}: file not found")
    try:
        return Codebook.from_yaml(path)
    except CodebookError as exc:
        raise UsageError(f"{path}: {exc}") from exc


def _write_jsonl(path: str, rows: list[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def _chunked(n: int, fn: Callable[[int, int], None], progress: Progress) -> None:
    for start in range(0, n, CHUNK):
        end = min(n, start + CHUNK)
        fn(start, end)
        progress(end / n)


def cmd_theme(args: argparse.Namespace) -> int:
    codebook = _load_codebook(args.codebook)
    rows = _read_csv(args.input, ["id", "text"])
    themer = Themer(codebook, seed=args.seed)
    if args.train:
        train = _read_csv(args.train, ["id", "text", "themes"])
        labels = [_split_themes(r["themes"]) for r in train]
        known = set(codebook.ids)
        bad = sorted({t for row in labels for t in row if t not in known})
        if bad:
            raise UsageError(f"{args.train}: unknown theme id(s) {', '.join(bad)} (not in {args.codebook})")
        ttexts = [r["text"] for r in train]
        if not args.no_redact:
            ttexts = [r.text for r in redact_many(ttexts)]
        print(f"training on {len(train)} coded answers", file=sys.stderr)
        themer.fit(ttexts, labels)
    texts = [r["text"] for r in rows]
    progress = Progress("theme", len(texts), force=args.progress)
    out: list[dict[str, Any]] = []

    def run(start: int, end: int) -> None:
        chunk = texts[start:end]
        if not args.no_redact:
            chunk = [r.text for r in redact_many(chunk)]
        for row, text, a in zip(rows[start:end], chunk, themer.predict(chunk), strict=True):
            out.append({"id": row["id"], "themes": a.themes, "scores": a.scores, "sentiment": sentiment(text),
                        # A person must code it: no theme fits with confidence (never silently dropped).
                        "needs_human": a.needs_human, "needs_human_reason": a.reason, "language": a.language})

    _chunked(len(texts), run, progress)
    _write_jsonl(args.output, out)
    return 0


def cmd_trace(args: argparse.Namespace) -> int:
    if not Path(args.priorities).is_file():
        raise UsageError(f"{args.priorities}: file not found")
    try:
        priorities = load_priorities(args.priorities)
    except CodebookError as exc:
        raise UsageError(f"{args.priorities}: {exc}") from exc
    codebook = _load_codebook(args.codebook) if args.codebook else None
    rows = _read_csv(args.input, ["id", "text"])
    texts = [r["text"] for r in rows]
    progress = Progress("trace", len(texts), force=args.progress)
    out: list[dict[str, Any]] = []
    redacted = [r.text for r in redact_many(texts)]
    # Each priority is calibrated once over all the answers, so a chunk's scores do not depend on its neighbours.
    calibration = calibrate(redacted, priorities, codebook=codebook)

    def run(start: int, end: int) -> None:
        chunk = redacted[start:end]
        scored = trace(chunk, priorities, codebook=codebook, calibration=calibration)
        for row, scores in zip(rows[start:end], scored, strict=True):
            out.append({"id": row["id"], "priorities": scores,
                        "supports": sorted(p for p, v in scores.items() if v >= LINK_THRESHOLD)})

    _chunked(len(texts), run, progress)
    _write_jsonl(args.output, out)
    return 0


def cmd_screen(args: argparse.Namespace) -> int:
    rows = _read_csv(args.input, ["id", "text"])
    texts = [r["text"] for r in rows]
    progress = Progress("screen", len(texts), force=args.progress)
    out: list[dict[str, Any]] = []

    def run(start: int, end: int) -> None:
        chunk = texts[start:end]
        hints = [(r.get("language") or r.get("lang") or None) for r in rows[start:end]]
        screened = [screen(t, language_hint=h) for t, h in zip(chunk, hints, strict=True)]
        for row, s, r in zip(rows[start:end], screened, redact_many(chunk), strict=True):
            out.append(
                {
                    "id": row["id"],
                    "safeguarding": {
                        "flag": s.flag,
                        "categories": s.categories,
                        "triggers": s.triggers,
                        "category_names": s.category_names,
                        "score": s.score,
                        "evidence": [
                            {"sentence": e.sentence, "category": e.category, "score": e.score,
                             "start": e.start, "end": e.end, "source": e.source}
                            for e in s.evidence
                        ],
                    },
                    # A person must read it: the screen could not (a language it does not read, unsure, failed).
                    "needs_human": s.needs_human,
                    "needs_human_reason": s.reason,
                    "language": s.language,
                    "redacted": r.text,
                    "redacted_kinds": r.kinds,
                }
            )

    _chunked(len(texts), run, progress)
    _write_jsonl(args.output, out)
    return 0


def _read_pred(path: str) -> dict[str, list[str]]:
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"{path}: file not found")
    pred: dict[str, list[str]] = {}
    with p.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UsageError(f"{path}: line {n} is not JSON") from exc
            if not isinstance(obj, dict) or "id" not in obj or not isinstance(obj.get("themes"), list):
                raise UsageError(f"{path}: line {n} needs 'id' and a 'themes' list")
            pred[str(obj["id"])] = [str(t) for t in obj["themes"]]
    if not pred:
        raise UsageError(f"{path}: the file is empty")
    return pred


def cmd_evaluate(args: argparse.Namespace) -> int:
    gold_rows = _read_csv(args.gold, ["id", "themes"])
    pred = _read_pred(args.pred)
    if args.codebook:
        ids = _load_codebook(args.codebook).ids
        known = set(ids)
        bad = sorted({t for r in gold_rows for t in _split_themes(r["themes"]) if t not in known})
        if bad:
            raise UsageError(f"{args.gold}: unknown theme id(s) {', '.join(bad)} (not in {args.codebook})")
    else:
        seen: dict[str, None] = {}
        for r in gold_rows:
            seen.update(dict.fromkeys(_split_themes(r["themes"])))
        for ts in pred.values():
            seen.update(dict.fromkeys(ts))
        ids = list(seen)
    missing = [r["id"] for r in gold_rows if r["id"] not in pred]
    if missing:
        print(f"warning: {len(missing)} gold id(s) have no prediction (scored as no themes)", file=sys.stderr)
    gold = [_split_themes(r["themes"]) for r in gold_rows]
    predicted = [pred.get(r["id"], []) for r in gold_rows]
    result = evaluate(gold, predicted, ids, seed=args.seed, n_boot=args.n_boot)
    print("\n".join(result.lines()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description="Guth text analysis")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--progress", action="store_true", help="always show the progress bar on stderr")
        p.add_argument("--seed", type=int, default=0)

    p = sub.add_parser("theme", help="assign codebook themes to each answer")
    p.add_argument("--codebook", required=True)
    p.add_argument("--input", required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--train", help="CSV of coded answers (id,text,themes) to learn from")
    p.add_argument("--no-redact", action="store_true", help="theme the raw text (skip redaction)")
    common(p)
    p.set_defaults(func=cmd_theme)

    p = sub.add_parser("trace", help="score each answer against each plan priority")
    p.add_argument("--priorities", required=True)
    p.add_argument("--input", required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--codebook", help="codebook used to bridge everyday words to plan language")
    common(p)
    p.set_defaults(func=cmd_trace)

    p = sub.add_parser(
        "screen", help="safeguarding screen and redaction (optional column language: the page language, a hint)"
    )
    p.add_argument("--input", required=True)
    p.add_argument("--output", required=True)
    common(p)
    p.set_defaults(func=cmd_screen)

    p = sub.add_parser("evaluate", help="agreement between predicted and human codes")
    p.add_argument("--gold", required=True)
    p.add_argument("--pred", required=True)
    p.add_argument("--codebook", help="score exactly these themes and reject unknown ids in gold")
    p.add_argument("--n-boot", type=int, default=1000)
    common(p)
    p.set_defaults(func=cmd_evaluate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (2 for bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return 2
