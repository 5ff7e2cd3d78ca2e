"""A run the suite stops (no answer, a wrong address, refused credentials) says why in its JUnit XML too: the case
it stopped at is an error there, pytest's word for a test that could not run, not a failure of the contract."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest


@pytest.mark.parametrize("xdist_args", [(), ("-p", "xdist", "-n", "2")], ids=["one process", "xdist"])
def test_a_stopped_run_names_its_reason_in_the_junit_xml(run_contract_suite, tmp_path, xdist_args, free_port):
    """Without -n, the XML of a run against a target that did not answer held tests="0", failures="0" and a
    testcase without a name: a CI page built from it showed nothing wrong, and nothing of why the job was red."""
    gone = f"http://127.0.0.1:{free_port}"
    junit = tmp_path / "contract.xml"
    result = run_contract_suite(*xdist_args, "--base-url", gone, "--junitxml", str(junit))
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()
    suite = ET.parse(junit).getroot().find("testsuite")
    errors = list(suite.iter("error"))  # under -n, each worker's first case stops it
    assert errors and suite.get("errors") == str(len(errors)) and suite.get("failures") == "0", ET.tostring(suite)
    for error in errors:
        assert "contract suite: " in error.get("message"), error.get("message")  # "failed on setup with ..."
        assert f"no answer from {gone}" in error.get("message")
    assert all(case.get("name") for case in suite.iter("testcase"))
    outcomes = result.parseoutcomes()
    assert outcomes.get("errors", outcomes.get("error")) == len(errors) and "failed" not in outcomes, outcomes
    # the case is its one line in the terminal, not a traceback through the suite's fixture
    result.stdout.fnmatch_lines(["*ERROR at setup of test_contract*", f"contract suite: *: no answer from {gone}*"])
    assert "RunStopped" not in result.stdout.str(), result.stdout.str()


@pytest.mark.parametrize("stop_args", [("-x",), ("--maxfail", "1"), ("-p", "xdist", "-n", "2", "-x")],
                         ids=["-x", "maxfail", "xdist-x"])
def test_a_stopped_run_exits_4_under_x_too(run_contract_suite, free_port, stop_args):
    """Under -x pytest ends the run as failed, and it exited 1, the status that says the service broke the contract,
    for a target that never answered (4 without -x)."""
    result = run_contract_suite(*stop_args, "--base-url", f"http://127.0.0.1:{free_port}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()
