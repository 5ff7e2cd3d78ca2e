"""Cleaning a markdown cell, splitting a row, reading a type cell."""

from __future__ import annotations

import pytest
from frozen_page import FROZEN_SOURCE

from mockserver.errors import SpecError
from mockserver.spec.markdown import clean_cell, parse_page, parse_type, split_cells
from mockserver.spec.model import TypeSpec

REAL = FROZEN_SOURCE / "create-voice-campaign-progressive-v2.md"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("`dialingStrategy.callerId.phoneNumber`", "dialingStrategy.callerId.phoneNumber"),
        ("**Method**", "Method"),
        (r"Name \& title \(short\)", "Name & title (short)"),
        ("Tags:</br>- first</br>- second", "Tags: • first • second"),
        ("Tags:<br/>* first<BR>• second", "Tags: • first • second"),
        ("See [How to generate the JWT Token](../a.md#jwt) now", "See How to generate the JWT Token now"),
        ("Example: `\"success\"`", 'Example: "success"'),
        ("Fish &amp; chips", "Fish & chips"),
        ("`?a=1&region=eu&copy=2&not=3&para=4`", "?a=1&region=eu&copy=2&not=3&para=4"),
        ("  many   spaces  ", "many spaces"),
        ("(hh:\ufeffmm AM/PM)", "(hh:mm AM/PM)"),
        ("`maxRing\u200bTime`", "maxRingTime"),
        ("a maximum of 4\u00ad8 char\u200cacters\u2060", "a maximum of 48 characters"),
        ('*Example:* `"FIFO"`, ***MO***', 'Example: "FIFO", MO'),
        (r"_host_, queue_name_id, `_id_`, 5 * 60, \*x\*", "host, queue_name_id, _id_, 5 * 60, *x*"),
        ("non\u2010empty (2\u2011letter), 1\u20132", "non-empty (2-letter), 1\u20132"),
        ("Must exist in the [system](https://w.org/Foo_(bar) \"t\").", "Must exist in the system."),
    ],
    ids=["backticks", "bold", "escapes", "br-and-dash-bullets", "br-variants-and-bullets", "link", "code-quotes",
         "entity", "ampersand-without-semicolon", "whitespace", "zero-width-no-break-space", "zero-width-space",
         "soft-hyphen-and-joiners",
         "emphasis", "underscores-in-words-and-code", "unicode-hyphens",
         "link-with-parentheses"],
)
def test_clean_cell(raw: str, clean: str) -> None:
    assert clean_cell(raw) == clean


def test_split_cells_keeps_escaped_pipes() -> None:
    assert split_cells(r"| `a` | one \| two | string |") == ["`a`", "one | two", "string"]


def test_split_cells_without_outer_pipes() -> None:
    assert split_cells("a | b") == ["a", "b"]


@pytest.mark.parametrize(
    ("cell", "type_", "required"),
    [
        ("string, required", TypeSpec("string"), True),
        ("String", TypeSpec("string"), None),
        ("required", TypeSpec("string"), True),
        ("Optional", TypeSpec("string"), False),
        ("String/Required", TypeSpec("string"), True),
        ("number, required", TypeSpec("number"), True),
        ("integer", TypeSpec("integer"), None),
        ("boolean", TypeSpec("boolean"), None),
        ("object, required", TypeSpec("object"), True),
        ("array[string], required", TypeSpec("array", "string"), True),
        ("array[object], required", TypeSpec("array", "object"), True),
        ("array of object", TypeSpec("array", "object"), None),
        ("array of strings  ", TypeSpec("array", "string"), None),
        ("string (UUID)", TypeSpec("string", note="uuid"), None),
        ("`string`, **required**", TypeSpec("string"), True),
        ("**string**, *required*", TypeSpec("string"), True),
        ("_string_ / __optional__", TypeSpec("string"), False),
        ("string (required)", TypeSpec("string"), True),
        ("array[string] (Optional)", TypeSpec("array", "string"), False),
        ("(required)", TypeSpec("string"), True),
        ("string, mandatory", TypeSpec("string"), True),
    ],
)
def test_parse_type(cell: str, type_: TypeSpec, required: bool | None) -> None:
    assert parse_type(cell) == (type_, required)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("strnig", 'unknown type "strnig"'),
        ("array[strnig]", 'unknown type "strnig"'),
        ("string, number", "two types"),
        ("string[number]", "only arrays have an item type"),
        ("a list of names", "cannot read type"),
        ("", "the type cell is empty"),
        (" ** ** ", "the type cell is empty"),
        ("string (sometimes)", 'unknown note "\\(sometimes\\)"'),
        ("string (required", "cannot read type"),
        ("string,", "an empty part"),
        ("string, required, optional", "says both required and optional"),
        ("string, always", '"always" is not a type, nor required or optional'),
        ("number, requried", '"requried" is not a type, nor required or optional'),
    ],
)
def test_unreadable_type(cell: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_type(cell)


@pytest.mark.parametrize(("cell", "message"), [("maybe", 'cannot read required "maybe"'),
                                                ("No", "the type cell and the required cell disagree")])
def test_an_unreadable_required_column_is_refused(cell: str, message: str) -> None:
    text = REAL.read_text(encoding="utf-8")
    header = "| **Parameter** | **Description** | **Type** |\n| :---- | :---- | :---- |\n| `name`"
    text = text.replace(header, "| Parameter | Description | Type | Required |\n| --- | --- | --- | --- |\n| `name`")
    lines = text.splitlines()
    lines[105] += f" {cell} |"
    lines[106:122] = [line + " yes |" for line in lines[106:122]]
    with pytest.raises(SpecError, match=f"^{REAL.name}:106: name: {message}"):
        parse_page("\n".join(lines), REAL.name)


def test_a_page_is_read_as_it_shows_without_its_invisible_characters() -> None:
    """A zero-width character pasted into a cell (a word processor's, a CMS's) is not seen by a reader of the page, and
    is not by the phrase rules either: "(hh:<U+FEFF>mm AM/PM)" dropped the clock pattern without a word."""
    text = REAL.read_text(encoding="utf-8").replace("(hh:mm AM/PM)", "(hh:\ufeffmm AM/PM)")
    text = text.replace("between 5 and 120", "between 5 and 1\u200b20")
    page = parse_page(text, REAL.name)
    response = {field.name: field for field in page.tables["response"].fields}
    assert response["data.dialingStrategy.callingHours.days[].end"].description == \
        "End time of calling window. (hh:mm AM/PM)"
    body = {field.name: field for field in page.tables["body"].fields}
    assert "between 5 and 120." in body["dialingStrategy.maxRingTime"].description
