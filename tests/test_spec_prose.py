"""Prose outside the page's tables that reads like a constraint is refused at its line, unless a [[prose]] entry
says a table row or a [[set]] gives it; an entry whose words the prose does not say fails, naming its line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from frozen_page import FROZEN_SOURCE

from mockserver.errors import SpecError, text_lines
from mockserver.spec import build
from mockserver.spec.markdown import parse_page

STEM = "create-voice-campaign-progressive-v2"
PAGE = FROZEN_SOURCE / f"{STEM}.md"
OVERRIDES = FROZEN_SOURCE / f"{STEM}.overrides.toml"
INTRO = ("Use this API to create a voice campaign with Progressive dialing mode that routes answered calls to live "
         "agents via a queue.")
NAME = "The campaign name must be a maximum of 32 characters."
WAY_OUT = (f"prose outside the tables is not read; add a [[prose]] entry (words = {{words}}) to {OVERRIDES.name} once "
           "a table row or a [[set]] entry gives it")


@pytest.fixture
def page_dir(tmp_path: Path) -> Path:
    shutil.copy(PAGE, tmp_path / PAGE.name)
    shutil.copy(OVERRIDES, tmp_path / OVERRIDES.name)
    return tmp_path


def _insert(page_dir: Path, prose: str) -> int:
    """`prose` (lines) as a block of its own before the page's "## Sample Response"; the page line of its first."""
    page = page_dir / PAGE.name
    text = page.read_text(encoding="utf-8")
    line = text_lines(text).index("## Sample Response") + 1
    page.write_text(text.replace("## Sample Response", f"{prose}\n\n## Sample Response", 1), encoding="utf-8")
    return line


def _add_prose(page_dir: Path, words: str | list[str], *keys: str) -> int:
    """Appends a [[prose]] entry to the overrides file; the line of its `words`."""
    path = page_dir / OVERRIDES.name
    text = path.read_text(encoding="utf-8")
    entry = ["\n[[prose]]", f"words = {json.dumps(words)}", *keys,
             'why = "The tables say it already: the words ask nothing more."']
    path.write_text(text + "\n".join(entry) + "\n", encoding="utf-8")
    return len(text.splitlines()) + 3


def _error(page_dir: Path) -> SpecError:
    with pytest.raises(SpecError) as caught:
        build.generate_page(page_dir / PAGE.name)
    return caught.value


def _without_sources(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _without_sources(value) for key, value in node.items() if key != "x-source"}
    return [_without_sources(item) for item in node] if isinstance(node, list) else node


def _generated(page: Path) -> dict[str, Any]:
    return {name: _without_sources(json.loads(text)) for name, text in build.generate_page(page).items()}


def test_ordinary_prose_is_read_and_asks_nothing() -> None:
    """The page's intro is prose the generator holds (and refuses nothing in): the vendored page generates."""
    prose = parse_page(PAGE.read_text(encoding="utf-8"), PAGE.name).prose
    assert [(p.text, p.lines) for p in prose if p.text.startswith("Use this API")] == [(INTRO, ((0, 5),))]
    assert build.generate_page(PAGE)


@pytest.mark.parametrize(
    ("prose", "at", "phrase"),
    [
        (NAME, 0, "must be a maximum of 32 characters"),
        ("> **Note:** `dialingStrategy.maxRingTime` must be between 10 and 90.", 0, "must be between 10 and 90"),
        ("Some notes:\n\n- The name must be unique within the account.\n- Ids are strings.", 2,
         "must be unique within the account"),
        ("1. Create the lists first.\n2. The priority defaults to 3.", 1, "defaults to 3"),
        ("[^1]: The description may not exceed 500 characters.", 0, "may not exceed 500 characters"),
        ("The campaign name must be\na maximum of 32 characters.", 0, "must be a maximum of 32 characters"),
        ("The campaign name is what agents see. It can\nbe at most 32 characters.", 1, "at most 32 characters"),
        ("> Agents see the campaign name.\n>\n> Names are limited to 32 characters.", 2,
         "limited to 32 characters"),
        # a heading: "## Campaign names (at most 32 characters)" was lost without a word, read by nothing
        ("### Names must be unique within the account", 0, "must be unique within the account"),
        ("**Names are limited to 32 characters**\n\nAgents see the name.", 0, "limited to 32 characters"),
        ("Calls are placed no later than 6:00 PM.", 0, "no later than 6:00 PM"),
    ],
    ids=["paragraph", "note", "list-item", "numbered-item", "footnote", "a-sentence-over-two-lines",
         "on-its-second-line", "a-note-s-second-paragraph", "heading", "bold-heading", "a-clock-time-bound"],
)
def test_a_constraint_in_prose_is_refused_at_its_line(page_dir: Path, prose: str, at: int, phrase: str) -> None:
    line = _insert(page_dir, prose) + at
    error = _error(page_dir)
    assert error.where == f"{page_dir / PAGE.name}:{line}"
    assert error.message == f'cannot read "{phrase}" as a constraint: ' + WAY_OUT.format(words=json.dumps(phrase))


def test_a_prose_entry_settles_the_words(page_dir: Path) -> None:
    _insert(page_dir, "- The name must be unique within the account.\n\n> Note: the priority defaults to 3.")
    _add_prose(page_dir, ["must be unique within the account", "defaults to 3"])
    assert _generated(page_dir / PAGE.name) == _generated(PAGE)


def test_a_prose_entry_settles_the_words_of_a_heading(page_dir: Path) -> None:
    _insert(page_dir, "### Names must be unique within the account")
    _add_prose(page_dir, "must be unique within the account")
    assert _generated(page_dir / PAGE.name) == _generated(PAGE)


def test_a_prose_entry_beside_a_set_that_gives_the_constraint(page_dir: Path) -> None:
    _insert(page_dir, "> **Note:** The campaign name must be a maximum of 40 characters.")
    path = page_dir / OVERRIDES.name
    path.write_text(path.read_text(encoding="utf-8") + '\n[[set]]\ntable = "body"\nfield = "name"\nmaxLength = 40\n'
                    'replaces = ["maxLength"]\nwhy = "The page\'s note says 40, its row 48."\n', encoding="utf-8")
    _add_prose(page_dir, "must be a maximum of 40 characters")
    request = json.loads(build.generate_page(page_dir / PAGE.name)["request.schema.json"])
    assert request["properties"]["name"]["maxLength"] == 40


def test_the_words_settle_only_their_own_wording(page_dir: Path) -> None:
    line = _insert(page_dir, f"{NAME}\n\n- The priority defaults to 3.")
    _add_prose(page_dir, "must be a maximum of 32 characters")
    error = _error(page_dir)
    assert error.where == f"{page_dir / PAGE.name}:{line + 2}"
    assert error.message.startswith('cannot read "defaults to 3" as a constraint: ')


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("must be a maximum of 32 characters",
         "[[prose]]: the page's prose outside its tables no longer says \"must be a maximum of 32 characters\": "
         "remove the entry"),
        ("Must be between 5 and 120",  # the maxRingTime row says it: a table's words are not prose
         "[[prose]]: the page's prose outside its tables no longer says \"Must be between 5 and 120\": remove the "
         "entry"),
        ("routes answered calls",
         f'[[prose]]: nothing in "routes answered calls" reads as a constraint ({PAGE.name}:5): remove the entry, or '
         "give it the words a refusal quotes"),
    ],
    ids=["page-fixed", "words-of-a-table", "not-a-constraint"],
)
def test_an_unused_entry_is_refused_at_its_words(page_dir: Path, words: str, message: str) -> None:
    line = _add_prose(page_dir, words)
    error = _error(page_dir)
    assert error.where == f"{page_dir / OVERRIDES.name}:{line}"
    assert error.message == message


def test_a_stale_word_in_a_list(page_dir: Path) -> None:
    _insert(page_dir, NAME)
    line = _add_prose(page_dir, ["must be a maximum of 32 characters", "defaults to 3"])
    error = _error(page_dir)
    assert error.where == f"{page_dir / OVERRIDES.name}:{line}"
    assert error.message == ("[[prose]]: the page's prose outside its tables no longer says \"defaults to 3\": drop "
                             "those words from the entry")


def test_words_given_twice(page_dir: Path) -> None:
    _insert(page_dir, NAME)
    first = _add_prose(page_dir, "must be a maximum of 32 characters")
    second = _add_prose(page_dir, "must be a  MAXIMUM of 32 characters")
    error = _error(page_dir)
    assert error.where == f"{page_dir / OVERRIDES.name}:{second}"
    assert error.message == (f'[[prose]]: "must be a  MAXIMUM of 32 characters" is given already (by the entry at '
                             f"line {first - 1}): give them once")


@pytest.mark.parametrize(
    ("keys", "at", "message"),
    [
        (['words = "x"', 'table = "body"', 'why = "x"'], 2, "[[prose]]: unknown key 'table' (expected one of "
         "['words'])"),
        (['words = "x"', "maxLength = 32", 'why = "x"'], 2, "[[prose]]: unknown key 'maxLength' (expected one of "
         "['words'])"),
        (['wrods = "x"', 'why = "x"'], 1, "[[prose]]: unknown key 'wrods' (did you mean 'words'?)"),
        (['why = "x"'], 0, "[[prose]]: missing keys ['words']"),
        (['words = "x"'], 0, "[[prose]] needs why (a non-empty string)"),
        (["words = []", 'why = "x"'], 1, "[[prose]]: words: [] is not valid under any of the given schemas"),
    ],
    ids=["a-table", "a-keyword", "misspelt-words", "no-words", "no-why", "words-empty"],
)
def test_a_bad_entry_names_its_line(page_dir: Path, keys: list[str], at: int, message: str) -> None:
    path = page_dir / OVERRIDES.name
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n".join(["\n[[prose]]", *keys]) + "\n", encoding="utf-8")
    error = _error(page_dir)
    assert error.where == f"{path}:{len(text.splitlines()) + 2 + at}"
    assert error.message == message


@pytest.mark.parametrize(
    "prose",
    [
        "Timestamps follow <https://datatracker.ietf.org/doc/html/rfc3339>.",
        "Timestamps follow https://datatracker.ietf.org/doc/html/rfc3339.",
        "Timestamps follow the [RFC][rfc].\n\n[rfc]: https://datatracker.ietf.org/doc/html/rfc3339 \"RFC 3339\"",
        "<!-- The campaign name must be a maximum of 32 characters (to confirm) -->",
        "Agents see the name.\n<!--\nThe campaign name must be a maximum of 32 characters.\n-->",
        '--8<-- "includes/max-60-requests.md"',
    ],
    ids=["autolink", "bare-url", "link-reference-definition", "html-comment", "html-comment-over-lines",
         "snippet-include"],
)
def test_markup_the_page_does_not_show_as_words_is_not_prose(page_dir: Path, prose: str) -> None:
    """An address, a link's definition, an HTML comment and an MkDocs snippet include are no sentence a reader reads:
    "rfc3339" in a URL, or a comment's words, ask nothing."""
    _insert(page_dir, prose)
    assert _generated(page_dir / PAGE.name) == _generated(PAGE)


@pytest.mark.parametrize(
    ("prose", "at", "phrase"),
    [
        ("<details>\n<summary>Limits</summary>\n\n<p>Names are limited to 32 characters.</p>\n</details>", 3,
         "limited to 32 characters"),
        ("Agents see the name <!-- for now -->\nand it must be unique within the account.", 1,
         "must be unique within the account"),
        ("[Note]: The campaign name must be a maximum of 32 characters.", 0, "must be a maximum of 32 characters"),
    ],
    ids=["html-tags", "after-a-comment", "not-a-link-definition"],
)
def test_prose_around_markup_is_read_without_it(page_dir: Path, prose: str, at: int, phrase: str) -> None:
    """The words an HTML tag or comment stands beside are prose still, quoted without the tag; a line that reads like
    a link's definition but is not one ("[Note]: ...", which the page shows) is prose too."""
    line = _insert(page_dir, prose) + at
    error = _error(page_dir)
    assert error.where == f"{page_dir / PAGE.name}:{line}"
    assert error.message == f'cannot read "{phrase}" as a constraint: ' + WAY_OUT.format(words=json.dumps(phrase))
