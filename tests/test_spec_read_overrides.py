"""A [[read]] entry of the overrides file settles wording the generator refuses, for one field, and fails when stale."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from frozen_page import FROZEN_SOURCE

from mockserver.errors import SpecError
from mockserver.spec import build, overrides

STEM = "create-voice-campaign-progressive-v2"
PAGE = FROZEN_SOURCE / f"{STEM}.md"
OVERRIDES = FROZEN_SOURCE / f"{STEM}.overrides.toml"
CALLER, DAYS, QUEUE = 113, 116, 121  # the page lines of dialingStrategy.callerId.phoneNumber, ...days, queue_name
ROUTED = ("used to route calls when", "the calls must be routed to when")  # a page edit no rule reads


@pytest.fixture
def page_dir(tmp_path: Path) -> Path:
    shutil.copy(PAGE, tmp_path / PAGE.name)
    shutil.copy(OVERRIDES, tmp_path / OVERRIDES.name)
    return tmp_path


def _edit_page(page_dir: Path, line: int, old: str, new: str) -> None:
    page = page_dir / PAGE.name
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new)
    page.write_text("".join(lines), encoding="utf-8")


def _add_read(page_dir: Path, field: str, words: str | list[str], *keywords: str) -> int:
    """Appends a [[read]] entry to the overrides file; the line of its `words`."""
    path = page_dir / OVERRIDES.name
    text = path.read_text(encoding="utf-8")
    entry = ["\n[[read]]", 'table = "body"', f'field = "{field}"', f"words = {json.dumps(words)}", *keywords,
             'why = "The vendor page says so in words no phrase rule reads."']
    path.write_text(text + "\n".join(entry) + "\n", encoding="utf-8")
    return len(text.splitlines()) + 5


def _generate(page_dir: Path) -> dict[str, Any]:
    return {name: json.loads(text) for name, text in build.generate_page(page_dir / PAGE.name).items()}


def _error(page_dir: Path) -> SpecError:
    with pytest.raises(SpecError) as caught:
        build.generate_page(page_dir / PAGE.name)
    return caught.value


def test_the_refusal_names_both_ways_out(page_dir: Path) -> None:
    _edit_page(page_dir, QUEUE, *ROUTED)
    error = _error(page_dir)
    assert error.where == f"{page_dir / PAGE.name}:{QUEUE}"
    assert error.message == (
        'cannot read "must be routed to when agents are needed" as a constraint: no phrase rule matches it; add a '
        'rule to mockserver/spec/phrases.py, or a [[read]] entry (table = "body", field = "queue_name", words = '
        f'"must be routed to when agents are needed") to {OVERRIDES.name}')


def test_words_read_as_prose(page_dir: Path) -> None:
    _edit_page(page_dir, QUEUE, *ROUTED)
    line = _add_read(page_dir, "queue_name", "must be routed to when agents are needed")
    queue = _generate(page_dir)["request.schema.json"]["properties"]["queue_name"]
    vendored = json.loads(build.generate_page(PAGE)["request.schema.json"])["properties"]["queue_name"]
    assert queue["description"].startswith("Name of the agent queue the calls must be routed to")
    assert {k: v for k, v in queue.items() if k not in ("description", "x-source")} == \
        {k: v for k, v in vendored.items() if k not in ("description", "x-source")}
    assert queue["x-source"] == vendored["x-source"] | {"read": f"{OVERRIDES.name}:{line}"}


def test_words_read_as_keywords(page_dir: Path) -> None:
    _edit_page(page_dir, CALLER, "Must be a verified number.", "Must be a verified number. In E.164 format.")
    line = _add_read(page_dir, "dialingStrategy.callerId.phoneNumber", "E.164 format", "maxLength = 16")
    request = _generate(page_dir)["request.schema.json"]
    phone = request["properties"]["dialingStrategy"]["properties"]["callerId"]["properties"]["phoneNumber"]
    assert phone["maxLength"] == 16 and phone["x-reference"] == "verified"
    assert phone["x-source"]["maxLength"] == f"{OVERRIDES.name}:{line + 1}"
    assert phone["x-source"]["read"] == f"{OVERRIDES.name}:{line}"


def test_a_list_of_words(page_dir: Path) -> None:
    _edit_page(page_dir, QUEUE, "Required for Progressive dialing.", "Required for Progressive dialing. Can be null.")
    _edit_page(page_dir, QUEUE, *ROUTED)
    line = _add_read(page_dir, "queue_name", ["must be routed"])
    error = _error(page_dir)  # the words excuse their own wording only
    assert error.where == f"{page_dir / PAGE.name}:{QUEUE}"
    assert error.message == ('cannot read "null" as a constraint: no phrase rule matches it; add a rule to '
                             'mockserver/spec/phrases.py, or "null" to the words of the [[read]] entry at '
                             f"{OVERRIDES.name}:{line - 3}")
    shutil.copy(OVERRIDES, page_dir / OVERRIDES.name)
    _add_read(page_dir, "queue_name", ["must be routed", "null"])
    assert "queue_name" in _generate(page_dir)["request.schema.json"]["properties"]


def test_a_stale_word_in_a_list(page_dir: Path) -> None:
    _edit_page(page_dir, QUEUE, *ROUTED)
    line = _add_read(page_dir, "queue_name", ["must be routed", "null"])
    error = _error(page_dir)
    assert error.where == f"{page_dir / OVERRIDES.name}:{line}"
    assert error.message == (f'[[read]] queue_name: the description no longer says "null" ({PAGE.name}:{QUEUE}): '
                             "drop those words from the entry")


def test_the_words_may_be_a_part_of_the_quoted_phrase(page_dir: Path) -> None:
    _edit_page(page_dir, QUEUE, *ROUTED)
    _add_read(page_dir, "queue_name", "must be routed")
    assert "queue_name" in _generate(page_dir)["request.schema.json"]["properties"]


@pytest.mark.parametrize(
    ("field", "words", "at", "message"),
    [
        # the page was fixed: the entry has nothing left to settle
        ("queue_name", "must be routed", "words",
         f'[[read]] queue_name: the description no longer says "must be routed" ({PAGE.name}:{QUEUE}): remove the '
         "entry"),
        ("queue_name", "agent queue", "words",
         f'[[read]] queue_name: nothing in "agent queue" reads as a constraint ({PAGE.name}:{QUEUE}): remove the '
         "entry, or give it the words a refusal quotes"),
        ("queue_name", "Required for Progressive dialing", "words",
         '[[read]] queue_name: the phrase rule "required-for" reads "Required for Progressive dialing" '
         f"({PAGE.name}:{QUEUE}): remove the entry"),
        ("queue", "must be routed", "field", "[[read]]: the body table has no field 'queue'"),
    ],
    ids=["page-fixed", "not-a-constraint", "a-rule-reads-them", "no-such-field"],
)
def test_a_stale_entry_names_its_line(page_dir: Path, field: str, words: str, at: str, message: str) -> None:
    line = _add_read(page_dir, field, words)
    error = _error(page_dir)
    assert error.where == f"{page_dir / OVERRIDES.name}:{line if at == 'words' else line - 1}"
    assert error.message == message


def test_wording_inside_what_a_rule_reads_needs_a_rule(page_dir: Path) -> None:
    _edit_page(page_dir, DAYS, '• end: "6:00 PM"', "• end: up to 7 days.")
    error = _error(page_dir)
    assert error.message == ('cannot read "up to 7 days" as a constraint: no phrase rule matches it; it is inside '
                             'what the phrase rule "each-object-includes" reads, so add a rule to '
                             "mockserver/spec/phrases.py")
    line = _add_read(page_dir, "dialingStrategy.callingHours.days", "up to 7 days")
    error = _error(page_dir)
    assert error.where == f"{page_dir / OVERRIDES.name}:{line}"
    assert error.message == ('[[read]] dialingStrategy.callingHours.days: the phrase rule "each-object-includes" reads '
                             f'"up to 7 days" ({PAGE.name}:{DAYS}): remove the entry')


def test_one_entry_per_field(page_dir: Path) -> None:
    _edit_page(page_dir, QUEUE, *ROUTED)
    first = _add_read(page_dir, "queue_name", "must be routed")
    second = _add_read(page_dir, "queue_name", "must be routed")
    error = _error(page_dir)
    assert error.where == f"{page_dir / OVERRIDES.name}:{second - 3}"
    assert error.message == f"[[read]] queue_name: the entry at line {first - 3} reads this field already: list " \
                            "all its words there"


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (['wrods = "x"'], "[[read]] queue_name: unknown key 'wrods' (did you mean 'words'?)"),
        ([], "[[read]] queue_name: missing keys ['words']"),
        (["words = 5"], "[[read]] queue_name: words: 5 is not valid under any of the given schemas"),
        (["words = []"], "[[read]] queue_name: words: [] is not valid under any of the given schemas"),
        (['words = "x"', 'pattern = "["'], "[[read]] queue_name: pattern: '[' is not a 'regex'"),
        (['words = "x"', "maxLenght = 5"], "[[read]] queue_name: unknown key 'maxLenght' (did you mean 'maxLength'?)"),
    ],
    ids=["misspelt-words", "no-words", "words-a-number", "words-empty", "bad-keyword-value", "misspelt-keyword"],
)
def test_a_bad_key_names_its_line(page_dir: Path, keys: list[str], message: str) -> None:
    path = page_dir / OVERRIDES.name
    text = path.read_text(encoding="utf-8")
    entry = ["\n[[read]]", 'table = "body"', 'field = "queue_name"', *keys, 'why = "x"']
    path.write_text(text + "\n".join(entry) + "\n", encoding="utf-8")
    error = _error(page_dir)
    line = len(text.splitlines()) + (4 + len(keys) if keys else 2)  # the last key's, or the entry's header
    assert error.where == f"{path}:{line}"
    assert error.message == message


def test_the_header_lists_every_entry_kind() -> None:
    header = OVERRIDES.read_text(encoding="utf-8").split("\n\n# --")[0]
    for kind in overrides.ENTRY_KINDS:
        assert f"[[{kind}]]" in header, kind


def test_a_read_entry_replaces_a_page_keyword_as_a_set_does(page_dir: Path) -> None:
    """A [[read]] keyword that contradicts the row was refused with "add replaces", which a [[read]] refused in turn
    as an unknown key: the refusal's way out was a dead end."""
    _edit_page(page_dir, QUEUE, *ROUTED)
    _add_read(page_dir, "queue_name", "must be routed to when agents are needed", "required = false")
    assert 'add replaces = ["required"] to the entry' in _error(page_dir).message
    shutil.copy(OVERRIDES, page_dir / OVERRIDES.name)
    _add_read(page_dir, "queue_name", "must be routed to when agents are needed", "required = false",
              'replaces = ["required"]')
    assert "queue_name" not in _generate(page_dir)["request.schema.json"]["required"]


def test_a_read_keyword_the_row_gives_already_is_stale(page_dir: Path) -> None:
    """As a [[set]] keyword is: the row's "Must be a verified number." gives the x-reference. The entry's words still
    need it, so the way out is the keyword's removal, not the entry's."""
    _edit_page(page_dir, CALLER, "Must be a verified number.", "Must be a verified number. In E.164 format.")
    line = _add_read(page_dir, "dialingStrategy.callerId.phoneNumber", "E.164 format", 'x-reference = "verified"')
    error = _error(page_dir)
    assert error.where == f"{page_dir / OVERRIDES.name}:{line + 1}"
    assert error.message == ('[[read]] dialingStrategy.callerId.phoneNumber: x-reference "verified" is stale: the '
                             f"page's line {CALLER} gives it the same value now: remove the keyword from the entry")
