"""ruff's rules (pyproject.toml) hold for the whole project, so the README's one test command covers lint too."""

from __future__ import annotations

import subprocess
import sys

from mockserver.paths import PROJECT_ROOT


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
