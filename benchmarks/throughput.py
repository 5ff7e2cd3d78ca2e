"""Throughput, latency and memory of the mock against a minimal Flask app under the same gunicorn settings.

    python benchmarks/throughput.py [--duration 10] [--connections 16] [--workers 2] [--threads 1] [--rounds 3]
                                    [--mock-args=--no-journal]

Loads each server with the vendor's sample request (a unique name per request, so each is a real create)
using wrk, and prints req/s, p50, p99, the ratio, and the peak resident memory of all server processes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from mockserver import process
from mockserver.auth import mint_token
from mockserver.commands.arguments import whole_number
from mockserver.contract import load_contract
from mockserver.tenant import load_tenant

HERE = Path(__file__).resolve().parent
BUSY_WARNING = 0.25  # the share of all cores' time other work may take before the run without a warning


def machine_busy(seconds: float = 1.0) -> float | None:
    """The share of all cores' time spent other than idle (or waiting on a disk) over `seconds`, from Linux's
    /proc/stat; None where it cannot be read. A loop left running elsewhere took the ratio from 0.40 to 0.35 x."""
    def sample() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as stat:
            ticks = [int(field) for field in stat.readline().split()[1:]]
        return sum(ticks), ticks[3] + ticks[4]  # all, idle + iowait

    try:
        first = sample()
        time.sleep(seconds)
        then = sample()
    except (OSError, ValueError, IndexError):
        return None
    spent = then[0] - first[0]
    return None if spent <= 0 else 1 - (then[1] - first[1]) / spent


def group_stats(pgid: int) -> list[tuple[Path, list[str]]]:
    """(/proc entry, fields of its stat line after the command name) for each live process of the group."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text(encoding="utf-8") if entry.name.isdigit() else ""
            fields = stat.rsplit(")", 1)[1].split() if stat else []
            if fields and int(fields[2]) == pgid:
                found.append((entry, fields))
        except (OSError, ValueError, IndexError):
            continue
    return found


def group_rss_bytes(pgid: int) -> int:
    total = 0
    for entry, _ in group_stats(pgid):
        try:
            for line in (entry / "status").read_text(encoding="utf-8").splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except (OSError, ValueError):
            continue
    return total


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU of the group's live processes: what serving cost, whatever else the machine did."""
    ticks = sum(int(fields[11]) + int(fields[12]) for _, fields in group_stats(pgid))
    return ticks / os.sysconf("SC_CLK_TCK")


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
    return process.start_gunicorn(command)


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
    result = subprocess.run(command, capture_output=True, text=True, env=run_env, check=True, encoding="utf-8")
    return parse_wrk(result.stdout)


def measure(name: str, server: process.ServerProcess, path: str, env: dict, args) -> dict[str, float]:
    memory = PeakMemory(server.process.pid)
    try:
        load(server.url, path, env, argparse.Namespace(**{**vars(args), "duration": 2}))  # warm-up
        cpu_before = group_cpu_seconds(server.process.pid)
        figures = load(server.url, path, env, args)
        figures["cpu_us"] = (group_cpu_seconds(server.process.pid) - cpu_before) / figures["requests"] * 1e6
    finally:
        figures_peak = memory.stop()
        server.kill()
    figures["peak_mb"] = figures_peak / 2**20
    print(f"{name:>8}: {figures['rps']:8.0f} req/s  p50 {figures['p50']:6.2f} ms  p99 {figures['p99']:6.2f} ms"
          f"  server CPU {figures['cpu_us']:5.0f} us/req  peak RSS {figures['peak_mb']:6.1f} MB"
          f"  non-2xx {figures['errors']}/{figures['requests']}")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=whole_number, default=10, metavar="SECONDS",
                        help="each wrk run's length (default 10, 1 to 3600)")
    parser.add_argument("--connections", type=whole_number, default=16, metavar="N",
                        help="wrk's open connections (default 16, 1 to 10000)")
    parser.add_argument("--workers", type=whole_number, default=2, metavar="N",
                        help="gunicorn workers of each server, as `mockserver serve` (default 2, 1 to 64)")
    parser.add_argument("--threads", type=whole_number, default=1, metavar="N",
                        help="as `mockserver serve`; 1 means sync workers (default 1, 1 to 256)")
    parser.add_argument("--rounds", type=whole_number, default=3, metavar="N",
                        help="alternating runs of each server; medians reported (default 3, 1 to 100)")
    parser.add_argument("--mock-args", type=shlex.split, default=[], metavar="OPTIONS",
                        help="more `mockserver serve` options, e.g. --mock-args=--no-journal (default: none)")
    args = parser.parse_args()
    if not (1 <= args.duration <= 3600 and 1 <= args.connections <= 10_000 and 1 <= args.workers <= 64
            and 1 <= args.threads <= 256 and 1 <= args.rounds <= 100):
        print("throughput: --duration must be 1 to 3600 seconds, --connections 1 to 10000, --workers 1 to 64,"
              " --threads 1 to 256 and --rounds 1 to 100", file=sys.stderr)
        return 2
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    busy = machine_busy()
    if busy is not None and busy > BUSY_WARNING:
        print(f"warning: the machine's cores were {busy:.0%} busy with other work before the run: the figures will be"
              " low and uneven; run it on an idle machine", file=sys.stderr)
    tenant, contract = load_tenant(), load_contract()
    account, app = tenant.default_account, tenant.default_account.apps[0]
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    body = dict(contract.sample_request, name="__NAME__")
    (workdir / "body.json").write_text(json.dumps(body), encoding="utf-8")
    env = {"BENCH_TOKEN": mint_token(app.client_id, app.client_secret), "BENCH_ACCOUNT": account.account_id,
           "BENCH_STREAM": account.streams[0], "BENCH_BODY": str(workdir / "body.json")}
    path = (f"/campaign/api/v2/public/{account.streams[0]}/campaign"
            f"?accountId={account.account_id}&campaignType=voice")
    print(f"gunicorn {args.workers} workers x {args.threads} threads, wrk {args.connections} connections,"
          f" {args.duration} s per run, {args.rounds} alternating rounds, {os.cpu_count()} cores"
          + (f"; mock with {shlex.join(args.mock_args)}" if args.mock_args else ""))
    rounds: dict[str, list[dict[str, float]]] = {"minimal": [], "mock": []}
    try:
        for n in range(args.rounds):
            rounds["minimal"].append(measure("minimal", start_minimal(args.workers, args.threads), path, env, args))
            mock_server = process.start("--db", str(workdir / f"mock-{n}.sqlite3"), "--workers", str(args.workers),
                                        "--threads", str(args.threads), *args.mock_args)
            rounds["mock"].append(measure("mock", mock_server, path, env, args))
    except RuntimeError as exc:  # a server that did not start: its own output says why
        print(f"throughput: {exc}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return summarise(rounds)


def summarise(rounds: dict[str, list[dict[str, float]]]) -> int:
    """Medians over the rounds: a shared 2-core machine drifts between runs, so one run proves little."""
    base = {key: statistics.median(r[key] for r in rounds["minimal"]) for key in ("rps", "p50", "p99", "cpu_us")}
    mock = {key: statistics.median(r[key] for r in rounds["mock"]) for key in ("rps", "p50", "p99", "cpu_us")}
    peak = max(r["peak_mb"] for r in rounds["mock"])
    ratios = [m["rps"] / b["rps"] for b, m in zip(rounds["minimal"], rounds["mock"], strict=True)]
    print(f" medians: minimal {base['rps']:.0f} req/s (p50 {base['p50']:.2f} ms, p99 {base['p99']:.2f} ms);"
          f" mock {mock['rps']:.0f} req/s (p50 {mock['p50']:.2f} ms, p99 {mock['p99']:.2f} ms)")
    # Each round's two runs are back to back, so the median of the rounds' ratios is steadier on a machine whose
    # speed drifts than the ratio of the two medians (which can pair runs minutes apart).
    print(f"   ratio: {statistics.median(ratios):.2f} x the minimal app's req/s (target >= 0.80; per round"
          f" {', '.join(f'{r:.2f}' for r in ratios)}); mock p99 {mock['p99']:.2f} ms (target < 20);"
          f" mock peak RSS {peak:.1f} MB (target < 150)")
    print(f"     CPU: minimal {base['cpu_us']:.0f} us/req, mock {mock['cpu_us']:.0f} us/req: the mock serves"
          f" {base['cpu_us'] / mock['cpu_us']:.2f} x as many requests per CPU-second")
    return 0 if all(r["errors"] == 0 for r in rounds["mock"]) else 1


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    raise SystemExit(main())
