"""Package rules: forms never imports consult; translatable strings are literal and lazy."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import forms

PACKAGE = Path(forms.__file__).resolve().parent
SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_forms_never_imports_consult():
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not any(a.name.split(".")[0] == "consult" for a in node.names), path
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                assert (node.module or "").split(".")[0] != "consult", path
    code = (
        "import sys, forms; forms.load_template('childrens-services-plan'); print('consult' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_translatable_strings_are_literals_with_named_placeholders():
    calls = 0
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_l", "_", "gettext")
            ):
                calls += 1
                assert (
                    node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ), f"{path.name}:{node.lineno}: translatable text must be a plain string literal"
                text = node.args[0].value
                assert "%s" not in text and "{" not in text, (
                    f"{path.name}:{node.lineno}: use %(name)s placeholders"
                )
    assert calls > 20


def test_no_eager_gettext_in_forms():
    for path in SOURCES:
        source = path.read_text(encoding="utf-8")
        assert "from flask_babel import gettext" not in source and "import _\n" not in source, path
