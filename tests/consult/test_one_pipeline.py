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


GETTEXT_NAMES = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext", "pgettext", "lazy_pgettext",
                 "npgettext", "lazy_npgettext"}


def _gettext_uses(path: Path, root: Path = CONSULT) -> list[str]:
    """Return where a module imports or calls gettext: flask_babel, consult.i18n or any ``_``/``_l``."""
    found, name = [], str(path.relative_to(root))
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            names = {a.name for a in node.names} | {a.asname for a in node.names if a.asname}
            babel_or_i18n = module.split(".")[0] == "flask_babel" or module.rsplit(".", 1)[-1] == "i18n"
            if (babel_or_i18n and names & GETTEXT_NAMES) or names & {"_", "_l"}:
                found.append(f"{name}:{node.lineno}: from {module} import {', '.join(sorted(names))}")
        elif isinstance(node, ast.Import):
            found += [f"{name}:{node.lineno}: import {a.name}" for a in node.names
                      if a.name.split(".")[0] == "flask_babel"]
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if called in GETTEXT_NAMES:
                found.append(f"{name}:{node.lineno}: {called}(...)")
    return found


def test_data_functions_hold_no_gettext_the_views_word_their_errors() -> None:
    """consult/data returns values or raises typed errors; the view maps each code to its translated message."""
    found = [use for p in _sources(CONSULT / "data") for use in _gettext_uses(p)]
    assert found == [], "word errors in the view (e.g. planner/organisations.py: import_problem_message)"


def test_the_gettext_check_sees_each_way_of_translating(tmp_path: Path) -> None:
    sources = {"babel.py": "from flask_babel import lazy_gettext as _l\n",
               "relative.py": "from ..i18n import gettext\n",
               "plain.py": "import flask_babel\n",
               "called.py": "from ..somewhere import _\n",
               "clean.py": "from ..i18n import current_language\nrows = [v for v, _l in options]\n"}
    for name, text in sources.items():
        (tmp_path / name).write_text(text)
    flagged = {p.name for p in tmp_path.iterdir() if _gettext_uses(p, tmp_path)}
    assert flagged == {"babel.py", "relative.py", "plain.py", "called.py"}
