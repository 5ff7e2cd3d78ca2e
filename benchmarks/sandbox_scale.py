"""How a QA sandbox that has run for months answers: start-up, admin listings, a delete and an account's reset.

    python benchmarks/sandbox_scale.py [--campaigns 100000] [--entries 100000] [--accounts 3000] [--names 2000]

Builds a throwaway sandbox through the store's own interface: a tenant file of `--accounts` accounts besides the
default tenant's, whose first account holds `--names` more contact lists, DNC lists, caller IDs and queues; half the
campaigns in that account and the rest spread over the others; a full journal of `--entries` entries. Then times
building the app on it (as each worker does), the admin API's listings with each filter, first and deep pages, a
delete by id and the first account's reset, and prints each in milliseconds with the process's peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from mockserver.app import create_app
from mockserver.commands.arguments import whole_number
from mockserver.contract import load_contract
from mockserver.paths import DEFAULT_TENANT
from mockserver.store import JournalEntry, SqliteStore


def tenant_file(path: Path, accounts: int, names: int) -> str:
    """The default tenant, grown: its first account's names, and an account per tester."""
    raw = json.loads(DEFAULT_TENANT.read_text(encoding="utf-8"))
    first = raw["accounts"][0]
    first["contactLists"] += [{"id": f"cl-x{n}", "name": f"List {n}"} for n in range(names)]
    first["dncLists"] += [{"id": f"cl-d{n}", "name": f"DNC {n}"} for n in range(names)]
    first["callerIds"] += [{"phoneNumber": f"+1415{n:07d}", "verified": True} for n in range(names)]
    first["queues"] += [{"id": f"qu-x{n}", "name": f"Queue {n}"} for n in range(names)]
    raw["accounts"] += [{"accountId": f"acct-{n:05d}", "streams": [f"st-{n}"],
                         "apps": [{"clientId": f"cs-{n}", "clientSecret": f"secret-{n}"}],
                         "contactLists": [{"id": f"cl-{n}", "name": "CL"}]} for n in range(accounts)]
    path.write_text(json.dumps(raw), encoding="utf-8")
    return first["accountId"]


def owner(number: int, first: str, accounts: int) -> str:
    """The account of the `number`th campaign or journal entry: every other one is the first account's."""
    return first if number % 2 == 0 or not accounts else f"acct-{number // 2 % accounts:05d}"


def fill(store: SqliteStore, first: str, campaigns: int, entries: int, accounts: int) -> None:
    sample = load_contract().sample_request
    for number in range(campaigns):
        data = dict(sample, name=f"Campaign {number}", id=f"cd-{number:032x}", createdAt="2026-01-01T00:00:00.000Z")
        store.add_campaign(owner(number, first, accounts), "st-1", f"campaign {number}", data)
    body = json.dumps(sample)
    for number in range(entries):
        account = owner(number, first, accounts)
        store.record(JournalEntry(
            method="POST", path="/campaign/api/v2/public/st-1/campaign",
            query=f"accountId={account}&campaignType=voice",
            headers={"accountid": account, "iid": "st-1", "auth": "<redacted>", "content-type": "application/json"},
            body=body, status=200, errors=[], latency_ms=1.5, at=f"2026-01-01T00:00:{number * 60 // entries:02d}.000Z",
            accounts=frozenset({account})))
    store.journal(limit=1)  # writes the last batch


def timed(what: str, call) -> float:
    started = time.perf_counter()
    call()
    took = (time.perf_counter() - started) * 1000
    print(f"  {what:<44} {took:9.1f} ms")
    return took


def parse_arguments() -> argparse.Namespace | None:
    """The command line's sizes; None, once said on stderr, if one is out of range."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--campaigns", type=whole_number, default=100_000, metavar="N",
                        help="campaigns, half of them the first account's (default 100000, 2 to 2000000)")
    parser.add_argument("--entries", type=whole_number, default=100_000, metavar="N",
                        help="journal entries, a full journal (default 100000, 1 to 1000000)")
    parser.add_argument("--accounts", type=whole_number, default=3_000, metavar="N",
                        help="accounts besides the default tenant's (default 3000, 0 to 100000)")
    parser.add_argument("--names", type=whole_number, default=2_000, metavar="N",
                        help="more contact lists, DNC lists, caller IDs and queues in the first account (default 2000,"
                        " 0 to 100000)")
    args = parser.parse_args()
    if not (2 <= args.campaigns <= 2_000_000 and 1 <= args.entries <= 1_000_000 and 0 <= args.accounts <= 100_000
            and 0 <= args.names <= 100_000):
        print("sandbox_scale: --campaigns must be 2 to 2000000, --entries 1 to 1000000, --accounts and --names 0 to"
              " 100000", file=sys.stderr)
        return None
    return args


def grow(workdir: Path, args: argparse.Namespace) -> tuple[Path, Path, str]:
    """The sandbox's database and tenant file, written in `workdir`, and its first (biggest) account."""
    database, tenant = workdir / "mock.sqlite3", workdir / "tenant.json"
    first = tenant_file(tenant, args.accounts, args.names)
    started = time.perf_counter()
    store = SqliteStore(str(database), journal_limit=args.entries)
    fill(store, first, args.campaigns, args.entries, args.accounts)
    store.close()
    print(f"{args.campaigns} campaigns and {args.entries} journal entries written in"
          f" {time.perf_counter() - started:.1f} s; database {database.stat().st_size / 1e6:.0f} MB, tenant file"
          f" {tenant.stat().st_size / 1e6:.1f} MB")
    return database, tenant, first


def listings(first: str, campaigns: int) -> dict[str, str]:
    """The admin API's reads to time, by what each one asks."""
    deep = max(campaigns - 20, 0)
    return {
        "health": "/__admin/health",
        "campaigns, first page": "/__admin/campaigns?limit=100",
        f"campaigns, offset={deep}": f"/__admin/campaigns?limit=100&offset={deep}",
        "campaigns of the big account, 2,000": f"/__admin/campaigns?limit=2000&accountId={first}",
        f"  the same at offset={campaigns // 3}":
            f"/__admin/campaigns?limit=100&accountId={first}&offset={campaigns // 3}",
        "campaigns by name": "/__admin/campaigns?name=CAMPAIGN%2012",
        "campaigns by a stream no campaign is on": "/__admin/campaigns?streamId=st-none",
        "campaign by id": f"/__admin/campaigns/cd-{campaigns // 2:032x}",
        "journal, first page": "/__admin/requests?limit=100",
        "journal of one account": f"/__admin/requests?limit=100&accountId={first}",
        "journal since": "/__admin/requests?limit=100&since=2026-01-01T00:00:30Z",
        "tenant": "/__admin/tenant",
    }


def time_admin_api(client, first: str, campaigns: int) -> bool:
    """Time each listing, a delete and two resets; False, once said on stderr, if a listing is not answered 200."""
    answers = []

    def read(target: str) -> None:
        answers.append(client.get(target))
        answers[-1].get_data()  # a listing is streamed: read to its end

    for name, target in listings(first, campaigns).items():
        timed(name, lambda target=target: read(target))
        if answers[-1].status_code != 200:
            print(f"sandbox_scale: {target} answered {answers[-1].status_code}", file=sys.stderr)
            return False
    timed("delete a campaign by id", lambda: client.delete(f"/__admin/campaigns/cd-{1:032x}"))
    timed("reset of the big account", lambda: client.post(f"/__admin/reset?accountId={first}"))
    timed("reset of everything", lambda: client.post("/__admin/reset"))
    return True


def main() -> int:
    args = parse_arguments()
    if args is None:
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="bench-sandbox-"))
    try:
        database, tenant, first = grow(workdir, args)
        config = {"DATABASE": str(database), "TENANT": str(tenant), "JOURNAL_LIMIT": args.entries}
        apps = []
        timed("create_app (each worker builds one)", lambda: apps.append(create_app(config)))
        try:
            if not time_admin_api(apps[0].test_client(), first, args.campaigns):
                return 1
        finally:
            apps[0].extensions["mock"].store.close()
        print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB;"
              f" database after the reset {database.stat().st_size / 1e3:.0f} KB")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0

if __name__ == "__main__":
    raise SystemExit(main())
