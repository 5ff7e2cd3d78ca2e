"""The `mockserver` console script as a whole: what every subcommand shares."""

from __future__ import annotations

import subprocess
import sys


def test_a_reader_that_goes_away_stops_the_command_quietly():
    """`mockserver tenant | head -1`: the pipe closes before the command writes; no BrokenPipeError traceback."""
    command = subprocess.Popen([sys.executable, "-m", "mockserver", "tenant"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    command.stdout.close()  # before the command has imported what it needs, so its first write finds no reader
    status = command.wait(timeout=60)
    stderr = command.stderr.read().decode()
    command.stderr.close()
    assert status == 141 and stderr == "", stderr
