"""ruff's rules (pyproject.toml) hold for the whole project, so the README's one test command covers lint too; and
every module of the project's code says its job at its top."""

from __future__ import annotations

import ast
import re
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
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, encoding="utf-8")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_fails_on_a_known_bad_file(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "F", str(bad)],
                            capture_output=True, text=True, timeout=120, encoding="utf-8")
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
# Text read or written without naming its encoding takes the locale's: cp1252 on Windows, where a UTF-8 case file,
# tenant or page is misread, and ASCII under LANG=C. ruff's PLW1514 is a preview rule, and sees neither a path it
# cannot type (`(folder / "x").read_text()`) nor subprocess's text mode: checked here instead.
SUBPROCESS_CALLS = {"run", "Popen", "check_output", "check_call", "call"}
MODE = re.compile(r"[rwxabt+]{1,4}")  # what open() takes as a mode
TEMPORARY_FILES = {"NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile"}


def _keyword_names(call: ast.Call) -> set[str | None]:
    return {keyword.arg for keyword in call.keywords}  # None: **kwargs, which may name it


def _mode(call: ast.Call, position: int) -> ast.expr | None:
    given = {keyword.arg: keyword.value for keyword in call.keywords}
    if "mode" in given:
        return given["mode"]
    return call.args[position] if len(call.args) > position else None


def _is_mode(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and MODE.fullmatch(node.value) is not None


def _text_mode(mode: ast.expr | None, default_text: bool = True) -> bool:
    """Whether a mode argument opens in text mode; one not known before it runs (an expression) counts as text."""
    if mode is None:
        return default_text
    return not (isinstance(mode, ast.Constant) and isinstance(mode.value, str) and "b" in mode.value)


def unnamed_encodings(source: str) -> list[str]:
    """The calls in `source` that read or write text without an `encoding=`, as 'line: call'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        keywords = _keyword_names(node)
        if "encoding" in keywords or None in keywords:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else None
        if name in ("read_text", "write_text"):
            text = isinstance(func, ast.Attribute)  # a path's; a function of that name is not Path's
        elif name == "open" and owner == "os":
            text = False  # a file descriptor's flags, not a mode
        elif name == "open" and (isinstance(func, ast.Name) or owner in ("io", "builtins")):  # open(file, mode)
            text = _text_mode(_mode(node, 1))
        elif name == "open":  # a path's .open(mode); another first argument is no mode (a test client's path)
            mode = _mode(node, 0)
            text = mode is None or (_is_mode(mode) and _text_mode(mode))
        elif name == "fdopen":
            text = _text_mode(_mode(node, 1))
        elif name == "TextIOWrapper":
            text = True
        elif name in TEMPORARY_FILES:
            text = _text_mode(_mode(node, 0), default_text=False)  # w+b by default
        elif name in SUBPROCESS_CALLS and owner == "subprocess":
            text = bool({"text", "universal_newlines", "errors"} & keywords)
        else:
            text = False
        if text:
            found.append(f"{node.lineno}: {ast.unparse(node)[:100]}")
    return found


def test_every_text_file_and_pipe_names_its_encoding():
    folders = ("mockserver", "contract_tests", "tests", "benchmarks")
    unnamed = [f"{path.relative_to(PROJECT_ROOT)}:{line}" for folder in folders
               for path in sorted((PROJECT_ROOT / folder).rglob("*.py"))
               for line in unnamed_encodings(path.read_text(encoding="utf-8"))]
    assert unnamed == [], "\n".join(["give each an encoding= (utf-8, or the one the other side writes):", *unnamed])


@pytest.mark.parametrize(("source", "caught"), [
    ("open(path)", True), ("open(path, 'w')", True), ("open(path, 'rb')", False), ("open(path, mode)", True),
    ("open(path, encoding='utf-8')", False), ("open(path, **options)", False), ("os.open(path, os.O_RDONLY)", False),
    ("path.open()", True), ("path.open('rb')", False), ("path.read_text()", True), ("(a / 'b').write_text(t)", True),
    ("path.read_text(encoding='utf-8')", False), ("read_text(path, 'page')", False),
    ("client.open('/x', method='GET')", False), ("app.test_client().open(url + '?a=1')", False),
    ("os.fdopen(fd, 'w')", True), ("os.fdopen(fd, 'wb')", False), ("os.fdopen(fd)", True),
    ("io.TextIOWrapper(raw)", True), ("tempfile.NamedTemporaryFile('w')", True), ("tempfile.TemporaryFile()", False),
    ("subprocess.run(cmd, text=True)", True), ("subprocess.run(cmd, capture_output=True)", False),
    ("subprocess.Popen(cmd, universal_newlines=True)", True), ("subprocess.check_output(cmd, errors='strict')", True),
    ("subprocess.run(cmd, text=True, encoding='utf-8')", False),
])
def test_the_encoding_check_knows_text_from_bytes(source, caught):
    assert bool(unnamed_encodings(source)) is caught
