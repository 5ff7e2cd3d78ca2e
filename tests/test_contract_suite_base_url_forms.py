"""The forms a --base-url takes in a CI job: a gateway's path prefix, a trailing slash, a port, an upper-case scheme or
host, a user:password@ (never shown), an IPv6 literal. Each reaches the endpoint where the service has it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

from contract_tests.target import Target, tenant_facts
from mockserver.tenant import load_tenant
from mockserver.testing import serve

PREFIX = "/gateway/kore"


def behind_a_gateway(make_app, seen: list[dict]):
    """The mock under PREFIX, as a gateway serves it (the prefix taken off), noting each request it is sent."""
    app = make_app({"DATABASE": ":memory:"})

    def gateway(environ, start_response):
        seen.append({"path": environ["PATH_INFO"], "host": environ.get("HTTP_HOST"),
                     "authorization": environ.get("HTTP_AUTHORIZATION")})
        if not environ["PATH_INFO"].startswith(f"{PREFIX}/"):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"no such path"]
        environ["PATH_INFO"] = environ["PATH_INFO"].removeprefix(PREFIX)
        return app(environ, start_response)

    return gateway


def shown(base_url: str) -> str:
    """How the suite names the target at `base_url` (its label, credentials hidden)."""
    return Target(base_url, tenant_facts(load_tenant(), {}), is_local=False).label


@pytest.mark.parametrize(("written", "label"), [
    ("http://127.0.0.1:{port}/gateway/kore", "http://127.0.0.1:{port}/gateway/kore"),
    ("http://127.0.0.1:{port}/gateway/kore/", "http://127.0.0.1:{port}/gateway/kore/"),
    ("HTTP://LOCALHOST:{port}/gateway/kore", "HTTP://LOCALHOST:{port}/gateway/kore"),
    ("http://ci-user:s3cret@127.0.0.1:{port}/gateway/kore", "http://***@127.0.0.1:{port}/gateway/kore"),
], ids=["prefix", "trailing slash", "upper case", "userinfo"])
def test_a_base_url_reaches_the_endpoint_under_its_path(written, label, first_case_answer, make_app):
    seen: list[dict] = []
    with serve(behind_a_gateway(make_app, seen)) as url:
        port = url.rsplit(":", 1)[1]
        answer = first_case_answer(written.format(port=port))
    assert answer == "401"  # the first case sends no token: the endpoint's own answer, not the gateway's 404
    assert seen[0]["path"].startswith(f"{PREFIX}/campaign/api/v2/public/") and "//" not in seen[0]["path"]
    named = shown(written.format(port=port))
    assert named == label.format(port=port) and "s3cret" not in named
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


def test_an_ipv6_literal_base_url_reaches_the_endpoint(ipv6_loopback, first_case_answer, make_app):
    seen: list[dict] = []
    with served_on_ipv6(behind_a_gateway(make_app, seen)) as port:
        answer = first_case_answer(f"http://[::1]:{port}{PREFIX}")
    assert answer == "401" and seen[0]["host"] == f"[::1]:{port}"
    assert shown(f"http://[::1]:{port}{PREFIX}") == f"http://[::1]:{port}{PREFIX}"
