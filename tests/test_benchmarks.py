"""The benchmark scripts run and report what they measured (their figures are in the README, not asserted here)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from mockserver.paths import PROJECT_ROOT


def benchmark(script: str, *args: str) -> subprocess.CompletedProcess:
    """Run benchmarks/`script` with `args`, its output captured."""
    return subprocess.run([sys.executable, str(PROJECT_ROOT / "benchmarks" / script), *args], capture_output=True,
                          text=True, timeout=120, encoding="utf-8")


def test_journal_listing_times_each_filter_and_reports_its_total():
    result = benchmark("journal_listing.py", "--entries", "500", "--repeat", "1")
    assert result.returncode == 0, result.stderr
    totals = dict(re.findall(r"^\s+(\S+)\s+[\d.]+ ms\s+\(total (\d+)\)$", result.stdout, re.MULTILINE))
    assert totals == {"unfiltered": "500", "status=4xx": "100", "status=200": "400", "method=POST": "500",
                      "path=glob": "500", "path=*part*": "500", "accountId": "250", "since": "250",
                      "offset=50000": "500"}, result.stdout


def test_journal_listing_refuses_a_size_it_cannot_mean_in_one_line():
    result = benchmark("journal_listing.py", "--entries", "0")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "--entries" in result.stderr, result.stderr


def test_sandbox_scale_times_each_admin_request_on_a_grown_sandbox():
    result = benchmark("sandbox_scale.py", "--campaigns", "300", "--entries", "200", "--accounts", "20",
                       "--names", "10")
    assert result.returncode == 0, result.stderr
    timed = re.findall(r"^\s+(\S.*?)\s+[\d.]+ ms$", result.stdout, re.MULTILINE)
    assert len(timed) == 16 and timed[0].startswith("create_app") and timed[-1] == "reset of everything", timed
    assert re.search(r"^peak memory \d+ MB; database after the reset \d+ KB$", result.stdout, re.MULTILINE)


def test_sandbox_scale_refuses_a_size_it_cannot_mean_in_one_line():
    result = benchmark("sandbox_scale.py", "--campaigns", "1")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "--campaigns" in result.stderr, result.stderr


def test_soak_samples_the_served_mock_under_mixed_traffic():
    # 6 s, a sample every 2: a SIGHUP and a reset at 4 s, and a sample of the new workers after them
    result = benchmark("soak.py", "--minutes", "0.1", "--rate", "40", "--sample-every", "2", "--hup-every", "3",
                       "--reset-every", "3")
    assert result.returncode == 0, result.stderr
    samples = re.findall(r"^\s+\d+s  master \d+MB/\d+fd/\d+th  workers .* journal (\d+)  campaigns (\d+)$",
                         result.stdout, re.MULTILINE)
    assert len(samples) >= 2, result.stdout
    assert re.search(r'^requests: \{.*"create 200": \d+', result.stdout, re.MULTILINE), result.stdout
    assert re.search(r"^tracebacks in the server's log: 0$", result.stdout, re.MULTILINE), result.stdout


def test_soak_refuses_a_run_it_should_not_make_in_one_line():
    result = benchmark("soak.py", "--rate", "1000")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "--rate" in result.stderr, result.stderr


def test_throughput_finds_the_machine_busy_when_other_work_takes_its_cores():
    """The throughput script warns before it measures on a machine other work keeps busy: a loop left running
    elsewhere took the ratio it printed from 0.40 to 0.35 x, and nothing said so."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("throughput", PROJECT_ROOT / "benchmarks" / "throughput.py")
    throughput = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(throughput)
    loops = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 1)]
    try:
        busy = throughput.machine_busy(0.5)
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()
    assert busy is not None and busy > throughput.BUSY_WARNING, busy


def test_journal_listing_closes_the_store_it_filled(monkeypatch, capsys):
    """The benchmark's app is closed before its folder is removed: left open, its checkpoint and journal threads
    kept reading a database deleted under them until the process ended (sandbox_scale.py closes its own)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("journal_listing", PROJECT_ROOT / "benchmarks" / "journal_listing.py")
    journal_listing = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(journal_listing)
    apps = []
    made = journal_listing.create_app
    monkeypatch.setattr(journal_listing, "create_app", lambda config: apps.append(made(config)) or apps[-1])
    monkeypatch.setattr(sys, "argv", ["journal_listing.py", "--entries", "50", "--repeat", "1"])
    assert journal_listing.main() == 0, capsys.readouterr().err
    assert [app.extensions["mock"].store.closed for app in apps] == [True]


def test_throughput_refuses_a_run_it_cannot_mean_in_one_line():
    """`--rounds 0` measured nothing and ended in a StatisticsError traceback; `--duration 0`, in wrk's
    CalledProcessError once the servers had started."""
    result = benchmark("throughput.py", "--rounds", "0")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "--rounds 1 to 100" in result.stderr, result.stderr


@pytest.mark.parametrize(("script", "option", "typed"), [
    ("throughput.py", "--rounds", "1_0"), ("throughput.py", "--duration", "+5"), ("soak.py", "--minutes", "1e0"),
    ("journal_listing.py", "--entries", "5_00"), ("sandbox_scale.py", "--names", "+0"),
])
def test_a_benchmark_s_number_option_takes_the_digits_0_9_alone(script, option, typed):
    """int() and float() took `--rounds 1_0` as 10 and `--minutes 1e0` as 1, as `mockserver serve` did."""
    result = benchmark(script, option, typed)
    assert result.returncode == 2
    assert f"argument {option}: must be " in result.stderr and f"(got {typed!r})" in result.stderr, result.stderr


def options_in_help(script: str) -> dict[str, str]:
    """Each option of benchmarks/`script`'s --help, with its help text."""
    shown = benchmark(script, "--help").stdout.split("\noptions:\n", 1)[1]
    return {match[1]: " ".join(match[2].split()) for match in
            re.finditer(r"^  (--[\w-]+)(.*?)(?=^  -|\Z)", shown, flags=re.MULTILINE | re.DOTALL)
            if match[1] != "--help"}


def test_each_benchmark_s_options_are_in_the_readme_with_the_defaults_its_help_names():
    """The README's synopsis of soak.py left out --sample-every; and no benchmark's --help said its defaults or the
    bounds it refuses values outside, which the README now gives beside each synopsis."""
    readme = " ".join((PROJECT_ROOT / "README.md").read_text(encoding="utf-8").split())
    synopses = {match[1]: dict(re.findall(r"\[(--[\w-]+)[ =]([^\]]+)\]", match[2])) for match in
                re.finditer(r"python benchmarks/(\w+\.py)((?: \[--[\w-]+[ =][^\]]+\])+)", readme)}
    assert sorted(synopses) == ["journal_listing.py", "sandbox_scale.py", "soak.py", "throughput.py"]
    for script, shown in synopses.items():
        helps = options_in_help(script)
        assert sorted(helps) == sorted(shown), script
        wrong = [f"{option} {value}" for option, value in shown.items()
                 if not value.startswith("-") and f"(default {value}," not in helps[option]
                 and f"(default {value};" not in helps[option]]
        assert wrong == [], (script, helps)
