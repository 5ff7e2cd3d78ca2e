"""pytest wiring for the contract suite: options, the target, the runner, the report and the run's summary.

Options follow pytest-base-url: a command-line option, an environment variable, an ini setting, a session
fixture that exposes the value, and a report header that names the target, so a log always says what was tested.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from contract_tests.cases import case_files
from contract_tests.checks import ContractFailure, NoVerdictFailure, RunStopped
from contract_tests.cleanup import check_admin_token, delete_created
from contract_tests.outcome import PREFIX_KEY, WIRE_KEY, Outcome, from_runner, merged, to_wire
from contract_tests.report import NO_VERDICT, check_report_path, write_report
from contract_tests.runner import MAX_TIMEOUT_SECONDS, TIMEOUT_SECONDS, UNANSWERED_STOP, Runner
from contract_tests.settings import BASE_URL, CASES, given
from contract_tests.suite import Suite, load_suite
from contract_tests.target import (
    ENV_NAMES,
    Target,
    TenantFacts,
    check_credentials,
    check_not_example,
    local_mock,
    redact_url,
    tenant_facts,
)
from mockserver.commands.arguments import given as not_empty
from mockserver.commands.arguments import read_decimal
from mockserver.errors import ToolError
from mockserver.http_client import check_base_url, check_ca_bundle, check_proxy, proxy_route
from mockserver.paths import DEFAULT_TENANT, display, lookup_problem
from mockserver.pytest_plugin import declare_contract_ini
from mockserver.shown_text import clip, clipped
from mockserver.tenant import load_tenant

PREFIX_TEMPLATE = "ct-{}-"  # ct-<8 hex>-: 12 characters, leaving room under the name's 48-character limit
# The exit status of a run that would have passed but whose --delete-created left campaigns it should have deleted:
# pytest's "internal error", as for a report that could not be written; 1 stays for contract failures.
CLEANUP_INCOMPLETE = pytest.ExitCode.INTERNAL_ERROR
# The exit status of a run the target or the infrastructure in front of it kept from a verdict: one the suite stopped
# (no answer, a wrong address, refused credentials) or one whose only failed cases got no verdict; pytest's "usage
# error", as for a bad option, so that 1 keeps meaning that the service broke the contract.
TARGET_IN_THE_WAY = pytest.ExitCode.USAGE_ERROR

SUITE = pytest.StashKey[Suite]()
RUNNER = pytest.StashKey[Runner]()
FACTS = pytest.StashKey[TenantFacts]()
PREFIX = pytest.StashKey[str]()
NODES = pytest.StashKey[list[Any]]()  # under pytest-xdist, on the controller: each worker it started
OUTCOME = pytest.StashKey[Outcome]()
NO_VERDICT_ONLY = pytest.StashKey[bool]()  # the run failed only for cases that got no verdict


@dataclass(frozen=True)
class Options:
    base_url: str | None  # None: start the mock in-process
    tenant: str | None
    allow_writes: bool
    report: str | None
    delete_created: bool = False
    timeout: float = TIMEOUT_SECONDS
    cases: tuple[str, ...] = ()  # folders of a team's own case files, run beside the suite's
    cases_source: str = ""  # where they were named: "--contract-cases", "$CONTRACT_CASES", "ini contract_cases"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("contract", "contract suite (contract_tests)")
    if not registered(parser, "--base-url"):  # pytest-base-url's (with pytest-playwright, -selenium) serves as well
        group.addoption(
            "--base-url", metavar="URL", default=None,
            help=f"service to test (env {BASE_URL.env}, ini {BASE_URL.ini}); default: the mock, started in-process",
        )
    group.addoption(
        "--tenant", metavar="FILE", default=None, type=not_empty,
        help=f"tenant facts in the mock's tenant format (default {display(DEFAULT_TENANT)}); KORE_* variables win"
             " over it for a --base-url target",
    )
    group.addoption(
        "--allow-writes", action="store_true", default=False,
        help="run the cases that create campaigns against a --base-url target",
    )
    group.addoption("--contract-report", metavar="FILE", default=None, type=not_empty,
                    help="write one JSON record per case")
    group.addoption(
        "--delete-created", action="store_true", default=False,
        help="after the run, delete the campaigns it created on a mock sandbox (its admin API; MOCK_ADMIN_TOKEN)",
    )
    group.addoption(
        "--contract-timeout", metavar="SECONDS", type=not_empty, default=None,  # read by timeout_seconds
        help=f"how long each request may take, its connection and whole answer (default {TIMEOUT_SECONDS:g}, at"
             f" most {MAX_TIMEOUT_SECONDS});"
             f" {UNANSWERED_STOP} cases in a row"
             " without a verdict (no answer, a gateway's page, a rate limit that does not lift) stop the run",
    )
    group.addoption(
        "--contract-cases", metavar="DIR", action="append", default=None, type=not_empty,
        help=f"also run the case files in DIR and its subfolders, or the case file DIR names (repeatable; env"
             f" {CASES.env}, joined with {os.pathsep!r}; ini {CASES.ini}); case ids must be unique",
    )
    declare_contract_ini(parser)  # declared by the package's plugin too, in every run where it is loaded


def registered(parser: pytest.Parser, name: str) -> bool:
    """Whether another plugin already added option `name`; pytest has no public lookup, so look in its groups."""
    groups = [getattr(parser, "_anonymous", None), *getattr(parser, "_groups", [])]
    return any(name in option.names() for group in groups if group is not None for option in group.options)


def options(config: pytest.Config, check: bool = False) -> Options:
    """The options as given; with `check` (pytest_configure), ToolError for one given empty."""
    base_url, cases = given(config, BASE_URL, check), given(config, CASES, check)
    return Options(
        base_url=base_url.values[0] if base_url.values else None,
        tenant=config.getoption("tenant", None),
        allow_writes=bool(config.getoption("allow_writes", False)),
        report=config.getoption("contract_report", None),
        delete_created=bool(config.getoption("delete_created", False)),
        timeout=timeout_seconds(config.getoption("contract_timeout", None)),
        cases=cases.values,
        cases_source=cases.source,
    )


def timeout_seconds(text: str | None) -> float:
    """--contract-timeout's seconds (TIMEOUT_SECONDS if not given), read as the commands read a number (2.5, .5, not
    1e3, nan or 1_0); anything else, or a number not above 0 or above MAX_TIMEOUT_SECONDS, a ToolError quoting what
    was typed: argparse's float said `0.0` for `0`, and `invalid float value` in another form than the rest."""
    if text is None:
        return TIMEOUT_SECONDS
    try:
        seconds = read_decimal(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= MAX_TIMEOUT_SECONDS:
        raise ToolError(f"--contract-timeout must be a number of seconds above 0, at most {MAX_TIMEOUT_SECONDS}"
                        f" (got {clipped(text, 42)})")
    return seconds


def pytest_configure(config: pytest.Config) -> None:
    """Check the base URL and report path and read the tenant facts up front: a bad one is one line before anything
    runs. `--help` and `--markers` run nothing: they check nothing, nor remove an earlier run's report."""
    if config.getoption("help", False) or config.getoption("markers", False):
        return
    try:
        chosen = options(config, check=True)
        if chosen.report and not is_worker(config):  # first: it removes an earlier run's report
            check_report_path(chosen.report)
        if chosen.base_url is not None:
            check_base_url(chosen.base_url)
            check_ca_bundle(chosen.base_url, os.environ)
            check_proxy(chosen.base_url)
        for folder in chosen.cases:
            problem = lookup_problem(folder)  # a name too long (a file's text pasted in its place)
            if problem:
                raise ToolError(f"{chosen.cases_source} {clip(folder, 300)}: cannot be looked up: {problem}")
            if not Path(folder).exists():
                raise ToolError(f"{chosen.cases_source} {folder}: no such file or folder")
            if not case_files(Path(folder)):  # a wrong folder added no case, without a word
                raise ToolError(f"{chosen.cases_source} {folder}: no case files (*.json) in this folder or its"
                                " subfolders")
        config.stash[FACTS] = facts_for(chosen)
        # A mistake in a case file is one line before anything runs, not a collection error's traceback.
        config.stash[SUITE] = load_suite(own=tuple(Path(folder) for folder in chosen.cases))
        # One prefix names the run's campaigns, however many pytest-xdist workers create them.
        workerinput = getattr(config, "workerinput", None)
        config.stash[PREFIX] = (workerinput[PREFIX_KEY] if workerinput and PREFIX_KEY in workerinput
                                else PREFIX_TEMPLATE.format(secrets.token_hex(4)))
        if chosen.base_url is not None and chosen.delete_created and chosen.allow_writes:
            # A refused admin token is known before any campaign is made, not after ~100 are left behind.
            refused = check_admin_token(chosen.base_url, redact_url(chosen.base_url))
            if refused:
                raise ToolError(refused)
    except ToolError as exc:
        raise pytest.UsageError(f"contract suite: {exc}") from None


def facts_for(chosen: Options) -> TenantFacts:
    """The in-process mock serves its tenant file, so only a --base-url target takes KORE_* from the environment."""
    if chosen.base_url is None:
        return tenant_facts(load_tenant(chosen.tenant), {})
    facts = tenant_facts(load_tenant(chosen.tenant), os.environ)
    check_credentials(facts)
    check_not_example(facts)
    return facts


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [target_line(config), cases_line(config)]


def cases_line(config: pytest.Config) -> str:
    """How many cases each folder gave and where a team's folders were named, so that a CI log shows its own cases
    ran (a variable not passed into the job's container, an ini setting in another file)."""
    chosen, suite = options(config), suite_for(config)
    parts = [f"{count} from {display(folder) if index == 0 else folder}" for index, (folder, count)
             in enumerate(suite.counts)]
    own = [f"{part} ({chosen.cases_source})" for part in parts[1:]]
    derived = len(suite.cases) - sum(count for _, count in suite.counts)
    return f"contract cases: {', '.join([parts[0], *own])}, {derived} derived boundaries"


def target_line(config: pytest.Config) -> str:
    chosen, facts = options(config), config.stash[FACTS]
    tenant = f"tenant {chosen.tenant or display(DEFAULT_TENANT)}; {facts.credentials}"
    if chosen.base_url is None:
        ignored = [name for name in ENV_NAMES if os.environ.get(name)]
        note = f"; {', '.join(ignored)} ignored: the in-process mock serves its tenant file" if ignored else ""
        return f"contract target: the mock, in-process on 127.0.0.1 with a fresh database ({tenant}{note})"
    writes = "writes allowed" if chosen.allow_writes else "writes off: creating cases skip without --allow-writes"
    return f"contract target: {redact_url(chosen.base_url)}{proxy_route(chosen.base_url)} ({tenant}; {writes})"


def suite_for(config: pytest.Config) -> Suite:
    """The suite, loaded once per session by pytest_configure, where a broken case file or schema is one usage line."""
    return config.stash[SUITE]


@pytest.fixture(scope="session")
def contract_options(pytestconfig: pytest.Config) -> Options:
    return options(pytestconfig)


@pytest.fixture(scope="session")
def contract_target(pytestconfig: pytest.Config, contract_options: Options) -> Iterator[Target]:
    facts = pytestconfig.stash[FACTS]
    if contract_options.base_url:
        yield Target(contract_options.base_url, facts, is_local=False)
        return
    with local_mock(contract_options.tenant) as url:
        yield Target(url, facts, is_local=True)


@pytest.fixture(scope="session")
def contract_runner(
    pytestconfig: pytest.Config, contract_target: Target, contract_options: Options
) -> Iterator[Runner]:
    runner = Runner(suite_for(pytestconfig), contract_target, pytestconfig.stash[PREFIX],
                    contract_options.allow_writes, contract_options.timeout)
    pytestconfig.stash[RUNNER] = runner
    try:
        yield runner
    finally:
        runner.close()


def is_worker(config: pytest.Config) -> bool:
    """Whether this session is a pytest-xdist worker's, which runs part of the cases."""
    return hasattr(config, "workerinput")


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's, on the controller, for each worker it starts
def pytest_configure_node(node: Any) -> None:
    node.config.stash.setdefault(NODES, []).append(node)
    if PREFIX in node.config.stash:
        node.workerinput[PREFIX_KEY] = node.config.stash[PREFIX]


def worker_parts(config: pytest.Config) -> list[dict]:
    """Each worker's part of the run, as it sent it on ending its session. Read from the workers themselves, not as
    pytest-xdist hands each over: after Ctrl-C it hands over none (its loop stops), and the run's campaigns went
    unlisted and undeleted, its report unwritten, though each worker had sent its part."""
    parts = (getattr(node, "workeroutput", {}).get(WIRE_KEY) for node in config.stash.get(NODES, []))
    return [part for part in parts if part is not None]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A contract failure is reported as its lines (case, field, problem), and a case without a verdict, or the one
    that stopped the run, as its one line, not as a traceback through the suite's own code: the suite's source says
    nothing about any of them."""
    report = yield
    if call.excinfo is not None and isinstance(call.excinfo.value, ContractFailure | NoVerdictFailure | RunStopped):
        report.longrepr = str(call.excinfo.value)
    return report


@pytest.hookimpl(trylast=True)  # after pytest's own, which tears the session's fixtures down
def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if is_worker(config):  # its part goes to the controller, which reports the run
        if RUNNER in config.stash:
            config.workeroutput[WIRE_KEY] = to_wire(config.stash[RUNNER])  # type: ignore[attr-defined]
        return
    outcome = from_runner(config.stash[RUNNER]) if RUNNER in config.stash else merged(worker_parts(config))
    if outcome is None:
        return
    config.stash[OUTCOME] = outcome
    chosen = options(config)
    if chosen.delete_created and not outcome.is_local and chosen.base_url:
        done = delete_created(chosen.base_url, outcome.label, outcome.created, outcome.unconfirmed,
                              config.stash[FACTS].main.account_id)
        outcome.cleanup, outcome.cleanup_incomplete = done.lines, done.incomplete
    session.exitstatus = exit_status(session, outcome)
    config.stash[NO_VERDICT_ONLY] = not outcome.stopped and outcome.no_verdict_only(session.testsfailed)
    if outcome.cleanup_incomplete and session.exitstatus == CLEANUP_INCOMPLETE:
        outcome.cleanup.append(f"exit status {int(CLEANUP_INCOMPLETE)}: --delete-created left campaigns on"
                               f" {outcome.label} that it should have deleted (see above)")
    if not chosen.report:
        return
    try:
        write_report(chosen.report, outcome.label, outcome.prefix, outcome.records, stopped_because(session, outcome))
    except ToolError as exc:
        writer = config.get_terminal_writer()
        if writer.width_of_current_line:  # after the progress dots: on a line of its own
            writer.line()
        writer.line(f"contract suite: {exc}", red=True)
        if session.exitstatus != pytest.ExitCode.TESTS_FAILED:  # 1 still says that the contract was broken
            session.exitstatus = TARGET_IN_THE_WAY


def exit_status(session: pytest.Session, outcome: Outcome) -> int | pytest.ExitCode:
    """The run's exit status. pytest ends a run the suite stopped (session.shouldstop) as interrupted (2, as for
    Ctrl-C): it exits 4; pytest-xdist ends one stopped by -x or --maxfail so too: it keeps its 1, as without -n. A
    run whose only failed cases got no verdict exits 4 too: 1 says the service broke the contract."""
    status = session.exitstatus
    if status in (pytest.ExitCode.INTERRUPTED, pytest.ExitCode.TESTS_FAILED) and outcome.stopped:
        # under -x, pytest ends the run the suite stopped as failed (1); the cases that failed before the stop
        # (refused credentials, a target going away) most likely failed for what stopped it
        return TARGET_IN_THE_WAY
    if status == pytest.ExitCode.INTERRUPTED and session.shouldfail and session.testsfailed:
        status = pytest.ExitCode.TESTS_FAILED
    if status == pytest.ExitCode.TESTS_FAILED and outcome.no_verdict_only(session.testsfailed):
        return TARGET_IN_THE_WAY
    if outcome.cleanup_incomplete and status == pytest.ExitCode.OK:
        return CLEANUP_INCOMPLETE
    return status


def stopped_because(session: pytest.Session, outcome: Outcome) -> str | None:
    """Why the run ended before its last case: the suite stopped it, pytest did (-x, --maxfail), or Ctrl-C."""
    if outcome.stopped:
        return outcome.stopped
    if session.shouldfail or session.shouldstop:
        return str(session.shouldfail or session.shouldstop)
    if session.exitstatus == pytest.ExitCode.INTERRUPTED:
        return "interrupted"
    return None


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    outcome = config.stash.get(OUTCOME, None)
    if outcome is None:
        return
    terminalreporter.section("contract campaigns created")
    for line in created_lines(outcome) + outcome.cleanup:
        terminalreporter.line(line)
    if outcome.waits:
        terminalreporter.line(f"rate limited {len(outcome.waits)} time(s); waited {sum(outcome.waits):.0f} s as told")
    no_verdict = [record.id for record in outcome.records if record.verdict == NO_VERDICT]
    if no_verdict:
        failed = sum(record.verdict == "fail" for record in outcome.records)
        if failed:  # pytest's count of failed cases holds both kinds
            terminalreporter.line(f"{failed} case(s) failed the contract", red=True)
        terminalreporter.line(f"{len(no_verdict)} case(s) got no verdict (no answer, a gateway's page, a rate limit"
                              " that did not lift): not contract failures; run them again", yellow=True)
    if config.stash.get(NO_VERDICT_ONLY, False):
        terminalreporter.line(f"exit status {int(TARGET_IN_THE_WAY)}: no case failed the contract, but some got no"
                              " verdict: the infrastructure got in the way of the run", yellow=True)
    beyond = outcome.beyond_sample()
    if beyond:  # no failures: a client ignores what it does not know, and a service adds fields without breaking one
        terminalreporter.section("contract answers beyond the vendor's sample")
        for path, count in sorted(beyond.items()):
            terminalreporter.line(f"{path}: in {count} success answer(s), not in the vendor's sample response (not a"
                                  " failure; `mockserver parity` compares shapes)")


def created_lines(outcome: Outcome) -> list[str]:
    created, maybe, label = outcome.created, outcome.unconfirmed, outcome.label
    if outcome.is_local and len(outcome.labels) > 1:
        return [f"{len(created)} campaign(s) in the in-process mocks of {len(outcome.labels)} workers, discarded with"
                " their databases"]
    if outcome.is_local:
        return [f"{len(created)} campaign(s) in the in-process mock, discarded with its database"]
    if not created:
        lines = [f"none on {label} (run prefix {outcome.prefix})"]
    else:
        lines = [f"{len(created)} campaign(s) on {label}, all named {outcome.prefix}...:"]
        lines += [f"  {c.name}  id={c.campaign_id}  case={c.case_id}" for c in created]
    if maybe:
        lines.append(f"{len(maybe)} create(s) got no clear answer; the service may have stored them:")
        lines += [f"  may have created {m.name}  case={m.case_id} ({m.why})" for m in maybe]
    return lines
