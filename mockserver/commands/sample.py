"""`mockserver sample`: the vendor page's sample request body, as an account of the tenant can send it."""

from __future__ import annotations

import argparse
import json

from mockserver.commands.arguments import described, given, typed_text
from mockserver.errors import ConfigError
from mockserver.paths import DEFAULT_TENANT, display
from mockserver.tenant import load_tenant


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("sample", help="print the page's sample request body, fitted to a tenant account",
                            **described(
        "Print the vendor page's sample request body as JSON, its contact lists, DNC list, caller ID and queue"
        " replaced by the account's own where the sample's are not (the body RunningMock.for_account(...)"
        ".sample_request() gives), for the tenant's first account or the one --account-id names.",
        "curl -H 'Content-Type: application/json' -d \"$(mockserver sample --account-id 65f1c0ffee0ddba11a5e0002)\""
        " ...",
        "mockserver sample --name 'Spring renewals 2' | jq .queue_name  # another name: a second create, not a 409",
    ))
    parser.add_argument("--account-id", type=given, metavar="ID",
                        help="tenant account whose names the body uses (default: the tenant's first account)")
    parser.add_argument("--tenant", default=None, type=given, metavar="FILE",
                        help=f"tenant JSON file (default {display(DEFAULT_TENANT)})")
    parser.add_argument("--name", type=given, metavar="NAME",
                        help="the campaign's name (default: the sample's), unique in its account")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # here, not at the top: see mockserver.cli.LAZY
    from mockserver.contract import load_contract
    from mockserver.fitted_sample import fitted_sample
    from mockserver.semantics import check_reference_table

    account_id, name = (None if value is None else typed_text(option, value)
                        for option, value in (("--account-id", args.account_id), ("--name", args.name)))
    tenant = load_tenant(args.tenant)
    account = tenant.default_account if account_id is None else tenant.account(account_id)
    if account is None:
        raise ConfigError(f"no account {account_id!r} in {tenant.source}; its accounts are"
                          f" {tenant.account_list(most=10)}")
    contract = load_contract()
    body = fitted_sample(contract.sample_request, check_reference_table(contract.request), account)
    print(json.dumps(body if name is None else {**body, "name": name}, indent=2))
    return 0
