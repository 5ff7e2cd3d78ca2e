"""The page against itself: once the overrides are applied, its tables, URL and samples must agree.

Each disagreement is a contradiction the overrides file has to resolve. Finding them here, rather than in a
test of the output, means a new contradiction in a changed page stops the generator with the page line,
instead of producing schemas the page's own samples fail.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Container, Iterator
from typing import Any, NamedTuple

from jsonschema.exceptions import ValidationError, best_match

from mockserver.ecma_pattern import Validator
from mockserver.spec.model import Page, Sample


class Finding(NamedTuple):
    """One disagreement of the page with itself."""

    line: int  # the page line it is at
    what: str  # what disagrees
    resolve: str = ""  # the overrides entry that resolves it, if one entry does


def contradictions(page: Page, schemas: dict[str, dict[str, Any]], lines: list[str],
                   fields: dict[str, list[str]], added: Container[str] = ()) -> list[Finding]:
    """Every disagreement, in page order of the checks: path, query, headers, request, response. `fields`: the
    names the overrides file gives the fields of each sample's table ("request", "response"); `added`: the
    provenance ("file:line") of the `required` key of each [[add]] entry."""
    url_line = page.endpoint.sources["pathTemplate"].line
    params = re.findall(r"\{(\w+)\}", page.endpoint.path_template)
    found = _names("path parameter", params, schemas["path"], url_line, "the endpoint URL", page.file)
    table = page.tables.get("path")
    said_optional = {spec.name for spec in table.fields if spec.required is False} if table else set()
    found += _path_parameters(params, schemas["path"], page.file, said_optional)
    found += _names("query parameter", list(page.endpoint.query), schemas["query"], url_line, "the endpoint URL",
                    page.file)
    if page.sample_headers:
        # Content-Type is the endpoint's contentType, not a header the headers table has to document.
        sent = [name for name in page.sample_headers.value if name != "content-type"]
        found += _names("header", sent, schemas["headers"], page.sample_headers.source.line, "the sample request",
                        page.file)
        found += _content_type(page)
    for which, sample in (("request", page.sample_request), ("response", page.sample_response)):
        found += _sample(which, sample, schemas[which], lines, page.file, (fields.get(which, []), added))
    return found


def _content_type(page: Page) -> list[Finding]:
    """The curl's Content-Type against the Content-Type row (media types ignore case, RFC 9110)."""
    sent = (page.sample_headers.value if page.sample_headers else {}).get("content-type")
    said = page.endpoint.content_type
    if sent is None or said is None or sent.lower() == said.lower():
        return []
    row = page.endpoint.sources["contentType"].line
    return [Finding(page.sample_header_lines["content-type"],
                    f'the sample curl sends Content-Type "{sent}", the Content-Type row (line {row}) says "{said}"')]


def _names(what: str, sent: list[str], schema: dict[str, Any], line: int, sender: str, page_file: str) -> list[Finding]:
    documented = schema.get("properties", {})
    found = [Finding(line, f'{sender} sends {what} "{name}", which no table documents') for name in sent
             if name not in documented]
    for name in schema.get("required", []):
        if name not in sent:
            found.append(Finding(_row_line(documented[name], page_file) or line,
                                 f'the table documents required {what} "{name}", which {sender} does not send'))
    return found


def _path_parameters(params: list[str], schema: dict[str, Any], page_file: str,
                     said_optional: set[str]) -> list[Finding]:
    """A path parameter is in the URL, so always sent: one the table documents but the URL lacks (optional, so
    `_names` does not ask for it), or one it says is optional (and no override made required), says something the
    URL cannot."""
    found: list[Finding] = []
    for name, node in schema.get("properties", {}).items():
        line = _row_line(node, page_file)
        if line is None:
            continue
        if name not in params and name not in schema.get("required", []):
            found.append(Finding(line, f'the table documents path parameter "{name}", which the endpoint URL does '
                                       "not send"))
        elif name in said_optional and name not in schema.get("required", []):
            found.append(Finding(line, f'the table makes path parameter "{name}" optional, which the endpoint URL '
                                       "always sends"))
    return found


def _row_line(node: dict[str, Any], page_file: str, keyword: str = "type") -> int | None:
    file, _, line = node.get("x-source", {}).get(keyword, "").rpartition(":")
    return int(line) if file == page_file and line.isdigit() else None


def _sample(which: str, sample: Sample | None, schema: dict[str, Any], lines: list[str], page_file: str,
            names: tuple[list[str], Container[str]]) -> list[Finding]:
    if sample is None:
        return []
    documented = dict(_documented(schema, "", page_file))
    found = [Finding(_key_line(lines, sample.source.line, name),
                     f'the sample {which} has "{name}", which no table documents{_close(name, documented)}')
             for name in dict.fromkeys(_undocumented(sample.value, schema, ""))]
    errors = list(Validator(schema).iter_errors(sample.value))
    found += [_unsent(which, sample, error, name, page_file, names) for error, name in _missing(errors)]
    error = best_match(e for e in errors if e.validator != "required")
    if error is not None:
        found.append(Finding(sample.source.line,
                             f"the sample {which} fails the tables at {error.json_path}: {error.message}"))
    return found


def _missing(errors: list[ValidationError]) -> Iterator[tuple[ValidationError, str]]:
    """Each required field a sample lacks, once: jsonschema gives one `required` error per missing name, each with
    the object's whole list of required names (read for every error, n missing names were n * n findings)."""
    seen: set[int] = set()  # each object's list of required names is read once
    for error in errors:
        if error.validator != "required" or not isinstance(error.instance, dict) or id(error.instance) in seen:
            continue
        seen.add(id(error.instance))
        yield from ((error, name) for name in error.validator_value if name not in error.instance)


def _unsent(which: str, sample: Sample, error: ValidationError, name: str, page_file: str,
            names: tuple[list[str], Container[str]]) -> Finding:
    """A required field the sample lacks, named at the row that requires it (at the sample when an override does),
    with the entry that makes it optional: its own [[add]] entry's `required`, or a [[set]] entry."""
    fields, added = names
    field = _field_name([*error.absolute_path, name])
    node = error.schema.get("properties", {}).get(name, {})
    line = _row_line(node, page_file, "required")
    said = node.get("x-source", {}).get("required", "")
    if said in added:  # one value to change where the field is added, not a second entry that undoes it
        message = f'the overrides file adds required field "{field}", which the sample {which}'
        entry = f"required = false in its [[add]] entry (line {said.rpartition(':')[2]})"
        entry += f" if the {which} may leave it out"
    else:
        message = f'the table documents required field "{field}", which the sample {which}'
        entry = _optional_entry(which, field, fields, line is not None)
    if line is None:
        return Finding(sample.source.line, f"{message} does not send", entry)
    return Finding(line, f"{message} (line {sample.source.line}) does not send", entry)


def _field_name(keys: list[str | int]) -> str:
    """ ["a", "b", 0, "c"] -> "a.b[].c": a sample's path as the tables write it (a list's items are "[]")."""
    name = ""
    for key in keys:
        name += "[]" if isinstance(key, int) else f".{key}" if name else key
    return name


def _optional_entry(which: str, field: str, fields: list[str], page_says: bool) -> str:
    """The [[set]] entry that makes `field` optional, naming the field as the overrides file does ("days[].day" or
    "days.day", as its row writes it), or "" if no field is so named; with replaces = ["required"] when the page
    says required (`page_says`), which the entry is refused without."""
    plain = field.replace("[]", "")
    name = next((name for name in fields if name.replace("[]", "") == plain), None)
    if name is None:
        return ""
    table = "body" if which == "request" else which
    replaces = ', replaces = ["required"]' if page_says else ""
    return (f"a [[set]] entry (table = {json.dumps(table)}, field = {json.dumps(name)}, required = false{replaces}) if"
            f" the {which} may leave it out")


def _documented(schema: dict[str, Any], prefix: str, page_file: str) -> Iterator[tuple[str, int | None]]:
    """Every dotted name the schema documents, with its page line."""
    for key, child in schema.get("properties", {}).items():
        yield prefix + key, _row_line(child, page_file)
        yield from _documented(child, f"{prefix}{key}.", page_file)
    if "items" in schema:
        yield from _documented(schema["items"], prefix[:-1] + "[].", page_file)


def _close(name: str, documented: dict[str, int | None]) -> str:
    """" (line 120 documents "a.maxRingtime": misspelt?)" for a documented name close to `name`, else ""."""
    # not one of its parents (a name it merely starts with, as "a.maxRing" for "a.maxRingTime", may be the one meant)
    others = [other for other in documented if not name.startswith((f"{other}.", f"{other}[]"))]
    close = difflib.get_close_matches(name, others, n=1, cutoff=0.85)
    if not close:
        return ""
    line = documented[close[0]]
    return f' ({f"line {line}" if line else "the overrides file"} documents "{close[0]}": misspelt?)'


def _undocumented(value: Any, schema: dict[str, Any], prefix: str) -> Iterator[str]:
    """Dotted names in a sample that the schema has no property for. An object no row documents a field of is one
    too: its rows deleted, the sample's fields in it were no longer checked, without a word."""
    if isinstance(value, dict) and ("properties" in schema or schema.get("type") == "object"):
        for key, child in value.items():
            if key in schema.get("properties", {}):
                yield from _undocumented(child, schema["properties"][key], f"{prefix}{key}.")
            else:
                yield prefix + key
    elif isinstance(value, list) and "items" in schema:
        for item in value:
            yield from _undocumented(item, schema["items"], prefix[:-1] + "[].")


def _key_line(lines: list[str], start: int, name: str) -> int:
    """The line of a dotted key in a sample: each key searched for from its parent's line on."""
    line = start
    for key in name.replace("[]", "").split("."):
        line = next((n for n in range(line, len(lines) + 1) if f'"{key}"' in lines[n - 1]), line)
    return line
