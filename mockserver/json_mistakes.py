"""What a hand-written JSON file (a tenant file, a case file) most often holds that JSON does not take, said in its
refusal: a likely cause for the parser's words, a file saved as UTF-16, an empty file, another format's file."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable

# Windows PowerShell's `>` and Out-File write UTF-16, and Notepad offers it as "Unicode": read as UTF-8, its byte
# order mark was "byte 0xff at offset 0", and without one every other byte is a NUL, which JSON took for a syntax error.
UTF16 = ("saved as UTF-16 (what Windows PowerShell's > and Out-File write, and Notepad calls \"Unicode\"), not UTF-8:"
         " save it as UTF-8 (Out-File -Encoding utf8)")

OTHER_FORMATS = (".yaml", ".yml", ".json5", ".jsonc", ".toml")  # data a JSON reader cannot read


def utf16(data: bytes) -> bool:
    """Its byte order mark, or text whose first character is ASCII: one of its first two bytes is NUL."""
    marked = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    return marked or (data[:1] == b"\x00") != (data[1:2] == b"\x00")


# Told by what the parser stopped at: its own words ("Expecting property name enclosed in double quotes" at a trailing
# comma's closing brace) name no cause.
SYNTAX_HINTS: list[tuple[Callable[[json.JSONDecodeError, str], bool], str]] = [
    (lambda exc, at: at in ("}", "]") and exc.doc[:exc.pos].rstrip().endswith(","),
     "a comma after the last item, which JSON does not take"),
    (lambda exc, at: at == "'", "text quoted with ', where JSON takes \" alone"),
    (lambda exc, at: exc.doc.startswith(("//", "/*", "#"), exc.pos),
     "a comment, which JSON does not take: say it in a description"),
    (lambda exc, at: exc.msg == "Expecting ',' delimiter" and at == '"', "a comma missing before it"),
    (lambda exc, at: exc.msg.startswith("Invalid control character") and at == "\t",
     "a tab inside a string, which JSON writes as \\t"),
    (lambda exc, at: exc.msg.startswith("Invalid control character") and at in "\r\n",
     "a line end inside a string, which JSON writes as \\n, or a quote left open"),
    (lambda exc, at: exc.pos == len(exc.doc) - len(exc.doc.lstrip()) and _yaml_like(exc.doc),
     "YAML, where JSON is wanted"),
]


YAML_START = re.compile(r"---|[A-Za-z_][\w-]*:(\s|$)|- ")  # a document marker, a `key:` or a list item


def _yaml_like(doc: str) -> bool:
    return YAML_START.match(doc.lstrip()) is not None


def syntax_hint(exc: json.JSONDecodeError) -> str:
    """The likely cause of a syntax error, as " (...?)", or nothing; Python 3.13 names a trailing comma itself."""
    found = [hint for fits, hint in SYNTAX_HINTS if fits(exc, exc.doc[exc.pos:exc.pos + 1])]
    return f" ({found[0]}?)" if found and "trailing comma" not in exc.msg else ""
