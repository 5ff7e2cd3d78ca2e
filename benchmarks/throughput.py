"""Throughput, latency and memory of the mock against a minimal Flask app under the same gunicorn settings.

    python benchmarks/throughput.py [--duration 10] [--connections 16] [--workers 2] [--threads 4]

Loads each server with the vendor's sample request (a unique name per request, so each is a real create)
using wrk, and prints req/s, p50, p99, the ratio, and the peak resident memory of all server processes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from mockserver import process
from mockserver.auth import mint_token
from mockserver.contract import load_contract
from mockserver.tenant import load_tenant

HERE = Path(__file__).resolve().parent


def group_rss_bytes(pgid: int) -> int:
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[2]) != pgid:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            continue
    return total


class PeakMemory:
    """Samples the summed RSS of a process group every 50 ms."""

    def __init__(self, pgid: int) -> None:
        self.pgid, self.peak, self._stop = pgid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, group_rss_bytes(self.pgid))
            self._stop.wait(0.05)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def start_minimal(workers: int, threads: int) -> process.ServerProcess:
    command = [sys.executable, "-m", "gunicorn", "--bind", "127.0.0.1:0", "--workers", str(workers),
               "--threads", str(threads), "--worker-class", "gthread" if threads > 1 else "sync",
               "--log-level", "info", "--no-control-socket", "--chdir", str(HERE), "minimal_app:app"]
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            start_new_session=True)
    server = process.ServerProcess(proc)
    found = threading.Event()
    server.reader = threading.Thread(target=process._pump, args=(server, found), daemon=True)
    server.reader.start()
    found.wait(30)
    process._wait_for_workers(server, time.monotonic() + 30)
    return server


def parse_wrk(output: str) -> dict[str, float]:
    def millis(text: str) -> float:
        value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    percentiles = dict(re.findall(r"^\s+(\d+)%\s+([\d.]+(?:us|ms|s))$", output, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": millis(percentiles["50"]),
        "p99": millis(percentiles["99"]),
        "errors": int(non2xx.group(1)) if non2xx else 0,
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
    }


def load(url: str, path: str, env: dict[str, str], args: argparse.Namespace) -> dict[str, float]:
    command = ["wrk", "-t", "2", "-c", str(args.connections), "-d", f"{args.duration}s", "--latency",
               "-s", str(HERE / "post.lua"), url + path]
    run_env = os.environ | env | {"BENCH_RUN": os.urandom(4).hex()}  # names stay unique across wrk runs
    result = subprocess.run(command, capture_output=True, text=True, env=run_env, check=True)
    return parse_wrk(result.stdout)


def measure(name: str, server: process.ServerProcess, path: str, env: dict, args) -> dict[str, float]:
    memory = PeakMemory(server.process.pid)
    try:
        load(server.url, path, env, argparse.Namespace(**{**vars(args), "duration": 2}))  # warm-up
        figures = load(server.url, path, env, args)
    finally:
        figures_peak = memory.stop()
        server.kill()
    figures["peak_mb"] = figures_peak / 2**20
    print(f"{name:>8}: {figures['rps']:8.0f} req/s  p50 {figures['p50']:6.2f} ms  p99 {figures['p99']:6.2f} ms"
          f"  peak RSS {figures['peak_mb']:6.1f} MB  non-2xx {figures['errors']}/{figures['requests']}")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    tenant, contract = load_tenant(), load_contract()
    account, app = tenant.default_account, tenant.default_account.apps[0]
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    body = dict(contract.sample_request, name="__NAME__")
    (workdir / "body.json").write_text(json.dumps(body))
    env = {"BENCH_TOKEN": mint_token(app.client_id, app.client_secret), "BENCH_ACCOUNT": account.account_id,
           "BENCH_STREAM": account.streams[0], "BENCH_BODY": str(workdir / "body.json")}
    path = (f"/campaign/api/v2/public/{account.streams[0]}/campaign"
            f"?accountId={account.account_id}&campaignType=voice")
    print(f"gunicorn {args.workers} workers x {args.threads} threads, wrk {args.connections} connections,"
          f" {args.duration} s, {os.cpu_count()} cores")
    try:
        base = measure("minimal", start_minimal(args.workers, args.threads), path, env, args)
        mock_server = process.start("--db", str(workdir / "mock.sqlite3"), "--workers", str(args.workers),
                                    "--threads", str(args.threads))
        mock = measure("mock", mock_server, path, env, args)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    ratio = mock["rps"] / base["rps"]
    print(f"   ratio: {ratio:.2f} x the minimal app's req/s (target >= 0.80); mock p99 {mock['p99']:.2f} ms"
          f" (target < 20); mock peak RSS {mock['peak_mb']:.1f} MB (target < 150)")
    return 0 if mock["errors"] == 0 else 1


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    raise SystemExit(main())
