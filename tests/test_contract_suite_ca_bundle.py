"""A CA bundle variable naming no file: one usage line before the run, and never a traceback during it."""

from __future__ import annotations

import pytest
import requests

from contract_tests.calls import build_call
from contract_tests.runner import Runner, TargetError
from contract_tests.suite import load_suite
from contract_tests.target import Target, tenant_facts
from mockserver.tenant import load_tenant


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
