"""One staff request pipeline (issue 15): where commits, labels, scoped loaders and imports may live.

The review found about 50 commits in views and one in data/users.py while the user was being loaded,
consultation scoping in three helpers, labels in seven modules (CHANNEL_LABELS twice, disagreeing)
and public/ importing planner/. These checks read the source, so a new view that commits, a label
map written next to its view, a second loader or a public page reaching into the planner fails here
rather than in review.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

CONSULT = Path(__file__).resolve().parents[2] / "consult"
STAFF_PACKAGES = ("planner", "tsi", "admin", "orgs", "public", "auth", "operator")
COMMIT = re.compile(r"\bsession\.commit\(\)")


def _sources(under: Path = CONSULT) -> list[Path]:
    return sorted(p for p in under.rglob("*.py") if "migrations" not in p.parts)


def _name(path: Path) -> str:
    return str(path.relative_to(CONSULT))


def _calls_commit(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "commit"
               and isinstance(n.func.value, ast.Attribute) and n.func.value.attr == "session"
               for n in ast.walk(node))


def _is_route(func: ast.FunctionDef) -> bool:
    for deco in func.decorator_list:
        call = deco.func if isinstance(deco, ast.Call) else deco
        if isinstance(call, ast.Attribute) and call.attr in ("route", "get", "post"):
            return True
    return False


def test_data_functions_never_commit() -> None:
    found = [f"{_name(p)}:{i}" for p in _sources(CONSULT / "data")
             for i, line in enumerate(p.read_text().splitlines(), 1) if COMMIT.search(line)]
    assert found == []


def test_no_staff_view_commits_the_unit_of_work_does() -> None:
    found = []
    for package in STAFF_PACKAGES:
        for path in _sources(CONSULT / package):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.FunctionDef) and _is_route(node) and _calls_commit(node):
                    found.append(f"{_name(path)}: {node.name}")
    assert found == [], "views leave the commit to consult/uow.py (or call uow.commit_now() and say why)"


def test_every_commit_outside_the_unit_of_work_says_why() -> None:
    silent = [f"{_name(p)}:{i}" for p in _sources() if p.name != "uow.py"
              for i, line in enumerate(p.read_text().splitlines(), 1)
              if (COMMIT.search(line) or "commit_now()" in line) and "#" not in line.split("commit", 1)[1]
              and not line.lstrip().startswith(("def ", "#", "from ", "import "))]
    assert silent == []


def test_public_pages_do_not_import_the_planner() -> None:
    found = []
    for path in _sources(CONSULT / "public"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                module = "." * node.level + (node.module or "")
                names = [a.name for a in node.names]
                if "planner" in module.split(".") or (module.strip(".") == "" and "planner" in names):
                    found.append(f"{_name(path)}: from {module} import {', '.join(names)}")
            elif isinstance(node, ast.Import):
                found += [f"{_name(path)}: import {a.name}" for a in node.names if "planner" in a.name.split(".")]
    assert found == []


def test_every_label_map_lives_in_labels_py_once() -> None:
    defined: dict[str, list[str]] = {}
    for path in _sources():
        for node in ast.parse(path.read_text()).body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, ast.AnnAssign) else []
            for target in targets:
                if isinstance(target, ast.Name) and target.id.endswith("_LABELS"):
                    defined.setdefault(target.id, []).append(_name(path))
    assert "CHANNEL_LABELS" in defined
    elsewhere = {name: where for name, where in defined.items() if where != ["labels.py"]}
    assert elsewhere == {}


def test_one_scoped_loader_for_a_partnerships_consultation_or_organisation() -> None:
    loaders = re.compile(r"^def (partnership|consultation|organisation)_or_404\(", re.MULTILINE)
    found = sorted(f"{_name(p)}: {m.group(0)[4:-1]}" for p in _sources() if "respond" not in p.parts
                   for m in loaders.finditer(p.read_text()))
    assert found == ["auth/scope.py: consultation_or_404", "auth/scope.py: organisation_or_404",
                     "auth/scope.py: partnership_or_404"]
