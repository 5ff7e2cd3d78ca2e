"""Text beyond ASCII on a console that cannot show it (Windows' cp1252, an ASCII one) or in another encoding than
the reader's: each command says what it has to say, escaped where it must be, never a UnicodeEncodeError."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from mockserver import process

NOT_ASCII = "t\u00ebnant \u2192 \u00d7"  # ë, an arrow and a multiplication sign: cp1252 has the first alone


def test_a_server_started_for_tests_says_why_it_did_not_start_whatever_its_stderr_encoding(tmp_path, monkeypatch):
    """The server's stderr was read in the locale's encoding, whatever the server wrote it in: a message in
    Latin-1 (PYTHONIOENCODING) ended the reading thread in a UnicodeDecodeError, and the start's failure said
    nothing of why."""
    monkeypatch.setenv("PYTHONIOENCODING", "latin-1")
    missing = tmp_path / f"{NOT_ASCII}.json"
    with pytest.raises(RuntimeError, match="did not start") as failed:
        process.start("--tenant", str(missing), timeout=30)
    assert "cannot read tenant file: No such file or directory" in str(failed.value), failed.value


COMMANDS = [
    (["token", "--tenant", f"{NOT_ASCII}.json"], "cannot read tenant file"),
    (["tenant", f"{NOT_ASCII}.json"], "cannot read tenant file"),
    (["sample", "--account-id", NOT_ASCII], "no account"),
    (["serve", "--port", "0", "--tenant", f"{NOT_ASCII}.json"], "cannot read tenant file"),
    (["parity", f"{NOT_ASCII}.json", "b.json"], "cannot read report"),
    (["openapi", "--check", "-o", f"{NOT_ASCII}.json"], "openapi"),
    (["serve", "--log-level", NOT_ASCII], "invalid choice"),
]


@pytest.mark.parametrize("encoding", ["cp1252", "ascii", "ascii:strict"])
@pytest.mark.parametrize(("args", "said"), COMMANDS, ids=[args[0] + str(index) for index, (args, _) in
                                                           enumerate(COMMANDS)])
def test_a_command_quoting_text_the_console_cannot_show_says_it_in_one_line(tmp_path, encoding, args, said):
    result = subprocess.run([sys.executable, "-m", "mockserver", *args], capture_output=True, cwd=tmp_path,
                            env={**os.environ, "PYTHONIOENCODING": encoding}, timeout=60)
    stderr = result.stderr.decode("latin-1")
    assert result.returncode in (1, 2), stderr
    assert "Traceback" not in stderr and "UnicodeEncodeError" not in stderr, stderr
    assert said in stderr, stderr
