"""What a case may ask to send: text an HTTP request can carry, checked as its file is read.

A case file is JSON, so it can hold text no request can carry: a lone UTF-16 surrogate ("\\ud800" decodes to one,
and UTF-8 has no bytes for it), or a header beyond Latin-1, which Python's HTTP client sends header values as.
Sent, either ended its case in a UnicodeEncodeError traceback, an error of the suite's own; refused here, the run
stops before any case in one line naming the file, the case and the value. Inside a JSON value (`set`,
`body.json`), a lone surrogate is sent as its \\u escape, a request worth testing, so it is left alone there.
"""

from __future__ import annotations

import re
from typing import Any

from mockserver.wire import surrogate_problem

# What http.client sends as a header's name: ASCII, with no blank, control character or ':'
HEADER_NAME = re.compile(r"[!-9;-~]+")
LATIN_1_END = 0xFF
PAD_TO_MAX = 128 * 1024 * 1024  # the mock's largest --max-body is 100 MiB; the padding is built in memory


def _codepoint(character: str) -> str:
    return f"U+{ord(character):04X}"


def outside_json_problem(text: str) -> str | None:
    """Why `text` cannot be sent outside a JSON value, or None."""
    if (problem := surrogate_problem(text)) is None:
        return None
    return f"{problem}; within a JSON value (`set`, `body.json`) it is sent as its \\u escape"


def header_name_problem(name: str) -> str | None:
    if HEADER_NAME.fullmatch(name):
        return None
    return "is no header name a request can carry: ASCII letters, digits and punctuation, with no blank or ':'"


def header_value_problem(value: str) -> str | None:
    if (problem := outside_json_problem(value)) is not None:
        return problem
    if (beyond := next((character for character in value if ord(character) > LATIN_1_END), None)) is not None:
        return (f"has {beyond!r} ({_codepoint(beyond)}), and a header's value is sent as Latin-1, which stops at"
                " U+00FF; to send UTF-8 bytes, write each byte as the Latin-1 character of its value ('é' as 'Ã©')")
    if "\r" in value or "\n" in value:
        return "holds a line break, which would end the header"
    if value[:1] in (" ", "\t"):
        return "starts with a blank, which HTTP strips from a header's value"
    return None


def request_problem(raw: dict[str, Any]) -> tuple[str, Any, str] | None:
    """(the key's dotted name, its value, the problem) of the first thing in a case's `request` that cannot be sent,
    or None. The request's keys have their types already (cases.REQUEST_TYPES)."""
    headers = {f"headers.{name}": (name, value) for name, value in raw.get("headers", {}).items()}
    if isinstance(raw.get("content_type"), str):
        headers["content_type"] = ("Content-Type", raw["content_type"])
    for where, (name, value) in headers.items():
        if (problem := header_name_problem(name)) is not None:
            return where, name, problem
        if value is not None and (problem := header_value_problem(value)) is not None:
            return where, value, problem
    if "" in raw.get("query", {}):  # sent as "=x", or as nothing for null: a value with no name, which no client sends
        return "query.", "", "is no query parameter name: give the parameter its name"
    texts = [(f"query.{name}", text) for name, value in raw.get("query", {}).items() for text in (name, value or "")]
    texts += [("stream", raw.get("stream")), ("body.raw", raw.get("body", {}).get("raw")),
              ("token.secret", raw.get("token", {}).get("secret"))]
    for where, text in texts:
        if isinstance(text, str) and (problem := outside_json_problem(text)) is not None:
            return where, text, problem
    pad_to = raw.get("body", {}).get("pad_to")
    if isinstance(pad_to, int) and pad_to > PAD_TO_MAX:
        return "body.pad_to", pad_to, f"is over {PAD_TO_MAX:,} bytes (128 MiB), more than any mock takes (--max-body)"
    return None
