"""The overrides file resolves each place the page contradicts itself, and fails loudly when stale."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
from frozen_page import FROZEN_SOURCE

from mockserver.errors import SpecError
from mockserver.spec import build, overrides

STEM = "create-voice-campaign-progressive-v2"
PAGE = FROZEN_SOURCE / f"{STEM}.md"
OVERRIDES = FROZEN_SOURCE / f"{STEM}.overrides.toml"


@pytest.fixture(scope="module")
def generated() -> dict[str, Any]:
    return {name: json.loads(text) for name, text in build.generate_page(PAGE).items()}


def _at(schema: dict[str, Any], dotted: str) -> dict[str, Any]:
    node = schema
    for key in dotted.split("."):
        node = node["items"] if key == "[]" else node["properties"][key]
    return node


def _from_overrides(node: dict[str, Any], keyword: str) -> bool:
    return node["x-source"][keyword].startswith(OVERRIDES.name + ":")


def test_host_is_not_a_path_parameter(generated: dict[str, Any]) -> None:
    path = generated["path.schema.json"]
    assert list(path["properties"]) == ["streamId"] and path["required"] == ["streamId"]


def test_account_id_is_a_query_parameter(generated: dict[str, Any]) -> None:
    query = generated["query.schema.json"]
    assert query["required"] == ["campaignType", "accountId"]
    assert _at(query, "campaignType")["enum"] == ["voice"]
    assert _from_overrides(_at(query, "accountId"), "type")


def test_header_names_are_lowercase_as_sent(generated: dict[str, Any]) -> None:
    headers = generated["headers.schema.json"]
    assert headers["required"] == list(headers["properties"]) == ["auth", "iid", "accountid"]
    assert all(_at(headers, name)["type"] == "string" for name in headers["properties"])
    assert _from_overrides(_at(headers, "iid"), "name") and _from_overrides(_at(headers, "accountid"), "name")
    assert set(headers["properties"]) <= set(generated["endpoint.json"]["sampleHeaders"])


def test_schedule_is_an_optional_request_field(generated: dict[str, Any]) -> None:
    request = generated["request.schema.json"]
    schedule = _at(request, "schedule")
    assert "schedule" not in request["required"] and schedule["required"] == []
    assert schedule["type"] == "object" and _at(request, "schedule.isSchedulingEnabled")["type"] == "boolean"
    assert _from_overrides(schedule, "type")


def test_dnc_lists_live_under_data_in_the_response(generated: dict[str, Any]) -> None:
    response = generated["response.schema.json"]
    assert list(response["properties"]) == ["status", "message", "data"]
    dnc = _at(response, "data.dncLists")
    assert list(dnc["properties"]) == ["id", "name"]
    assert _from_overrides(dnc, "name") and _from_overrides(_at(response, "data.dncLists.name"), "name")


def test_use_system_mappings_is_in_the_response(generated: dict[str, Any]) -> None:
    node = _at(generated["response.schema.json"], "data.dialingStrategy.useSystemMappings")
    assert node["type"] == "boolean" and _from_overrides(node, "type")


def test_every_documented_response_field_is_required(generated: dict[str, Any]) -> None:
    def walk(node: dict[str, Any]) -> None:
        assert node.get("required", []) == list(node.get("properties", {}))
        for child in [*node.get("properties", {}).values(), *([node["items"]] if "items" in node else [])]:
            walk(child)

    walk(generated["response.schema.json"])
    # The page itself says required for dncLists; that provenance is kept.
    assert _at(generated["response.schema.json"], "data.dncLists")["x-source"]["required"] == f"{PAGE.name}:204"


def test_references_the_page_is_silent_on(generated: dict[str, Any]) -> None:
    request = generated["request.schema.json"]
    for name in ("dncLists.name", "queue_name"):
        assert _at(request, name)["x-reference"] == "exists" and _from_overrides(_at(request, name), "x-reference")


def test_every_entry_says_why() -> None:
    data = tomllib.loads(OVERRIDES.read_text(encoding="utf-8"))
    entries = [entry for kind in ("drop", "move", "add", "set") for entry in data.get(kind, [])]
    assert len(entries) == 11 and all(entry["why"].strip() for entry in entries)
    loaded = overrides.load(OVERRIDES)
    assert loaded.setting("headers", "lowercase_names") and loaded.setting("response", "all_required")


# ---------------------------------------------------------------- a stale or broken overrides file


@pytest.fixture
def page_dir(tmp_path: Path) -> Path:
    shutil.copy(PAGE, tmp_path / PAGE.name)
    return tmp_path


def _write(page_dir: Path, text: str) -> Path:
    path = page_dir / OVERRIDES.name
    path.write_text(text, encoding="utf-8")
    return path


def _refused(page_dir: Path, text: str) -> tuple[Path, SpecError]:
    """The overrides file written with `text`, and the SpecError that generating the page with it raises."""
    path = _write(page_dir, text)
    with pytest.raises(SpecError) as caught:
        build.generate_page(page_dir / PAGE.name)
    return path, caught.value


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('[[drop]]\ntable = "path"\nfield = "hostname"\nwhy = "x"\n', 3, "the path table has no field 'hostname'"),
        ('[[set]]\ntable = "body"\nfield = "nope"\nx-reference = "exists"\nwhy = "x"\n', 3, "no field 'nope'"),
        ('[[add]]\ntable = "body"\nfield = "name"\ntype = "string"\nrequired = true\nwhy = "x"\n', 3,
         "already has 'name'"),
        ('\n[[add]]\ntable = "body"\nfield = "x"\ntype = "strnig"\nrequired = true\nwhy = "x"\n', 5, "unknown type"),
        ('[[move]]\ntable = "response"\nfield = "dncLists"\nwhy = "x"\n', 1, "missing keys ['to']"),
        ('[[drop]]\ntable = "path"\nfield = "host"\n', 1, "needs table, field and why"),
        ('[[drop]]\ntable = "paths"\nfield = "host"\nwhy = "x"\n', 2, "unknown table 'paths' (did you mean 'path'?)"),
        ('[tables.headers]\nuppercase = true\n', 2, "unknown setting 'uppercase' (expected one of ['all_required', "),
        ('[[drop]\n', 1, "not valid TOML"),
        ('[[drop]]\ntable = "path"\nfield = "host"\nwhy = "x', 4, "Unterminated string (at end of document)"),
        ('[[remove]]\ntable = "path"\n', 1, "unknown section 'remove'"),
        ('# table = "x"\ntabels = {body = {all_required = true}}\n[[drop]]\n', 2, "did you mean 'tables'?"),
        ('[[set]]\ntable = "body"\nfield = "priority"\nmaximum = 5\nwhy = "x"\n', 4,
         "maximum does not apply to a field of type string"),
        ('[[set]]\ntable = "body"\nfield = "name"\nminLength = 50\nwhy = "x"\n', 4,
         f"minLength 50 is greater than maxLength 48 (name; maxLength from {PAGE.name}:106)"),
        ('[[add]]\ntable = "body"\nfield = "extra"\ntype = "string"\nrequired = false\n'
         'description = "Up to 5 chars."\nwhy = "x"\n', 3, 'cannot read "Up to 5 chars" as a constraint'),
    ],
    ids=["drop-missing", "set-missing", "add-existing", "add-bad-type", "move-without-to", "no-why",
         "unknown-table", "unknown-setting", "bad-toml", "toml-cut-short", "unknown-section", "unknown-inline-section",
         "set-keyword-the-type-ignores", "set-minimum-above-the-pages-maximum", "add-description-no-rule-reads"],
)
def test_a_bad_entry_names_its_line(page_dir: Path, text: str, line: int, message: str) -> None:
    path, error = _refused(page_dir, text)
    assert error.where is not None and error.where.endswith(f"{path.name}:{line}")
    assert message in error.message


def _without(*fields: str) -> str:
    """The overrides file without the entries for `fields` (or the [tables.x] sections named)."""
    blocks = re.split(r"\n(?=\[)", OVERRIDES.read_text(encoding="utf-8"))
    return "\n".join(b for b in blocks if not any(f'field = "{f}"\n' in b or b.startswith(f) for f in fields))


@pytest.mark.parametrize(
    ("fields", "line", "message"),
    [
        (["host"], 18, 'the table documents required path parameter "host", which the endpoint URL does not send'),
        (["accountId"], 9, 'the endpoint URL sends query parameter "accountId", which no table documents'),
        (["[tables.headers]", "iid"], 30, 'the sample request sends header "accountid", which no table documents'),
        (["schedule", "schedule.isSchedulingEnabled"], 86, 'the sample request has "schedule", which no table'),
        (["dncLists"], 136, 'the sample response has "data.dncLists.name", which no table documents'),
        (["data.dialingStrategy.useSystemMappings"], 179, 'the sample response has "data.dialingStrategy.useSy'),
        (["data.isFiltersEnabled"], 182, 'the sample response has "data.isFiltersEnabled", which no table'),
    ],
    ids=["host", "accountId", "header-case", "schedule", "dncLists", "useSystemMappings", "isFiltersEnabled"],
)
def test_each_contradiction_needs_its_override(page_dir: Path, fields: list[str], line: int, message: str) -> None:
    _, error = _refused(page_dir, _without(*fields))
    assert error.where == f"{page_dir / PAGE.name}:{line}"
    assert error.message.startswith(f"the page contradicts itself: {message}")
    assert f"; resolve it in {OVERRIDES.name}" in error.message


def test_the_sample_must_pass_the_tables(page_dir: Path) -> None:
    page = page_dir / PAGE.name
    text = PAGE.read_text(encoding="utf-8")
    page.write_text(text.replace('"priority": "5",\n    "dialingMode"', '"priority": "7",\n    "dialingMode"'),
                    encoding="utf-8")
    shutil.copy(OVERRIDES, page_dir / OVERRIDES.name)
    with pytest.raises(SpecError, match=r"the sample request fails the tables at \$\.priority: '7' is not one of"):
        build.generate_page(page)


def test_without_any_overrides_every_contradiction_is_counted(page_dir: Path) -> None:
    with pytest.raises(SpecError, match=r"path parameter \"host\".*\(and \d+ more\)$"):
        build.generate_page(page_dir / PAGE.name)


def test_a_name_cannot_be_empty(generated: dict[str, Any]) -> None:
    name = _at(generated["request.schema.json"], "name")
    assert name["minLength"] == 1 and _from_overrides(name, "minLength")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("minLength = 1", "maxLenght = 5", "[[set]] name: unknown keyword 'maxLenght' (did you mean 'maxLength'?)"),
        ("minLength = 1", "type = 'integer'", "[[set]] name: unknown keyword 'type' (expected one of ['description',"),
        ('x-reference = "exists"', 'x-reference = "exist"', "x-reference: 'exist' is not one of ['exists', 'verif"),
        ("minLength = 1", 'minLength = "1"', "[[set]] name: minLength: '1' is not of type 'integer'"),
        ("minLength = 1", "minLength = -1", "minLength: -1 is less than the minimum of 0"),
        ("minLength = 1", 'enum = "abc"', "[[set]] name: enum: 'abc' is not of type 'array'"),
        ("minLength = 1", 'pattern = "["', "pattern: '[' is not a 'regex'"),
        ("minLength = 1", 'required = "false"', "[[set]] name: required: 'false' is not of type 'boolean'"),
        ('required = false\ndescription = "Whether', 'required = "false"\ndescription = "Whether',
         "[[add]] schedule.isSchedulingEnabled: required: 'false' is not of type 'boolean'"),
        ("required = true\ndescription = \"The account", "requried = true\ndescription = \"The account",
         "[[add]] accountId: unknown key 'requried' (did you mean 'required'?)"),
        ('to = "data.dncLists"', "to = 5", "[[move]] dncLists: to: 5 is not of type 'string'"),
        ("minLength = 1", "maximum = inf", "[[set]] name: maximum: inf is not a JSON number (JSON has no infinity"),
        ("minLength = 1", "maximum = 1e400", "[[set]] name: maximum: inf is not a JSON number (JSON has no infinity"),
        ("minLength = 1", 'enum = ["a", nan]', "[[set]] name: enum: nan is not a JSON number (JSON has no infinity"),
    ],
    ids=["unknown-keyword", "type-is-not-set", "unknown-reference", "string-length", "negative-length", "enum-text",
         "bad-pattern", "set-required-text", "add-required-text", "add-unknown-key", "move-to-number", "infinity",
         "a-number-too-large-for-a-float", "nan-in-a-list"],
)
def test_a_bad_key_or_value_names_its_line(page_dir: Path, old: str, new: str, message: str) -> None:
    """An override's keys are checked against the keywords the project knows, and each value against its type."""
    text = OVERRIDES.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if row == new.split("\n")[0])
    path, error = _refused(page_dir, text)
    assert error.where == f"{path}:{line}"
    assert message in error.message


def _with_set(field: str, keyword: str) -> str:
    """The overrides file with one more [[set]] entry at its end (the keyword on the second-to-last line)."""
    entry = f'[[set]]\ntable = "body"\nfield = "{field}"\n{keyword}\nwhy = "x"\n'
    return OVERRIDES.read_text(encoding="utf-8") + "\n" + entry


def _refused_at_the_keyword(page_dir: Path, field: str, keyword: str, message: str) -> None:
    """Generating with that entry fails, naming the keyword's line and saying `message`."""
    text = _with_set(field, keyword)
    path, error = _refused(page_dir, text)
    assert error.where == f"{path}:{len(text.splitlines()) - 1}"
    assert message in error.message


@pytest.mark.parametrize(
    ("field", "keyword", "message"),
    [
        ("schedule.isSchedulingEnabled", "maxLength = 3", "maxLength does not apply to a field of type boolean"
         " (schedule.isSchedulingEnabled): it constrains string values only"),
        ("name", "minimum = 1", "minimum does not apply to a field of type string (name): it constrains integer and"
         " number values only"),
        ("priority", "minItems = 1", "minItems does not apply to a field of type string (priority)"),
        ("contactLists", 'x-reference = "exists"', "x-reference does not apply to a field of type array"),
    ],
    ids=["length-of-a-boolean", "minimum-of-a-string", "items-of-a-string", "reference-to-a-list"],
)
def test_a_keyword_must_apply_to_the_field_type(page_dir: Path, field: str, keyword: str, message: str) -> None:
    _refused_at_the_keyword(page_dir, field, keyword, message)


def test_a_keyword_may_go_on_list_items(page_dir: Path) -> None:
    _write(page_dir, _with_set("contactLists[]", "minLength = 2"))
    request = json.loads(build.generate_page(page_dir / PAGE.name)["request.schema.json"])
    assert _at(request, "contactLists.[]")["minLength"] == 2


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("lowercase_names = true", "lowercase_name = true",
         "[tables.headers]: unknown setting 'lowercase_name' (did you mean 'lowercase_names'?)"),
        ("lowercase_names = true", "lowercase_names = 1",
         "[tables.headers]: lowercase_names: 1 is not of type 'boolean'"),
        ("all_required = true", 'all_required = "yes"',
         "[tables.response]: all_required: 'yes' is not of type 'boolean'"),
        ("[tables.headers]", "[tables.header]", "[tables.header]: unknown table 'header' (did you mean 'headers'?)"),
    ],
    ids=["misspelt", "number", "string", "misspelt-table"],
)
def test_a_bad_setting_names_its_line(page_dir: Path, old: str, new: str, message: str) -> None:
    text = OVERRIDES.read_text(encoding="utf-8").replace(old, new)
    path, error = _refused(page_dir, text)
    assert error.where == f"{path}:{text.splitlines().index(new) + 1}"
    assert error.message == message


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ('[[remove]]\ntable = "path"\n', "unknown section 'remove'"),
        ('[[sett]]\ntable = "body"\n', "unknown section 'sett' (did you mean 'set'?)"),
        ("[table.body]\nall_required = true\n", "unknown section 'table' (did you mean 'tables'?)"),
    ],
    ids=["remove", "misspelt-entry", "misspelt-tables"],
)
def test_an_unknown_section_names_its_own_line(page_dir: Path, section: str, message: str) -> None:
    """Not the first line that happens to contain the word (the header comment says "remove a documented field")."""
    text = OVERRIDES.read_text(encoding="utf-8") + "\n" + section
    path, error = _refused(page_dir, text)
    assert error.where == f"{path}:{len(text.splitlines()) - 1}"
    assert message in error.message


@pytest.mark.parametrize(
    ("to", "message"),
    [
        ("data", "[[move]]: cannot move 'dncLists' to 'data': the response table already has 'data'"),
        ("data.dialingStrategy", "the response table already has 'data.dialingStrategy'"),
    ],
    ids=["onto-a-field", "onto-a-nested-field"],
)
def test_a_move_onto_an_existing_field_names_its_line(page_dir: Path, to: str, message: str) -> None:
    """Refused at the move's `to`, not later as a sample the tables do not describe."""
    text = OVERRIDES.read_text(encoding="utf-8").replace('to = "data.dncLists"', f'to = "{to}"')
    line = text.splitlines().index(f'to = "{to}"') + 1
    path, error = _refused(page_dir, text)
    assert error.where == f"{path}:{line}"
    assert message in error.message


@pytest.mark.parametrize(
    ("field", "keyword", "message"),
    [
        ("name", "maxLength = 64", '[[set]] name: maxLength 64 contradicts the page, whose line 106 gives 48: add '
         'replaces = ["maxLength"] to the entry if it replaces the page\'s on purpose'),
        ("priority", 'enum = ["1", "2"]', '[[set]] priority: enum ["1", "2"] contradicts the page, whose line 111 gives'
         ' ["1", "2", "3", "4", "5"]: add replaces = ["enum"]'),
        ("description", "required = false", "[[set]] description: required false contradicts the page, whose line 107"
         ' gives true: add replaces = ["required"]'),
        ("dialingStrategy.maxRingTime", 'description = "Ring time."', "[[set]] dialingStrategy.maxRingTime: "
         'description "Ring time." contradicts the page, whose line 120 gives "Max time (in seconds) the phone should '
         'ring before disconn…: add replaces = ["description"]'),
    ],
    ids=["a-bound", "a-list-of-values", "required", "a-description"],
)
def test_an_override_that_contradicts_a_page_row_is_refused(page_dir: Path, field: str, keyword: str,
                                                            message: str) -> None:
    """A [[set]] beat the row that said otherwise without a word: a page edit to what the override sets went unseen."""
    _refused_at_the_keyword(page_dir, field, keyword, message)


def test_an_override_replaces_a_page_row_when_it_says_so(page_dir: Path) -> None:
    _write(page_dir, _with_set("name", 'maxLength = 64\nreplaces = ["maxLength"]'))
    request = json.loads(build.generate_page(page_dir / PAGE.name)["request.schema.json"])
    assert request["properties"]["name"]["maxLength"] == 64
    assert _from_overrides(request["properties"]["name"], "maxLength")


# the name's row as the page has it, and as a fixed page would give the minimum the [[set]] of minLength gives
NAME_ROW = "The name must be a maximum of 48 characters."
NAME_FIXED = "The name must be between 1 and 64 characters."


def _fix_name_row(page_dir: Path) -> Path:
    page = page_dir / PAGE.name
    text = page.read_text(encoding="utf-8")
    assert text.count(NAME_ROW) == 1
    page.write_text(text.replace(NAME_ROW, NAME_FIXED), encoding="utf-8")
    return page


@pytest.mark.parametrize(
    ("field", "keyword", "message"),
    [
        ("name", "maxLength = 48", "[[set]] name: maxLength 48 is stale: the page's line 106 gives it the same value "
         "now: remove the entry"),
        ("description", "required = true", "[[set]] description: required true is stale: the page's line 107 gives "
         "it the same value now: remove the entry"),
        ("dialingStrategy.maxRingTime", "maximum = 120", "[[set]] dialingStrategy.maxRingTime: maximum 120 is stale: "
         "the page's line 120 gives it the same value now: remove the entry"),
    ],
    ids=["a-bound", "required", "a-bound-from-a-phrase"],
)
def test_an_override_that_the_page_makes_redundant_is_refused(page_dir: Path, field: str, keyword: str,
                                                              message: str) -> None:
    """A [[set]] of what the row gives already was kept without a word, its `why` ("the page gives only a maximum")
    false once the page was fixed: it is stale, as a `replaces` the page no longer calls for is."""
    text = _with_set(field, keyword)
    path, error = _refused(page_dir, text)
    assert error.where == f"{path}:{len(text.splitlines()) - 1}"
    assert error.message == message


def test_a_fixed_page_makes_the_committed_override_stale(page_dir: Path) -> None:
    """The committed [[set]] of the name's minLength, once the row says "between 1 and 64 characters"."""
    _fix_name_row(page_dir)
    text = OVERRIDES.read_text(encoding="utf-8")
    path, error = _refused(page_dir, text)
    lines = text.splitlines()
    entry = lines.index('field = "name"')
    assert error.where == f"{path}:{entry + 1 + lines[entry:].index('minLength = 1')}"
    assert error.message == ("[[set]] name: minLength 1 is stale: the page's line 106 gives it the same value now: "
                             "remove the entry")


@pytest.mark.parametrize(
    ("keywords", "redundant", "message"),
    [
        ("maxLength = 256\nminLength = 1", "maxLength = 256", "[[set]] description: maxLength 256 is stale: the "
         "page's line 107 gives it the same value now: remove the keyword from the entry"),
        ('maxLength = 200\nrequired = true\nreplaces = ["maxLength"]', "required = true", "[[set]] description: "
         "required true is stale: the page's line 107 gives it the same value now: remove the keyword from the entry"),
    ],
    ids=["beside-a-new-keyword", "beside-a-replaced-keyword"],
)
def test_a_partly_redundant_override_names_only_the_redundant_keyword(page_dir: Path, keywords: str, redundant: str,
                                                                      message: str) -> None:
    """The entry's other keyword is still needed: the refusal names the one the page gives, at its line."""
    text = _with_set("description", keywords)
    path, error = _refused(page_dir, text)
    lines = text.splitlines()
    assert error.where == f"{path}:{len(lines) - lines[::-1].index(redundant)}"  # the appended entry's
    assert error.message == message


def test_an_override_the_fixed_page_gives_another_value_still_contradicts_it(page_dir: Path) -> None:
    """The page now gives the name a minLength of its own, another than the entry's: a contradiction, as before,
    unless the entry `replaces` it."""
    _fix_name_row(page_dir)
    text = OVERRIDES.read_text(encoding="utf-8").replace("minLength = 1", "minLength = 2", 1)
    path, error = _refused(page_dir, text)
    assert error.where == f"{path}:{text.splitlines().index('minLength = 2') + 1}"
    assert error.message == ("[[set]] name: minLength 2 contradicts the page, whose line 106 gives 1: add replaces "
                             '= ["minLength"] to the entry if it replaces the page\'s on purpose, else remove the '
                             "keyword")
    _write(page_dir, text.replace("minLength = 2", 'minLength = 2\nreplaces = ["minLength"]', 1))
    request = json.loads(build.generate_page(page_dir / PAGE.name)["request.schema.json"])
    assert request["properties"]["name"]["minLength"] == 2 and _from_overrides(request["properties"]["name"],
                                                                                 "minLength")
    assert request["properties"]["name"]["maxLength"] == 64


@pytest.mark.parametrize(
    ("keyword", "message"),
    [
        ('maxLength = 48\nreplaces = ["maxLength"]', "[[set]] name: replaces maxLength, but the page (line 106) "
         "gives it the same value: remove it from replaces"),
        ('minLength = 2\nreplaces = ["minLength"]', "[[set]] name: replaces minLength, but the page gives none: remove "
         "it from replaces"),
        ('maxLength = 64\nreplaces = ["minLength"]', "[[set]] name: replaces minLength, which the entry does not set"),
        ('maxLength = 64\nreplaces = ["maxLenght"]', "[[set]] name: replaces: 'maxLenght' is not one of"),
    ],
    ids=["same-value", "page-silent", "not-set", "unknown-keyword"],
)
def test_a_stale_replaces_is_refused(page_dir: Path, keyword: str, message: str) -> None:
    """A fixed page makes its override fail loudly: so does a replaces the page no longer calls for."""
    text = _with_set("name", keyword)
    path, error = _refused(page_dir, text)
    assert error.where.startswith(f"{path}:")
    assert message in error.message


def test_all_required_does_not_beat_a_row_that_says_optional(page_dir: Path) -> None:
    page = page_dir / PAGE.name
    _write(page_dir, OVERRIDES.read_text(encoding="utf-8"))
    row = "| `data.lname` | Lowercase name of the campaign, used internally. | string |"
    page.write_text(PAGE.read_text(encoding="utf-8").replace(row, row.replace("string |", "string, optional |")),
                    encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        build.generate_page(page)
    assert caught.value.where == f"{page}:202"
    assert caught.value.message == (
        f"data.lname: the row says optional, and all_required ({page_dir / OVERRIDES.name}:74) "
        "makes every response field required: give the field a [[set]] of required (false keeps the row's word)")
