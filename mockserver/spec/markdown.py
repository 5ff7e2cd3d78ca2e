"""Parse a vendor page (markdown) into the typed model.

Tables are recognised by meaning, not by exact wording: the heading says which part of the request a table
describes ("Body Parameters" / "Request Parameters", "Headers" / "Header Parameters", ...), and the column
titles say which column holds the name, the description and the type ("Type", "Type/Required",
"Required/Optional"); a parameter table with a column the parser does not know, or without one it needs, is
refused rather than read in part. Cells are cleaned of markdown (backticks, bold, escapes, `</br>`, bullets).
Prose outside the tables (paragraphs, notes, list items, footnotes) is kept, for resolve to refuse a constraint in it;
its URLs, HTML tags and comments, link definitions and snippet includes are not prose.
"""

from __future__ import annotations

import html
import json
import math
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass

from mockserver.errors import SpecError, text_lines
from mockserver.spec.model import Endpoint, FieldSpec, Page, Prose, Sample, Source, Table, TypeSpec
from mockserver.strict_json import no_constant, no_repeated_keys

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_BOLD_HEADING = re.compile(r"^\*\*([^*]+?):?\*\*:?\s*$")
_SEPARATOR = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^(`{3,}(?=[^`]*$)|~{3,})")  # CommonMark: a backtick fence's info string has no backtick
_OTHER_BLOCK = re.compile(r"^(?:```|~~~|>|<|[-*+]\s|\d+[.)]\s)")  # starts a fence, quote, HTML or list: ends a table
_PIPE = re.compile(r"(?<!\\)\|")  # a cell border, not an escaped \|
_FIELD_NAME = re.compile(r"^[A-Za-z_][\w-]*(\[\])?(\.[A-Za-z_][\w-]*(\[\])?)*$")
_QUOTE = re.compile(r"^(?:>\s*)+")  # a blockquote's markers ("> **Note:** ...", "> > ...")
# what starts a list item ("- ", "1. ", "- [ ] ") or a footnote's definition ("[^1]: "): a block of its own
_ITEM = re.compile(r"^(?:(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?|\[\^[^\]\s]+\]:\s*)")
# a line that is no prose a reader reads: a link's reference definition ("[docs]: https://... "title""; not a
# footnote's, nor "[Note]: Names must be ...", which the page shows), and an MkDocs snippet include (--8<-- "file.md")
_NOT_PROSE = re.compile(r"^\[(?!\^)[^\]]+\]:[ \t]*(?:<[^<>]*>|\S+)(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?[ \t]*$"
                        r"|^-+8<-+(?:\s|$)")
# what prose holds that is an address or markup, not words: an autolink (<https://...>, <ops@example.com>), a bare
# URL (its closing punctuation the sentence's) and an HTML tag, which the page does not show
_HIDDEN = re.compile(r"<(?:[a-z][\w+.-]+:|[^\s<>@]+@)[^\s<>]*>|\b(?:https?|ftp)://[^\s<>]*[^\s<>.,;:!?)\]'\"”’]"
                     r"|</?[a-z][\w-]*(?:\s[^<>]*)?/?>", re.I)
_CODE_SPAN = re.compile(r"(`+).+?\1")  # `<br>` in backticks is shown as written

# Heading words -> table kind, tried in order ("Request Headers" are headers, not a body).
_KIND_WORDS = (
    ("response", "response"),
    ("header", "headers"),
    ("path", "path"),
    ("query", "query"),
    ("body", "body"),
    ("request", "body"),
)
_NAME_TITLES = re.compile(r"^(parameter|param|name|field|header|key|property|attribute)s?\b", re.I)
# Column title -> what the column holds, tried in order ("Type/Required" holds types, "Required/Optional" says
# required or optional, or both: "string, required"). A parameter table's every column must have a role.
_COLUMN_ROLES = (
    ("type", re.compile(r"\b(?:data)?type\b", re.I)),
    ("required", re.compile(r"\b(?:required|optional|mandatory)\b", re.I)),
    ("description", re.compile(r"\bdescription\b", re.I)),
    ("name", _NAME_TITLES),
)
_KNOWN_COLUMNS = ("Parameter (or Name, Field, Header, Key, Property, Attribute), Description, Type (or Type/Required), "
                  "Required (or Required/Optional, Mandatory)")
_JSON_TYPES = {"string", "number", "integer", "boolean", "object", "array"}
_TYPE_ALIASES = {"bool": "boolean", "int": "integer", "float": "number", "str": "string"}
_REQUIRED_WORDS = {"required": True, "mandatory": True, "optional": False}
_TYPE_NOTES = {"uuid"}  # what a type cell may say in parentheses besides _REQUIRED_WORDS: "string (UUID)"
# A separate Required column's words (an empty cell does not say).
_REQUIRED_CELL = {**_REQUIRED_WORDS, "yes": True, "true": True, "y": True, "no": False, "false": False, "n": False}
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\1")  # *x*, _x_, ***x***: markup around a word
_TYPE = re.compile(
    r"^(?P<name>[a-z]+)\s*(?:\[\s*(?P<items>[a-z]+)\s*\]|\s+of\s+(?P<of>[a-z]+?)s?)?\s*(?:\((?P<note>[^)]*)\))?$"
)


@dataclass(frozen=True)
class _Heading:
    text: str
    line: int
    level: int


@dataclass(frozen=True)
class _Rows:
    heading: _Heading | None
    rows: list[tuple[int, list[str]]]  # (line, raw cells); the header row first, separator dropped


@dataclass(frozen=True)
class _Line:
    """A line outside the tables, code blocks and headings (blank: "")."""

    line: int
    text: str


@dataclass(frozen=True)
class _Code:
    heading: _Heading | None
    line: int  # the opening fence
    text: str


class _Reader:
    """Carries the page's name (for provenance) and display path (for error messages)."""

    def __init__(self, file: str, display: str) -> None:
        self.file = file
        self.display = display

    def src(self, line: int) -> Source:
        return Source(self.file, line)

    def fail(self, line: int, message: str) -> SpecError:
        return SpecError(message, where=f"{self.display}:{line}")


# ---------------------------------------------------------------- cells


# an entity as Markdown has it (CommonMark): ending with ";". HTML5 also reads "&reg" and "&not" without one, which
# turned an Endpoint URL's "&region=eu" into "®ion=eu".
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


# Characters of no width a reader never sees (zero-width space, joiners, word joiner, BOM, soft hyphen: Unicode's
# format characters of that kind), pasted in from a word processor or CMS: a cell is read as the page shows it.
_NO_WIDTH = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


# Hyphens a word processor writes (U+2010, and U+2011, which does not break a line): shown as "-", read as one. The
# phrase rules read "-" ("(2-letter)", "non-empty"): "(2\u2011letter)" dropped the day's pattern without a word.
_HYPHENS = str.maketrans("\u2010\u2011", "--")


def clean_cell(text: str) -> str:
    """Markdown cell -> plain text: links, emphasis, backticks, escapes, `</br>` and bullets; no no-width characters,
    and hyphens as "-"."""
    text = _NO_WIDTH.sub("", text).translate(_HYPHENS)
    text = re.sub(r"<\s*/?\s*br\s*/?\s*>", "\n", text, flags=re.I)
    text = _LINK.sub(r"\1", text)
    text = _unemphasised(text)
    text = re.sub(r"\\(.)|\*\*|__|`", lambda m: m[1] or "", text)
    text = _ENTITY.sub(lambda m: html.unescape(m[0]), text)
    lines = [re.sub(r"^(?:[-*•])\s+", "• ", part.strip()) for part in text.split("\n")]
    return re.sub(r"\s+", " ", " ".join(lines)).strip()


# [text](destination "title"); as CommonMark, the destination may hold balanced parentheses (.../Foo_(bar)), whose ")"
# was left in the description
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)")
# Emphasis as CommonMark reads it around words: *x*, _x_, **x**, ***x***; an underscore inside a word is part of it
# (queue_name), and an escaped \\* is a star. "*Example:* FIFO" gave the example '* "FIFO', "_host_" a field "_host_".
_CELL_EMPHASIS = re.compile(r"(?<![\\\w*])(\*{1,3})(?=[^\s*])(.+?)(?<=[^\s*\\])\1(?![\w*])"
                            r"|(?<![\\\w_])(_{1,3})(?=[^\s_])(.+?)(?<=[^\s_\\])\3(?![\w_])")


def _unemphasised(text: str) -> str:
    """`text` without emphasis markers, but in its code spans (`_id_` is a name as written): each stands aside as a
    placeholder meanwhile, so that "*`name`*" is emphasis around one."""
    spans = [span[0] for span in _CODE_SPAN.finditer(text)]
    text = _CODE_SPAN.sub(lambda _: "\ue000", text)
    before = None
    while text != before:  # "**bold *italic* bold**": the outer pair first
        before, text = text, _CELL_EMPHASIS.sub(lambda m: m[2] if m[1] else m[4], text)
    pieces = text.split("\ue000")
    return "".join(piece + (spans[i] if i < len(spans) else "") for i, piece in enumerate(pieces))


def split_cells(line: str) -> list[str]:
    """Split a table row on unescaped pipes, dropping the outer ones."""
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", body)]


def parse_type(cell: str) -> tuple[TypeSpec, bool | None]:
    """"array[string], required" -> (TypeSpec("array", "string"), True). Raises ValueError.

    Read strictly: every comma- or slash-separated part is a type or a word of _REQUIRED_WORDS (also in
    parentheses, "string (required)"); emphasis is markup. A cell that says only "required" is a string."""
    text = _EMPHASIS.sub(r"\2", clean_cell(cell)).lower()
    if not text:
        raise ValueError("the type cell is empty")
    required: bool | None = None
    type_text = ""
    for part in (p.strip() for p in re.split(r"[,/]", text)):
        base, note = _note(part)
        word = note if note in _REQUIRED_WORDS else part if part in _REQUIRED_WORDS else None
        if word is not None:
            if required is not None and required != _REQUIRED_WORDS[word]:
                raise ValueError(f'cannot read type "{cell.strip()}": it says both required and optional')
            required = _REQUIRED_WORDS[word]
            if word == part or not base:
                continue
            part = base  # "string (required)"
        if not part:
            raise ValueError(f'cannot read type "{cell.strip()}": an empty part')
        if type_text:
            try:
                _type_spec(part, cell)
            except ValueError:  # "number, requried": a misspelt word, not a second type
                raise ValueError(f'cannot read type "{cell.strip()}": "{part}" is not a type, nor required or '
                                 "optional") from None
            raise ValueError(f'cannot read type "{cell.strip()}": two types')
        type_text = part
    return (_type_spec(type_text, cell) if type_text else TypeSpec("string")), required


def _note(part: str) -> tuple[str, str | None]:
    """"string (uuid)" -> ("string", "uuid")."""
    match = re.fullmatch(r"(.*?)\s*\(([^)]*)\)", part)
    return (match[1], match[2].strip()) if match else (part, None)


def _type_spec(text: str, cell: str) -> TypeSpec:
    match = _TYPE.match(text)
    if not match:
        raise ValueError(f'cannot read type "{cell.strip()}"')
    name = _TYPE_ALIASES.get(match["name"], match["name"])
    items = match["items"] or match["of"]
    items = _TYPE_ALIASES.get(items, items) if items else None
    for word in (name, items):
        if word is not None and word not in _JSON_TYPES:
            raise ValueError(f'unknown type "{word}" in "{cell.strip()}" (expected one of {sorted(_JSON_TYPES)})')
    if items and name != "array":
        raise ValueError(f'"{cell.strip()}": only arrays have an item type')
    note = match["note"].strip() if match["note"] else None
    if note is not None and note not in _TYPE_NOTES:
        known = ", ".join([*sorted(_TYPE_NOTES), *_REQUIRED_WORDS])
        raise ValueError(f'unknown note "({note})" in "{cell.strip()}" (known: {known})')
    return TypeSpec(name, items, note)


# ---------------------------------------------------------------- blocks


_Block = _Heading | _Rows | _Code | _Line


def _blocks(lines: list[str], reader: _Reader) -> Iterator[_Block]:
    heading: _Heading | None = None
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        fence = _FENCE.match(stripped)
        if fence:
            end = _fence_end(lines, i, fence[1], reader)
            yield _Code(heading, i + 1, "\n".join(lines[i + 1 : end]))
            i = end + 1
        elif stripped.startswith("|") or _pipeless_header(lines, i):
            end = i + 1
            while end < len(lines) and _continues_table(lines[end].strip()):
                end += 1
            yield _table_rows(lines, i, end, heading, reader)
            i = end
        else:
            found = _heading(stripped, i + 1)
            setext = None if found else _setext_heading(lines, i)
            if found or setext:
                heading = found or setext
                yield heading
            else:
                yield _Line(i + 1, stripped)
            i += 2 if setext else 1  # a setext heading's underline is part of it


def _prose(blocks: list[_Block]) -> list[Prose]:
    """The page's prose outside its tables and code blocks: each heading, paragraph (its lines up to a blank line or
    another block, a quote's too), list item or footnote definition, cleaned as a cell is."""
    groups: list[list[tuple[int, str]]] = []
    open_, quoted, comment = False, False, False
    for block in blocks:
        if isinstance(block, _Heading) and block.text:  # a paragraph of its own, which no rule reads either
            groups.append([(block.line, block.text)])
        if not isinstance(block, _Line):
            open_ = False
            continue
        shown, comment = _uncommented(block.text, comment)
        quote = _QUOTE.match(shown)
        text = shown[quote.end() :] if quote else shown
        item = _ITEM.match(text)
        text = "" if _NOT_PROSE.match(text) else clean_cell(_unhidden(text[item.end() :] if item else text))
        if not text:  # a blank line, or a quote's (">"), ends a paragraph
            open_ = False
            continue
        if not open_ or item or (quote and not quoted):  # else a line of the paragraph (a quote's lazily, without ">")
            groups.append([])
            quoted = bool(quote)
        groups[-1].append((block.line, text))
        open_ = True
    return [_joined(group) for group in groups]


def _unhidden(text: str) -> str:
    """Prose without its addresses and HTML tags (see _HIDDEN), but in its code spans."""
    parts, at = [], 0
    for span in _CODE_SPAN.finditer(text):
        parts += [_HIDDEN.sub(" ", text[at : span.start()]), span[0]]
        at = span.end()
    return "".join([*parts, _HIDDEN.sub(" ", text[at:])])


def _uncommented(text: str, comment: bool) -> tuple[str, bool]:
    """A line of prose without its HTML comments, which the page does not show (`comment`: the line starts inside
    one); and whether a comment runs on past the line."""
    shown = []
    while text:
        if comment:
            end = text.find("-->")
            if end < 0:
                return "".join(shown).strip(), True
            text, comment = text[end + 3 :], False
        else:
            start = text.find("<!--")
            if start < 0:
                shown.append(text)
                break
            shown.append(text[:start] + " ")
            text, comment = text[start + 4 :], True
    return "".join(shown).strip(), comment


def _joined(group: list[tuple[int, str]]) -> Prose:
    starts, at = [], 0
    for line, text in group:
        starts.append((at, line))
        at += len(text) + 1
    return Prose(" ".join(text for _, text in group), tuple(starts))


def _pipeless_header(lines: list[str], i: int) -> bool:
    """GFM's "a | b" over "--- | ---": a table without outer pipes."""
    if i + 1 >= len(lines) or not _PIPE.search(lines[i]):
        return False
    return bool(_SEPARATOR.match(lines[i + 1].strip())) and bool(_PIPE.search(lines[i + 1]))


def _continues_table(stripped: str) -> bool:
    """As in GFM, a table goes on to the first blank line or other block (a row without outer pipes is a row; a line
    without any pipe is a one-cell row, which the cell count refuses rather than dropping it as prose)."""
    return bool(stripped) and not _OTHER_BLOCK.match(stripped) and _heading(stripped, 0) is None


def _fence_end(lines: list[str], start: int, opening: str, reader: _Reader) -> int:
    """CommonMark: a fence is closed by a run of its own character at least as long, with nothing after it."""
    for end in range(start + 1, len(lines)):
        closing = lines[end].strip()
        if closing.startswith(opening) and closing == opening[0] * len(closing):
            return end
    raise reader.fail(start + 1, f"code block is never closed (no closing {opening})")


_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:(=+)|-+)[ \t]*$")


def _setext_heading(lines: list[str], i: int) -> _Heading | None:
    """CommonMark's other heading, a line of text over a line of "=" (level 1) or "-" (level 2), as pandoc writes
    them: read as a "#" one, not as prose that left the table below it under the heading before."""
    stripped = lines[i].strip()
    underline = _SETEXT_UNDERLINE.match(lines[i + 1]) if i + 1 < len(lines) else None
    if not stripped or underline is None or _OTHER_BLOCK.match(stripped) or lines[i].startswith("    "):
        return None
    return _Heading(clean_cell(stripped), i + 1, 1 if underline[1] else 2)


def _heading(stripped: str, line: int) -> _Heading | None:
    match = _HEADING.match(stripped)
    if match:
        return _Heading(clean_cell(match[2]), line, len(match[1]))
    match = _BOLD_HEADING.match(stripped)
    return _Heading(clean_cell(match[1]), line, 7) if match else None


def _split_off(lines: list[str], start: int) -> str:
    """Words for rows that follow a table across blank lines alone: a blank line ends a table, so they begin one."""
    before = start - 1
    while before >= 0 and not lines[before].strip():
        before -= 1
    if before == start - 1 or before < 0 or not lines[before].strip().startswith("|"):
        return ""
    return (f": a blank line ends a table, so the rows from line {start + 1} are not the table's that ends at line"
            f" {before + 1}")


def _table_rows(lines: list[str], start: int, end: int, heading: _Heading | None, reader: _Reader) -> _Rows:
    if end - start < 2 or not _SEPARATOR.match(lines[start + 1].strip()):
        raise reader.fail(start + 2 if end - start >= 2 else start + 1,
                          "table has no separator row (| --- |)" + _split_off(lines, start))
    rows = [(start + 1, split_cells(lines[start]))]
    rows += [(n + 1, split_cells(lines[n])) for n in range(start + 2, end)]
    width = len(rows[0][1])
    separator = len(split_cells(lines[start + 1]))
    if separator != width:  # GFM: not a table, the page shows these lines as a paragraph
        raise reader.fail(start + 2, f"the table's separator row has {separator} cells, its header has {width} "
                          "(Markdown does not show it as a table)")
    for line, cells in rows[1:]:
        if len(cells) != width:
            raise reader.fail(line, f"table row has {len(cells)} cells, the table's header has {width}")
    return _Rows(heading, rows)


# ---------------------------------------------------------------- page


def parse_page(text: str, file: str, display: str | None = None) -> Page:
    """Parse one vendor page. `file` names the page in provenance, `display` in error messages."""
    reader = _Reader(file, display or file)
    lines = text_lines(text)
    blocks = list(_blocks(lines, reader))
    _no_html_table(blocks, reader)
    title = next((b for b in blocks if isinstance(b, _Heading) and b.level == 1), None)
    if title is None:
        raise reader.fail(1, "page has no title (a '# ' heading, or a line over '===')")
    page = Page(
        file=file,
        title=title.text,
        title_source=reader.src(title.line),
        endpoint=_endpoint(blocks, reader),
        tables=_tables(blocks, reader, len(lines)),
        last_line=max(len(lines), 1),
        prose=_prose(blocks),
    )
    _samples(page, blocks, reader)
    if page.endpoint.auth_header is None:  # endpoint.json's authHeader would be null
        raise reader.fail(page.endpoint.sources["method"].line, "the Method/Endpoint table has no Authorization row "
                          "(as `auth: {{JWT}}`: the header the token is sent in)")
    if page.endpoint.content_type is None and page.sample_request is not None:
        raise reader.fail(page.endpoint.sources["method"].line, "the Method/Endpoint table has no Content-Type row "
                          "(the sample request sends a body)")
    return page


_HTML_TABLE = re.compile(r"<table\b", re.I)


def _no_html_table(blocks: list[_Block], reader: _Reader) -> None:
    """A table written in HTML, as an export may render every table, is not read: its rows would be prose, and the
    refusal it came to was another's (no Method/Endpoint table, a field an overrides entry names is missing)."""
    for block in blocks:
        if isinstance(block, _Line) and _HTML_TABLE.search(_CODE_SPAN.sub("", re.sub(r"<!--.*?-->", "", block.text))):
            raise reader.fail(block.line, "an HTML <table> is not read: write it as a Markdown table "
                              "(| Parameter | Description | Type |, a | --- | row, a row per field)")


def _tables(blocks: list[_Block], reader: _Reader, last_line: int) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    header_lines: dict[str, int] = {}  # the table's own line: a second table may sit under the first one's heading
    for block in blocks:
        if not isinstance(block, _Rows) or _is_metadata(block):
            continue
        table = _parameter_table(block, reader)
        if table is None:
            continue
        if table.kind in tables:
            message = f"a second {table.kind} parameter table (the first is at line {header_lines[table.kind]})"
            raise reader.fail(block.rows[0][0], message)
        tables[table.kind] = table
        header_lines[table.kind] = block.rows[0][0]
    for kind, words in (("body", '"Body Parameters" or "Request Parameters"'), ("response", '"Response Parameters"')):
        if kind not in tables:
            raise reader.fail(last_line, f"page has no {kind} parameter table (a {words} heading over a table)")
    return tables


def _is_metadata(block: _Rows) -> bool:
    """The key/value table at the top (| Method | POST |, | Endpoint | ... |); its first row is data too."""
    if _is_parameter_header(block):
        return False  # a parameter table, even one that documents a field called "method"
    return any(clean_cell(cells[0]).lower() in ("method", "endpoint") for _, cells in block.rows)


def _role(title: str) -> str | None:
    return next((role for role, pattern in _COLUMN_ROLES if pattern.search(title)), None)


def _is_parameter_header(block: _Rows) -> bool:
    """A column of names, and a type column or a heading (or name column) that says which part it describes."""
    titles = [clean_cell(t) for t in block.rows[0][1]]
    roles = [_role(t) for t in titles]
    if "name" not in roles:
        return False
    return "type" in roles or "required" in roles or _kind(block.heading, titles[roles.index("name")]) is not None


def _parameter_table(block: _Rows, reader: _Reader) -> Table | None:
    if not _is_parameter_header(block):
        return None  # not a parameter table (e.g. error codes): nothing to generate from
    header_line, titles = block.rows[0]
    columns = _columns([clean_cell(t) for t in titles], header_line, reader)
    kind = _kind(block.heading, clean_cell(titles[columns[0]]))
    if kind is None:
        raise reader.fail(header_line, "cannot tell whether this table lists path, query, header, body or "
                          "response parameters (its heading names none of them)")
    heading = block.heading
    table = Table(kind, heading.text if heading else "", reader.src(heading.line if heading else header_line))
    table.fields = [_field(line, cells, columns, reader) for line, cells in block.rows[1:]]
    _no_repeated_fields(table, reader)
    return table


def _no_repeated_fields(table: Table, reader: _Reader) -> None:
    """Two rows for one field: refused, not "the last wins" (header names are compared as HTTP does, ignoring case)."""
    first: dict[str, int] = {}
    for field in table.fields:
        key = field.name.lower() if table.kind == "headers" else field.name
        if key in first:
            raise reader.fail(field.source.line, f"field '{field.name}' is given twice (first at line {first[key]})")
        first[key] = field.source.line


def _columns(titles: list[str], line: int, reader: _Reader) -> tuple[int, int, int, int | None]:
    """(name, description, type, required) column indexes. Every column must be one the parser reads: a column it
    does not know, or one it needs and does not find, would drop what the table says without a word."""
    found: dict[str, int] = {}
    for index, title in enumerate(titles):
        role = _role(title)
        if role is None:
            raise reader.fail(line, f'parameter table has a column "{title}" the parser does not know '
                              f"(known column titles: {_KNOWN_COLUMNS})")
        if role in found:
            raise reader.fail(line, f'parameter table has two {role} columns, "{titles[found[role]]}" and "{title}" '
                              f"(known column titles: {_KNOWN_COLUMNS})")
        found[role] = index
    for role, title in (("name", "Parameter"), ("description", "Description")):
        if role not in found:
            raise reader.fail(line, f"parameter table has no {title} column (known column titles: {_KNOWN_COLUMNS})")
    if "type" not in found and "required" not in found:
        raise reader.fail(line, f"parameter table has no Type column and no Required column (known column titles: "
                          f"{_KNOWN_COLUMNS})")
    if "type" not in found:
        return found["name"], found["description"], found["required"], None  # "Required/Optional": "string, required"
    return found["name"], found["description"], found["type"], found.get("required")


def _kind(heading: _Heading | None, name_title: str) -> str | None:
    for text in (heading.text if heading else "", name_title):
        for word, kind in _KIND_WORDS:
            if re.search(rf"\b{word}", text, re.I):
                return kind
    return None


def _field(line: int, cells: list[str], columns: tuple[int, int, int, int | None], reader: _Reader) -> FieldSpec:
    name_col, desc_col, type_col, required_col = columns
    name = clean_cell(cells[name_col])
    if not _FIELD_NAME.match(name):
        raise reader.fail(line, f'cannot read parameter name "{cells[name_col].strip()}"')
    try:
        type_spec, required = parse_type(cells[type_col])
        if required_col is not None:
            required = _required_cell(cells[required_col], required)
    except ValueError as exc:
        raise reader.fail(line, f"{name}: {exc}") from None
    description = clean_cell(cells[desc_col])
    return FieldSpec(name, type_spec, required, description, reader.src(line))


def _required_cell(cell: str, typed: bool | None) -> bool | None:
    """A Required column's cell; `typed` is what the type cell said. Raises ValueError."""
    word = _EMPHASIS.sub(r"\2", clean_cell(cell)).lower()
    if not word:
        return typed
    if word not in _REQUIRED_CELL:
        raise ValueError(f'cannot read required "{cell.strip()}" (known: {", ".join(_REQUIRED_CELL)})')
    if typed is not None and typed != _REQUIRED_CELL[word]:
        raise ValueError(f'the type cell and the required cell disagree ("{cell.strip()}")')
    return _REQUIRED_CELL[word]


# ---------------------------------------------------------------- endpoint

_HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT")
_URL = re.compile(r"^(?:https?://)?(?P<host>[^/?\s]+)(?P<path>/[^?\s]*)?(?:\?(?P<query>\S*))?$")
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def _endpoint(blocks: list[_Block], reader: _Reader) -> Endpoint:
    meta = next((b for b in blocks if isinstance(b, _Rows) and _is_metadata(b)), None)
    if meta is None:
        raise reader.fail(1, "page has no Method/Endpoint table")
    values = {_meta_key(cells[0]): (line, cells[1] if len(cells) > 1 else "") for line, cells in meta.rows}
    for key in ("method", "endpoint"):
        if key not in values:
            raise reader.fail(meta.rows[0][0], f"the Method/Endpoint table has no {key.title()} row")
    return _endpoint_from(values, reader)


def _meta_key(cell: str) -> str:
    """A Method/Endpoint table row's title as a key: "**Content Type**", "content_type:" -> "content-type"."""
    return re.sub(r"[\s_-]+", "-", clean_cell(cell).lower().rstrip(":").strip())


def _endpoint_from(values: dict[str, tuple[int, str]], reader: _Reader) -> Endpoint:
    url_line, url_cell = values["endpoint"]
    url = clean_cell(url_cell)
    match = _URL.match(url)
    if not match:
        raise reader.fail(url_line, f'cannot read endpoint URL "{url}"')
    host = _PLACEHOLDER.fullmatch(match["host"])
    method_line, method = values["method"]
    method = clean_cell(method).upper()
    if method not in _HTTP_METHODS:
        raise reader.fail(method_line, f'method "{method}" is not an HTTP method (one of {", ".join(_HTTP_METHODS)})')
    sources = {"method": method_line, "pathTemplate": url_line, "hostPlaceholder": url_line, "query": url_line}
    content_type = _meta(values, "content-type", sources, "contentType")
    auth = _meta(values, "authorization", sources, "authHeader")
    auth_name = re.match(r"^([\w-]+)\s*:", auth) if auth else None
    if auth is not None and auth_name is None:
        raise reader.fail(sources["authHeader"], f'cannot read the Authorization row "{auth}": it names the header the '
                          "token is sent in, as `auth: {{JWT}}`")
    return Endpoint(
        method=method,
        url=url,
        host_placeholder=host[1] if host else None,
        path_template=_PLACEHOLDER.sub(r"{\1}", match["path"] or "/"),
        query=_query(match["query"] or ""),
        content_type=content_type,
        auth_header=auth_name[1] if auth_name else None,
        sources={key: reader.src(line) for key, line in sources.items()},
    )


def _meta(values: dict[str, tuple[int, str]], key: str, sources: dict[str, int], out_key: str) -> str | None:
    if key not in values:
        return None
    line, cell = values[key]
    sources[out_key] = line
    return clean_cell(cell)


def _query(text: str) -> dict[str, str]:
    pairs = (part.partition("=") for part in text.split("&") if part)
    return {name: _PLACEHOLDER.sub(r"{\1}", value) for name, _, value in pairs}


# ---------------------------------------------------------------- samples

_CURL_HEADER = re.compile(r"(?:--header\s+|-H\s*)(?:'([^']*)'|\"([^\"]*)\")")  # -H'x: 1' is -H 'x: 1' to curl
_CURL_DATA_OPTION = re.compile(r"(?<!\S)(?:--data(?:-raw|-binary)?|-d)(?=\s)")
_CURL_DATA = re.compile(r"(?:--data(?:-raw|-binary)?|-d)\s+'(?P<body>.*?)'(?=\s*(?:\\\s*\n|$|-))", re.S)


def _samples(page: Page, blocks: list[_Block], reader: _Reader) -> None:
    for block in blocks:
        if not isinstance(block, _Code):
            continue
        text = block.text.strip()
        if text.startswith("curl"):
            _same_method(page.endpoint, block, reader)
            headers, lines = _curl_headers(block, reader)
            page.sample_headers = Sample(headers, reader.src(block.line + 1))
            page.sample_header_lines = lines
            page.sample_request = _curl_data(block, reader)
        elif text.startswith(("{", "[")):
            heading = block.heading.text.lower() if block.heading else ""
            sample = _json(block.text, block.line + 1, reader)
            if "request" in heading and page.sample_request is None:
                page.sample_request = sample
            elif page.sample_response is None:
                page.sample_response = sample


# curl options that choose the method when there is no -X, first match wins (-G sends --data as a query); none: GET.
_CURL_IMPLIED = (
    (("-G", "--get"), "GET"),
    (("-I", "--head"), "HEAD"),
    (("-T", "--upload-file"), "PUT"),
    (("-d", "--data", "--data-raw", "--data-binary", "--data-urlencode", "--data-ascii", "-F", "--form", "--json"),
     "POST"),
)


def _same_method(endpoint: Endpoint, block: _Code, reader: _Reader) -> None:
    """The Method row and the sample curl must send the same method."""
    try:
        words = shlex.split(block.text.replace("\\\n", " "))
    except ValueError:
        return  # quotes the shell would not close: the --data reader reports the sample itself
    sent, why = _curl_method(words)
    if sent != endpoint.method:
        where = endpoint.sources["method"].line
        raise reader.fail(where, f"the Method row says {endpoint.method}, the sample curl (line {block.line + 1}) "
                          f"sends {sent} ({why})")


def _curl_method(words: list[str]) -> tuple[str, str]:
    """The method a curl command line sends, and why."""
    for word, following in zip(words, [*words[1:], ""], strict=True):
        if word in ("-X", "--request"):
            return following.upper(), f"{word} {following}"
        if word.startswith(("-X", "--request=")):
            return word.removeprefix("-X").removeprefix("--request=").upper(), word
    for options, method in _CURL_IMPLIED:
        given = next((word for word in words if word in options), None)
        if given:
            return method, f"it has {given} and no -X"
    return "GET", "no -X, and no option that implies another method"


def _curl_headers(block: _Code, reader: _Reader) -> tuple[dict[str, str], dict[str, int]]:
    """The curl's headers (lowercased name -> value) and the line of each; a header sent twice is refused, as the
    page would then say two things of it."""
    headers: dict[str, str] = {}
    lines: dict[str, int] = {}
    for match in _CURL_HEADER.finditer(block.text):
        name, _, value = (match[1] if match[1] is not None else match[2]).partition(":")
        name = name.strip().lower()
        line = block.line + 1 + block.text.count("\n", 0, match.start())
        if name in lines:
            raise reader.fail(line, f'the sample curl sends header "{name}" twice (first at line {lines[name]})')
        headers[name], lines[name] = value.strip(), line
    return headers, lines


def _curl_data(block: _Code, reader: _Reader) -> Sample | None:
    match = _CURL_DATA.search(block.text)
    if match is None:
        given = _CURL_DATA_OPTION.search(block.text)
        if given:  # else "page has no sample request", at the page's last line, of a curl that sends one
            line = block.line + 1 + block.text.count("\n", 0, given.start())
            raise reader.fail(line, f"cannot read the sample curl's {given[0]}: its body must be in single quotes, "
                              f"{given[0]} '{{...}}'")
        return None
    first_line = block.line + 1 + block.text.count("\n", 0, match.start("body"))
    return _json(match["body"], first_line, reader)


def _json(text: str, first_line: int, reader: _Reader) -> Sample:
    """A sample block as RFC 8259 JSON: a repeated key or NaN/Infinity is refused, not kept or written out."""
    try:
        return Sample(json.loads(text, object_pairs_hook=no_repeated_keys, parse_constant=no_constant,
                                 parse_float=_finite), reader.src(first_line))
    except json.JSONDecodeError as exc:
        raise reader.fail(first_line + exc.lineno - 1, f"sample is not valid JSON: {exc.msg}") from None
    except ValueError as exc:  # from strict_json's hooks, which do not know where they are
        offset = _strict_problem(text)
        raise reader.fail(first_line + text.count("\n", 0, offset), f"sample is not valid JSON: {exc}") from None


def _finite(text: str) -> float:
    """json's parse_float: 1e400 reads as infinity, which the sample file would then hold as Infinity (not JSON)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range for a number (it reads as infinity)")
    return value


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|-?Infinity|NaN|[{}\[\]:,]|[^\s{}\[\]:,"]+')


def _out_of_range(word: str) -> bool:
    try:
        return not math.isfinite(float(word))
    except ValueError:
        return False


def _strict_problem(text: str) -> int:
    """Where the first NaN/Infinity or repeated key is, in JSON that is otherwise well formed (0 if none is)."""
    keys: list[set[str] | None] = []  # per open container: an object's keys so far, None for an array
    tokens = list(_JSON_TOKEN.finditer(text))
    for token, following in zip(tokens, [*tokens[1:], None], strict=True):
        word = token[0]
        if word in ("{", "["):
            keys.append(set() if word == "{" else None)
        elif word in ("}", "]") and keys:
            keys.pop()
        elif word in ("NaN", "Infinity", "-Infinity") or _out_of_range(word):
            return token.start()
        elif word.startswith('"') and keys and keys[-1] is not None and following and following[0] == ":":
            key = json.loads(word)
            if key in keys[-1]:
                return token.start()
            keys[-1].add(key)
    return 0
