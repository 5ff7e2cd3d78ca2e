"""The fixtures every test file may use; the plugins named in pytest_plugins below (tests/network.py,
tests/campaign_load.py, tests/fronts.py, tests/commands.py) add more.

Here: the contract and the seeded tenant, an app with a client and valid credentials, the contract suite run as a
user runs it, PEM files, ports (one where no server answers, one to serve on), and `mockserver serve` processes a
module's tests share.
"""

from __future__ import annotations

import copy
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

from mockserver import process
from mockserver.app import create_app
from mockserver.auth import mint_token
from mockserver.contract import load_contract
from mockserver.store import SqliteStore
from mockserver.tenant import load_tenant

# leftovers: the run fails if its tests leave files behind; network: an IPv6 loopback, a server of bare sockets;
# campaign_load: parallel creates against a served mock, and what its database file then holds; fronts: WSGI that
# answers in the service's place (a gateway's page, a rate limit); commands: `python -m mockserver ...` run to its end;
# frozen_page: the copy of the vendor page the generator's tests quote
pytest_plugins = ["pytester", "leftovers", "stores_left", "network", "campaign_load", "fronts", "commands",
                  "frozen_page"]

CLOCK = "2025-12-04T10:50:56.762Z"


def _cancelled(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure(config: pytest.Config) -> None:
    """A run cancelled with SIGTERM (`timeout`, a CI job stopped) unwinds as Ctrl-C does, so each test stops the
    servers it started: they run in sessions of their own, and outlived a run that died where it stood."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _cancelled)
    if getattr(config.option, "dist", "no") == "load" and not _dist_chosen(config):
        # `-n N` alone means xdist's "load", which hands each worker a batch of the tests still to run: a batch of
        # the slowest files (servers waited on, subprocesses) left one worker running them for half a minute at the
        # end while the other had nothing to do. "worksteal" gives an idle worker half of another's tests.
        config.option.dist = "worksteal"


@pytest.hookimpl(optionalhook=True)  # `-p no:xdist` leaves the hook unknown: pytest stopped with an internal error
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto`: two workers a core, not one. The tests spend about half their time waiting (a server's start, a
    timeout run out, a subprocess's end), and one worker a core left the cores that idle: on 2 cores, 4 workers ran
    the suite in less time. PYTEST_XDIST_AUTO_NUM_WORKERS, if set, is xdist's own to read."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return 2 * cores


def _dist_chosen(config: pytest.Config) -> bool:
    """Whether the command line (or PYTEST_ADDOPTS) names a --dist mode, which is then the one used."""
    args = [*config.invocation_params.args, *shlex.split(os.environ.get("PYTEST_ADDOPTS", ""))]
    return any(arg in ("-d", "--dist", "--distload") or arg.startswith("--dist=") for arg in args)


LOOPBACK = ("127.0.0.1", "localhost", "::1")


@pytest.fixture(scope="session", autouse=True)
def loopback_bypasses_proxies():
    """The tests talk only to servers they start on this machine: an HTTP_PROXY of the machine's (without NO_PROXY,
    as on some CI machines) sent their requests, and those of the commands they run, to a proxy that cannot reach
    them. Tests of the product's own handling of proxies set the variables they need."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("NO_PROXY", "no_proxy"):
            given = [host for host in os.environ.get(name, "").split(",") if host.strip()]
            patch.setenv(name, ",".join([*given, *LOOPBACK]))
        yield


@pytest.fixture(scope="session", autouse=True)
def working_directory(tmp_path_factory):
    """The tests run in an empty folder beside their temporary ones, wherever pytest was started: the mock names
    a file relative to the working directory when it is under it, so a test expecting a temporary file's full
    path failed when pytest ran from `/` or with TMPDIR inside the checkout."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path_factory.mktemp("cwd"))
        yield


@pytest.fixture(scope="session")
def contract():
    return load_contract()


@pytest.fixture(scope="session")
def tenant():
    return load_tenant()


@pytest.fixture
def app(tmp_path):
    """A mock app on its own database; its store is closed after the test (its files and connections let go)."""
    app = create_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "SEED": 7, "CLOCK": CLOCK})
    yield app
    app.extensions["mock"].store.close()


@pytest.fixture
def make_app():
    """make_app(config): create_app(config), its store closed after the test, for a test that needs apps of its own
    making (stores_left fails a test that leaves one open)."""
    made: list = []

    def make(config: dict[str, Any] | None = None):
        made.append(create_app(config))
        return made[-1]

    yield make
    for app in made:
        app.extensions["mock"].store.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def account(tenant):
    return tenant.default_account


@pytest.fixture
def token(account):
    app = account.apps[0]
    return mint_token(app.client_id, app.client_secret)


@pytest.fixture
def sample_body(contract) -> dict[str, Any]:
    return copy.deepcopy(contract.sample_request)


@pytest.fixture
def url(account):
    return f"/campaign/api/v2/public/{account.streams[0]}/campaign?accountId={account.account_id}&campaignType=voice"


@pytest.fixture
def headers(token, account):
    return {"auth": token, "accountid": account.account_id, "iid": account.streams[0]}


@pytest.fixture
def post(client, url, headers):
    """POST a body (a dict or list is sent as JSON) with the default tenant's valid credentials, or overrides."""
    default_url, default_headers = url, headers

    def send(body: Any = None, *, url: str | None = None, headers: dict | None = None, **kwargs: Any):
        sent = dict(default_headers if headers is None else headers)
        if isinstance(body, dict | list):
            return client.post(url or default_url, json=body, headers=sent, **kwargs)
        kwargs.setdefault("content_type", "application/json")
        return client.post(url or default_url, data=body, headers=sent, **kwargs)

    return send


def error_fields(response) -> list[str | None]:
    return [e.get("field") for e in response.get_json()["errors"]]


@pytest.fixture(name="error_fields")
def error_fields_fixture():
    return error_fields


# --- the contract suite run as a user runs it (tests/test_contract_suite_*.py) ---------------------------

CONTRACT_SUITE = str(Path(__file__).resolve().parent.parent / "contract_tests")
CONTRACT_ENVIRONMENT = (
    "CONTRACT_BASE_URL", "CONTRACT_CASES", "KORE_CLIENT_ID", "KORE_CLIENT_SECRET", "KORE_ACCOUNT_ID", "KORE_STREAM_ID"
)


@pytest.fixture(name="first_case_answer")
def first_case_answer_fixture():
    """first_case_answer(url, timeout=5): what the suite's runner makes of its first case's request to a stand-in
    target at `url`, the status it got or the TargetError's line (the transport's failure, said in one line)."""
    from contract_tests.calls import build_call
    from contract_tests.runner import Runner, TargetError
    from contract_tests.suite import load_suite
    from contract_tests.target import Target, tenant_facts

    def first_case_answer(url: str, timeout: float = 5) -> str:
        suite = load_suite()
        target = Target(url, tenant_facts(load_tenant(), {}), is_local=False)
        runner = Runner(suite, target, "ct-0000abcd-", allow_writes=False, timeout=timeout)
        case = next(case for case in suite.cases if not case.before and not case.writes)
        try:
            return str(runner.send(build_call(suite.base, target, case.request, runner.prefix, 1), case).status)
        except TargetError as exc:
            return str(exc)
        finally:
            runner.close()

    return first_case_answer


@pytest.fixture
def no_contract_target(monkeypatch):
    """No target setting of this shell (CONTRACT_BASE_URL, KORE_*) reaches a contract-suite run a test starts."""
    for name in CONTRACT_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def run_contract_suite(pytester, monkeypatch, no_contract_target):
    """`run_contract_suite(*args, subprocess=False, timeout=120)`: run `pytest contract_tests ARGS`; returns pytester's
    RunResult, or fails the test where the run takes more than `timeout` seconds (in either process).

    The run sees no target settings from this shell and loads no third-party pytest plugins: the suite needs none.
    Its terminal is 80 columns whatever this one's is: pytest cuts its summary lines to the width, so what a test
    finds in them would depend on it.

    It runs in this process (pytester's runpytest_inprocess): a subprocess spent about 0.5 s of each run importing
    pytest and the mock, 5 s of every 6 in the files that run the suite most. It runs in a subprocess with
    `subprocess=True` (a test that names a plugin module through PYTHONPATH, which only a new interpreter reads);
    wherever it starts pytest-xdist workers, which write to the file descriptors they inherit, which only a
    subprocess's output holds, so a traceback of theirs would otherwise go unseen; and where a test lets the
    installed plugins load: in this process pytest finds their packages imported already, and says it cannot
    rewrite their asserts, an error under the suite's `filterwarnings = error`.
    """
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setenv("COLUMNS", "80")

    def run(*args: str, subprocess: bool = False, timeout: float = CONTRACT_SUITE_TIMEOUT):
        if subprocess or "xdist" in args or not os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
            return pytester.runpytest_subprocess(CONTRACT_SUITE, "-p", "no:cacheprovider", *args, timeout=timeout)
        result, fired = None, list[str]()
        try:
            with _deadline(timeout, fired):
                result = pytester.runpytest_inprocess(CONTRACT_SUITE, "-p", "no:cacheprovider", *args)
        except OverTime:  # fired outside the run's session, which otherwise takes it as its Ctrl-C
            pass
        if fired:
            output = "" if result is None else "\n".join([*result.outlines, *result.errlines][-40:])
            pytest.fail(f"the contract suite's run took more than {timeout:g} s and was stopped; it was at\n"
                        f"{fired[0]}\nits output:\n{output}", pytrace=False)
        return result

    return run


CONTRACT_SUITE_TIMEOUT = 120  # seconds, for a run in this process as for one in a subprocess


class OverTime(KeyboardInterrupt):
    """What _deadline raises in the main thread: a KeyboardInterrupt, so that a contract-suite run in this process
    ends its session as on Ctrl-C (it reports any other exception as a test's failure and goes on)."""


@contextmanager
def _deadline(seconds: float, fired: list[str]) -> Iterator[None]:
    """Raise OverTime in this thread once `seconds` have passed within the block, after adding to `fired` where the
    thread was (its innermost calls).

    A run in this process had no timeout, where pytester's subprocess has one: a contract-suite run that hung (a
    target that never answers, a lock never let go) held its CI job until the job's own limit. SIGALRM, not a
    thread's timer: a signal also ends a blocking call (a socket read, a lock's wait), and its handler then raises.
    Signals reach the main thread alone: elsewhere, or where there is no setitimer, there is no deadline."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def alarm(signum: int, frame: Any) -> None:
        fired.append("".join(traceback.format_stack(frame)[-12:]))
        raise OverTime(f"over {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _self_signed(folder, name: str) -> tuple[str, str]:
    """A certificate for localhost and 127.0.0.1 and its key, made with the README's openssl command."""
    cert, key = folder / f"{name}-cert.pem", folder / f"{name}-key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return str(cert), str(key)


@pytest.fixture(scope="session")
def pems(tmp_path_factory):
    """PEM files: a self-signed certificate (its own CA), its key, both in one file, and another certificate."""
    if shutil.which("openssl") is None:
        pytest.skip("the HTTPS tests make their certificates with the openssl command, which is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = _self_signed(folder, "server")
    other, other_key = _self_signed(folder, "other")
    both = folder / "both.pem"
    both.write_text(Path(key).read_text(encoding="utf-8") + Path(cert).read_text(encoding="utf-8"), encoding="utf-8")
    return {"cert": cert, "key": key, "both": str(both), "ca": cert, "other": other, "other_key": other_key}


@pytest.fixture
def workers(tmp_path):
    """Two stores on one database file, standing in for two workers; closed after the test."""
    database = str(tmp_path / "mock.sqlite3")
    first, second = SqliteStore(database), SqliteStore(database)
    yield first, second
    first.close()
    second.close()


@pytest.fixture
def free_port():
    """A 127.0.0.1 port where a client finds no server (its connection is refused), for the whole test: a socket
    holds it bound, not listening, so no server started meanwhile (another test's, on port 0) can be given it."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield holder.getsockname()[1]


@pytest.fixture
def port_to_serve_on() -> Iterator[int]:
    """A 127.0.0.1 port that nothing listens on, for a server the test starts there with --port: an ephemeral one,
    held bound for the whole test with SO_REUSEADDR and not listening, so that a server binding it as gunicorn does
    (SO_REUSEADDR too) can listen on it, but none started meanwhile on port 0 (another test's) can be given it. Bound
    and closed at once, it could: the server then found its port taken, or the test another server there. For a test
    that needs the port before its server starts; any other starts its server on port 0."""
    with socket.socket() as holder:
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        holder.bind(("127.0.0.1", 0))
        yield holder.getsockname()[1]


@pytest.fixture(scope="module")
def minted() -> dict[str, str]:
    """A token of the default tenant, as `mockserver token --json` prints it: token, accountId and streamId (valid a
    day; a module takes seconds)."""
    # imported here, not at the top: a plugin imported before pytest_plugins loads it escapes assertion rewriting
    from commands import mockserver_command

    return json.loads(mockserver_command("token", "--json", check=True).stdout)


# --- `mockserver serve` processes a module's tests share --------------------------------------------------


class SharedMock:
    """A shared `mockserver serve` process as one test sees it: its output is what the server wrote from the test's
    start on, so a line that an earlier test caused cannot pass or fail this one."""

    def __init__(self, server: process.ServerProcess) -> None:
        self.server = server
        self.since = len(server.output)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def address(self) -> tuple[str, int]:
        return self.server.address

    @property
    def output(self) -> list[str]:
        return self.server.output[self.since:]


class _Servers:
    """`mockserver serve` processes, one per command line, each started when a test first asks for it and stopped
    all at once by stop(): a start and a stop (about 0.7 s; 2.5 s for gthread workers, which linger 2 s on
    kept-alive connections as they stop) cost more than most tests that use one. What a server wrote as it stopped,
    which a test of its own would have seen, must hold no traceback either. A server runs with the environment of
    the test that started it: a test that sets variables for its server starts one of its own."""

    def __init__(self) -> None:
        self.started: dict[tuple[str, ...], process.ServerProcess] = {}
        self.every: list[process.ServerProcess] = []

    def __call__(self, *serve_args: str, verify: bool | str = True) -> process.ServerProcess:
        known = self.started.get(serve_args)
        if known is None or known.process.poll() is not None:  # one that died is not handed to the next test
            self.started[serve_args] = process.start(*serve_args, verify=verify)
            self.every.append(self.started[serve_args])
        return self.started[serve_args]

    def stop(self) -> None:
        stoppers = [threading.Thread(target=server.kill) for server in self.every]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join()
        for server in self.every:
            assert "Traceback" not in "".join(server.output), "".join(server.output)


# The plain mock, `mockserver serve --db :memory:`, which tests of many modules ask for only to send it requests: one
# for the run (each xdist worker's), not one a module. Any other command line is the module's own.
PLAIN = ("--db", ":memory:")


@pytest.fixture(scope="session")
def session_mock_processes():
    """The `mockserver serve` processes of the whole run (only PLAIN's), as mock_processes hands a module's."""
    servers = _Servers()
    try:
        yield servers
    finally:
        servers.stop()


@pytest.fixture(scope="module")
def mock_processes(session_mock_processes):
    """`mock_processes(*serve_args, verify=...)`: the module's `mockserver serve` process for those arguments
    (_Servers), stopped after the module; PLAIN's is the run's (session_mock_processes)."""
    servers = _Servers()

    def get(*serve_args: str, verify: bool | str = True) -> process.ServerProcess:
        if serve_args == PLAIN and verify is True:
            return session_mock_processes(*serve_args)
        return servers(*serve_args, verify=verify)

    try:
        yield get
    finally:
        servers.stop()


@pytest.fixture
def shared_mock(mock_processes):
    """`shared_mock(*serve_args, verify=...)`: the module's server for those arguments, reset (no campaigns, journal
    or fault rules left by an earlier test) and seen from this test's start (SharedMock)."""

    def get(*serve_args: str, verify: bool | str = True) -> SharedMock:
        server = mock_processes(*serve_args, verify=verify)
        reset = requests.post(f"{server.url}/__admin/reset", timeout=10, verify=verify)
        assert reset.status_code == 200, reset.text
        return SharedMock(server)

    return get
