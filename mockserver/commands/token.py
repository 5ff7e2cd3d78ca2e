"""`mockserver token`: mint a JWT the way the vendor tells its users to."""

from __future__ import annotations

import argparse
import json
import shlex

from mockserver.commands.arguments import described, given, typed_text, whole_number
from mockserver.errors import ConfigError
from mockserver.paths import DEFAULT_TENANT, display
from mockserver.tenant import Tenant, load_tenant


def _powershell_line(name: str, value: str) -> str:
    """PowerShell's single-quoted strings take every character as written but the quote, which is doubled."""
    quoted = value.replace("'", "''")
    return f"$env:{name} = '{quoted}'"


# `--env SHELL`: how each shell sets a variable for the commands after it, the value quoted to be taken as written.
ENV_LINES = {
    "sh": lambda name, value: f"export {name}={shlex.quote(value)}",
    "powershell": _powershell_line,
}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("token", help="mint a JWT (HS256, claims sub and appId) for a tenant app", **described(
        "Mint a JWT the way the vendor tells its users to (HS256 with the app's client secret, claims sub and appId)"
        " for the tenant's first app, the first app of the account --account-id names, or the app --client-id names,"
        " and print it.",
        'eval "$(mockserver token --env)"  # MOCK_TOKEN, MOCK_ACCOUNT_ID, ...',
        "mockserver token --env powershell | Out-String | Invoke-Expression  # the same in PowerShell",
        "mockserver token --json | jq -r .token",
        "mockserver token --account-id 65f1c0ffee0ddba11a5e0002 --json  # a parallel worker's own account",
        "mockserver token --ttl -60        # expired a minute ago: see the mock's 401",
    ))
    parser.add_argument("--client-id", metavar="ID", help="app client id (default: the tenant's first app)")
    parser.add_argument("--client-secret", metavar="SECRET",
                        help="app client secret (default: looked up in the tenant)")
    parser.add_argument("--account-id", type=given, metavar="ID",
                        help="tenant account whose first app to mint for (default: the tenant's first account); with"
                             " --client-id, that app's account, or refused")
    parser.add_argument("--tenant", default=None, type=given, metavar="FILE",
                        help=f"tenant JSON file (default {display(DEFAULT_TENANT)})")
    parser.add_argument("--ttl", type=whole_number, default=86400, metavar="SECONDS",
                        help="seconds until exp (default 86400, a day), at most ten years either way; 0 leaves exp"
                             " out; below 0, a token already expired (to see the 401)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help='print {"token", "accountId", "streamId"}')
    output.add_argument("--env", nargs="?", const="sh", choices=sorted(ENV_LINES), metavar="SHELL",
                        help="print MOCK_TOKEN, MOCK_ACCOUNT_ID and MOCK_STREAM_ID as a shell sets them: sh (the"
                             ' default: eval "$(...)") or powershell (... | Out-String | Invoke-Expression)')
    parser.set_defaults(func=run)


def chosen_client_id(args: argparse.Namespace, tenant: Tenant) -> str:
    """The app to mint for: --client-id's, the first of --account-id's account, or the tenant's first. Given both,
    they must agree: a token for one account's app is refused in another's requests, so either one alone would mint
    a token that was not asked for."""
    if args.account_id is None:
        return args.client_id or tenant.default_account.apps[0].client_id
    account = tenant.account(args.account_id)
    if account is None:
        raise ConfigError(f"no account {args.account_id!r} in {tenant.source}; its accounts are"
                          f" {tenant.account_list(most=10)}")
    if args.client_id is not None:
        found = tenant.app(args.client_id)
        if found is None or found[1] is not account:
            whose = f"an app of account {found[1].account_id!r}, not" if found else f"not in {tenant.source}, so no app"
            raise ConfigError(f"--client-id {args.client_id!r} is {whose} of --account-id {args.account_id!r}: give"
                              " one of them")
        return args.client_id
    if not account.apps:
        raise ConfigError(f"account {args.account_id!r} has no app in {tenant.source} to mint a token for: add one to"
                          " its apps")
    return account.apps[0].client_id


def run(args: argparse.Namespace) -> int:
    from mockserver.auth import MAX_TTL_S, mint_token  # here, not at the top: see mockserver.cli.LAZY

    for option, name in (("--client-id", "client_id"), ("--client-secret", "client_secret"),
                         ("--account-id", "account_id")):
        value = getattr(args, name)
        if value is not None and not value.strip():
            raise ConfigError(f"{option} is empty")
        if value is not None:  # signed as UTF-8, as a tenant file's id and secret are
            setattr(args, name, typed_text(option, value))
    if args.client_secret is not None and args.client_id is None:
        raise ConfigError("--client-secret needs --client-id: the app whose secret it is (a token for the tenant's"
                          " first app signed with another secret would only be refused)")
    if abs(args.ttl) > MAX_TTL_S:
        raise ConfigError(f"--ttl must be from -{MAX_TTL_S} to {MAX_TTL_S} seconds, ten years either way (got"
                          f" {args.ttl}): 0 leaves exp out")
    tenant = load_tenant(args.tenant)
    client_id = chosen_client_id(args, tenant)
    found = tenant.app(client_id)
    secret = args.client_secret or (found[0].client_secret if found else None)
    if not secret:
        raise ConfigError(f"client id {client_id!r} is not in {tenant.source}: pass --client-secret")
    if found is None and (args.json or args.env):
        raise ConfigError(f"client id {client_id!r} is not in {tenant.source}, so its account and stream are not"
                          " known: --json and --env need a tenant app (without them the token alone is printed)")
    account = found[1] if found else tenant.default_account
    if not account.streams and (args.json or args.env):  # only the default account must have one
        raise ConfigError(f"account {account.account_id!r} has no stream in {tenant.source}, so --json and --env have"
                          " no stream id to print: add one to its streams (without them the token alone is printed)")
    token = mint_token(client_id, secret, ttl=args.ttl or None)
    if args.json:
        print(json.dumps({"token": token, "accountId": account.account_id, "streamId": account.streams[0]}))
    elif args.env:
        # MOCK_, not KORE_: the contract suite reads KORE_ACCOUNT_ID and the like, and a shell left with the mock's
        # values would point a later run against the real service at the mock's account.
        for name, value in (("MOCK_TOKEN", token), ("MOCK_ACCOUNT_ID", account.account_id),
                            ("MOCK_STREAM_ID", account.streams[0])):
            print(ENV_LINES[args.env](name, value))
    else:
        print(token)
    return 0
