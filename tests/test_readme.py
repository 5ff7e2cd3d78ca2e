"""The README's failure table is generated from mockserver/failures.py; this keeps the two equal."""

from __future__ import annotations

from mockserver.failures import failure_table_markdown
from mockserver.paths import PROJECT_ROOT


def test_readme_failure_table_matches_the_code():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- failure-table:start -->\n", 1)[1].split("\n<!-- failure-table:end -->", 1)[0]
    assert table == failure_table_markdown()
