"""JSON Schema's `pattern` as ECMA-262 reads it, for the jsonschema validators this project runs.

jsonschema applies a pattern with Python's `re.search`, where `$` also matches before a trailing newline: `^9:00
AM$` would take "9:00 AM\\n", which ECMA-262 (JSON Schema's dialect), RE2, Rust's regex and the compiled
jsonschema-rs all refuse. `Validator` reads each `$` outside a character class as the end of the text (`\\Z`), so
the published patterns need no Python-only guard such as `(?!\\n)` and stay portable.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError


def python_form(pattern: str) -> str:
    """The pattern with each `$` that is an anchor (not escaped, not in a class) made `\\Z`, Python's end of text."""
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index:index + 2])
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = r"\Z"
        out.append(char)
        index += 1
    return "".join(out)


@functools.lru_cache(maxsize=256)
def compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(python_form(pattern))


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})
