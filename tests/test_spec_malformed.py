"""A malformed page gives one line naming the file and line, exit status 2, and no traceback.

Each page under tests/pages/malformed/ says on its first line what it expects:
`<!-- expect LINE: MESSAGE -->`.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from commands import mockserver_command
from frozen_page import FROZEN_SOURCE

from mockserver.cli import main

MALFORMED = sorted((Path(__file__).parent / "pages" / "malformed").glob("*.md"))


def _expected(page: Path) -> tuple[int, str]:
    match = re.match(r"<!-- expect (\d+): (.*) -->", page.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{page.name} has no expectation line"
    return int(match[1]), match[2]


def _source(tmp_path: Path, page: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(page, source / page.name)
    return source


@pytest.mark.parametrize("page", MALFORMED, ids=[p.stem for p in MALFORMED])
def test_one_line_naming_file_and_line(page: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line, message = _expected(page)
    source = _source(tmp_path, page)
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"mockserver schemas: error: {source / page.name}:{line}: {message}")
    assert not (tmp_path / "out").exists()


def test_in_a_subprocess_there_is_no_traceback(tmp_path: Path) -> None:
    page = next(p for p in MALFORMED if p.stem == "wrong-cell-count")
    line, message = _expected(page)
    source = _source(tmp_path, page)
    result = mockserver_command("schemas", "--source", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr == f"mockserver schemas: error: {source / page.name}:{line}: {message}\n"
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_check_reports_a_malformed_page_the_same_way(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = next(p for p in MALFORMED if p.stem == "no-title")
    source = _source(tmp_path, page)
    assert main(["schemas", "--check", "--source", str(source), "--out", str(tmp_path)]) == 2
    assert f"{page.name}:1: page has no title" in capsys.readouterr().err


# Edits of the vendored page, like a QA pass's sed lines: (line, old, new) replaces `old` with `new` on that line;
# (line, None, new) inserts `new` as a line after it. Each must be refused in one line naming the line at fault.
REAL = FROZEN_SOURCE / "create-voice-campaign-progressive-v2.md"
LINES = REAL.read_text(encoding="utf-8").splitlines()
Edit = tuple[int, str | None, str]
FIXES = "create-voice-campaign-progressive-v2.overrides.toml"
KNOWN = ("known column titles: Parameter (or Name, Field, Header, Key, Property, Attribute), Description, "
         "Type (or Type/Required), Required (or Required/Optional, Mandatory)")
EDITS: dict[str, tuple[list[Edit], int, str]] = {
    "repeated-field": ([(106, None, "| `name` | Name. At most 64 characters. | string, required |")],
                       107, "field 'name' is given twice (first at line 106)"),
    "repeated-field-exact-copy": ([(106, None, LINES[105])],
                                  107, "field 'name' is given twice (first at line 106)"),
    "repeated-header-in-another-case": ([(99, None, "| `iid` | The application ID | string, required |")],
                                        100, "field 'iid' is given twice (first at line 99)"),
    "empty-type-cell": ([(106, "string, required |", " |")], 106, "name: the type cell is empty"),
    "unknown-type-note": ([(106, "string, required", "string (sometimes)")],
                          106, 'name: unknown note "(sometimes)" in "string (sometimes)" (known: uuid, required, '
                               "mandatory, optional)"),
    "method-not-http": ([(7, "POST", "POTS")], 7, 'method "POTS" is not an HTTP method '
                        "(one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, TRACE, CONNECT)"),
    "method-not-the-curls": ([(7, "POST", "PUT")], 7, "the Method row says PUT, the sample curl (line 30) sends POST "
                                                      "(it has --data and no -X)"),
    "curl-says-another-method": ([(30, "curl ", "curl -X GET ")],
                                 7, "the Method row says POST, the sample curl (line 30) sends GET (-X GET)"),
    "nan-in-the-sample-request": ([(83, "10,", "NaN,")], 83, "sample is not valid JSON: NaN is not allowed in JSON"),
    "infinity-in-the-sample-response": ([(128, '"success"', "-Infinity")],
                                        128, "sample is not valid JSON: -Infinity is not allowed in JSON"),
    "repeated-key-in-the-sample-request": ([(36, None, '"name": "Second name",')],
                                           37, "sample is not valid JSON: duplicate key 'name'"),
    "repeated-key-in-a-nested-object": ([(42, None, ', "name": "DNC CL Dec 5"')],
                                        43, "sample is not valid JSON: duplicate key 'name'"),
    "row-without-any-pipe": ([(106, "|", "")], 106, "table row has 1 cells, the table's header has 3"),
    "second-body-table-under-one-heading": ([(123, None, "| Parameter | Description | Type |\n| --- | --- | --- |\n"
                                                         "| `extra` | Extra. | string |\n")],
                                            124, "a second body parameter table (the first is at line 104)"),
    "renamed-description-column": ([(104, "**Description**", "**Details**")],
                                   104, f'parameter table has a column "Details" the parser does not know ({KNOWN})'),
    "renamed-type-column": ([(104, "**Type**", "**Format**")],
                            104, f'parameter table has a column "Format" the parser does not know ({KNOWN})'),
    "added-column": ([(104, "**Type** |", "**Type** | **Constraints** |"),
                      (105, "| :---- | :---- | :---- |", "| :---- | :---- | :---- | :---- |")]
                     + [(line, "required |", "required | x |") for line in range(106, 123)],
                     104, f'parameter table has a column "Constraints" the parser does not know ({KNOWN})'),
    "no-description-column": ([(104, "**Description**", "**Required**")],
                              104, f"parameter table has no Description column ({KNOWN})"),
    "no-type-column": ([(n, LINES[n - 1], LINES[n - 1].rsplit("|", 2)[0] + "|") for n in range(104, 123)],
                       104, f"parameter table has no Type column and no Required column ({KNOWN})"),
    "field-under-a-list-of-strings": ([(108, None, "| `contactLists.name` | A name. | string, optional |")],
                                      109, "contactLists.name: contactLists is an array (line 108), not an object: "
                                           "a validator would not check this field (a field of its items is "
                                           "contactLists[].name)"),
    "field-under-a-string": ([(107, None, "| `description.text` | Text. | string, required |")],
                             108, "description.text: description is a string (line 107), not an object: "
                                  "a validator would not check this field"),
    "items-of-an-object": ([(110, None, "| `dncLists[].id` | An id. | string, optional |")],
                           111, "dncLists[].id: dncLists is an object (line 109), not an array: "
                                "a validator would not check this field"),
    "required-row-the-sample-lacks": ([(122, None, "| `notes` | Free notes. | string, required |")],
                                      123, 'the page contradicts itself: the table documents required field "notes", '
                                           f"which the sample request (line 35) does not send; resolve it in {FIXES}:"
                                           ' a [[set]] entry (table = "body", field = "notes", required = false,'
                                           ' replaces = ["required"]) if'
                                           " the request may leave it out"),
    # the field's path had a stray dot before "[]": "data.dialingStrategy.callingHours.days.[].day"
    "required-item-field-the-sample-response-lacks": (
        [(149, '"6:00 PM",', '"6:00 PM"'), (150, '"day": "MO"', "")],
        127, 'the page contradicts itself: the table documents required field '
             '"data.dialingStrategy.callingHours.days[].day", which the sample response does not send; resolve it in '
             f'{FIXES}: a [[set]] entry (table = "response", field = "data.dialingStrategy.callingHours.days[].day", '
             "required = false) if the response may leave it out"),
    # a field an [[add]] entry makes required was told a second entry, a [[set]] that undoes the first's required
    "required-added-field-the-sample-response-lacks": (
        [(178, "30,", "30"), (179, '"useSystemMappings": false', "")],
        127, 'the page contradicts itself: the overrides file adds required field '
             '"data.dialingStrategy.useSystemMappings", which the sample response does not send; resolve it in '
             f"{FIXES}: required = false in its [[add]] entry (line 59) if the response may leave it out"),
    "misspelt-field-path": ([(120, "`dialingStrategy.maxRingTime`", "`dialingStrategy.maxRingtime`")],
                            84, 'the page contradicts itself: the sample request has "dialingStrategy.maxRingTime", '
                                'which no table documents (line 120 documents "dialingStrategy.maxRingtime": '
                                f"misspelt?); resolve it in {FIXES} (and 1 more)"),
    "misspelt-field-path-cut-short": ([(120, "`dialingStrategy.maxRingTime`", "`dialingStrategy.maxRing`")],
                                      84, 'the page contradicts itself: the sample request has '
                                          '"dialingStrategy.maxRingTime", which no table documents (line 120 '
                                          'documents "dialingStrategy.maxRing": misspelt?); resolve it in '
                                          f"{FIXES} (and 1 more)"),
    "repeated-value-in-a-list": ([(111, "1, 2, 3, 4, or 5", "1, 2, 2, 4, or 5")],
                                 111, 'priority: the list of values gives "2" twice (enum values are unique: a '
                                      "typo for another value?)"),
    "two-rows-for-one-field-with-different-rules": (
        [(120, None, LINES[119].replace("between 5 and 120", "between 10 and 60"))],
        121, "field 'dialingStrategy.maxRingTime' is given twice (first at line 120)"),
    "invisible-character-in-a-name": ([(120, "maxRingTime", "maxRing\u00a0Time")],
                                      120, 'cannot read parameter name "`dialingStrategy.maxRing\\xa0Time`" '
                                           "(it holds an invisible character, shown as \\xa0)"),
    "control-character-in-a-type": ([(106, "string, required", "string, \x07required")],
                                    106, 'name: cannot read type "string, \\x07required": "\\x07required" is not '
                                         "a type, nor required or optional"),
    "two-rules-give-one-bound-twice": ([(118, "maximum is 100.", "maximum is 100. Must be between 2 and 50.")],
                                       118, "dialingStrategy.maxAttemptsPerRecord: the description gives minimum "
                                            'twice, 1 ("Minimum is 1 and maximum is 100") and 2 ("between 2 and 50"): '
                                            "say it once"),
    "two-rules-give-two-lists": ([(112, "Preview.", "Preview. Must be one of: Progressive, Preview.")],
                                 112, 'dialingMode: the description gives enum twice, ["Agentless", "Progressive", '
                                      '"Preview"] ("Valid values are: Agentless, Progressive, or Preview.") and '
                                      '["Progressive", "Preview"] ("Must be one of: Progressive, Preview."): '
                                      "say it once"),
    # the rule read its first sentence alone, and "Optional." was dropped without a word
    "required-then-optional": ([(107, "Helps teams understand the goal.", "Required. Optional.")],
                               107, 'description: the description gives required twice, true ("Required") and false'
                                    ' ("Optional"): say it once'),
    "one-rule-twice": ([(120, "between 5 and 120.", "between 5 and 120. Must be between 10 and 60.")],
                       120, 'dialingStrategy.maxRingTime: the description says "Must be between 10 and 60" after '
                            '"between 5 and 120", which the phrase rule "between" read: say it once'),
    "table-split-by-a-blank-line": ([(110, None, "")],
                                    113, "table has no separator row (| --- |): a blank line ends a table, so the rows"
                                         " from line 112 are not the table's that ends at line 110"),
    "separator-row-with-fewer-cells": ([(105, "| :---- | :---- | :---- |", "| :---- | :---- |")],
                                       105, "the table's separator row has 2 cells, its header has 3 (Markdown "
                                            "does not show it as a table)"),
    "items-row-of-another-type-above-its-array": ([(225, None, "| `data.contactLists[]` | Item. | integer |")],
                                                  227, 'data.contactLists[]: type "string" here, "integer" at line '
                                                       "226: the page contradicts itself"),
    "items-row-of-another-type-below-its-array": ([(226, None, "| `data.contactLists[]` | Item. | integer |")],
                                                  227, 'data.contactLists[]: type "integer" here, "string" at line '
                                                       "226: the page contradicts itself"),
    "item-field-row-against-the-arrays-bullets": (
        [(116, None, "| `dialingStrategy.callingHours.days[].day` | Day. Must be one of: MO, TU, WE, TH, FR. | "
                     "string, required |")],
        117, 'dialingStrategy.callingHours.days[].day: enum ["MO", "TU", "WE", "TH", "FR"] here, ["MO", "TU", "WE", '
             '"TH", "FR", "SA", "SU"] at line 116: the page contradicts itself'),
    "no-content-type-row": ([(10, "**Content-Type**", "**Body format**")],
                            7, "the Method/Endpoint table has no Content-Type row (the sample request sends a body)"),
    "optional-path-parameter-the-url-lacks": ([(19, None, "| `foo` | Foo. | string, optional |")],
                                              20, "the page contradicts itself: the table documents path "
                                                  'parameter "foo", which the endpoint URL does not send; resolve it '
                                                  f"in {FIXES}"),
    "optional-path-parameter": ([(19, "string, required", "string, optional")],
                                19, 'the page contradicts itself: the table makes path parameter "streamId" optional, '
                                    f"which the endpoint URL always sends; resolve it in {FIXES}"),
    "negative-length": ([(106, "a maximum of 48", "a maximum of -3")],
                        106, "maxLength -3 (name): a length is a whole number, 0 or more"),
    "fractional-length": ([(106, "a maximum of 48", "a maximum of 4.5")],
                          106, "maxLength 4.5 (name): a length is a whole number, 0 or more"),
    "negative-count": ([(108, "At least one contact list name is required.", "Must be between -2 and 5.")],
                       108, "minItems -2 (contactLists): a count is a whole number, 0 or more"),
    "number-too-large-in-the-sample-response": ([(178, "30,", "1e400,")],
                                                178, "sample is not valid JSON: 1e400 is out of range for a "
                                                     "number (it reads as infinity)"),
    "bound-written-with-an-exponent": ([(120, "between 5 and 120", "between 5 and 1e3")],
                                       120, 'cannot read "between 5 and 1e3" as a constraint: no phrase rule matches '
                                            "it; add a rule to mockserver/spec/phrases.py, or a [[read]] entry "
                                            '(table = "body", field = "dialingStrategy.maxRingTime", words = '
                                            f'"between 5 and 1e3") to {FIXES}'),
    "bound-followed-by-letters": ([(106, "a maximum of 48 characters", "between 1 and 48abc characters")],
                                  106, 'cannot read "between 1 and 48abc characters" as a constraint: no phrase rule '
                                       "matches it; add a rule to mockserver/spec/phrases.py, or a [[read]] entry "
                                       '(table = "body", field = "name", words = "between 1 and 48abc characters") '
                                       f"to {FIXES}"),
    "renamed-authorization-row": ([(11, "**Authorization**", "**Auth**")],
                                  7, "the Method/Endpoint table has no Authorization row (as `auth: {{JWT}}`: the "
                                     "header the token is sent in)"),
    "authorization-row-without-a-header": ([(11, "`auth: {{JWT}}`", "A JWT")],
                                           11, 'cannot read the Authorization row "A JWT See How to generate the JWT '
                                               'Token": it names the header the token is sent in, as `auth: {{JWT}}`'),
    "list-documented-only-by-its-items": (
        [(116, LINES[115], "| `dialingStrategy.callingHours.days[].day` | Day. | string, required |"),
         (116, None, "| `dialingStrategy.callingHours.days[].start` | Start. (hh:mm AM/PM) | string, required |")],
        116, "dialingStrategy.callingHours.days: no row documents it, only rows of its items "
             "(dialingStrategy.callingHours.days[].day): give it a row of its own that says whether it is required "
             "(a required field of its items does not make the list required)"),
    "curl-header-glued-to-its-option": ([(34, "--header 'iid", "-H'x-extra: 1' --header 'iid")],
                                        30, 'the page contradicts itself: the sample request sends header "x-extra", '
                                            f"which no table documents; resolve it in {FIXES}"),
    "curl-header-given-twice": ([(34, None, "--header 'IID: other' \\")],
                                35, 'the sample curl sends header "iid" twice (first at line 34)'),
    "curl-content-type-another": ([(32, "application/json", "text/plain")],
                                  32, 'the page contradicts itself: the sample curl sends Content-Type "text/plain", '
                                      f'the Content-Type row (line 10) says "application/json"; resolve it in {FIXES}'),
    "unread-words-around-a-bound": ([(120, "between 5 and 120", "between 5 and 120 seconds or less")],
                                    120, 'cannot read "Must be between 5 and 120 seconds or less" as a constraint: a '
                                         'phrase rule reads part of it, none "Must be or less"; add a rule to '
                                         "mockserver/spec/phrases.py, or a [[read]] entry (table = \"body\", field = "
                                         '"dialingStrategy.maxRingTime", words = "Must be or less") to '
                                         f"{FIXES}"),
    "curl-data-in-double-quotes": ([(35, "--data '{", '--data "{'), (92, "}'", '}"')],
                                   35, "cannot read the sample curl's --data: its body must be in single quotes, "
                                       "--data '{...}'"),
    "clock-time-without-its-space": ([(116, '"9:00 AM" • end', '"9:00AM" • end')],
                                     116, 'cannot read "9:00AM" as a constraint: the phrase rule "clock-time" '
                                          'cannot read it for certain: "9:00AM" is not in the form the pattern '
                                          'reads, "9:00 AM" (a space, then AM or PM in capitals); it is inside what '
                                          'the phrase rule "each-object-includes" reads, so add a rule to '
                                          "mockserver/spec/phrases.py"),
    "two-description-columns": ([(104, "**Type**", "**Description**")],
                                104, f'parameter table has two description columns, "Description" and "Description" '
                                     f"({KNOWN})"),
}


def _edited(tmp_path: Path, edits: list[Edit]) -> Path:
    source = tmp_path / "source"
    shutil.copytree(FROZEN_SOURCE, source)
    lines = list(LINES)
    for line, old, new in sorted(edits, key=lambda edit: -edit[0]):  # bottom up: earlier line numbers hold
        if old is None:
            lines.insert(line, new)
        else:
            assert old in lines[line - 1], (line, old)
            lines[line - 1] = lines[line - 1].replace(old, new)
    (source / REAL.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return source


@pytest.mark.parametrize("name", EDITS)
def test_an_edited_vendor_page_is_refused(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edits, line, message = EDITS[name]
    source = _edited(tmp_path, edits)
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == f"mockserver schemas: error: {source / REAL.name}:{line}: {message}\n"
    assert not (tmp_path / "out").exists()


def test_an_object_whose_field_rows_are_deleted_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The response's `data.dncLists.id` and `dncLists.name` rows deleted left `data.dncLists` an object of any
    fields: the sample's were no longer checked, and the contract lost them without a word."""
    source = tmp_path / "source"
    shutil.copytree(FROZEN_SOURCE, source)
    lines = [line for n, line in enumerate(LINES, start=1) if n not in (205, 206)]
    (source / REAL.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        f"mockserver schemas: error: {source / REAL.name}:135: the page contradicts itself: the sample response has "
        f'"data.dncLists.id", which no table documents; resolve it in {FIXES} (and 1 more)\n')


def test_the_told_add_entry_change_resolves_it(tmp_path: Path) -> None:
    """The refusal of a required field an [[add]] entry adds tells `required = false` in that entry: so changed, the
    page generates."""
    edits, _, message = EDITS["required-added-field-the-sample-response-lacks"]
    source = _edited(tmp_path, edits)
    line = int(re.search(r"\[\[add\]\] entry \(line (\d+)\)", message)[1])
    fixes = source / FIXES
    lines = fixes.read_text(encoding="utf-8").splitlines()
    assert lines[line - 1] == "required = true"
    lines[line - 1] = "required = false"
    fixes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 0
