"""ruff's rules (pyproject.toml) hold for the whole project, so the README's one test command covers lint too; and
every module of the project's code says its job at its top."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from mockserver.paths import PROJECT_ROOT

# The folders whose every module starts with a docstring saying its job in one or two lines (then a blank line, if
# there is more to say): a newcomer opening a file learns what it is for before reading its code. In tests/, the
# modules that are not test files (conftest.py and the plugins it loads) are held to it too.
SUMMARIZED = ("mockserver", "contract_tests", "schemas", "benchmarks")


def test_ruff_is_clean(tmp_path_factory):
    command = [sys.executable, "-m", "ruff", "check", "--no-cache", str(PROJECT_ROOT)]
    temporary = tmp_path_factory.getbasetemp().resolve()
    if temporary.is_relative_to(PROJECT_ROOT):  # TMPDIR inside the checkout: what the tests write there is not ours
        command += ["--extend-exclude", str(PROJECT_ROOT / temporary.relative_to(PROJECT_ROOT).parts[0])]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_fails_on_a_known_bad_file(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "F", str(bad)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "F401" in result.stdout


def summary_problem(path: Path) -> str | None:
    """Why the module at `path` does not start with a docstring saying its job in one or two lines; None if it does."""
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    if not docstring:
        return "no module docstring saying its job"
    lines = len(docstring.split("\n\n", 1)[0].splitlines())
    if lines > 2:
        return f"the docstring's first paragraph runs to {lines} lines: say the job in one or two, then a blank line"
    return None


def test_every_module_starts_with_a_docstring_saying_its_job():
    modules = [path for folder in SUMMARIZED for path in (PROJECT_ROOT / folder).rglob("*.py")
               if "bundled" not in path.relative_to(PROJECT_ROOT).parts]
    modules += [path for path in (PROJECT_ROOT / "tests").glob("*.py") if not path.name.startswith("test_")]
    problems = [f"{path.relative_to(PROJECT_ROOT)}: {why}" for path in modules if (why := summary_problem(path))]
    assert modules
    assert problems == []


@pytest.mark.parametrize(("text", "expected"), [
    ("", "no module docstring saying its job"),
    ("# a comment is no docstring\nX = 1\n", "no module docstring saying its job"),
    ('"""One.\nTwo.\nThree."""\n', "the docstring's first paragraph runs to 3 lines: say the job in one or two, then"
                                      " a blank line"),
    ('"""One line\nand a second.\n\nMore after a blank line, as long as it likes.\nAnd more.\n"""\n', None),
])
def test_a_module_without_a_short_summary_is_named(tmp_path, text, expected):
    module = tmp_path / "module.py"
    module.write_text(text, encoding="utf-8")
    assert summary_problem(module) == expected


def test_no_test_module_imports_another():
    """A test module that imports another's helpers (`from test_http_wire import parsed`) ties the two together, and
    runs the other's module code: what both use lives in a fixture or a plugin module that tests/conftest.py loads."""
    test_modules = {path.stem for path in (PROJECT_ROOT / "tests").glob("test_*.py")}
    importing = []
    for path in sorted((PROJECT_ROOT / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else \
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            importing += [f"{path.name} imports {name}" for name in names if name.split(".")[0] in test_modules]
    assert importing == []
