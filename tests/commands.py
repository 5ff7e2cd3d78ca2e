"""A pytest plugin of what several test files share to run the `mockserver` command as a user runs it: in a process
of its own, to its end, its output captured.

The function is imported by name, `from commands import mockserver_command`, as tests/conftest.py loads this module.
A test that needs the command's output as bytes (a console's encoding), a process it talks to while it runs (Popen)
or a stream other than a pipe calls subprocess itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

# How long a test lets the Schemathesis CLI run before it calls the run hung: about 25 s alone, 70 s seen on a
# machine at load average 8, and once over the 120 s it had at load 10. A guard against a hang, not a speed test.
SCHEMATHESIS_CLI_TIMEOUT = 600


def mockserver_command(*args: str, env: Mapping[str, str] | None = None, cwd: Path | str | None = None,
                       check: bool = False, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`python -m mockserver ARGS` run to its end, its stdout and stderr read as UTF-8 text. `env` names variables to
    set over the test's own environment; `check` fails the test at once, with the command's stderr, if it exits
    other than 0."""
    result = subprocess.run([sys.executable, "-m", "mockserver", *args], capture_output=True, text=True,
                            encoding="utf-8", env=None if env is None else {**os.environ, **env}, cwd=cwd,
                            timeout=timeout)
    if check:
        assert result.returncode == 0, f"mockserver {' '.join(args)} exited {result.returncode}: {result.stderr}"
    return result
