"""`mockserver token` from the command line: a JWT minted the way the vendor tells its users to, for a tenant app or
one named by its id and secret, and the options that would mint a misleading one refused in one line."""

from __future__ import annotations

import json
import re
import subprocess

import jwt
import pytest
from commands import mockserver_command

from mockserver.commands.token import ENV_LINES


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


def tenant_facts(tenant) -> tuple[str, str, str]:
    """The default tenant's first app's secret and client id, and its account and stream."""
    app, account = tenant.default_account.apps[0], tenant.default_account
    return app.client_secret, account.account_id, account.streams[0]


def signed_by(token: str, secret: str) -> str:
    """The token's appId, once its signature is checked with `secret`."""
    return jwt.decode(token, secret, algorithms=["HS256"])["appId"]


@pytest.mark.parametrize("shell", [[], ["sh"]])
def test_env_lines_set_the_variables_in_a_posix_shell(shell, tenant):
    printed = token_command("--env", *shell).stdout
    script = f"{printed}\nprintf '%s|%s|%s' \"$MOCK_TOKEN\" \"$MOCK_ACCOUNT_ID\" \"$MOCK_STREAM_ID\""
    said = subprocess.run(["sh", "-c", script], capture_output=True, encoding="utf-8", timeout=30, check=True).stdout
    token, account, stream = said.split("|")
    secret, account_id, stream_id = tenant_facts(tenant)
    assert (signed_by(token, secret), account, stream) == (tenant.default_account.apps[0].client_id, account_id,
                                                           stream_id)


def test_env_powershell_prints_assignments_powershell_takes_literally(tenant):
    """Only POSIX `export` lines were printed: PowerShell, the usual shell on Windows, has no `export`."""
    lines = token_command("--env", "powershell").stdout.splitlines()
    secret, account_id, stream_id = tenant_facts(tenant)
    assert lines[1:] == [f"$env:MOCK_ACCOUNT_ID = '{account_id}'", f"$env:MOCK_STREAM_ID = '{stream_id}'"]
    assert lines[0].startswith("$env:MOCK_TOKEN = '") and lines[0].endswith("'")
    assert signed_by(lines[0][len("$env:MOCK_TOKEN = '"):-1], secret) == tenant.default_account.apps[0].client_id


@pytest.mark.parametrize(("shell", "line"), [
    ("sh", "export X='it'\"'\"'s $HOME `x`'"),
    ("powershell", "$env:X = 'it''s $HOME `x`'"),  # in single quotes only the quote is special, and it is doubled
])
def test_env_lines_quote_every_character_as_written(shell, line):
    assert ENV_LINES[shell]("X", "it's $HOME `x`") == line


def test_env_for_a_shell_it_does_not_know_is_refused_naming_the_ones_it_does():
    """argparse names the choices bare on newer Pythons (3.13: `choose from powershell, sh`), quoted on 3.11, and
    3.15 guesses first (`maybe you meant 'sh'?`): either way the value refused and every shell known are on the line."""
    result = token_command("--env", "fish")
    assert result.returncode == 2
    assert re.search(r"invalid choice: 'fish'(, maybe you meant '\w+'\?)? \(choose from '?powershell'?, '?sh'?\)\n",
                     result.stderr), result.stderr


@pytest.mark.parametrize("option", ["--client-id", "--client-secret"])
def test_an_id_or_secret_that_is_not_utf8_is_one_line(option):
    """A secret typed in a Latin-1 terminal (`s\\xe9cret`) ended the command in a UnicodeEncodeError traceback, and
    such a client id was put in the token as a lone surrogate, which no tenant app's id can equal."""
    import os

    result = token_command("--client-id", "cs-mine", "--client-secret", "s" * 40,
                           *(option, os.fsdecode(b"s\xe9cret")))
    assert result.returncode == 2 and result.stdout == "", result.stdout
    assert result.stderr.splitlines() == [f"mockserver token: error: {option} must be UTF-8 text (got 's\\xe9cret': a"
                                          " byte that is not UTF-8, as a Latin-1 terminal sends it)"]


@pytest.mark.parametrize("ttl", ["99999999999999999999", "-99999999999999999999", "315360001", "-315360001"])
def test_a_ttl_beyond_ten_years_either_way_is_refused_in_one_line(ttl):
    """99999999999999999999 minted an exp beyond the year 9999, which the mock read as never expiring, and its
    negative one before 1970: the token said nothing a client could test with."""
    result = token_command("--ttl", ttl)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
    assert "--ttl must be from -315360000 to 315360000 seconds" in result.stderr and not result.stdout


@pytest.mark.parametrize("ttl", [315360000, -315360000])
def test_a_ttl_of_ten_years_either_way_is_minted(ttl):
    result = token_command("--ttl", str(ttl))
    assert result.returncode == 0, result.stderr
    claims = jwt.decode(result.stdout.strip(), options={"verify_signature": False, "verify_exp": False})
    assert claims["exp"] - claims["iat"] == ttl


@pytest.mark.parametrize("output", ["--json", "--env"])
def test_json_or_env_for_an_account_with_no_stream_is_one_line(output, tmp_path):
    """A tenant's second account may list no stream: --json and --env for its app ended in an IndexError traceback."""
    file = tmp_path / "tenant.json"
    file.write_text(json.dumps({"accounts": [
        {"accountId": "a1", "streams": ["s1"], "apps": [{"clientId": "c1", "clientSecret": "x" * 40}]},
        {"accountId": "a2", "streams": [], "apps": [{"clientId": "c2", "clientSecret": "y" * 40}]},
    ]}), encoding="utf-8")
    result = token_command("--tenant", str(file), "--client-id", "c2", output)
    assert result.returncode == 2 and result.stdout == "", result.stdout
    assert result.stderr == (f"mockserver token: error: account 'a2' has no stream in {file}, so --json and --env have"
                             " no stream id to print: add one to its streams (without them the token alone is"
                             " printed)\n")
    assert signed_by(token_command("--tenant", str(file), "--client-id", "c2").stdout.strip(), "y" * 40) == "c2"


def test_account_id_mints_for_that_accounts_first_app_with_its_facts(tenant):
    """A parallel worker on the tenant's second account had to look its app up in GET /__admin/tenant to pass
    --client-id: --account-id names the account, the way the worker knows it."""
    for account in tenant.accounts:
        printed = json.loads(token_command("--account-id", account.account_id, "--json", "--ttl", "60").stdout)
        app = account.apps[0]
        claims = jwt.decode(printed.pop("token"), app.client_secret, algorithms=["HS256"])
        assert (claims["appId"], claims["exp"] - claims["iat"]) == (app.client_id, 60)
        assert printed == {"accountId": account.account_id, "streamId": account.streams[0]}


def test_account_id_and_client_id_that_agree_are_taken(tenant):
    account = tenant.accounts[1]
    printed = token_command("--account-id", account.account_id, "--client-id", account.apps[0].client_id, "--env")
    assert printed.returncode == 0, printed.stderr
    assert f"export MOCK_ACCOUNT_ID={account.account_id}" in printed.stdout.splitlines()


def no_app_tenant(tmp_path) -> str:
    """A tenant file whose second account lists no app."""
    file = tmp_path / "tenant.json"
    file.write_text(json.dumps({"accounts": [
        {"accountId": "a1", "streams": ["s1"], "apps": [{"clientId": "c1", "clientSecret": "x" * 40}]},
        {"accountId": "a2", "streams": ["s2"], "apps": []},
    ]}), encoding="utf-8")
    return str(file)


@pytest.mark.parametrize(("args", "said"), [
    (["--account-id", "acct-2"], "no account 'acct-2' in {default}; its accounts are {first}, {second}"),
    (["--account-id", "{second}", "--client-id", "{first_app}"],
     "--client-id '{first_app}' is an app of account '{first}', not of --account-id '{second}': give one of them"),
    (["--account-id", "{second}", "--client-id", "cs-mine", "--client-secret", "s" * 40],
     "--client-id 'cs-mine' is not in {default}, so no app of --account-id '{second}': give one of them"),
    (["--tenant", "{no_apps}", "--account-id", "a2", "--json"],
     "account 'a2' has no app in {no_apps} to mint a token for: add one to its apps"),
], ids=["unknown account", "another account's app", "an app not in the tenant", "an account with no app"])
def test_account_id_that_names_no_app_to_mint_for_is_refused_in_one_line(args, said, tenant, tmp_path):
    names = {"default": tenant.source, "first": tenant.accounts[0].account_id, "second": tenant.accounts[1].account_id,
             "first_app": tenant.accounts[0].apps[0].client_id, "no_apps": no_app_tenant(tmp_path)}
    result = token_command(*(arg.format(**names) for arg in args))
    assert result.returncode == 2 and result.stdout == "", result.stdout
    assert result.stderr == f"mockserver token: error: {said.format(**names)}\n"
