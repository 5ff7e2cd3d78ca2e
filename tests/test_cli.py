"""The `mockserver` console script as a whole: what every subcommand shares."""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import re
import resource
import shlex
import signal
import subprocess
import sys
import time

import pytest
import requests
from network import listening_port

from mockserver import cli
from mockserver.cli import build_parser, main
from mockserver.routes.admin_auth import OPEN_PATHS


def test_a_reader_that_goes_away_stops_the_command_quietly():
    """`mockserver tenant | head -1`: the pipe closes before the command writes; no BrokenPipeError traceback."""
    command = subprocess.Popen([sys.executable, "-m", "mockserver", "tenant"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    command.stdout.close()  # before the command has imported what it needs, so its first write finds no reader
    status = command.wait(timeout=60)
    stderr = command.stderr.read().decode()
    command.stderr.close()
    assert status == 141 and stderr == "", stderr


def test_a_reader_that_goes_away_mid_document_stops_the_command_as_one_gone_before():
    """`mockserver openapi --admin -o - | head -1` exited 0: the document (156 KB, more than a pipe holds) is one
    write, which the kernel cuts short when the reader goes away, and Python took the short count for the end."""
    command = subprocess.Popen([sys.executable, "-m", "mockserver", "openapi", "--admin", "-o", "-"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert command.stdout.read(1) == b"{"  # the command is inside its one write, the pipe full behind this byte
    command.stdout.close()
    status = command.wait(timeout=60)
    stderr = command.stderr.read().decode()
    command.stderr.close()
    assert status == 141 and stderr == "", stderr


def test_a_full_non_blocking_pipe_is_waited_on_not_spun_on():
    """Under `python -u` stdout's buffer is a raw file, whose write answers None while a non-blocking pipe is full:
    the rest of the document was written again at once, over and over, a core kept busy until the reader read."""
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETFL, fcntl.fcntl(write_end, fcntl.F_GETFL) | os.O_NONBLOCK)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = subprocess.Popen([sys.executable, "-u", "-m", "mockserver", "openapi", "--admin", "-o", "-"],
                               stdout=write_end)
    os.close(write_end)
    time.sleep(2)  # the pipe fills, the command waits
    with os.fdopen(read_end, "rb") as reader:
        document = reader.read()
    assert command.wait(timeout=60) == 0 and document.startswith(b"{") and document.rstrip().endswith(b"}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    assert cpu < 1.2, f"{cpu:.2f} s of CPU for a document written in about 0.3 s"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full, a device that takes no write, here")
@pytest.mark.parametrize("args", [["tenant"], ["token"], ["sample"], ["openapi", "-o", "-"], ["schemas", "--check"]])
def test_output_that_cannot_be_written_is_one_line_not_a_traceback(args):
    """`mockserver tenant > /dev/full` (a full disk) ended in an OSError traceback, or in Python's "Exception ignored"
    at exit for output still in the buffer."""
    with open("/dev/full", "w", encoding="utf-8") as full:
        result = subprocess.run([sys.executable, "-m", "mockserver", *args], stdout=full, stderr=subprocess.PIPE,
                                text=True, timeout=60, encoding="utf-8")
    assert result.returncode == 2
    assert result.stderr == f"mockserver {args[0]}: error: cannot write the output: No space left on device\n"


def test_a_command_started_with_stdout_closed_ends_without_a_traceback():
    """`mockserver tenant >&-` (as a daemon's serve is started) ended in an AttributeError traceback once the output
    was flushed before exit: Python has no sys.stdout then."""
    result = subprocess.run(["sh", "-c", '"$0" -m mockserver tenant >&-', sys.executable], stderr=subprocess.PIPE,
                            text=True, timeout=60, encoding="utf-8")
    assert result.returncode == 0 and result.stderr == "", result.stderr


@pytest.mark.parametrize("closed", [">&-", "<&-"], ids=["stdout", "stdin"])
def test_serve_started_with_stdout_or_stdin_closed_serves(closed):
    """`mockserver serve >&-` (a daemon's) ended in an AttributeError traceback in the configuration check: the
    start was refused ('checking the configuration failed (exit status 1)')."""
    from mockserver import process

    server = process.start_gunicorn(["sh", "-c", f'exec "$0" -m mockserver serve --host 127.0.0.1 --port 0'
                                     f' --log-level info --db :memory: {closed}', sys.executable])  # health: 200
    server.kill()
    said = "".join(server.output)
    assert server.process.returncode == 0 and "Traceback" not in said, said


def test_serve_started_with_stderr_closed_serves():
    """With stderr closed the configuration check wrote into its own pipe, and the start was refused. On port 0, as
    every test's server: the server cannot say which port it took, so the test reads it from /proc."""
    server = subprocess.Popen(["sh", "-c", 'exec "$0" -m mockserver serve --port 0 --db :memory: 2>&-',
                               sys.executable], stderr=subprocess.PIPE, encoding="utf-8", start_new_session=True)
    try:
        deadline, status, port = time.monotonic() + 30, None, None
        while status != 200 and server.poll() is None and time.monotonic() < deadline:
            try:
                port = port or listening_port(server.pid)
                if port is None:
                    raise requests.ConnectionError  # not bound yet
                status = requests.get(f"http://127.0.0.1:{port}/__admin/health", timeout=5).status_code
            except (requests.ConnectionError, requests.Timeout):  # not up yet, or a worker still loading
                time.sleep(0.05)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
        said = server.communicate(timeout=30)[1]
    assert status == 200, said
    assert server.returncode == 0 and "Traceback" not in said, said


def test_what_runs_before_main_can_catch_a_ctrl_c_imports_little():
    """`import mockserver.cli` imported importlib.metadata (for --version) and difflib, half of what a command did
    before main() could catch a Ctrl-C: one in that time ended in a KeyboardInterrupt traceback."""
    code = "import sys, mockserver.cli; print(sorted({'importlib.metadata', 'difflib'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, encoding="utf-8")
    assert result.stdout.strip() == "[]", result.stderr


def test_a_ctrl_c_while_the_commands_load_ends_quietly(monkeypatch, capsys):
    """A Ctrl-C in the first tenth of a second, as the parser imports each command's module (gunicorn, ssl...),
    ended in a KeyboardInterrupt traceback: only a Ctrl-C once the command ran was caught."""
    def interrupted() -> argparse.ArgumentParser:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "build_parser", interrupted)
    assert cli.main(["tenant"]) == 130
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("argv", [["journal", "--no-such-option"], ["--help"], ["token", "--json"]])
def test_main_gives_a_calling_program_its_sigterm_back(argv, capsys):
    """main() takes SIGTERM from its start (a serve stopped as it starts ends with status 0); a refused option or
    --help (SystemExit) left that handler in the calling program, which a SIGTERM then met as StoppedEarly."""
    previous = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        with contextlib.suppress(SystemExit):
            cli.main(argv)
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_a_sigterm_just_after_main_takes_it_is_a_stop(monkeypatch, capsys):
    """A SIGTERM to `serve` as it opens its standard streams, right after main() took SIGTERM, ended in a
    StoppedEarly traceback: the steps before the parser ran outside the try that ends a stop with status 0."""
    monkeypatch.setattr(cli, "_open_standard_streams", lambda: os.kill(os.getpid(), signal.SIGTERM))
    previous = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        assert cli.main(["serve"]) == 0
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_a_forked_worker_leaves_sigterm_as_serve_set_it(monkeypatch):
    """serve's forked workers unwind through main() as they exit: its `finally` put SIGTERM back to its default
    there, so a worker's own stop then killed it outright. Only the process that called main() gets it back."""
    def worker(args: argparse.Namespace) -> int:
        signal.signal(signal.SIGTERM, handler)
        monkeypatch.setattr(os, "getpid", lambda: started + 1)  # as a forked worker, a process of its own
        return 0

    def handler(signum: int, frame: object) -> None:
        pass

    started = os.getpid()
    monkeypatch.setattr(cli, "parse", lambda parser, argv: argparse.Namespace(command="serve", func=worker))
    previous = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        assert cli.main(["serve"]) == 0
        assert signal.getsignal(signal.SIGTERM) is handler
    finally:
        monkeypatch.undo()
        signal.signal(signal.SIGTERM, previous)


def test_every_option_with_a_default_names_it_in_its_help():
    """`mockserver token --help` did not say that a token lasts 86400 s, nor `schemas --help` where it reads and
    writes: a newcomer comparing the README's synopsis with --help could not tell the defaults."""
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    silent = [f"{name} {'/'.join(action.option_strings)}" for name, parser in sub.choices.items()
              for action in parser._actions
              if action.default not in (None, False, argparse.SUPPRESS) and "default" not in (action.help or "")]
    assert silent == []


def test_the_help_names_the_default_files_where_they_are(tmp_path, monkeypatch):
    """The help said "default fixtures/tenant.json" and "default schemas/source" wherever it was run: from a regular
    install, or another folder, no such file is read (the package's own is), while a project's own
    fixtures/tenant.json, which the words name, is not. Each default is now shown where it is."""
    from mockserver.paths import DEFAULT_TENANT, SCHEMAS_DIR, SOURCE_DIR

    monkeypatch.chdir(tmp_path)
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    helps = {f"{name} {'/'.join(action.option_strings) or action.dest}": action.help or ""
             for name, parser in sub.choices.items() for action in parser._actions}
    expected = {"tenant file": DEFAULT_TENANT, "token --tenant": DEFAULT_TENANT, "sample --tenant": DEFAULT_TENANT,
                "serve --tenant": DEFAULT_TENANT, "openapi --tenant": DEFAULT_TENANT, "schemas --source": SOURCE_DIR,
                "schemas --out": SCHEMAS_DIR}
    assert {key: f"(default {path})" in helps[key] for key, path in expected.items()} == dict.fromkeys(expected, True)


def test_serve_help_names_every_admin_path_the_token_leaves_open():
    """`serve --help` said the token guards all of /__admin but /__admin/health, while /__admin/openapi.json is
    open too: a newcomer reading it took the admin API's document for one that needs the token."""
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    token = next(a for a in sub.choices["serve"]._actions if "--admin-token" in a.option_strings)
    assert [path for path in sorted(OPEN_PATHS) if path not in token.help] == []


@pytest.mark.parametrize(("args", "usage", "extra"), [
    (["serve", "--prot", "80"], "usage: mockserver serve ", "--prot 80"),
    (["tenant", "a.json", "b.json"], "usage: mockserver tenant ", "b.json"),
    (["--bogus", "tenant"], "usage: mockserver [-h]", "--bogus"),
])
def test_an_unknown_argument_is_refused_with_its_commands_usage(args, usage, extra, capsys):
    """`mockserver serve --prot 80` said `mockserver: error: unrecognized arguments` under the main parser's usage,
    which does not show serve's options: the one that was meant could not be seen."""
    with pytest.raises(SystemExit) as stopped:
        cli.main(args)
    stderr = capsys.readouterr().err
    assert stopped.value.code == 2
    assert stderr.startswith(usage) and stderr.endswith(f"error: unrecognized arguments: {extra}\n"), stderr


EMPTY = [["serve", option, ""] for option in ("--host", "--db", "--clock", "--tenant", "--rate-limit", "--admin-token",
                                              "--forwarded-allow-ips", "--certfile", "--keyfile")] + [
    ["token", "--tenant", ""], ["token", "--account-id", ""], ["sample", "--account-id", ""], ["sample", "--name", ""],
    ["sample", "--tenant", ""], ["tenant", ""], ["openapi", "-o", ""], ["openapi", "--account", ""],
    ["openapi", "--account", "a", "--tenant", ""], ["schemas", "--source", ""], ["schemas", "--out", ""],
    ["parity", "", "b.json"], ["parity", "a.json", ""],
]


@pytest.mark.parametrize("args", EMPTY, ids=[" ".join(args) for args in EMPTY])
def test_an_empty_value_is_refused_not_read_as_the_default(args, capsys):
    """`serve --db "$DB"` with DB unset kept a private throwaway database per connection (campaigns gone, duplicates
    let in), `--certfile ''` served plain HTTP, `--tenant ''` the default tenant, `schemas --out ''` the current
    folder: each without a word."""
    with pytest.raises(SystemExit) as stopped:
        cli.parse(build_parser(), args)
    assert stopped.value.code == 2
    assert "empty value" in capsys.readouterr().err


def test_every_command_says_in_its_help_what_it_does():
    """`mockserver serve --help`, `token --help` and `tenant --help` listed their options under no line saying what
    the command does, where the other commands' did."""
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert [name for name, parser in sub.choices.items() if not parser.description] == []


def test_every_command_shows_examples_and_names_its_values():
    """`journal --help` and `parity --help` showed no example where the others did, and journal's values were named
    after their options (ACCOUNT_ID, INTERVAL) where the others' say what they are (ID, SECONDS, N)."""
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert [name for name, parser in sub.choices.items() if not (parser.epilog or "").startswith("examples:")] == []
    by_dest = [f"{name} {action.option_strings[0]}" for name, parser in sub.choices.items()
               for action in parser._actions if action.option_strings and action.nargs != 0 and action.metavar is None
               and action.dest.upper() not in ("URL", "STATUS", "METHOD", "ID", "HOST", "PORT", "LEVEL")]
    assert by_dest == []


@pytest.mark.parametrize("argv", [["tenant", "{long}"], ["token", "--tenant", "{long}"], ["parity", "{long}", "{long}"],
                                  ["openapi", "--tenant", "{long}", "--account", "x"]],
                         ids=["tenant", "token", "parity", "openapi"])
def test_a_file_named_too_long_is_quoted_by_its_start_and_end(argv, capsys):
    """A file's text pasted where its name goes was quoted whole, thousands of characters on one line."""
    long = "/tmp/" + "a" * 3000 + "/tenant.json"
    assert main([arg.replace("{long}", long) for arg in argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and len(err) < 400, err
    assert "/tmp/aaa" in err and "aaa/tenant.json (3,017 characters): " in err, err


def test_the_help_names_the_bounds_the_commands_enforce():
    """`serve --help` gave the bounds of --graceful-timeout and --max-body alone, and `journal --help` that of --limit:
    --threads (256), --idle-timeout and --body-timeout (3,600), --journal-limit (1,000,000,000), and journal's
    --interval and --timeout (0.1 to 3600) were refused past bounds no help named."""
    from mockserver.app import MAX_BODY_LIMIT, MAX_IDLE_TIMEOUT, MAX_JOURNAL_LIMIT
    from mockserver.commands.journal import MAX_LIMIT
    from mockserver.commands.serve import MAX_GRACEFUL_TIMEOUT, MAX_THREADS

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    helps = {f"{name} {action.option_strings[0]}": action.help for name in ("serve", "journal")
             for action in sub.choices[name]._actions if action.option_strings}
    bounds = {"serve --workers": "at most 4 per CPU, or 8 if that is more)",
              "serve --threads": f"at most {MAX_THREADS})",
              "serve --idle-timeout": f"at most {MAX_IDLE_TIMEOUT:,})",
              "serve --body-timeout": f"at most {MAX_IDLE_TIMEOUT:,})",
              "serve --graceful-timeout": f"at most {MAX_GRACEFUL_TIMEOUT:,})",
              "serve --max-body": f"at most {MAX_BODY_LIMIT // 2**20} MiB)",
              "serve --journal-limit": f"at most {MAX_JOURNAL_LIMIT:,})", "journal --limit": f"1 to {MAX_LIMIT})",
              "journal --interval": "0.1 to 3600)", "journal --timeout": "0.1 to 3600)"}
    assert [option for option, bound in bounds.items() if bound not in helps[option]] == []


def epilog_commands() -> list[str]:
    """Each `mockserver ...` command the commands' --help examples give, without its comment, pipe or eval."""
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    examples = [line.split("  # ", 1)[0] for parser in [build_parser(), *sub.choices.values()]
                for line in (parser.epilog or "").splitlines()[1:]]
    return [found.strip() for example in examples for found in re.findall(r"mockserver [^|&)\"]*", example)]


def test_every_example_in_the_help_is_taken_by_the_parser(capsys):
    """The examples are typed into shells as given: one whose option was renamed would be refused, not run."""
    commands = epilog_commands()
    assert len(commands) >= 20 and "mockserver token --env" in commands
    refused = []
    for command in commands:
        try:
            cli.parse(build_parser(), shlex.split(command)[1:])
        except SystemExit:
            refused.append(command)
    assert refused == [], capsys.readouterr().err
