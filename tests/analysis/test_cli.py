import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli import main

ROOT = Path(__file__).resolve().parents[2]

CODEBOOK = """themes:
  - id: play
    name: Places to play
    description: parks and playgrounds
    examples: [more parks, the swings are broken]
  - id: travel
    name: Transport
    description: buses and trains
    examples: [the bus is late]
  - id: money
    name: Cost of living
    examples: [we cannot afford food]
"""
PRIORITIES = """priorities:
  - id: p_play
    title: More places to play
    description: parks and playgrounds for children
  - id: p_money
    title: Reduce child poverty
"""


def run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], cwd=cwd, capture_output=True, text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120,
    )


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "codebook.yaml").write_text(CODEBOOK)
    (tmp_path / "priorities.yaml").write_text(PRIORITIES)
    write_csv(tmp_path / "responses.csv", ["id", "text", "age"], [
        ["r1", "we need more parks", "8-11"], ["r2", "My dad hits me, call 07700 900123", "12-17"],
        ["r3", "the bus is always late", "12-17"], ["r4", "", "12-17"],
    ])
    train = []
    for i in range(12):
        train += [[f"a{i}", f"the park and swings {i}", "play"], [f"b{i}", f"the bus was late {i}", "travel"],
                  [f"c{i}", f"food costs too much {i}", "money"]]
    write_csv(tmp_path / "labelled.csv", ["id", "text", "themes"], train)
    return tmp_path


def read_jsonl(path):
    return [json.loads(line) for line in Path(path).read_text().splitlines()]


def test_theme_trace_screen_evaluate_end_to_end(files):
    r = run("theme", "--codebook", "codebook.yaml", "--input", "responses.csv", "--output", "codings.jsonl",
            "--train", "labelled.csv", "--progress", cwd=files)
    assert r.returncode == 0, r.stderr
    assert "100%" in r.stderr
    codings = read_jsonl(files / "codings.jsonl")
    assert [c["id"] for c in codings] == ["r1", "r2", "r3", "r4"]
    assert "play" in codings[0]["themes"] and "travel" in codings[2]["themes"] and codings[3]["themes"] == []
    assert all(set(c["scores"]) == {"play", "travel", "money"} for c in codings)
    # Every row says whether a person must code it; a blank answer is not work for a person.
    assert all(isinstance(c["needs_human"], bool) and "language" in c for c in codings)
    assert codings[0]["needs_human"] is False and codings[3]["needs_human"] is False

    r = run("trace", "--priorities", "priorities.yaml", "--input", "responses.csv", "--output", "trace.jsonl", cwd=files)
    assert r.returncode == 0, r.stderr
    tr = read_jsonl(files / "trace.jsonl")
    assert [t["id"] for t in tr] == ["r1", "r2", "r3", "r4"]
    assert all(set(t["priorities"]) == {"p_play", "p_money"} for t in tr)
    assert tr[0]["priorities"]["p_play"] > tr[0]["priorities"]["p_money"]

    r = run("screen", "--input", "responses.csv", "--output", "screen.jsonl", cwd=files)
    assert r.returncode == 0, r.stderr
    sc = read_jsonl(files / "screen.jsonl")
    assert sc[1]["safeguarding"]["flag"] is True and "physical_abuse" in sc[1]["safeguarding"]["categories"]
    assert {k: sc[0]["safeguarding"][k] for k in ("flag", "categories", "triggers")} == {
        "flag": False, "categories": [], "triggers": []}
    assert "07700" not in sc[1]["redacted"] and "[PHONE]" in sc[1]["redacted"]

    r = run("theme", "--codebook", "codebook.yaml", "--input", "labelled.csv", "--output", "self.jsonl",
            "--train", "labelled.csv", cwd=files)
    assert r.returncode == 0, r.stderr
    r = run("evaluate", "--gold", "labelled.csv", "--pred", "self.jsonl", cwd=files)
    assert r.returncode == 0, r.stderr
    metrics = dict(line.split(": ", 1) for line in r.stdout.strip().splitlines())
    for name in ["micro_f1", "macro_f1", "sample_f1", "sample_f1_ci_low", "sample_f1_ci_high", "kappa"]:
        assert 0.0 <= float(metrics[name]) <= 1.0
    assert float(metrics["micro_f1"]) > 0.9


def test_theme_is_deterministic(files, monkeypatch):
    monkeypatch.chdir(files)
    for out in ("one.jsonl", "two.jsonl"):
        assert main(["theme", "--codebook", "codebook.yaml", "--input", "responses.csv", "--output", out,
                     "--train", "labelled.csv"]) == 0
    assert (files / "one.jsonl").read_text() == (files / "two.jsonl").read_text()


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (lambda p: write_csv(p / "in.csv", ["id", "words"], [["1", "x"]]),
         ["screen", "--input", "in.csv", "--output", "o.jsonl"], "missing column"),
        (lambda p: (p / "in.csv").write_text(""), ["screen", "--input", "in.csv", "--output", "o.jsonl"], "empty"),
        (lambda p: write_csv(p / "in.csv", ["id", "text"], []), ["screen", "--input", "in.csv", "--output", "o.jsonl"],
         "no rows"),
        (lambda p: (p / "bad.yaml").write_text("themes: [unclosed"),
         ["theme", "--codebook", "bad.yaml", "--input", "responses.csv", "--output", "o.jsonl"], "YAML"),
        (lambda p: write_csv(p / "lab.csv", ["id", "text", "themes"], [["1", "x", "play;nonsense"]]),
         ["theme", "--codebook", "codebook.yaml", "--input", "responses.csv", "--output", "o.jsonl", "--train", "lab.csv"],
         "unknown theme id"),
        (lambda p: (p / "pr.yaml").write_text("priorities: []"),
         ["trace", "--priorities", "pr.yaml", "--input", "responses.csv", "--output", "o.jsonl"], "priorities"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(files, setup, args, message, monkeypatch, capsys):
    setup(files)
    monkeypatch.chdir(files)
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_bad_input_through_python_m_exits_2(files):
    write_csv(files / "in.csv", ["id", "words"], [["1", "x"]])
    r = run("screen", "--input", "in.csv", "--output", "o.jsonl", cwd=files)
    assert r.returncode == 2
    assert "missing column(s) text" in r.stderr
    assert "Traceback" not in r.stderr
