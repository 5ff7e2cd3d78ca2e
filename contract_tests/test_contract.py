"""One parametrised test over every contract case: hand-written (fixtures/cases) and derived from the schemas."""

from __future__ import annotations

import pytest

from contract_tests.cases import Case
from contract_tests.checks import ContractFailure, NoVerdictFailure
from contract_tests.plugin import is_worker, suite_for
from contract_tests.runner import Runner, TargetError


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "contract_case" in metafunc.fixturenames:
        cases = suite_for(metafunc.config).cases
        metafunc.parametrize("contract_case", [pytest.param(case, id=case.id) for case in cases])


def test_contract(contract_case: Case, contract_runner: Runner, request: pytest.FixtureRequest) -> None:
    try:
        result = contract_runner.run(contract_case)
    except TargetError as exc:  # one that stops the run: every later case would end the same way
        stopped = f"{contract_case.id}: {exc}"
    else:
        stopped = None
    if stopped:  # exits outside the except block, so pytest shows no "during handling" chain
        contract_runner.stopped = stopped
        if is_worker(request.config):
            # pytest.exit in a pytest-xdist worker is an internal error of xdist's: this worker stops after this case
            # instead, and so the run (the controller exits 4, as pytest.exit would).
            request.session.shouldstop = f"contract suite: {stopped}"
            pytest.fail(f"contract suite: {stopped}", pytrace=False)
        pytest.exit(f"contract suite: {stopped}", returncode=pytest.ExitCode.USAGE_ERROR)
    if result.skipped:
        pytest.skip(f"{contract_case.id}: {result.skipped}")
    if result.no_verdict:
        raise NoVerdictFailure(contract_case.id, result.no_verdict)
    if result.problems:
        raise ContractFailure(contract_case.id, result.problems)
