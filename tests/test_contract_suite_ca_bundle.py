"""A CA bundle variable naming no file: one usage line before the run, and never a traceback during it."""

from __future__ import annotations

import shutil
import subprocess
from contextlib import contextmanager

import pytest
import requests

from contract_tests.calls import build_call
from contract_tests.runner import Runner, TargetError
from contract_tests.suite import load_suite
from contract_tests.target import Target, tenant_facts
from mockserver.admin_client import UNTRUSTED_CERTIFICATE
from mockserver.app import create_app
from mockserver.tenant import load_tenant
from mockserver.testing import serve


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
def test_a_ca_bundle_that_does_not_exist_is_one_usage_line(run_contract_suite, monkeypatch, tmp_path, variable):
    """Each of ~115 cases failed with a full `OSError: Could not find a suitable TLS CA certificate bundle`."""
    monkeypatch.setenv(variable, str(tmp_path / "nope.pem"))
    result = run_contract_suite("--base-url", "https://127.0.0.1:9")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: contract suite: {variable} names {tmp_path}/nope.pem, which does not exist:"
                                 " point it at a PEM file that trusts the target's certificate, or unset it*"])
    assert "Traceback" not in result.stderr.str() + result.stdout.str()


class BundleGone(requests.Session):
    """What requests raises when the CA bundle it was told to use is not there (it went missing mid-run)."""

    def request(self, *args, **kwargs):
        raise OSError("Could not find a suitable TLS CA certificate bundle, invalid path: /tmp/nope.pem")


def test_a_ca_bundle_gone_mid_run_is_a_target_error_not_a_traceback():
    suite = load_suite()
    target = Target("https://127.0.0.1:9", tenant_facts(load_tenant(), {}), is_local=False)
    runner = Runner(suite, target, "ct-0000abcd-", allow_writes=False)
    runner.http = BundleGone()
    case = next(case for case in suite.cases if not case.before and not case.writes)
    with pytest.raises(TargetError, match="no answer from https://127.0.0.1:9: OSError: Could not find a suitable TLS"
                                          " CA certificate bundle, invalid path: /tmp/nope.pem"):
        runner.send(build_call(suite.base, target, case.request, runner.prefix, 1), case)


@contextmanager
def tls_server(cert: str, key: str):
    """A TLS server on 127.0.0.1 (an ephemeral port) with the given certificate; yields its https:// base URL."""
    with serve(create_app({"DATABASE": ":memory:"}), ssl_context=(cert, key)) as url:
        yield url


def no_answer(url: str) -> str:
    suite = load_suite()
    target = Target(url, tenant_facts(load_tenant(), {}), is_local=False)
    runner = Runner(suite, target, "ct-0000abcd-", allow_writes=False, timeout=5)
    case = next(case for case in suite.cases if not case.before and not case.writes)
    try:
        with pytest.raises(TargetError) as raised:
            runner.send(build_call(suite.base, target, case.request, runner.prefix, 1), case)
    finally:
        runner.close()
    return str(raised.value)


def test_a_certificate_for_another_host_is_named_as_such_not_as_untrusted(pems, tmp_path, monkeypatch):
    """The bundle already trusted it, yet the line said "a self-signed certificate? point REQUESTS_CA_BUNDLE..."."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    cert, key = tmp_path / "elsewhere-cert.pem", tmp_path / "elsewhere-key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj",
                    "/CN=elsewhere.invalid", "-addext", "subjectAltName=DNS:elsewhere.invalid", "-keyout", str(key),
                    "-out", str(cert)], check=True, capture_output=True, timeout=60)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
    with tls_server(str(cert), str(key)) as url:
        mismatch = no_answer(url)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", pems["other"])  # trusts another certificate, not the server's
    with tls_server(pems["cert"], pems["key"]) as url:
        untrusted = no_answer(url)
    assert "mismatch" in mismatch and mismatch.endswith(
        " (the certificate does not name 127.0.0.1: give the address by a name the certificate names, or have the"
        " service's certificate name that one)")
    assert "REQUESTS_CA_BUNDLE" not in mismatch
    assert untrusted.endswith(f" ({UNTRUSTED_CERTIFICATE})")
