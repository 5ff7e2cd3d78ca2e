"""SIGKILL the whole server (master and workers) in the middle of a load, restart it on the same database: every
campaign acknowledged with a 200 is there, once, and SQLite's integrity check passes. Three kills in a row, each
at a different point of the load, on one database."""

from __future__ import annotations

import signal
import time

import requests

from mockserver import process

KILL_AFTER = (150, 600, 1200)  # acknowledged creates before each kill: early, mid and late in a load
CLIENTS = 32


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the load"
        time.sleep(0.005)


def killed_under_load(database: str, campaign_load, prefix: str, kill_after: int) -> tuple:
    """Start a server, run 32 clients until `kill_after` creates are acknowledged, then SIGKILL its group."""
    server = process.start("--db", database, "--workers", "2", "--threads", "4")
    load = campaign_load(server.url, prefix)
    clients = load.run([None] * CLIENTS)
    try:
        wait_for(lambda: len(load.acked) >= kill_after)
    finally:
        server.kill(signal.SIGKILL)
        load.stop.set()
        for client in clients:
            client.join(timeout=30)
    return server, load


def listed(url: str) -> dict[str, str]:
    answer = requests.get(f"{url}/__admin/campaigns", params={"limit": 10_000}, timeout=30).json()
    return {c["campaign"]["name"]: c["campaign"]["id"] for c in answer["campaigns"]}


def test_acknowledged_creates_survive_a_sigkill_of_the_process_group(tmp_path, url, headers, campaign_load,
                                                                      stored_campaigns, integrity_check):
    database, acked = str(tmp_path / "mock.sqlite3"), {}
    for round_, count in enumerate(KILL_AFTER):
        server, load = killed_under_load(database, campaign_load, f"kill{round_}", count)
        assert server.process.returncode == -signal.SIGKILL
        assert load.statuses["connection error"] > 0, load.statuses  # requests were in flight when it died
        assert set(load.statuses) <= {200, "connection error"}, load.statuses
        acked |= load.acked

    with process.running("--db", database) as restarted:
        found = listed(restarted.url)
        after = requests.post(f"{restarted.url}{url}", json=load.body | {"name": "after the kills"},
                              headers=headers, timeout=30)
    missing = {name: id_ for name, id_ in acked.items() if found.get(name) != id_}
    assert not missing, f"{len(missing)} acknowledged campaign(s) lost, e.g. {list(missing.items())[:3]}"
    rows = stored_campaigns(database)
    assert len({id_ for id_, _ in rows}) == len(rows) == len(found) + 1  # distinct ids; +1: after the restart
    assert integrity_check(database) == "ok"
    assert after.status_code == 200
    print(f"\n{len(acked)} acknowledged across {len(KILL_AFTER)} kills, all found; "
          f"{len(found) - len(acked)} more were stored whose answer the kill cut off")
