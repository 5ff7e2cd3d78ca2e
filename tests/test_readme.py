"""The README says what the code does: its failure table equals mockserver/failures.py's, its sample curl works."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from contract_tests.calls import build_call
from contract_tests.cases import MissingFact
from contract_tests.suite import load_suite
from contract_tests.target import Target, tenant_facts
from mockserver.app import DEFAULTS
from mockserver.cli import build_parser
from mockserver.contract import Contract, load_contract
from mockserver.failures import failure_table_markdown
from mockserver.paths import PROJECT_ROOT
from mockserver.tenant import load_tenant


def readme_block(name: str) -> str:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split(f"<!-- {name}:start -->\n", 1)[1].split(f"<!-- {name}:end -->", 1)[0]


def readme_section(title: str) -> str:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_readme_names_every_factory_key():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    sentence = readme.split("`mockserver.app.create_app(config)` (keys ", 1)[1].split(";", 1)[0]
    assert re.findall(r"`([A-Z_]+)`", sentence) == list(DEFAULTS)


def layout_gaps(layout: str) -> tuple[list[str], list[str]]:
    """The modules of mockserver/ and contract_tests/, the helper modules of tests/ (all but its test files), the
    files of benchmarks/ and the top-level modules that `layout` does not name by their path from the top, and the
    files it names that are not there."""
    named = set(re.findall(r"`([^`\s]+)`", layout))
    modules = [path.relative_to(PROJECT_ROOT) for folder in ("mockserver", "contract_tests")
               for path in (PROJECT_ROOT / folder).rglob("*.py") if path.name != "__init__.py"
               and "bundled" not in path.parts]
    modules += [path.relative_to(PROJECT_ROOT) for path in sorted((PROJECT_ROOT / "tests").glob("*.py"))
                if not path.name.startswith("test_")]
    modules += [path.relative_to(PROJECT_ROOT) for path in sorted((PROJECT_ROOT / "benchmarks").iterdir())
                if path.is_file()]
    modules += [path.relative_to(PROJECT_ROOT) for path in sorted(PROJECT_ROOT.glob("*.py"))]  # top-level modules
    unnamed = [str(module) for module in modules if str(module) not in named]
    files = {path.name for folder in ("mockserver", "contract_tests", "fixtures", "schemas", "tests", "benchmarks")
             for path in (PROJECT_ROOT / folder).rglob("*")}
    gone = [name for name in named if re.fullmatch(r"[\w.-][\w./-]*\.(py|json|md|toml|lua|sql)", name)
            and not ((PROJECT_ROOT / name).is_file() or "/" not in name and name in files)]
    return unnamed, gone


def test_the_layout_names_every_module_and_nothing_that_is_gone():
    """The Layout section left out cli.py, errors.py, paths.py, contract.py, parity.py and spec/audit.py: a newcomer
    looking for where `mockserver parity` compares reports, or where the one-line errors come from, was not told.
    Each module is named by its path from the top, on a row of its own."""
    assert layout_gaps(readme_section("Layout")) == ([], [])


def test_the_layout_check_names_a_module_without_a_row_and_a_file_that_is_gone():
    layout = readme_section("Layout")
    row = next(line for line in layout.splitlines() if line.startswith("| `mockserver/routes/journal.py` |"))
    # a module named only by its file name (three modules are journal.py or openapi.py) is not named
    shortened = layout.replace(row + "\n", "| `journal.py` | the journal |\n| `mockserver/spec/gone.py` | gone |\n")
    assert layout_gaps(shortened) == (["mockserver/routes/journal.py"], ["mockserver/spec/gone.py"])
    helper = next(line for line in layout.splitlines() if line.startswith("| `tests/fronts.py` |"))
    benchmark = next(line for line in layout.splitlines() if line.startswith("| `benchmarks/soak.py` |"))
    assert layout_gaps(layout.replace(helper + "\n", "").replace(benchmark + "\n", "")) == (
        ["tests/fronts.py", "benchmarks/soak.py"], [])


def test_every_top_level_entry_the_repository_tracks_is_in_the_layout():
    """A stray file (port2.txt, a port number a shell left) was committed at the top and shipped with every clone."""
    tracked = subprocess.run(["git", "ls-files"], cwd=PROJECT_ROOT, capture_output=True, text=True, encoding="utf-8")
    if tracked.returncode != 0 or not tracked.stdout.strip():
        pytest.skip("not a git checkout")
    layout = readme_section("Layout")
    top = {name.split("/")[0] for name in tracked.stdout.split()}
    ordinary = {"README.md", "pyproject.toml", ".gitignore", ".gitattributes"}
    assert [name for name in sorted(top - ordinary) if f"`{name}" not in layout] == []


def test_every_link_within_the_readme_names_a_heading():
    """The contents and the common tasks link to sections by GitHub's anchors: a renamed heading would break them."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    anchors = {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
               for heading in re.findall(r"^#+ (.+)$", readme, flags=re.MULTILINE)}
    links = set(re.findall(r"\]\(#([^)]+)\)", readme))
    assert links and links - anchors == set()


def test_readme_failure_table_matches_the_code():
    assert readme_block("failure-table") == failure_table_markdown() + "\n"


@pytest.mark.skipif(shutil.which("curl") is None, reason="the README's sample uses curl, which is not installed")
def test_the_sample_curl_creates_the_vendor_sample(shared_mock):
    script = textwrap.dedent(readme_block("sample-curl")).strip()
    assert "127.0.0.1:8080" in script
    server = shared_mock("--db", ":memory:")  # reset: the sample's name is free
    script = script.replace("http://127.0.0.1:8080", server.url)
    env = os.environ | {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    ran = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=PROJECT_ROOT, env=env,
                         capture_output=True, text=True, timeout=60, encoding="utf-8")
    assert ran.returncode == 0, ran.stderr
    answer = json.loads(ran.stdout)
    assert answer.get("status") == "success", answer
    assert answer["data"]["name"] == json.loads((PROJECT_ROOT / "schemas" / "create-voice-campaign-progressive-v2"
                                                  / "sample-request.json").read_text(encoding="utf-8"))["name"]


@pytest.mark.skipif(shutil.which("curl") is None, reason="the README's sample uses curl, which is not installed")
def test_the_any_language_sample_runs_as_written(shared_mock):
    """The recipe for a team that stubs the endpoint in another language: a fault rule for the next two creates of
    one account, the create, the same name again, and the count a verification reads. Its comments say what it
    prints; run twice, as a suite runs it before each test, it prints the same."""
    script = textwrap.dedent(readme_block("any-language-sample")).strip()
    assert "http://127.0.0.1:8080" in script
    server = shared_mock("--db", ":memory:")
    script = script.replace("http://127.0.0.1:8080", server.url)
    env = os.environ | {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    runs = [subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=PROJECT_ROOT, env=env,
                           capture_output=True, text=True, timeout=60, encoding="utf-8") for _ in range(2)]
    for ran in runs:
        assert ran.returncode == 0, ran.stderr
        assert ran.stdout.split() == ["503", "503", "200", "409", "1"], ran.stdout


CURL_HEADER = re.compile(r"""-H ["']([^:"']+):\s*([^"']*)["']""")


def curl_lacks(script: str, contract: Contract) -> list[str]:
    """Each header and query parameter the page's sample sends with a value of its own that `script` does not send."""
    sent = {"headers": dict(CURL_HEADER.findall(script)),
            "query": dict(parse_qsl(urlsplit(re.search(r'curl -s "([^"]+)"', script)[1]).query))}
    return [f"{part} {name}: {value}" for part, own in sent.items()
            for name, value in contract.with_sample_values(part, own).items() if name not in own]


def test_the_sample_curl_sends_what_the_page_sample_sends():
    """The block is plain text: once the page's sample sends another header or query parameter (which the mock may
    then require), the block is to send it too, and this test names it."""
    contract = load_contract()
    script = readme_block("sample-curl")
    assert curl_lacks(script, contract) == []
    grown = {**contract.endpoint, "query": {**contract.endpoint["query"], "region": "eu"},
             "sampleHeaders": {**contract.endpoint["sampleHeaders"], "x-request-id": "r-1", "x-tenant": "{{tenantId}}"}}
    assert curl_lacks(script, dataclasses.replace(contract, endpoint=grown)) == ["headers x-request-id: r-1",
                                                                                  "query region: eu"]


def test_the_pytest_sample_runs_as_written(pytester, monkeypatch):
    """The sample a client copies into its own suite: it once used names it never defined (pytest, a client class,
    the body) and failed at collection."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # the kore_mock plugin is loaded by name below
    pytester.makepyfile(test_client=textwrap.dedent(readme_block("pytest-sample")))
    result = pytester.runpytest_inprocess("-p", "mockserver.pytest_plugin", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_the_shared_mock_sample_runs_as_written_and_resets_between_tests(pytester, monkeypatch):
    """The recipe for one mock shared by a run: its second test would get 409 for the first's campaign without
    the reset, so it fails if the reset stops clearing what a fresh mock lacks."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    sample = textwrap.dedent(readme_block("pytest-shared-sample"))
    pytester.makepyfile(test_client=sample)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    pytester.makepyfile(test_client=sample.replace("shared_mock.reset()", "shared_mock"))
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)


def test_the_pytest_sample_runs_where_a_proxy_is_named_with_the_readme_s_no_proxy(pytester, monkeypatch):
    """The sample's own requests (a client's) go through the proxy HTTP_PROXY names, as a client's would: in a CI
    that names one, both tests failed with requests' ProxyError. The README says so, and what it advises works."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # the discard port: no proxy answers there
    readme = " ".join((PROJECT_ROOT / "README.md").read_text(encoding="utf-8").split())
    advice = re.search(r"set `(NO_PROXY)=([^`]+)`", readme)
    assert advice, "the README's In your own tests (Python) names the NO_PROXY setting"
    pytester.makepyfile(test_client=textwrap.dedent(readme_block("pytest-sample")))
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    failed = pytester.runpytest_inprocess("-p", "mockserver.pytest_plugin", "-p", "no:cacheprovider")
    failed.assert_outcomes(failed=2)
    monkeypatch.setenv(advice[1], advice[2])
    result = pytester.runpytest_inprocess("-p", "mockserver.pytest_plugin", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_readme_counts_the_campaigns_a_remote_run_can_create():
    """It said "98 when every case can run", but against a remote target boundary/name/minLength/inside always skips."""
    suite = load_suite()
    remote = Target("http://127.0.0.1:9", tenant_facts(load_tenant(), {}), is_local=False)
    creates = 0
    for case in suite.cases:
        if not case.writes or case.skip:
            continue
        try:
            for step in (*case.before, case.request):
                build_call(suite.base, remote, step, "ct-0000abcd-", suite.numbers[case.id])
        except MissingFact:
            continue
        creates += len(case.before) + case.expect.success
    readme = " ".join((PROJECT_ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"about a hundred campaigns (at most {creates}: `boundary/name/minLength/inside`" in readme


def test_readme_states_when_a_contract_run_stops_as_the_runner_counts():
    """The README promises a run stops after 3 refused tokens, or 3 cases in a row with no verdict."""
    from contract_tests.runner import REFUSED_TOKENS_STOP, UNANSWERED_STOP

    readme = " ".join((PROJECT_ROOT / "README.md").read_text(encoding="utf-8").split())
    assert (REFUSED_TOKENS_STOP, UNANSWERED_STOP) == (3, 3)
    assert f"If the first {REFUSED_TOKENS_STOP} cases that send the run's own token are all answered 401" in readme
    assert f"When {UNANSWERED_STOP} cases in a row get no verdict" in readme


def test_readme_names_every_key_a_case_file_may_hold():
    """The case-file paragraph listed five of a case's eight keys: `may_create` and `skip`, which the loader takes
    in any case file, and the request's `base`, were not named, so a team writing its own cases could not know them."""
    from contract_tests.cases import CASE_KEYS, EXPECT_KEYS, REQUEST_KEYS

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    paragraph = readme.split("Case files are data:", 1)[1].split("\n\n", 1)[0]
    named = set(re.findall(r"`([a-z_]+)`", paragraph)) | set(re.findall(r'"([a-z_]+)"', paragraph))
    assert sorted((CASE_KEYS | EXPECT_KEYS | REQUEST_KEYS) - named) == []


def test_the_readme_names_the_floor_of_every_dependency_as_pyproject_sets_it():
    """The README lists the lowest releases the suite passes with (`bash .ci/lowest`): a floor raised in
    pyproject.toml and not there (or there and not in pyproject.toml) tells a user a range that was never tested."""
    import tomllib

    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    paragraph = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8").split("**Dependency releases.**", 1)[1]
    paragraph = " ".join(paragraph.split("\n\n", 1)[0].split()).lower()
    unnamed = []
    for line in project["dependencies"] + project["optional-dependencies"]["dev"]:
        name, floor = re.fullmatch(r"([\w.-]+)>=([\d.]+).*", line).groups()
        if not re.search(rf"(?<![\w-]){re.escape(name.lower())} {re.escape(floor)}(?![\d.]*\d)", paragraph):
            unnamed.append(f"{name} {floor}")
    assert unnamed == []


SYNOPSIS = re.compile(r"^    mockserver (\w+) \[.*?(?=\n\n)", flags=re.MULTILINE | re.DOTALL)
SYNOPSIS_OPTION = re.compile(r"(?:\[|\| )(--?[a-z][\w-]*)(?:[ =\[]+([^\]\s|]+))?")


def synopsis_gaps(readme: str) -> list[str]:
    """Where the README's synopsis blocks (`mockserver serve [--port 8080] ...`) and the commands' parsers part: an
    option a block names that its command lacks, one the command takes that its block leaves out, a value shown as
    the default that the option's --help does not name as its default. And any option named nowhere in the README."""
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    options = {name: {option: action for action in parser._actions for option in action.option_strings
                      if option not in ("-h", "--help")} for name, parser in sub.choices.items()}
    gaps = [f"{name} {option}: not in the README" for name, taken in options.items() for option in taken
            if not any(re.search(rf"{re.escape(same)}(?![\w-])", readme) for same in taken[option].option_strings)]
    for block in SYNOPSIS.finditer(readme):
        name, shown = block[1], dict(SYNOPSIS_OPTION.findall(block[0]))
        gaps += [f"{name} {option}: not taken by the command" for option in shown if option not in options[name]]
        gaps += [f"{name} {option}: not in its synopsis" for option, action in options[name].items()
                 if not any(re.search(rf"{re.escape(same)}(?![\w-])", block[0]) for same in action.option_strings)]
        gaps += [f"{name} {option} {value}: not the default its --help names" for option, value in shown.items()
                 if option in options[name] and value and value != "-" and not re.fullmatch(r"[A-Z][A-Z0-9_/]*", value)
                 and not ("default" in (options[name][option].help or "") and value in options[name][option].help)]
    return gaps


def test_every_option_of_every_command_is_in_the_readme_as_its_help_gives_it(monkeypatch):
    """`journal --method`, `journal -f` and `schemas --source` were named nowhere in the README, and the serve
    synopsis showed `--certfile cert.pem` among "the values shown are the defaults", where --certfile has none."""
    monkeypatch.chdir(PROJECT_ROOT)  # the help names the default files from here, as the README does
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert sorted({block[1] for block in SYNOPSIS.finditer(readme)}) == ["journal", "openapi", "sample", "schemas",
                                                                         "serve", "token"]
    assert synopsis_gaps(readme) == []


def test_the_synopsis_check_finds_an_option_gone_one_left_out_and_a_wrong_default(monkeypatch):
    monkeypatch.chdir(PROJECT_ROOT)
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    changed = (readme.replace("[--ttl 86400]", "[--ttl 3600] [--lifetime N]")
               .replace(" [--method METHOD]", "").replace("`--method`, ", ""))
    assert synopsis_gaps(changed) == ["journal --method: not in the README",
                                      "token --lifetime: not taken by the command",
                                      "token --ttl 3600: not the default its --help names",
                                      "journal --method: not in its synopsis"]


def test_the_readme_names_the_bounds_serve_and_journal_enforce():
    """It gave those of --workers, --max-body, --graceful-timeout and journal's --timeout; --threads, --idle-timeout,
    --body-timeout, --journal-limit and journal's --limit and --interval were refused past bounds it did not name."""
    from mockserver.app import MAX_IDLE_TIMEOUT, MAX_JOURNAL_LIMIT
    from mockserver.commands.journal import MAX_LIMIT, MAX_SECONDS, MIN_SECONDS
    from mockserver.commands.serve import MAX_GRACEFUL_TIMEOUT, MAX_THREADS

    readme = " ".join((PROJECT_ROOT / "README.md").read_text(encoding="utf-8").split())
    assert MAX_IDLE_TIMEOUT == MAX_GRACEFUL_TIMEOUT
    said = [f"`--threads` up to {MAX_THREADS}, `--idle-timeout`, `--body-timeout` and `--graceful-timeout` up to"
            f" {MAX_GRACEFUL_TIMEOUT} seconds, `--journal-limit` up to {MAX_JOURNAL_LIMIT:,}",
            f"`--limit` (default 20, 1 to {MAX_LIMIT})",
            f"`--interval` seconds (default 1, {MIN_SECONDS:g} to {MAX_SECONDS})",
            f"`--timeout SECONDS` (default 30, {MIN_SECONDS:g} to {MAX_SECONDS})"]
    assert [sentence for sentence in said if sentence not in readme] == []


def test_the_readme_s_log_and_journal_samples_show_the_errors_the_mock_answers(post, sample_body):
    """The `-v` and `mockserver journal` samples showed `name must be a string (got 5)` after the mock had come to
    add how to send it (`: send "5", in quotes`): a reader matching the log against the README saw other words."""
    from mockserver.failures import error_text

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    del sample_body["priority"]
    errors = [error_text(error) for error in post({**sample_body, "name": 5}).get_json()["errors"]]
    assert errors == ['name must be a string (got 5; strings go in quotes: send "5")', "priority is required"]
    assert "".join(f"\n        {error}" for error in errors) + "\n    [" in readme  # under the -v sample's 400 line
    assert f"  400  1.1 ms  {'; '.join(errors)}\n" in readme  # the journal sample's 400 line


def test_the_environment_table_names_every_variable_the_code_reads():
    """`mockserver serve --db :memory:` reads MOCKSERVER_MEMORY_FOLDER (and gunicorn's GUNICORN_FD and GUNICORN_PID)
    in a master SIGUSR2 started, which the table, said to name what the commands read, left out."""
    table = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8").split("### Environment variables\n", 1)[1]
    table = table.split("\n#", 1)[0]
    code = "".join(path.read_text(encoding="utf-8") for folder in ("mockserver", "contract_tests")
                   for path in (PROJECT_ROOT / folder).rglob("*.py") if "bundled" not in path.parts)
    read = set(re.findall(r'"((?:MOCK|MOCKSERVER|KORE|CONTRACT|FORWARDED|GUNICORN|REQUESTS|CURL)_[A-Z_]+)"', code))
    assert len(read) >= 14 and "MOCK_ADMIN_TOKEN" in read
    assert sorted(name for name in read if f"`{name}`" not in table) == []
