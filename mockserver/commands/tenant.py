"""`mockserver tenant`: check a tenant file as `serve` would, and print what it holds, without the secrets."""

from __future__ import annotations

import argparse
import json

from mockserver.commands.arguments import described, given
from mockserver.paths import DEFAULT_TENANT, display
from mockserver.tenant import load_tenant


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("tenant", help="check a tenant file and print its accounts and names (no secrets)",
                            **described(
        "Check a tenant file as serve does (each problem named by its path, exit status 2) and print its accounts"
        " and the names in each as JSON, without the client secrets.",
        "mockserver tenant my-tenant.json | jq -r '.accounts[].accountId'",
    ))
    parser.add_argument("file", nargs="?", default=None, type=given, metavar="FILE",
                        help=f"tenant JSON file (default {display(DEFAULT_TENANT)})")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    tenant = load_tenant(args.file)  # a file that serve would refuse is refused here, in the same words
    print(json.dumps({"accounts": [account.public() for account in tenant.accounts]}, indent=2))
    return 0
