"""Load a page's overrides file (`<page>.overrides.toml`) and apply its table edits.

The file resolves the page's contradictions in one documented place. Every key keeps its line, so what
an override changes points back at it (x-source).
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, ValidationError

from mockserver.ecma_pattern import Validator
from mockserver.errors import SpecError, read_text, text_lines
from mockserver.spec import model
from mockserver.spec.markdown import parse_type
from mockserver.spec.model import TABLE_KINDS, FieldSpec, Source, Table

_TEXT = {"type": "string", "minLength": 1}
_BOOLEAN = {"type": "boolean"}
_WORDS = {"anyOf": [_TEXT, {"type": "array", "items": _TEXT, "minItems": 1}]}  # one phrase, or a list of them

# The keywords a [[set]] may give a field: the JSON Schema keywords the generator emits, and the project's own.
# A JSON Schema keyword's value must pass the Draft 2020-12 meta-schema; the others' values, their schema in
# _OWN_VALUES. Whether a keyword applies to the field's type is model.APPLIES_TO's, checked by resolve.
KEYWORDS = (*(key for key in model.KEYWORDS if key != "type"), "required")  # a type: [[drop]] then [[add]]

# the keywords an entry sets in place of what the page's row gives them (a contradiction without it)
_REPLACES = {"type": "array", "items": {"enum": list(KEYWORDS)}, "minItems": 1, "uniqueItems": True}

# Entry kind -> its keys besides table, field and why (a page-wide kind's besides why), each with the schema its
# value must pass. [[set]] and [[read]] take the KEYWORDS too.
_ENTRY_KEYS: dict[str, dict[str, dict[str, Any]]] = {
    "drop": {},
    "move": {"to": _TEXT},
    "add": {"type": _TEXT, "required": _BOOLEAN, "description": {"type": "string"}},
    "set": {"replaces": _REPLACES},
    # words of the field's description the generator refused, read as prose or keywords
    "read": {"words": _WORDS, "replaces": _REPLACES},
    # words of the page's prose outside its tables the generator refused, which ask nothing a table row or a [[set]]
    # does not give
    "prose": {"words": _WORDS},
}
ENTRY_KINDS = tuple(_ENTRY_KEYS)
_PAGE_WIDE = ("prose",)  # the kinds that name no table or field
_TAKE_KEYWORDS = ("set", "read")
_OPTIONAL = {"description", "replaces"}

_OWN_VALUES = {
    "required": _BOOLEAN,  # kept apart: in JSON Schema it is the parent's list of names
    "x-reference": {"enum": ["exists", "verified"]},  # what mockserver.semantics checks against the tenant
}
_SETTINGS = {"lowercase_names": _BOOLEAN, "all_required": _BOOLEAN}  # [tables.<table>]: each on or off
_COMMON = {"table", "field", "why"}


@dataclass(frozen=True)
class Override:
    kind: str  # a key of _ENTRY_KEYS
    table: str  # "" for a page-wide kind
    field: str  # "" for a page-wide kind
    values: dict[str, Any]  # the entry's keys other than table, field and why
    source: Source  # the entry's `[[kind]]` line
    key_sources: dict[str, Source]

    def src(self, key: str) -> Source:
        return self.key_sources.get(key, self.source)

    def keywords(self) -> dict[str, Any]:
        """The JSON Schema (and project) keywords the entry gives its field."""
        return {key: value for key, value in self.values.items() if key in KEYWORDS}

    def replaces(self) -> list[str]:
        """The keywords a [[set]] or [[read]] gives in place of the page's: a page row that says otherwise is no
        contradiction."""
        return list(self.values.get("replaces", []))

    def words(self) -> list[str]:
        """A [[read]] or [[prose]] entry's words, as a list."""
        words = self.values.get("words", [])
        return [words] if isinstance(words, str) else list(words)


@dataclass
class Overrides:
    file: str  # the file name, for provenance
    display: str = ""  # the path, for error messages
    entries: list[Override] = field(default_factory=list)
    settings: dict[str, dict[str, Source]] = field(default_factory=dict)  # table -> enabled setting -> line

    def setting(self, table: str, name: str) -> Source | None:
        return self.settings.get(table, {}).get(name)

    def where(self, entry: Override, key: str | None = None) -> str:
        return f"{self.display or self.file}:{(entry.src(key) if key else entry.source).line}"

    def keywords(self, table: str) -> list[Override]:
        return [e for e in self.entries if e.kind in _TAKE_KEYWORDS and e.table == table]

    def reads(self, table: str) -> list[Override]:
        return [e for e in self.entries if e.kind == "read" and e.table == table]

    def prose(self) -> list[Override]:
        return [e for e in self.entries if e.kind == "prose"]


def none() -> Overrides:
    """For a page without an overrides file."""
    return Overrides("")


def load(path: Path, display: str | None = None) -> Overrides:
    display = display or str(path)
    text = read_text(path, "overrides file", display)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))  # none at the end of the document: the last line, then
        at = line[1] if line else max(1, len(text_lines(text)))
        raise SpecError(f"not valid TOML: {exc}", where=f"{display}:{at}") from None
    return parse(data, text_lines(text), path.name, display)


def parse(data: dict[str, Any], lines: list[str], file: str, display: str) -> Overrides:
    blocks = _blocks(lines)
    overrides = Overrides(file, display)
    for key, value in data.items():
        if key == "tables" and isinstance(value, dict):
            overrides.settings = _settings(value, blocks, file, display)
        elif key in _ENTRY_KEYS and isinstance(value, list):
            overrides.entries += [_entry(key, i, item, blocks, file, display) for i, item in enumerate(value)]
        else:
            raise SpecError(_unknown("section", key, [*_ENTRY_KEYS, "tables"]),
                            where=f"{display}:{_section_line(lines, blocks, key)}")
    return overrides


# Each `[[kind]]` / `[tables.x]` header with the lines of the keys under it.
_Block = tuple[int, dict[str, int]]


def _blocks(lines: list[str]) -> dict[str, list[_Block]]:
    blocks: dict[str, list[_Block]] = {}
    current: dict[str, int] | None = None
    for number, line in enumerate(lines, start=1):
        header = re.match(r"^\s*\[\[?\s*([\w.-]+)\s*\]\]?", line)
        key = re.match(r"^\s*([\w-]+|\"[^\"]+\")\s*=", line)
        if header:
            current = {}
            blocks.setdefault(header[1], []).append((number, current))
        elif key and current is not None:
            current[key[1].strip('"')] = number
    return blocks


def _section_line(lines: list[str], blocks: dict[str, list[_Block]], key: str) -> int:
    """The first line of a top-level `key`: its [key] / [[key]] / [key.x] header, or `key = ...` before the
    first header (after it, such a line is a key of that header's table)."""
    headers = [n for name, found in blocks.items() if name.split(".")[0] == key for n, _ in found]
    first_header = min((n for found in blocks.values() for n, _ in found), default=len(lines) + 1)
    pattern = re.compile(rf'^\s*("{re.escape(key)}"|{re.escape(key)})\s*[=.]')
    assigned = [n for n, line in enumerate(lines[: first_header - 1], start=1) if pattern.match(line)]
    return min(headers + assigned, default=1)


def _block(blocks: dict[str, list[_Block]], name: str, index: int = 0) -> _Block:
    found = blocks.get(name, [])
    return found[index] if index < len(found) else (1, {})  # written inline: no header line to point at


def _entry(kind: str, index: int, item: Any, blocks: dict[str, list[_Block]], file: str, display: str) -> Override:
    line, keys = _block(blocks, kind, index)
    where = f"{display}:{line}"
    common = {"why"} if kind in _PAGE_WIDE else _COMMON
    if not isinstance(item, dict) or not all(isinstance(item.get(k), str) and item.get(k) for k in common):
        needs = "why (a non-empty string)" if kind in _PAGE_WIDE else "table, field and why (non-empty strings)"
        raise SpecError(f"[[{kind}]] needs {needs}", where=where)
    if kind not in _PAGE_WIDE and item["table"] not in TABLE_KINDS:
        raise SpecError(f"[[{kind}]] {_unknown('table', item['table'], TABLE_KINDS)}",
                        where=f"{display}:{keys.get('table', line)}")
    values = {k: v for k, v in item.items() if k not in common}
    allowed = _ENTRY_KEYS[kind]
    named = f"[[{kind}]]" if kind in _PAGE_WIDE else f"[[{kind}]] {item['field']}"
    for key, value in values.items():
        problem = _key_problem(key, value, allowed, "keyword" if kind == "set" else "key", kind in _TAKE_KEYWORDS)
        if problem:
            raise SpecError(f"{named}: {problem}", where=f"{display}:{keys.get(key, line)}")
    missing = sorted(set(allowed) - set(values) - _OPTIONAL)
    if missing:
        raise SpecError(f"{named}: missing keys {missing}", where=where)
    sources = {k: Source(file, n) for k, n in keys.items()}
    return Override(kind, item.get("table", ""), item.get("field", ""), values, Source(file, line), sources)


def _key_problem(key: str, value: Any, allowed: dict[str, dict[str, Any]], what: str = "key",
                 keywords: bool = False) -> str | None:
    """What is wrong with an entry's key and value (None: nothing). `keywords`: KEYWORDS are keys of the entry too."""
    if key not in allowed and not (keywords and key in KEYWORDS):
        return _unknown(what, key, [*allowed, *(KEYWORDS if keywords else ())])
    schema = allowed[key] if key in allowed else _OWN_VALUES.get(key)
    infinite = next(_not_finite(value), None)
    if infinite is not None:  # TOML has inf and nan (and 1e400 reads as inf); JSON has neither: written as Infinity
        return f"{key}: {infinite} is not a JSON number (JSON has no infinity or NaN)"
    try:
        if schema is None:
            Draft202012Validator.check_schema({key: value})
        else:
            Validator(schema).validate(value)
    except (SchemaError, ValidationError) as exc:
        return f"{key}: {exc.message}"
    return None


def _not_finite(value: Any) -> Iterator[float]:
    """Every inf or nan in a TOML value, lists and tables included."""
    if isinstance(value, float) and not math.isfinite(value):
        yield value
    elif isinstance(value, list | dict):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _not_finite(item)


def _unknown(what: str, name: str, known: Any) -> str:
    """"unknown keyword 'maxLenght' (did you mean 'maxLength'?)", or the known names when none is close."""
    close = difflib.get_close_matches(name, list(known), n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"expected one of {sorted(known)}"
    return f"unknown {what} {name!r} ({hint})"


def _settings(value: Any, blocks: dict[str, list[_Block]], file: str, display: str) -> dict[str, dict[str, Source]]:
    settings: dict[str, dict[str, Source]] = {}
    for table, options in value.items():
        line, keys = _block(blocks, f"tables.{table}")
        if table not in TABLE_KINDS:
            raise SpecError(f"[tables.{table}]: {_unknown('table', table, TABLE_KINDS)}", where=f"{display}:{line}")
        if not isinstance(options, dict):
            raise SpecError(f"[tables.{table}] holds settings {sorted(_SETTINGS)}", where=f"{display}:{line}")
        for name, on in options.items():
            problem = _key_problem(name, on, _SETTINGS, "setting")
            if problem:
                raise SpecError(f"[tables.{table}]: {problem}", where=f"{display}:{keys.get(name, line)}")
        settings[table] = {name: Source(file, keys.get(name, line)) for name, on in options.items() if on}
    return settings


# ---------------------------------------------------------------- applying


def apply(table: Table, overrides: Overrides) -> Table:
    """The table with the overrides' drops, moves, adds and name settings applied."""
    fields = list(table.fields)
    for entry in overrides.entries:
        if entry.table == table.kind and entry.kind in ("drop", "move", "add"):
            fields = _EDITS[entry.kind](fields, entry, overrides)
    lowercase = overrides.setting(table.kind, "lowercase_names")
    if lowercase:
        fields = [_renamed(f, f.name.lower(), lowercase) for f in fields]
    return replace(table, fields=fields)


def _find(fields: list[FieldSpec], entry: Override, overrides: Overrides) -> int:
    for index, spec in enumerate(fields):
        if spec.name == entry.field:
            return index
    raise SpecError(no_field(entry, entry.table, [spec.name for spec in fields]), where=overrides.where(entry, "field"))


def no_field(entry: Override, table: str, names: list[str]) -> str:
    """"[[set]]: the body table has no field 'queue_name' (now 'queueName'?)": a page that renames a field most
    often changes its case or its underscores alone, so names are compared without them, and only so: a name merely
    close is most often another field (data.name and data.lname, days[].start and days[].end)."""
    plain = {re.sub(r"[_-]", "", name).lower(): name for name in names}
    same = plain.get(re.sub(r"[_-]", "", entry.field).lower())
    now = f" (now {same!r}?)" if same else ""
    return f"[[{entry.kind}]]: the {table} table has no field {entry.field!r}{now}"


def _drop(fields: list[FieldSpec], entry: Override, overrides: Overrides) -> list[FieldSpec]:
    index = _find(fields, entry, overrides)
    return fields[:index] + fields[index + 1 :]


def _move(fields: list[FieldSpec], entry: Override, overrides: Overrides) -> list[FieldSpec]:
    _find(fields, entry, overrides)
    old, new = entry.field, entry.values["to"]
    moving = [spec.name == old or spec.name.startswith((old + ".", old + "[]")) for spec in fields]
    staying = {spec.name for spec, moves in zip(fields, moving, strict=True) if not moves}
    moved = []
    for spec, moves in zip(fields, moving, strict=True):
        if moves:
            spec = _renamed(spec, new + spec.name[len(old) :], entry.src("to"))
            if spec.name in staying:
                message = f"[[move]]: cannot move {old!r} to {new!r}: the {entry.table} table already has {spec.name!r}"
                raise SpecError(message, where=overrides.where(entry, "to"))
        moved.append(spec)
    return moved


def _add(fields: list[FieldSpec], entry: Override, overrides: Overrides) -> list[FieldSpec]:
    if any(spec.name == entry.field for spec in fields):
        message = f"[[add]]: the {entry.table} table already has {entry.field!r}"
        raise SpecError(message, where=overrides.where(entry, "field"))
    try:
        type_spec, _ = parse_type(str(entry.values["type"]))
    except ValueError as exc:
        raise SpecError(f"[[add]] {entry.field}: {exc}", where=overrides.where(entry, "type")) from None
    spec = FieldSpec(
        name=entry.field,
        type=type_spec,
        required=bool(entry.values["required"]),
        description=str(entry.values.get("description", "")),
        source=entry.src("field"),
        type_source=entry.src("type"),
        required_source=entry.src("required"),
    )
    return [*fields, spec]


def _renamed(spec: FieldSpec, name: str, source: Source) -> FieldSpec:
    return spec if name == spec.name else replace(spec, name=name, renamed_by=source)


_EDITS = {"drop": _drop, "move": _move, "add": _add}
