"""The vendor page the schema generator's own tests read: a copy, in tests/pages/frozen/, of the page and its
overrides file as vendored on 2026-11-26, so that those tests may quote its wording and line numbers.

It is not refreshed when a new page is vendored, and nothing checks that it matches schemas/source/: it is free to
differ. A vendored page is held to the generated files by the tests that read the live one (SOURCE_DIR):
`mockserver schemas --check` (tests/test_spec_check.py), tests/test_schema_files.py and
tests/test_spec_determinism.py, which say what to regenerate. Imported by name, `from frozen_page import
FROZEN_SOURCE`, as tests/conftest.py loads this module.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

FROZEN_SOURCE = Path(__file__).resolve().parent / "pages" / "frozen"


def generated_with(tmp_path: Path, old: str, new: str, part: str = "response") -> dict[str, Any]:
    """The `part` schema `mockserver schemas` generates from a copy of the frozen page with `old` written `new`."""
    from mockserver.cli import main
    from mockserver.paths import CONTRACT

    source = tmp_path / "source"
    shutil.copytree(FROZEN_SOURCE, source)
    page = source / f"{CONTRACT}.md"
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new), encoding="utf-8")
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 0
    return json.loads((tmp_path / "out" / CONTRACT / f"{part}.schema.json").read_text(encoding="utf-8"))
