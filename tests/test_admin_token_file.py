"""serve --admin-token-file: the admin token read from a file (a mounted secret), not shown in the process list, where
--admin-token's value is to every user of the machine."""

from __future__ import annotations

import errno
import os

import pytest
import requests
from commands import mockserver_command

from mockserver import process
from mockserver.app import ADMIN_TOKEN_MAX
from mockserver.commands import serve
from mockserver.errors import ConfigError

TOKEN = "3f9a1c0e8b7d6a5f4e3d2c1b0a998877"


def test_serve_takes_the_token_from_the_first_line_of_the_file(tmp_path):
    secret = tmp_path / "admin-token"
    secret.write_text(f"{TOKEN}\nwhat follows is not read\n", encoding="ascii")
    with process.running("--db", ":memory:", "--admin-token-file", str(secret)) as server:
        refused = requests.post(f"{server.url}/__admin/reset", timeout=10)
        allowed = requests.post(f"{server.url}/__admin/reset", headers={"Authorization": f"Bearer {TOKEN}"},
                                timeout=10)
    assert (refused.status_code, allowed.status_code) == (401, 200)
    assert "admin at /__admin (token required)" in "".join(server.output)
    assert TOKEN not in " ".join(server.process.args)


@pytest.mark.parametrize(("text", "said"), [
    (f"{TOKEN}\r\n", None), (TOKEN, None),  # a Windows line break, or none: the token alone
    ("", "first line is empty"), ("\n" + TOKEN, "first line is empty"),
    (f"{TOKEN} \n", "first line is not printable ASCII without spaces"),
    (f"\ufeff{TOKEN}\n", "first line is not printable ASCII without spaces"),
    ("x" * (ADMIN_TOKEN_MAX + 1), "first line is longer than the 256 characters an admin token may be"),
    ("\0" * 100_000, "first line is not printable ASCII without spaces"),  # not read whole
])
def test_the_first_line_is_the_token_or_refused_without_quoting_it(tmp_path, text, said):
    secret = tmp_path / "admin-token"
    secret.write_text(text, encoding="utf-8", newline="")
    if said is None:
        assert serve.admin_token_file(str(secret)) == TOKEN
        return
    with pytest.raises(ConfigError) as refused:
        serve.admin_token_file(str(secret))
    assert str(refused.value).startswith(f"{secret}: --admin-token-file's {said}") and TOKEN not in str(refused.value)


def test_the_bound_named_is_the_apps():
    assert serve.ADMIN_TOKEN_MAX == ADMIN_TOKEN_MAX


@pytest.mark.parametrize("case", ["missing", "folder"])
def test_a_file_that_cannot_be_read_is_refused_in_one_line(tmp_path, case):
    secret = tmp_path / "admin-token"
    if case == "folder":
        secret.mkdir()
    reason = {"missing": "No such file or directory", "folder": "Is a directory"}
    result = mockserver_command("serve", "--port", "0", "--db", ":memory:", "--admin-token-file", str(secret))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"mockserver serve: error: {secret}: cannot read --admin-token-file: {reason[case]}"]


def test_a_file_this_user_may_not_read_is_refused_naming_it(tmp_path, monkeypatch):
    """As the system refuses it (a file's mode keeps no root user from reading it, so the refusal is made here)."""
    secret = tmp_path / "admin-token"
    secret.write_text(TOKEN, encoding="ascii")

    def refused(path, *args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    monkeypatch.setattr(serve, "open", refused, raising=False)  # the module's own name before the builtin
    with pytest.raises(ConfigError) as caught:
        serve.admin_token_file(str(secret))
    assert str(caught.value) == f"{secret}: cannot read --admin-token-file: Permission denied"


def test_the_option_and_the_file_together_are_refused(tmp_path):
    result = mockserver_command("serve", "--port", "0", "--admin-token", TOKEN, "--admin-token-file", "f")
    assert result.returncode == 2 and "not allowed with argument --admin-token" in result.stderr, result.stderr
