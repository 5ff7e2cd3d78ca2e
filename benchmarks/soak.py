"""A shared QA sandbox under weeks of mixed traffic, compressed into minutes: does anything keep growing?

    python benchmarks/soak.py [--minutes 4] [--rate 100] [--workers 2] [--threads 1] [--journal-limit 2000]
                              [--hup-every 15] [--reset-every 40] [--sample-every 10]

Starts `mockserver serve` on a throwaway on-disk `--db` with a small `--journal-limit` (so the journal is full and
trims from the first minute) and drives it at about `--rate` requests a second: valid creates, every request of the
bad-input corpus (`fixtures/bad-inputs.json`: each failure class of the endpoint), 60 KB and deeply nested bodies,
clients that stop mid-body or close mid-body, admin listings (journal and campaigns, first and deep pages),
fault rules added and removed, SIGHUP reloads (`--hup-every` seconds; 0: none) and account resets. Every
`--sample-every` seconds it prints each server process's RSS, open file descriptors and threads, the database file's
size with its -wal and -shm, and the journal's entries; at the end, each figure's first and last sample after the
first minute (workers are new after each SIGHUP: run with `--hup-every 0` to watch one worker's whole life).
Not a test: it prints numbers. Keep it at a modest rate on a shared machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests

from mockserver import process
from mockserver.bad_inputs import CASES, corpus_values, fill, raw_request
from mockserver.commands.arguments import decimal_number, whole_number
from mockserver.contract import load_contract
from mockserver.tenant import load_tenant

SLOW = {case["id"] for case in CASES if case["expect"]["status"] == 408}  # each holds its connection for seconds
# Failures of the admin API and of X-Mock-Fault, which the corpus (the endpoint's) has not: (method, target, headers)
ADMIN_FAILURES = [
    ("GET", "/__admin/requests?limit=all", {}),
    ("GET", "/__admin/requests?status=4**", {}),
    ("GET", "/__admin/faults?accountId=x", {}),
    ("GET", "/__admin/requests/abc", {}),
    ("GET", "/__admin/campaigns/cd-nope", {}),
    ("GET", "/__admin/nope", {}),
    ("GET", "{api}?accountId={account}&campaignType=voice", {"X-Mock-Fault": "slow=1"}),
]


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii").split()]
    except OSError:
        return []


def proc_figures(pid: int) -> tuple[int, int, int]:
    """(RSS in KB, open fds, threads) of a process; zeros if it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        return (int(fields["VmRSS"].split()[0]), len(os.listdir(f"/proc/{pid}/fd")), int(fields["Threads"]))
    except (OSError, KeyError, ValueError):
        return (0, 0, 0)


def size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


class Traffic:
    def __init__(self, url: str, rate: float, stop: threading.Event) -> None:
        self.url, self.rate, self.stop = url, rate, stop
        self.tenant = load_tenant()
        self.account = self.tenant.default_account
        self.stream = self.account.streams[0]
        self.values = corpus_values(self.tenant)
        self.sample = load_contract().sample_request
        self.endpoint = f"{url}/campaign/api/v2/public/{self.stream}/campaign"
        self.params = {"accountId": self.account.account_id, "campaignType": "voice"}
        self.headers = {"auth": self.values["token"], "accountid": self.account.account_id, "iid": self.stream}
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()
        self.created = 0

    def tally(self, what: str) -> None:
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + 1

    def paced(self, share: float, step) -> None:
        """Run `step` at `share` of the rate until stopped; errors are counted, not raised."""
        every = 1.0 / max(self.rate * share, 0.01)
        session = requests.Session()
        session.trust_env = False
        while not self.stop.is_set():
            began = time.monotonic()
            try:
                step(session)
            except (requests.RequestException, OSError) as error:
                self.tally(f"client error {type(error).__name__}")
            self.stop.wait(max(0.0, every - (time.monotonic() - began)))
        session.close()

    def create(self, session: requests.Session) -> None:
        self.created += 1
        body = dict(self.sample, name=f"soak {os.getpid()} {self.created} {random.random()}")
        answer = session.post(self.endpoint, params=self.params, headers=self.headers, json=body, timeout=30)
        self.tally(f"create {answer.status_code}")

    def bad(self, session: requests.Session) -> None:
        if random.random() < 0.1:
            method, target, headers = random.choice(ADMIN_FAILURES)
            answer = session.request(method, self.url + fill(target, self.values), timeout=30,
                                     headers={**self.headers, **headers})
            self.tally(f"bad {answer.status_code}")
            return
        case = random.choice([case for case in CASES if case["id"] not in SLOW])
        self.tally(f"bad {self.raw(raw_request(case['request'], self.values, self.sample, self.netloc()))}")

    def big(self, session: requests.Session) -> None:
        if random.random() < 0.5:
            body = json.dumps(dict(self.sample, name="x" * 60_000))
        else:
            depth = random.choice([100, 1000, 5000])
            body = json.dumps(dict(self.sample, extra="[" * depth + "]" * depth))
        answer = session.post(self.endpoint, params=self.params, data=body, timeout=30,
                              headers={**self.headers, "Content-Type": "application/json"})
        self.tally(f"big {answer.status_code}")

    def slow(self, session: requests.Session) -> None:
        """A client that stops mid-body: closes, or stalls until the mock's 408 (a corpus 408 case)."""
        if random.random() < 0.5:
            case = random.choice([case for case in CASES if case["id"] in SLOW])
            self.tally(f"slow {self.raw(raw_request(case['request'], self.values, self.sample, self.netloc()))}")
            return
        body = json.dumps(self.sample).encode()
        target = f"{urlsplit(self.endpoint).path}?accountId={self.account.account_id}&campaignType=voice"
        head = (f"POST {target} HTTP/1.1\r\n"
                f"Host: {self.netloc()}\r\nauth: {self.values['token']}\r\naccountid: {self.account.account_id}\r\n"
                f"iid: {self.stream}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
        where = urlsplit(self.url)
        with socket.create_connection((where.hostname, where.port), timeout=30) as sock:
            sock.sendall(head.encode() + body[: len(body) // 3])
            time.sleep(0.3)
        self.tally("slow closed")

    def admin(self, session: requests.Session) -> None:
        choice = random.random()
        if choice < 0.3:
            path, params = "/__admin/requests", {"limit": random.choice([10, 100, 1000]),
                                                  "offset": random.choice([0, 0, 500, 1500])}
        elif choice < 0.5:
            path, params = "/__admin/campaigns", {"limit": 100, "offset": random.choice([0, 1000])}
        elif choice < 0.6:
            path, params = "/__admin/requests", {"status": "4xx", "accountId": self.account.account_id}
        elif choice < 0.8:
            answer = session.post(f"{self.url}/__admin/faults", timeout=30,
                                  json={"fault": "status=503", "path": "/nowhere/*", "count": 1})
            if answer.status_code == 201:
                session.delete(f"{self.url}/__admin/faults/{answer.json()['id']}", timeout=30)
            self.tally(f"fault {answer.status_code}")
            return
        else:
            path, params = "/__admin/health", {}
        answer = session.get(f"{self.url}{path}", params=params, timeout=30)
        self.tally(f"admin {answer.status_code}")

    def netloc(self) -> str:
        return urlsplit(self.url).netloc

    def raw(self, data: bytes) -> str:
        where = urlsplit(self.url)
        with socket.create_connection((where.hostname, where.port), timeout=30) as sock:
            try:
                sock.sendall(data)
            except OSError:
                pass
            first = sock.recv(64).split(b"\r\n", 1)[0]
        parts = first.split()
        return parts[1].decode() if len(parts) > 1 else "no answer"


def pages(database: str) -> tuple[int, int]:
    """(pages, free pages) of the database file, read in one short query."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)) as conn:
            return conn.execute("PRAGMA page_count").fetchone()[0], conn.execute("PRAGMA freelist_count").fetchone()[0]
    except sqlite3.Error:
        return (-1, -1)


def sample(server, database: str, began: float) -> dict:
    master = server.process.pid
    workers = children(master)
    figures = {"t": round(time.monotonic() - began), "master": proc_figures(master),
               "workers": [proc_figures(pid) for pid in workers], "pids": workers,
               "db": size(database), "wal": size(database + "-wal"), "shm": size(database + "-shm"),
               "pages": pages(database)}
    try:
        health = requests.get(f"{server.url}/__admin/health", timeout=30).json()
        figures["journal"] = health["journal"]["entries"]
        figures["campaigns"] = health["campaigns"]
    except (requests.RequestException, ValueError, KeyError):
        figures["journal"] = figures["campaigns"] = -1
    return figures


def show(figures: dict) -> None:
    m = figures["master"]
    workers = "  ".join(f"{rss // 1024}MB/{fds}fd/{threads}th" for rss, fds, threads in figures["workers"])
    print(f"{figures['t']:5d}s  master {m[0] // 1024}MB/{m[1]}fd/{m[2]}th  workers {workers}  "
          f"db {figures['db'] // 1024}KB wal {figures['wal'] // 1024}KB shm {figures['shm'] // 1024}KB  "
          f"pages {figures['pages'][0]} free {figures['pages'][1]}  journal {figures['journal']}  "
          f"campaigns {figures['campaigns']}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=decimal_number, default=4.0,
                        help="how long it runs (default 4, above 0, at most 5)")
    parser.add_argument("--rate", type=decimal_number, default=100.0, metavar="N",
                        help="requests a second, all kinds together (default 100, 1 to 150)")
    parser.add_argument("--workers", type=whole_number, default=2, metavar="N",
                        help="as `mockserver serve` (default 2, 1 to 8)")
    parser.add_argument("--threads", type=whole_number, default=1, metavar="N",
                        help="as `mockserver serve`; 1 means sync workers (default 1, 1 to 16)")
    parser.add_argument("--journal-limit", type=whole_number, default=2000, metavar="N",
                        help="as `mockserver serve`: small, so the journal trims from the start (default 2000, 10 to"
                        " 1000000)")
    parser.add_argument("--hup-every", type=decimal_number, default=15.0, metavar="SECONDS",
                        help="a SIGHUP reload this often (default 15; 0: none)")
    parser.add_argument("--reset-every", type=decimal_number, default=40.0, metavar="SECONDS",
                        help="an account's reset this often (default 40; 0: none)")
    parser.add_argument("--sample-every", type=decimal_number, default=10.0, metavar="SECONDS",
                        help="the server's figures printed this often (default 10, 1 to 60)")
    options = parser.parse_args()
    if not (0 < options.minutes <= 5 and 1 <= options.rate <= 150 and 1 <= options.workers <= 8
            and 1 <= options.threads <= 16 and 10 <= options.journal_limit <= 1_000_000 and options.hup_every >= 0
            and options.reset_every >= 0 and 1 <= options.sample_every <= 60):
        print("soak: --minutes must be above 0 and at most 5, --rate 1 to 150 requests a second, --workers 1 to 8,"
              " --threads 1 to 16, --journal-limit 10 to 1000000, --hup-every and --reset-every 0 (never) or"
              " more, --sample-every 1 to 60", file=sys.stderr)
        return 2
    folder = tempfile.mkdtemp(prefix="mock-soak-")
    database = os.path.join(folder, "mock.sqlite3")
    stop = threading.Event()
    try:
        server = process.start("--db", database, "--workers", str(options.workers), "--threads",
                               str(options.threads), "--journal-limit", str(options.journal_limit),
                               "--idle-timeout", "1", "--body-timeout", "3")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    try:
        traffic = Traffic(server.url, options.rate, stop)
        shares = [(0.5, traffic.create), (0.3, traffic.bad), (0.05, traffic.big), (0.01, traffic.slow),
                  (0.14, traffic.admin)]
        threads = [threading.Thread(target=traffic.paced, args=share, daemon=True) for share in shares]
        for thread in threads:
            thread.start()
        began = last_hup = last_reset = time.monotonic()
        samples = []
        while time.monotonic() - began < options.minutes * 60:
            time.sleep(options.sample_every)
            now = time.monotonic()
            if options.hup_every and now - last_hup >= options.hup_every:
                os.kill(server.process.pid, signal.SIGHUP)
                last_hup = now
            if options.reset_every and now - last_reset >= options.reset_every:
                try:  # a mock that cannot answer it is what the samples and the counts show: no traceback here
                    requests.post(f"{server.url}/__admin/reset", params={"accountId": traffic.account.account_id},
                                  timeout=30)
                except (requests.RequestException, OSError) as error:
                    traffic.tally(f"client error {type(error).__name__} (reset)")
                last_reset = now
            samples.append(sample(server, database, began))
            show(samples[-1])
        stop.set()
        for thread in threads:
            thread.join(timeout=40)
        print("requests:", json.dumps(dict(sorted(traffic.counts.items()))))
        settled = [figures for figures in samples if figures["t"] >= 60] or samples
        first, last = settled[0], settled[-1]
        print(f"from {first['t']} s to {last['t']} s: master RSS {first['master'][0]} -> {last['master'][0]} KB, "
              f"fds {first['master'][1]} -> {last['master'][1]}, threads {first['master'][2]} -> {last['master'][2]}; "
              f"workers RSS {[w[0] for w in first['workers']]} -> {[w[0] for w in last['workers']]} KB, "
              f"fds {[w[1] for w in first['workers']]} -> {[w[1] for w in last['workers']]}; "
              f"db {first['db']} -> {last['db']}, wal {first['wal']} -> {last['wal']} (longest "
              f"{max(figures['wal'] for figures in samples)})")
        tracebacks = "".join(server.output).count("Traceback")
        print(f"tracebacks in the server's log: {tracebacks}")
    finally:
        stop.set()
        server.kill()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
