"""`mockserver token` from the command line: a JWT minted the way the vendor tells its users to, for a tenant app or
one named by its id and secret, and the options that would mint a misleading one refused in one line."""

from __future__ import annotations

import subprocess

import pytest
from commands import mockserver_command


def token_command(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -m mockserver token ARGS`, its output captured."""
    return mockserver_command("token", *args)


def test_token_for_an_unknown_app_with_its_secret():
    result = token_command("--client-id", "cs-mine", "--client-secret", "s" * 40)
    assert result.returncode == 0
    assert result.stdout.count(".") == 2


@pytest.mark.parametrize(("args", "words"), [
    (["--client-secret", "x" * 40], "--client-secret needs --client-id"),
    (["--client-id", "", "--client-secret", ""], "--client-id is empty"),
    (["--client-id", "cs-mine", "--client-secret", "s" * 40, "--json"], "--json and --env need a tenant app"),
    (["--client-id", "cs-mine", "--client-secret", "s" * 40, "--env"], "--json and --env need a tenant app"),
])
def test_token_options_that_would_mint_a_misleading_token_are_refused(args, words):
    """A secret alone signed the tenant's first app with it; --json printed the default account for an app it
    does not know; empty options were read as absent."""
    result = token_command(*args)
    assert result.returncode == 2 and words in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr
