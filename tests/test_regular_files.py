"""A file the tool reads because an option (or a variable) names it is read only if it is a regular file: a named
pipe with no writer held `serve --tenant FIFO` at its start for ever, and a device or a socket is no file to read.
Each command runs with a timeout, so that a regression fails rather than hangs."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from commands import mockserver_command

from mockserver.paths import DEFAULT_TENANT, SOURCE_DIR

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")

PIPE = "it is a named pipe (FIFO), not a regular file (reading one waits until something writes to it)"
TIMEOUT = 30  # a refusal takes about a second; the old code waited for ever
CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def _serve(*args: str) -> tuple[str, ...]:
    return ("serve", "--port", "0", "--db", ":memory:", *args)


# (the command, given the pipe and a folder to put other files in; what its refusal calls the file)
COMMANDS = {
    "serve --tenant": (lambda pipe, _: _serve("--tenant", pipe), "tenant file"),
    "serve --admin-token-file": (lambda pipe, _: _serve("--admin-token-file", pipe), "--admin-token-file"),
    "serve --certfile": (lambda pipe, _: _serve("--certfile", pipe), "--certfile"),
    "serve --keyfile": (lambda pipe, folder: _serve("--certfile", _written(folder / "cert.pem", CERT), "--keyfile",
                                                    pipe), "--keyfile"),
    "token --tenant": (lambda pipe, _: ("token", "--tenant", pipe), "tenant file"),
    "openapi --tenant": (lambda pipe, folder: ("openapi", "-o", str(folder / "o.json"), "--account", "x",
                                               "--tenant", pipe), "tenant file"),
    "openapi --check -o": (lambda pipe, _: ("openapi", "--check", "-o", pipe), "the document"),
    "tenant FILE": (lambda pipe, _: ("tenant", pipe), "tenant file"),
    "parity A.json": (lambda pipe, folder: ("parity", pipe, _written(folder / "b.json", "{}")), "report"),
}


def _written(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("name", COMMANDS)
def test_a_named_pipe_is_refused_in_one_line_naming_the_option_not_waited_on(tmp_path, name):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    command, what = COMMANDS[name]
    result = mockserver_command(*command(str(pipe), tmp_path), timeout=TIMEOUT)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [f"mockserver {name.split()[0]}: error: {pipe}: cannot read {what}: {PIPE}"]


def test_a_named_pipe_named_as_linux_names_a_shells_pipe_is_still_refused(tmp_path):
    pipe = tmp_path / "pipe:[1]"
    os.mkfifo(pipe)
    result = mockserver_command("tenant", str(pipe), timeout=TIMEOUT)
    assert result.returncode == 2
    assert result.stderr == f"mockserver tenant: error: {pipe}: cannot read tenant file: {PIPE}\n"


def test_a_device_and_a_socket_are_refused_too(tmp_path):
    """/dev/null read as an empty tenant file; a socket said "No such device or address"; /dev/tty (or /dev/stdin at
    a terminal) waited for typing."""
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(tmp_path / "sock"))
        for path, kind in (("/dev/null", "a device"), (str(tmp_path / "sock"), "a socket")):
            result = mockserver_command("tenant", path, timeout=TIMEOUT)
            assert result.returncode == 2
            assert result.stderr == (f"mockserver tenant: error: {path}: cannot read tenant file: it is {kind}, not a"
                                     " regular file\n")


def test_a_file_redirected_to_standard_input_is_read(tmp_path):
    """/dev/stdin is the file the shell redirected to it: a regular file, and read."""
    with DEFAULT_TENANT.open("rb") as tenant:
        result = subprocess.run([sys.executable, "-m", "mockserver", "tenant", "/dev/stdin"], stdin=tenant,
                                capture_output=True, text=True, encoding="utf-8", timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr


def test_a_pipe_on_standard_input_is_read(tmp_path):
    """`cat t.json | mockserver tenant /dev/stdin`: a pipe without a name, its writer already running."""
    result = subprocess.run([sys.executable, "-m", "mockserver", "tenant", "/dev/stdin"],
                            input=DEFAULT_TENANT.read_text(encoding="utf-8"), capture_output=True, text=True,
                            encoding="utf-8", timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr


def test_a_process_substitution_is_read():
    """`--tenant <(curl ...)`, `--admin-token-file <(pass show mock)`: the shell gives the command a pipe's /dev/fd/N,
    its writer already running, which was refused as a named pipe."""
    read_end, write_end = os.pipe()
    try:
        with os.fdopen(write_end, "wb") as writer:
            writer.write(DEFAULT_TENANT.read_bytes())
        result = subprocess.run([sys.executable, "-m", "mockserver", "tenant", f"/dev/fd/{read_end}"],
                                pass_fds=(read_end,), capture_output=True, text=True, encoding="utf-8",
                                timeout=TIMEOUT)
    finally:
        os.close(read_end)
    assert result.returncode == 0, result.stderr


def test_a_named_pipe_among_the_vendor_pages_is_refused_not_waited_on(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(SOURCE_DIR, source)
    os.mkfifo(source / "a-page.md")  # first in name order
    result = mockserver_command("schemas", "--source", str(source), "--out", str(tmp_path / "out"), timeout=TIMEOUT)
    assert result.returncode == 2
    assert result.stderr == f"mockserver schemas: error: {source}/a-page.md: cannot read the vendor page: {PIPE}\n"


def test_a_named_pipe_as_the_ca_bundle_is_refused_not_waited_on(tmp_path, free_port):
    bundle = tmp_path / "bundle.pem"
    os.mkfifo(bundle)
    result = mockserver_command("journal", "--url", f"https://127.0.0.1:{free_port}",
                                env={"REQUESTS_CA_BUNDLE": str(bundle)}, timeout=TIMEOUT)
    assert result.returncode == 2
    assert result.stderr == f"mockserver journal: error: {bundle}: cannot read REQUESTS_CA_BUNDLE: {PIPE}\n"


SLASHED = "it ends in a slash, as a folder's path does, but names a file: give the file's path without it"


@pytest.mark.parametrize("name", [name for name in COMMANDS if name != "openapi --check -o"])
def test_a_slash_after_a_file_s_name_is_refused_in_one_line_naming_the_option(tmp_path, name):
    """`--tenant good.json/`: the tenant file was read (a Path drops the slash, where a shell's `cat good.json/` is
    refused), and the token hint repeated the slash; the token and PEM files were refused as "Not a directory"."""
    given = _written(tmp_path / "given.json", "{}") + "/"
    command, what = COMMANDS[name]
    result = mockserver_command(*command(given, tmp_path), timeout=TIMEOUT)
    assert result.returncode == 2, result.stderr
    said = f"mockserver {name.split()[0]}: error: {given}: cannot read {what}: {SLASHED}"
    assert result.stderr.splitlines() == [said]


def test_a_document_to_write_named_with_a_slash_at_its_end_is_refused(tmp_path):
    """`openapi -o out.json/` wrote out.json, where a shell's `echo > out.json/` is refused."""
    result = mockserver_command("openapi", "-o", f"{tmp_path}/out.json/", timeout=TIMEOUT)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == f"mockserver openapi: error: argument -o/--out: {SLASHED}"
    assert list(tmp_path.iterdir()) == []
