"""How long `GET /__admin/requests` takes on a full journal, with each filter.

    python benchmarks/journal_listing.py [--entries 100000] [--repeat 5]

Fills a throwaway database with journal entries shaped like the mock's own (the vendor's sample request, one
in five refused with a 400, two accounts), then asks the admin API for the newest 100 entries and their total,
unfiltered, with each filter and as `mockserver journal --follow` polls it, and prints the median time of each
in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from mockserver.app import create_app
from mockserver.commands.arguments import whole_number
from mockserver.contract import load_contract
from mockserver.redaction import REDACTED
from mockserver.store import JournalEntry

LISTINGS = {
    "unfiltered": "",
    "status=4xx": "status=4xx",
    "status=200": "status=200",
    "method=POST": "method=POST",
    "path=glob": "path=/campaign/*",
    "path=*part*": "path=*/st-1/*",  # not a start of a path: matched by the mock's own function (mockserver.path_glob)
    "accountId": "accountId=acct-2",
    "since": "since=2026-11-26T12:00:00Z",
    "offset=50000": "offset=50000",
    # `mockserver journal --follow --account-id X` polls with the newest id it has seen ({last}: 10 entries ago)
    "follow poll": "accountId=acct-2&after={last}",
}


def fill(store, entries: int) -> None:
    body = json.dumps(load_contract().sample_request)
    for number in range(entries):
        account = f"acct-{number % 2 + 1}"
        refused = number % 5 == 0
        store.record(JournalEntry(
            method="POST", path="/campaign/api/v2/public/st-1/campaign",
            query=f"accountId={account}&campaignType=voice",
            headers={"accountid": account, "iid": "st-1", "auth": REDACTED, "content-type": "application/json"},
            body=body, status=400 if refused else 200,
            errors=[{"msg": "name is required", "code": 4001}] if refused else [], latency_ms=1.5,
            at=f"2026-11-26T{number * 24 // entries:02d}:00:00.000Z",
            accounts=frozenset({account}),  # as the journal records the account a request names
        ))
    store.journal(limit=1)  # writes the last batch


def time_listings(client, entries: int, repeat: int) -> bool:
    """Print each listing's median time and total; False, once said on stderr, if one is not answered 200."""
    for name, query in LISTINGS.items():
        times, total = [], None
        for _ in range(repeat):
            started = time.perf_counter()
            answer = client.get(f"/__admin/requests?{query.format(last=entries - 10)}")
            times.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200:
                print(f"journal_listing: {name} answered {answer.status_code}: {answer.data[:200]!r}",
                      file=sys.stderr)
                return False
            total = answer.get_json()["total"]
        print(f"  {name:<14} {statistics.median(times):7.1f} ms  (total {total})")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=whole_number, default=100_000, metavar="N",
                        help="journal entries to fill it with (default 100000, 1 to 1000000)")
    parser.add_argument("--repeat", type=whole_number, default=5, metavar="N",
                        help="times each listing is timed, the median printed (default 5, 1 to 100)")
    args = parser.parse_args()
    if not 1 <= args.entries <= 1_000_000 or not 1 <= args.repeat <= 100:
        print("journal_listing: --entries must be 1 to 1000000 and --repeat 1 to 100", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="bench-journal-"))
    try:
        app = create_app({"DATABASE": str(workdir / "mock.sqlite3"), "JOURNAL_LIMIT": args.entries})
        try:  # closed before its folder goes: its threads would read a database removed under them
            started = time.perf_counter()
            fill(app.extensions["mock"].store, args.entries)
            print(f"{args.entries} journal entries written in {time.perf_counter() - started:.1f} s")
            if not time_listings(app.test_client(), args.entries, args.repeat):
                return 1
        finally:
            app.extensions["mock"].store.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
