"""The forms a --base-url takes in a CI job: a gateway's path prefix, a trailing slash, a port, an upper-case scheme or
host, a user:password@ (never shown), an IPv6 literal. Each reaches the endpoint where the service has it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

from contract_tests.calls import build_call
from contract_tests.runner import Runner
from contract_tests.suite import load_suite
from contract_tests.target import Target, tenant_facts
from mockserver.app import create_app
from mockserver.tenant import load_tenant
from mockserver.testing import serve

PREFIX = "/gateway/kore"


def behind_a_gateway(seen: list[dict]):
    """The mock under PREFIX, as a gateway serves it (the prefix taken off), noting each request it is sent."""
    app = create_app({"DATABASE": ":memory:"})

    def gateway(environ, start_response):
        seen.append({"path": environ["PATH_INFO"], "host": environ.get("HTTP_HOST"),
                     "authorization": environ.get("HTTP_AUTHORIZATION")})
        if not environ["PATH_INFO"].startswith(f"{PREFIX}/"):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"no such path"]
        environ["PATH_INFO"] = environ["PATH_INFO"].removeprefix(PREFIX)
        return app(environ, start_response)

    return gateway


def first_case(base_url: str) -> tuple[int, str]:
    """The first case's status at `base_url`, and the runner's label for the target."""
    suite = load_suite()
    target = Target(base_url, tenant_facts(load_tenant(), {}), is_local=False)
    runner = Runner(suite, target, "ct-0000abcd-", allow_writes=False, timeout=5)
    case = next(case for case in suite.cases if not case.before and not case.writes)
    try:
        return runner.send(build_call(suite.base, target, case.request, runner.prefix, 1), case).status, target.label
    finally:
        runner.close()


@pytest.mark.parametrize(("written", "label"), [
    ("http://127.0.0.1:{port}/gateway/kore", "http://127.0.0.1:{port}/gateway/kore"),
    ("http://127.0.0.1:{port}/gateway/kore/", "http://127.0.0.1:{port}/gateway/kore/"),
    ("HTTP://LOCALHOST:{port}/gateway/kore", "HTTP://LOCALHOST:{port}/gateway/kore"),
    ("http://ci-user:s3cret@127.0.0.1:{port}/gateway/kore", "http://***@127.0.0.1:{port}/gateway/kore"),
], ids=["prefix", "trailing slash", "upper case", "userinfo"])
def test_a_base_url_reaches_the_endpoint_under_its_path(written, label):
    seen: list[dict] = []
    with serve(behind_a_gateway(seen)) as url:
        port = url.rsplit(":", 1)[1]
        status, shown = first_case(written.format(port=port))
    assert status == 401  # the first case sends no token: the endpoint's own answer, not the gateway's 404
    assert seen[0]["path"].startswith(f"{PREFIX}/campaign/api/v2/public/") and "//" not in seen[0]["path"]
    assert shown == label.format(port=port) and "s3cret" not in shown
    assert (seen[0]["authorization"] or "").startswith("Basic ") == ("@" in written)  # for a gateway that wants one


@contextmanager
def served_on_ipv6(app) -> Iterator[int]:
    server = make_server("::1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def test_an_ipv6_literal_base_url_reaches_the_endpoint(ipv6_loopback):
    seen: list[dict] = []
    with served_on_ipv6(behind_a_gateway(seen)) as port:
        status, shown = first_case(f"http://[::1]:{port}{PREFIX}")
    assert status == 401 and seen[0]["host"] == f"[::1]:{port}"
    assert shown == f"http://[::1]:{port}{PREFIX}"
