"""A CA bundle variable naming no file: one usage line before the run, and never a traceback during it."""

from __future__ import annotations

import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from contract_tests.calls import build_call
from contract_tests.runner import Runner, TargetError
from contract_tests.suite import load_suite
from contract_tests.target import Target, tenant_facts
from mockserver.http_client import UNTRUSTED_CERTIFICATE
from mockserver.tenant import load_tenant
from mockserver.testing import serve


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
def test_a_ca_bundle_that_does_not_exist_is_one_usage_line(run_contract_suite, monkeypatch, tmp_path, variable):
    """Each of ~115 cases failed with a full `OSError: Could not find a suitable TLS CA certificate bundle`."""
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):  # requests reads CURL_CA_BUNDLE only without the other
        monkeypatch.delenv(name, raising=False)
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
def tls_server(make_app, cert: str, key: str):
    """A TLS server on 127.0.0.1 (an ephemeral port) with the given certificate; yields its https:// base URL."""
    with serve(make_app({"DATABASE": ":memory:"}), ssl_context=(cert, key)) as url:
        yield url


def test_a_certificate_for_another_host_is_named_as_such_not_as_untrusted(pems, tmp_path, monkeypatch,
                                                                           first_case_answer, make_app):
    """The bundle already trusted it, yet the line said "a self-signed certificate? point REQUESTS_CA_BUNDLE..."."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    cert, key = tmp_path / "elsewhere-cert.pem", tmp_path / "elsewhere-key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj",
                    "/CN=elsewhere.invalid", "-addext", "subjectAltName=DNS:elsewhere.invalid", "-keyout", str(key),
                    "-out", str(cert)], check=True, capture_output=True, timeout=60)
    for name in ("CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
    with tls_server(make_app, str(cert), str(key)) as url:
        mismatch = first_case_answer(url)
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    with tls_server(make_app, pems["cert"], pems["key"]) as url:
        untrusted = first_case_answer(url)
    assert "mismatch" in mismatch and mismatch.endswith(
        " (the certificate does not name 127.0.0.1: give the address by a name the certificate names, or have the"
        " service's certificate name that one)")
    assert "REQUESTS_CA_BUNDLE" not in mismatch
    assert untrusted.endswith(f" ({UNTRUSTED_CERTIFICATE})")


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
def test_a_ca_bundle_that_does_not_trust_the_certificate_is_named(pems, monkeypatch, variable, first_case_answer,
                                                                  make_app):
    """The line said "point REQUESTS_CA_BUNDLE at a PEM file that trusts it" to a run whose REQUESTS_CA_BUNDLE named
    one already: the wrong one."""
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, pems["other"])  # trusts another certificate, not the server's
    with tls_server(make_app, pems["cert"], pems["key"]) as url:
        said = first_case_answer(url)
    assert said.endswith(f" ({variable} names {pems['other']}, which does not trust it: add the CA that issued the"
                         " server's certificate to that file)"), said


@pytest.mark.parametrize("variable", ["SSL_CERT_FILE", "SSL_CERT_DIR"])
def test_a_ca_named_where_requests_does_not_look_is_pointed_at_requests_ca_bundle(pems, monkeypatch, variable,
                                                                                   first_case_answer, make_app):
    """OpenSSL, curl and Python's ssl read SSL_CERT_FILE; requests does not (it uses certifi's bundle): the line told
    to point REQUESTS_CA_BUNDLE at a PEM file, without a word that the one already given is not read."""
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)
    given = pems["ca"] if variable == "SSL_CERT_FILE" else str(Path(pems["ca"]).parent)
    monkeypatch.setenv(variable, given)
    with tls_server(make_app, pems["cert"], pems["key"]) as url:
        said = first_case_answer(url)
    assert said.endswith(f" ({variable} is set, but requests does not read it: set REQUESTS_CA_BUNDLE={given} to"
                         " trust the CAs it names)"), said


@pytest.mark.parametrize("content", [b"", b"0\x82\x03\x1b0\x82\x02\x03", b"not a certificate\n"],
                         ids=["empty", "DER", "text"])
def test_a_ca_bundle_with_no_pem_certificate_is_one_usage_line(run_contract_suite, monkeypatch, tmp_path, content):
    """Every case failed alike: "no answer from https://...: SSLError: [X509: NO_CERTIFICATE_OR_CRL_FOUND] no
    certificate or crl found (_ssl.c:4154)"."""
    bundle = tmp_path / "ca.crt"
    bundle.write_bytes(content)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    result = run_contract_suite("--base-url", "https://127.0.0.1:9")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: contract suite: REQUESTS_CA_BUNDLE names {bundle}, which holds no PEM"
                                 " certificate (-----BEGIN CERTIFICATE-----): point it at a PEM file that trusts the"
                                 " target's certificate (openssl x509 -inform der -in ca.der -out ca.pem converts a DER"
                                 " one)"])
