"""`mockserver serve` and its tenant file: read once, checked, and read again only on SIGHUP.

Workers build their app after the fork, and gunicorn starts new ones on SIGHUP and whenever one dies. They read
the tenant file each time, so an edit half done (or a file removed) made the next worker fail to build and gunicorn
halt the whole mock, with a traceback per worker.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
import requests
from commands import mockserver_command

from mockserver import process
from mockserver.paths import DEFAULT_TENANT


@pytest.fixture
def tenant_file(tmp_path):
    path = tmp_path / "tenant.json"
    shutil.copy(DEFAULT_TENANT, path)
    return path


def _create(server, body: dict, name: str) -> requests.Response:
    minted = json.loads(mockserver_command("token", "--json", "--tenant", str(DEFAULT_TENANT), check=True).stdout)
    return requests.post(
        f"{server.url}/campaign/api/v2/public/{minted['streamId']}/campaign",
        params={"accountId": minted["accountId"], "campaignType": "voice"}, json=dict(body, name=name), timeout=10,
        headers={"auth": minted["token"], "accountid": minted["accountId"], "iid": minted["streamId"]})


def _wait_for(server, text: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while text not in "".join(server.output):
        assert time.monotonic() < deadline, "".join(server.output)[-3000:]
        time.sleep(0.1)


def _workers(server) -> set[int]:
    found = subprocess.run(["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True, encoding="utf-8")
    return {int(pid) for pid in found.stdout.split()}


def _wait_for_new_workers(server, old: set[int], count: int, seconds: float = 20) -> set[int]:
    deadline = time.monotonic() + seconds
    while True:
        now = _workers(server)
        if len(now) == count and not now & old:
            return now
        assert time.monotonic() < deadline, (old, now, "".join(server.output)[-3000:])
        time.sleep(0.1)


def test_a_broken_tenant_file_on_sighup_keeps_the_mock_serving_the_tenant_before(tenant_file, contract):
    with process.running("--db", ":memory:", "--workers", "2", "--tenant", str(tenant_file)) as server:
        before = _workers(server)
        tenant_file.write_text('{"accounts": [', encoding="utf-8")  # an edit half done
        os.kill(server.process.pid, signal.SIGHUP)
        _wait_for(server, "SIGHUP: kept the tenant read before")
        _wait_for_new_workers(server, before, 2)
        answer = _create(server, contract.sample_request, "After a broken edit")
        assert server.process.poll() is None
    assert answer.status_code == 200, answer.text
    output = "".join(server.output)
    assert "tenant file is not valid JSON" in output and "Traceback" not in output, output


def test_a_good_tenant_file_on_sighup_is_what_the_new_workers_serve(tenant_file, contract):
    with process.running("--db", ":memory:", "--workers", "2", "--tenant", str(tenant_file)) as server:
        assert _create(server, contract.sample_request, "Before the edit").status_code == 200
        tenant = json.loads(tenant_file.read_text(encoding="utf-8"))
        tenant["accounts"][0]["queues"] = [queue for queue in tenant["accounts"][0]["queues"]
                                           if queue["name"] != contract.sample_request["queue_name"]]
        tenant_file.write_text(json.dumps(tenant), encoding="utf-8")
        before = _workers(server)
        os.kill(server.process.pid, signal.SIGHUP)
        _wait_for(server, "SIGHUP: workers restart with")
        _wait_for_new_workers(server, before, 2)
        answer = _create(server, contract.sample_request, "After the edit")
        kept = requests.get(f"{server.url}/__admin/campaigns", timeout=10).json()["campaigns"]
    assert answer.status_code == 400, answer.text  # the queue it names is gone from the tenant
    assert [entry["campaign"]["name"] for entry in kept] == ["Before the edit"]  # --db :memory: survives a SIGHUP
    assert any("queue" in error["msg"].lower() for error in answer.json()["errors"]), answer.json()


def test_a_worker_that_dies_is_replaced_though_the_tenant_file_is_gone(tenant_file, contract):
    """A worker killed (by the kernel's OOM killer, say) is restarted by gunicorn, from the tenant checked at start."""
    with process.running("--db", ":memory:", "--workers", "1", "--tenant", str(tenant_file)) as server:
        [worker] = _workers(server)
        tenant_file.unlink()
        os.kill(worker, signal.SIGKILL)
        _wait_for_new_workers(server, {worker}, 1)
        answer = _create(server, contract.sample_request, "After the file went")
        assert server.process.poll() is None
    assert answer.status_code == 200, answer.text


def test_a_sighup_with_stderr_gone_keeps_the_mock_serving(tenant_file):
    """The reload hook's line to a log pipe whose reader had died raised in the master, which stopped the mock."""
    read_end, write_end = os.pipe()
    command = [sys.executable, "-m", "mockserver", "serve", "--host", "127.0.0.1", "--port", "0", "--db", ":memory:",
               "--workers", "1", "--log-level", "info", "--tenant", str(tenant_file)]
    server = subprocess.Popen(command, stderr=write_end, stdout=subprocess.DEVNULL, start_new_session=True)
    os.close(write_end)
    try:
        with os.fdopen(read_end, encoding="utf-8") as log:
            line = ""
            while "Listening at: " not in line:
                line = log.readline()
                assert line, "the mock did not start"
        url = line.split("Listening at: ")[1].split()[0]
        assert requests.get(f"{url}/__admin/health", timeout=10).status_code == 200
        before = {int(pid) for pid in subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True,
                                                     text=True, encoding="utf-8").stdout.split()}
        os.kill(server.pid, signal.SIGHUP)  # the log's reader is gone: the master's next line meets a broken pipe
        deadline = time.monotonic() + 20
        while server.poll() is None and time.monotonic() < deadline:
            now = {int(pid) for pid in subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True,
                                                      text=True, encoding="utf-8").stdout.split()}
            if now and not now & before:
                break  # the reload went through
            time.sleep(0.1)
        assert server.poll() is None, "the mock stopped"
        assert requests.get(f"{url}/__admin/health", timeout=10).status_code == 200
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
