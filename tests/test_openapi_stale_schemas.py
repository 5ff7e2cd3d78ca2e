"""`mockserver openapi --check` on schemas that `mockserver schemas --check` would fail: it said the document was up
to date, since it compared the document with the generated schemas alone, however stale they were."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from frozen_page import FROZEN_SOURCE

from mockserver.cli import main
from mockserver.commands import schemas
from mockserver.paths import CONTRACT
from mockserver.spec import build


@pytest.fixture
def vendored_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The page `schemas --check` reads, in a copy of the schemas it generates: the frozen page's
    (tests/frozen_page.py). The document checked is the repository's, up to date with its own schemas."""
    shutil.copytree(FROZEN_SOURCE, tmp_path / "source")
    build.write(tmp_path / "source", tmp_path)
    monkeypatch.setattr(schemas, "SOURCE_DIR", tmp_path / "source")
    monkeypatch.setattr(schemas, "SCHEMAS_DIR", tmp_path)
    return tmp_path / "source" / f"{CONTRACT}.md"


def _edit(page: Path, old: str, new: str) -> None:
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new), encoding="utf-8")


def test_the_check_passes_on_schemas_the_page_generates(vendored_page: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["openapi", "--check"]) == 0
    assert "is up to date" in capsys.readouterr().out


@pytest.mark.parametrize(("options", "command"), [
    ([], "mockserver openapi"), (["--admin"], "mockserver openapi --admin")])
def test_schemas_the_page_no_longer_generates_must_be_regenerated_first(
        vendored_page: Path, options: list[str], command: str, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(vendored_page, "maximum of 48 characters", "maximum of 64 characters")
    assert main(["openapi", "--check", *options]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == (
        "mockserver openapi: the schemas the document is built from must be regenerated first (1 file(s) differ,"
        f" named by `mockserver schemas --check`): run `mockserver schemas`, then `{command}`, and commit the"
        " result\n")


def test_a_page_the_generator_refuses_is_said_in_one_line(vendored_page: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    _edit(vendored_page, "maximum of 48 characters", "maximum of 48 characters or so")
    assert main(["openapi", "--check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mockserver openapi: error: the schemas the document is built from cannot be regenerated"
                          " (`mockserver schemas` refuses the page, so the document is not checked): ")
    assert f"{vendored_page}:106: cannot read" in err and err.count("\n") == 1


def test_a_bad_option_is_said_before_the_schemas_are_checked(vendored_page: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    _edit(vendored_page, "maximum of 48 characters", "maximum of 64 characters")
    assert main(["openapi", "--check", "--admin", "--account", "acc-1"]) == 2
    assert "--account narrows the endpoint's document" in capsys.readouterr().err
