"""A documentation export reformats the vendor page when the vendor updates it: emphasis, dashes, HTML, headings.
Each reformatting reads the contract the vendored page does (every keyword but `x-source`, which names lines), or is
refused in one line naming the page's line; none changes a keyword without a word."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from frozen_page import FROZEN_SOURCE

from mockserver.errors import SpecError
from mockserver.spec import build

REAL = FROZEN_SOURCE / "create-voice-campaign-progressive-v2.md"


def _contract(value: Any) -> Any:
    """A generated file without its `x-source` values: what a validator and a reader of the schema see."""
    if isinstance(value, dict):
        return {key: _contract(item) for key, item in value.items() if key != "x-source"}
    if isinstance(value, list):
        return [_contract(item) for item in value]
    return value


def _generated(page: Path) -> dict[str, Any]:
    return {name: _contract(json.loads(text)) for name, text in build.generate_page(page).items()}


def _reformatted(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """A copy of the source folder whose page has each (old, new) edit made, every time the page says old."""
    source = tmp_path / "source"
    shutil.copytree(FROZEN_SOURCE, source)
    page = source / REAL.name
    text = page.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    page.write_bytes(text.encode("utf-8"))
    return page


@pytest.fixture(scope="module")
def vendored() -> dict[str, Any]:
    return _generated(REAL)


SAME = {
    # "*Example:* "FIFO"" gave the example '* "FIFO"'; an italic bullet name dropped the item's property
    "italic-example-label": [('Example: `"FIFO"`', '*Example:* `"FIFO"`')],
    "underscore-italic-names": [("| `host` |", "| _host_ |"), ("| `name` |", "| _name_ |")],
    "bold-italic-and-code-names": [("| `streamId` |", "| ***streamId*** |"),
                                   ("| `queue_name` |", "| *`queue_name`* |")],
    "italic-item-bullet-names": [("• day:", "• *day*:"), ("• start:", "• _start_:")],
    "italic-numbers-and-sentences": [("maximum of 48 characters", "maximum of *48* characters"),
                                     ("Must be between 1 and 1440.", "_Must be between 1 and 1440._")],
    # a word processor's hyphens (U+2010, U+2011 that does not break a line): "(2\u2011letter)" lost the day's pattern
    "unicode-hyphens": [("(2-letter)", "(2\u2011letter)")],
    # headings as pandoc may write them: the body table was read under "## Headers", the heading before it
    "setext-headings": [("# Create Voice Campaign API - Progressive Mode-v2",
                         "Create Voice Campaign API - Progressive Mode-v2\n=============="),
                        ("## Body Parameters", "Body Parameters\n---------------"),
                        ("## Response Parameters", "Response Parameters\n---")],
}


@pytest.mark.parametrize("edits", SAME.values(), ids=SAME.keys())
def test_a_reformatted_page_reads_the_same_contract(edits: list[tuple[str, str]], tmp_path: Path,
                                                     vendored: dict[str, Any]) -> None:
    assert _generated(_reformatted(tmp_path, *edits)) == vendored


def test_an_underscore_inside_a_name_or_code_is_not_emphasis(tmp_path: Path) -> None:
    page = _reformatted(tmp_path, ("`queue_name`", "queue_name"), ("Caller ID number", "Caller `_id_` number"))
    schema = _generated(page)["request.schema.json"]
    assert "queue_name" in schema["required"]
    caller = schema["properties"]["dialingStrategy"]["properties"]["callerId"]["properties"]["phoneNumber"]
    assert caller["description"].startswith("Caller _id_ number")


REFUSED = {
    # an en dash is no hyphen: which form is meant is the vendor's to say, not dropped as prose
    "en-dash-in-a-letter-count": ([("(2-letter)", "(2\u2013letter)")], 216, 'cannot read "2\u2013letter\\) Example'),
    "non-empty-with-a-unicode-hyphen": ([("Timezone in which calling hours are defined.",
                                          "Timezone in which calling hours are defined. Non\u2011empty.")],
                                        115, 'cannot read "Non-empty" as a constraint'),
    # its rows were prose: the refusal, when one came, was of a constraint in prose or of a missing table or field
    "html-table": ([("| **Parameter** | **Description** | **Type** |\n| :---- | :---- | :---- |\n"
                     "| `campaignType` | Type of campaign. Use `“voice”` | string, required |",
                     "<table>\n<tr><th>Parameter</th><th>Description</th><th>Type</th></tr>\n<tr><td><code>campaignType"
                     "</code></td><td>Type of campaign. Use “voice”</td><td>string, required</td></tr>\n</table>")],
                   23, r"an HTML <table> is not read: write it as a Markdown table \(\| Parameter"),
}


@pytest.mark.parametrize(("edits", "line", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_a_reformatting_that_changes_the_reading_is_refused(edits: list[tuple[str, str]], line: int, message: str,
                                                             tmp_path: Path) -> None:
    page = _reformatted(tmp_path, *edits)
    with pytest.raises(SpecError, match=f"^{page}:{line}: {message}"):
        build.generate_page(page)
