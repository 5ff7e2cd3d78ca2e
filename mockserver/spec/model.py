"""The typed model between the markdown parser and the schema emitter."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The parts of a request/response a parameter table can describe, in output order.
TABLE_KINDS = ("path", "query", "headers", "body", "response")
# Tables whose rows are HTTP parameters: each is one value, named as the table writes it ("filter.status" and "ids[]"
# are names, not a field of an object or an array's items as in the body and response tables).
PARAMETER_KINDS = ("path", "query", "headers")

# The keywords the generator writes, in the order it writes them in a field's schema.
KEYWORDS = ("description", "type", "format", "enum", "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum",
            "minLength", "maxLength", "pattern", "minItems", "maxItems", "x-reference", "examples")

# Keyword -> the JSON types it constrains (a keyword not listed applies to every type). On any other type a
# validator skips it silently, so a field would accept what the page forbids: the generator refuses it instead,
# whether a phrase or an override put it there.
APPLIES_TO: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"), ("integer", "number")),
    **dict.fromkeys(("minLength", "maxLength", "pattern", "format"), ("string",)),
    **dict.fromkeys(("minItems", "maxItems"), ("array",)),
    "x-reference": ("string",),  # a name that must exist in the tenant (on a list, on its items)
}


@dataclass(frozen=True)
class Source:
    """Where something came from: a file name (no directory) and a 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class TypeSpec:
    """A parsed type cell: a JSON type, the item type for arrays, and a free note like "UUID"."""

    name: str
    items: str | None = None
    note: str | None = None


@dataclass
class FieldSpec:
    """One row of a parameter table (or one field an override adds)."""

    name: str  # dotted path as written, e.g. "dialingStrategy.callingHours.days[].start"
    type: TypeSpec
    required: bool | None  # None: the row does not say
    description: str
    source: Source  # the row; every keyword derived from the row points here
    type_source: Source | None = None  # defaults to `source`
    required_source: Source | None = None  # defaults to `source`
    renamed_by: Source | None = None  # an override changed the name


@dataclass
class Table:
    kind: str  # one of TABLE_KINDS
    heading: str
    source: Source  # the heading line
    fields: list[FieldSpec] = field(default_factory=list)


@dataclass(frozen=True)
class Endpoint:
    method: str
    url: str  # as written, e.g. "https://{{url}}/campaign/...?accountId={{accountId}}&campaignType=voice"
    host_placeholder: str | None
    path_template: str  # "/campaign/api/v2/public/{streamId}/campaign"
    query: dict[str, str]
    content_type: str | None
    auth_header: str | None
    sources: dict[str, Source]  # endpoint.json key -> line


@dataclass(frozen=True)
class Sample:
    value: Any
    source: Source  # the first line of the code block


@dataclass(frozen=True)
class Prose:
    """A heading, paragraph, note, list item or footnote of the page outside its tables and code blocks, its lines
    cleaned of markdown as a cell is and joined by a space; `lines` gives each line's offset in `text` and page line."""

    text: str
    lines: tuple[tuple[int, int], ...]  # (offset in text, page line), in order

    def line_at(self, offset: int) -> int:
        """The page line of the character at `offset`."""
        return next(line for start, line in reversed(self.lines) if start <= offset)


@dataclass
class Page:
    file: str
    title: str
    title_source: Source
    endpoint: Endpoint
    tables: dict[str, Table]
    sample_request: Sample | None = None
    sample_headers: Sample | None = None  # lowercased name -> value, from the curl's --header lines
    sample_header_lines: dict[str, int] = field(default_factory=dict)  # lowercased name -> its --header line
    sample_response: Sample | None = None
    last_line: int = 1
    prose: list[Prose] = field(default_factory=list)  # read by no rule: wording in it that asks something is refused


@dataclass(frozen=True)
class Keyword:
    """A generated JSON Schema keyword with the line it came from."""

    value: Any
    source: Source


@dataclass
class Property:
    """A field after phrases and overrides: its keywords, each with provenance.

    `required` is kept apart because it is emitted on the parent object.
    """

    name: str
    keywords: dict[str, Keyword] = field(default_factory=dict)
    required: Keyword | None = None
    renamed_by: Source | None = None
    read_by: Source | None = None  # an overrides entry read words of its description the generator refused
