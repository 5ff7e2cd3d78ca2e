"""A regular install (a wheel, as from a git URL or an index) carries the data the package reads, and works from
outside the checkout: the command, the `kore_mock` fixture and the contract suite."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
from commands import mockserver_command

from mockserver.paths import PROJECT_ROOT

PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# pytest runs the contract suite and loads the fixture's plugin, so it is there whenever they are imported; a
# regular install does not bring it (README: "pytest, which a regular install does not bring, installed beside it").
BESIDE = {"pytest": ("contract_tests/", "mockserver/pytest_plugin.py", "mockserver/old_plugin_name.py")}
DATA_FOLDERS = {"fixtures": "mockserver/bundled/fixtures", "schemas": "mockserver/bundled/schemas"}


def test_every_package_folder_is_listed_in_pyproject():
    """The package list is written out (the data folders are mapped into the package): a new subpackage must be
    added to it, or a regular install would leave it out."""
    found = {".".join(init.parent.relative_to(PROJECT_ROOT).parts)
             for top in ("mockserver", "contract_tests") for init in (PROJECT_ROOT / top).rglob("__init__.py")}
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert listed - found == {"mockserver.bundled.fixtures", "mockserver.bundled.schemas",
                              "mockserver.bundled.fixtures.cases", "mockserver.bundled.schemas.source"}


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """A copy of the working tree to build from: a build in the checkout would reuse (and leave) its build/ folder."""
    source = tmp_path_factory.mktemp("source") / "project"
    patterns = shutil.ignore_patterns(
        ".git", ".venv*", "venv", "build", "dist", "*.egg-info", "__pycache__", "*.sqlite3*", "reports", ".*_cache")
    temporary = tmp_path_factory.getbasetemp().resolve()

    def ignored(folder: str, names: list[str]) -> set[str]:
        """And the folder the tests' temporary ones are in, where TMPDIR is inside the checkout: the copy, made
        there, copied itself until the disk was full."""
        return set(patterns(folder, names)) | {name for name in names
                                               if temporary.is_relative_to((Path(folder) / name).resolve())}

    shutil.copytree(PROJECT_ROOT, source, ignore=ignored)
    return source


@pytest.fixture(scope="module")
def wheel(source, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # pip's own warnings are not the wheel's: PYTHONWARNINGS=error::DeprecationWarning (a strict CI) made pip fail
    # on its import of setuptools' pkg_resources
    quiet = {name: value for name, value in os.environ.items() if name != "PYTHONWARNINGS"}
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                            "-q", "-w", str(out), str(source)], capture_output=True, encoding="utf-8", timeout=300,
                           env=quiet)
    assert built.returncode == 0, built.stderr[-2000:]
    (found,) = out.glob("*.whl")
    return found


def test_the_wheel_builds_with_warnings_as_errors(source, tmp_path):
    """The data folders that Python could import (fixtures/cases, schemas/source) were left out of the package
    list, and setuptools warns of each ("Package ... is absent from the `packages` configuration"), a deprecation:
    a build with warnings as errors (`python -W error -m build`) failed. pyproject.toml lists them."""
    build = ("import sys; from setuptools import build_meta; build_meta.build_wheel(sys.argv[1])")
    built = subprocess.run([sys.executable, "-W", "error", "-c", build, str(tmp_path)], cwd=source,
                           capture_output=True, text=True, timeout=300, encoding="utf-8")
    assert built.returncode == 0, built.stderr[-3000:]
    assert len(list(tmp_path.glob("*.whl"))) == 1


def _data_files(folder: str) -> set[str]:
    tracked = subprocess.run(["git", "ls-files", folder], cwd=PROJECT_ROOT, capture_output=True, encoding="utf-8")
    if tracked.returncode == 0 and tracked.stdout.strip():
        return set(tracked.stdout.split())
    return {str(path.relative_to(PROJECT_ROOT)) for path in (PROJECT_ROOT / folder).rglob("*") if path.is_file()}


def test_the_wheel_carries_every_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, inside in DATA_FOLDERS.items():
        expected = {inside + name[len(folder):] for name in _data_files(folder)}
        assert expected and expected - names == set(), f"{folder}/ files missing from the wheel"


def test_the_license_file_is_mit_s_and_rides_in_the_wheel_and_the_sdist(wheel, source, tmp_path):
    """pyproject.toml declared `license = "MIT"`, but no LICENSE file was there to carry the notice MIT asks for."""
    text = (PROJECT_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert PYPROJECT["project"]["license"] == "MIT"
    assert text.startswith(f"MIT License\n\nCopyright (c) 2026 the {PYPROJECT['project']['name']} contributors\n")
    archive = zipfile.ZipFile(wheel)
    [metadata] = [name for name in archive.namelist() if name.endswith(".dist-info/METADATA")]
    assert archive.read(metadata.replace("METADATA", "licenses/LICENSE")).decode("utf-8") == text
    assert {"License-Expression: MIT", "License-File: LICENSE"} <= set(archive.read(metadata).decode().splitlines())
    build = "import sys; from setuptools import build_meta; print(build_meta.build_sdist(sys.argv[1]))"
    built = subprocess.run([sys.executable, "-c", build, str(tmp_path)], cwd=source, capture_output=True,
                           encoding="utf-8", timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    with tarfile.open(tmp_path / built.stdout.splitlines()[-1]) as sdist:
        [member] = [name for name in sdist.getnames() if name.count("/") == 1 and name.endswith("/LICENSE")]
        assert sdist.extractfile(member).read().decode("utf-8") == text


def test_the_wheel_carries_the_old_plugin_name_s_entry_point_and_no_top_level_module(wheel):
    """The entry point `kore_mock` says the fixture's plugin's name now; no top-level module of that name is
    installed (it would take the name from a team's own module or plugin)."""
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "kore_mock.py" not in names
    [entry_points] = [name for name in names if name.endswith(".dist-info/entry_points.txt")]
    assert "kore_mock = mockserver.old_plugin_name" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_the_wheel_marks_the_package_as_typed(wheel):
    """PEP 561's marker: without it mypy and pyright skip the package's annotations ("module is installed, but
    missing library stubs or py.typed marker"), and a client's `mypy --strict` failed on `from mockserver.testing
    import running_mock`."""
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "mockserver/py.typed" in names


def test_the_installed_package_works_outside_the_checkout(wheel, tmp_path):
    """The wheel unpacked stands in for site-packages (the dependencies come from this environment): the command
    reads the bundled tenant, a client's suite gets `kore_mock`, and the contract suite runs by its package name."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    client = tmp_path / "client"
    client.mkdir()
    (client / "test_client.py").write_text(
        "import requests\n\n"
        "def test_create(kore_mock):\n"
        "    from mockserver.contract import load_contract\n"
        "    body = load_contract().sample_request\n"
        "    answer = requests.post(kore_mock.endpoint, json=body, headers=kore_mock.headers, timeout=10)\n"
        "    assert answer.status_code == 200, answer.text\n"
        "    assert kore_mock.count_requests(status=200) == 1\n",
        encoding="utf-8")
    # `kore_mock` comes through the entry point this environment's install registers, and is imported from the
    # unpacked wheel, which comes first on the path.
    env = {"PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, *args], cwd=client, env=env, capture_output=True, text=True,
                              timeout=120, encoding="utf-8")

    where = run("-c", "import mockserver.paths as p; print(p.DATA_ROOT)")
    assert where.stdout.strip() == str(site / "mockserver" / "bundled"), where.stderr
    tenant = run("-m", "mockserver", "tenant")
    assert tenant.returncode == 0 and '"accounts"' in tenant.stdout, tenant.stderr
    own = run("-m", "pytest", "-q", "-p", "no:cacheprovider", "test_client.py")
    assert own.returncode == 0, own.stdout[-2000:] + own.stderr[-2000:]
    # with one of its options: pytest reads a conftest's options only from the paths given, not --pyargs names
    suite = run("-m", "pytest", "-q", "-p", "no:cacheprovider", "--pyargs", "contract_tests", "--contract-timeout", "9")
    assert suite.returncode == 0 and " passed" in suite.stdout, suite.stdout[-2000:] + suite.stderr[-2000:]


def test_the_installed_package_s_own_data_is_not_rewritten_by_default(wheel, tmp_path):
    """From a regular install `mockserver openapi` (and `--admin`, and `mockserver schemas`) wrote by default into
    the installed package, `site-packages/mockserver/bundled/`: files pip owns, whose regeneration from other pages
    (`--source`) changed the contract every mock of that environment then served. The default is refused in one
    line naming the option that writes elsewhere; --check still reads the package's copy, and -o - still prints."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "client"
    elsewhere.mkdir()
    env = {"PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}
    bundled = site / "mockserver" / "bundled"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return mockserver_command(*args, cwd=elsewhere, env=env, timeout=120)

    def contents() -> dict[Path, bytes]:
        return {path: path.read_bytes() for path in bundled.rglob("*") if path.is_file()}

    before = contents()
    for args, way_out in ((["openapi"], "-o FILE"), (["openapi", "--admin"], "-o FILE"), (["schemas"], "--out DIR")):
        refused = run(*args)
        assert refused.returncode == 2 and refused.stdout == "", refused.stdout + refused.stderr
        assert len(refused.stderr.splitlines()) == 1 and "installed package" in refused.stderr, refused.stderr
        assert way_out in refused.stderr
    assert contents() == before
    assert run("openapi", "--check").returncode == 0
    assert run("schemas", "--check").returncode == 0
    assert run("openapi", "-o", "-").stdout.startswith("{")
    written = run("openapi", "-o", "openapi.json")
    assert written.returncode == 0 and (elsewhere / "openapi.json").is_file(), written.stderr


def test_a_teams_own_contract_tests_package_does_not_stop_its_runs(wheel, tmp_path):
    """A team's repository may hold a `contract_tests` package of its own, which `python -m pytest` finds before the
    installed suite: the package's pytest plugin imports nothing of the suite's as pytest starts, or every run of
    the team's would fail there (ModuleNotFoundError: contract_tests.settings)."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    team = tmp_path / "team"
    (team / "contract_tests").mkdir(parents=True)
    (team / "contract_tests" / "__init__.py").write_text("", encoding="utf-8")
    (team / "contract_tests" / "test_ours.py").write_text(
        "def test_ours(kore_mock):\n    assert kore_mock.campaigns() == []\n", encoding="utf-8")
    # -S, with this environment's packages on PYTHONPATH: no .pth file runs, so an editable install's finder, which
    # found contract_tests.settings under the team's package too, is not there, as in a regular install
    path = os.pathsep.join([str(site), sysconfig.get_paths()["purelib"]])
    ran = subprocess.run([sys.executable, "-S", "-m", "pytest", "-q", "-p", "no:cacheprovider", "contract_tests"],
                         cwd=team, env={"PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": "1"}, capture_output=True,
                         text=True, timeout=120, encoding="utf-8")
    assert ran.returncode == 0 and "1 passed" in ran.stdout, ran.stdout[-2000:] + ran.stderr[-2000:]


def test_a_refused_tenant_file_names_the_schema_the_install_carries(wheel, tmp_path):
    """A tenant file that does not pass says which schema to read; from a regular install it named
    fixtures/tenant.schema.json, a checkout's path, where the file is mockserver/bundled/fixtures/."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "client"
    elsewhere.mkdir()
    (elsewhere / "tenant.json").write_text('{"accounts": []}', encoding="utf-8")
    refused = mockserver_command("tenant", "tenant.json", cwd=elsewhere,
                                 env={"PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}, timeout=120)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "(see mockserver/bundled/fixtures/tenant.schema.json)" in refused.stderr, refused.stderr
    assert (site / "mockserver" / "bundled" / "fixtures" / "tenant.schema.json").is_file()


def _setuptools_floor(requirements: list[str]) -> tuple[int, ...]:
    [floor] = [line.split(">=")[1].split(",")[0] for line in requirements if line.startswith("setuptools>=")]
    return tuple(int(part) for part in floor.split("."))


def test_the_setuptools_floors_read_the_license_as_it_is_written():
    """`project.license` is an SPDX string (PEP 639), which setuptools reads from 77 on: 68 to 76 refuse the whole
    pyproject.toml ('project.license must be valid exactly by one definition'), so a build with an older setuptools
    pinned failed, and so did the wheel test above (built with [dev]'s setuptools) at the floors."""
    assert isinstance(PYPROJECT["project"]["license"], str)
    assert _setuptools_floor(PYPROJECT["build-system"]["requires"]) >= (77,)
    assert _setuptools_floor(PYPROJECT["project"]["optional-dependencies"]["dev"]) >= (77,)


def _distribution(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(requirements: list[str]) -> set[str]:
    return {_distribution(re.match(r"[\w.-]+", line).group()) for line in requirements}


def _undeclared_imports(folders: tuple[str, ...], declared: set[str], beside: dict[str, tuple[str, ...]]) -> set[str]:
    """Each third-party module imported by the folders' code whose distribution is not among `declared`."""
    owners = importlib.metadata.packages_distributions()
    undeclared = set()
    for path in sorted(path for top in folders for path in (PROJECT_ROOT / top).rglob("*.py")):
        where = path.relative_to(PROJECT_ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), where)):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for top in {name.split(".")[0] for name in names}:
                if top in sys.stdlib_module_names or top in ("mockserver", "contract_tests", "tests", "benchmarks"):
                    continue
                if (path.parent / f"{top}.py").exists():  # a module beside it (pytest puts tests/ on the path)
                    continue
                if top in beside and where.startswith(beside[top]):
                    continue
                if not {_distribution(owner) for owner in owners.get(top, [top])} & declared:
                    undeclared.add(f"{where} imports {top}")
    return undeclared


def test_every_third_party_import_of_the_package_is_a_declared_runtime_dependency():
    """A module the package imports that reaches a user's environment only through another package (Werkzeug,
    through Flask) took whatever release that package allowed, outside the tested range; and one only [dev] brings
    would fail `mockserver` in a runtime install."""
    declared = _declared(PYPROJECT["project"]["dependencies"])
    undeclared = _undeclared_imports(("mockserver", "contract_tests"), declared, BESIDE)
    assert undeclared == set(), "declare these in [project] dependencies"


def test_every_third_party_import_of_the_tests_is_a_declared_dependency():
    """The tests imported hypothesis and referencing, which came only through schemathesis and jsonschema: a
    release of either that dropped them, or moved their floor, broke the suite with no range of this project's."""
    declared = _declared(PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["dev"])
    undeclared = _undeclared_imports(("tests", "benchmarks"), declared, {})
    assert undeclared == set(), "declare these in [project.optional-dependencies] dev"
