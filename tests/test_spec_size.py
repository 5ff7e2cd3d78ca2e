"""A long page is read in time proportional to its size, and a page too large to be a vendor page is refused."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from frozen_page import FROZEN_SOURCE

from mockserver.cli import main
from mockserver.errors import MAX_TEXT_BYTES

STEM = "create-voice-campaign-progressive-v2"
PAGE = FROZEN_SOURCE / f"{STEM}.md"


def _source(tmp_path: Path, text: str) -> Path:
    source = tmp_path / "source"
    shutil.copytree(FROZEN_SOURCE, source)
    (source / PAGE.name).write_text(text, encoding="utf-8")
    return source


def _with_response_rows(count: int) -> str:
    lines = PAGE.read_text(encoding="utf-8").splitlines()
    rows = [f"| `data.extra{i}` | Extra field {i}. | string |" for i in range(count)]
    return "\n".join(lines[:226] + rows + lines[226:]) + "\n"


def test_each_required_field_the_sample_lacks_is_counted_once(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Every response field is required (all_required), so each row the sample response lacks is one contradiction:
    each was counted once per missing field, n * n findings (and as many seconds and gigabytes on a long table)."""
    source = _source(tmp_path, _with_response_rows(150))
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert 'required field "data.extra0", which the sample response' in err
    assert err.rstrip().endswith("(and 149 more)")


def test_a_page_larger_than_the_limit_is_refused_in_one_line(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    text = PAGE.read_text(encoding="utf-8")
    source = _source(tmp_path, text + "\n" + "x" * MAX_TEXT_BYTES + "\n")
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"mockserver schemas: error: {source / PAGE.name}: the vendor page is ")
    assert f"larger than the {MAX_TEXT_BYTES // 1_000_000} MB a vendor page may be: is it the right file?" in err
    assert not (tmp_path / "out").exists()


def test_a_page_at_the_limit_is_read(tmp_path: Path) -> None:
    text = PAGE.read_text(encoding="utf-8")
    padding = MAX_TEXT_BYTES - len(text.encode("utf-8")) - 1
    source = _source(tmp_path, text + "\n" + ("<!-- " + "x" * 70 + " -->\n") * (padding // 80))
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 0


def test_an_overrides_file_larger_than_the_limit_is_refused_in_one_line(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    source = _source(tmp_path, PAGE.read_text(encoding="utf-8"))
    overrides = source / f"{STEM}.overrides.toml"
    overrides.write_text(overrides.read_text(encoding="utf-8") + "#" * MAX_TEXT_BYTES + "\n", encoding="utf-8")
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{overrides}: the overrides file is " in err


@pytest.mark.parametrize("end", [".", ", etc."])
def test_a_long_list_of_names_with_codes_is_read_in_time(end: str) -> None:
    """ "Order: First (C0), Second (C1), ..." with a dozen codes and no "etc." took the rule "open-ended-list"
    minutes, twice as long for each code more: its words between two codes could be split every way."""
    codes = ", ".join(f"Name {i} (C{i})" for i in range(40))
    script = ("from mockserver.spec import phrases; from mockserver.spec.model import TypeSpec\n"
              "try: phrases.apply(sys.argv[1], TypeSpec('string'))\nexcept phrases.UnreadPhrase: pass\n")
    subprocess.run([sys.executable, "-c", "import sys\n" + script, f"Order: {codes}{end}"], check=True, timeout=20)
