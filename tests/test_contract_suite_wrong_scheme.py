"""`http://` sent to a port that speaks HTTPS stops the run in one line, as a redirect does, naming https://."""

from __future__ import annotations

import pytest

from mockserver import process
from mockserver.testing import serve


def nginx_on_an_https_port(environ, start_response):
    """What nginx answers to plain HTTP on a port it serves with TLS."""
    start_response("400 Bad Request", [("Content-Type", "text/html")])
    return [b"<html><head><title>400 The plain HTTP request was sent to HTTPS port</title></head>"
            b"<body><center><h1>400 Bad Request</h1></center></body></html>"]


def assert_stopped_naming_https(result: pytest.RunResult, said: str) -> None:
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()
    result.stdout.fnmatch_lines([f"*contract suite: */*: http://127.0.0.1:* answers 400, '{said}': that port speaks"
                                 " HTTPS; give the base URL as https://127.0.0.1:*"])
    assert "failed" not in result.stdout.str() and "Traceback" not in result.stdout.str()


def test_plain_http_to_nginx_on_an_https_port_stops_the_run(run_contract_suite):
    with serve(nginx_on_an_https_port) as url:
        result = run_contract_suite("--base-url", url)
    assert_stopped_naming_https(result, "The plain HTTP request was sent to HTTPS port")


def test_plain_http_to_the_mock_serving_https_stops_the_run(run_contract_suite, pems, tmp_path):
    with process.running("--db", str(tmp_path / "mock.sqlite3"), "--certfile", pems["cert"], "--keyfile", pems["key"],
                         verify=pems["ca"]) as server:
        result = run_contract_suite("--base-url", server.url.replace("https://", "http://"))
    assert_stopped_naming_https(result, "This port speaks HTTPS")


def test_the_https_address_given_keeps_the_base_urls_path_and_drops_an_upper_case_scheme(run_contract_suite):
    """`--base-url HTTP://host:port/gateway/kore` was told to give `https://HTTP://host:port/gateway/kore`."""
    with serve(nginx_on_an_https_port) as url:
        result = run_contract_suite("--base-url", url.replace("http://", "HTTP://") + "/gateway/kore", "-k", "auth")
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()
    result.stdout.fnmatch_lines(["*that port speaks HTTPS; give the base URL as https://127.0.0.1:*/gateway/kore !"])
    assert "https://HTTP" not in result.stdout.str()
