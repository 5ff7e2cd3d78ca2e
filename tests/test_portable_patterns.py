"""Every regular expression the published documents carry uses only the syntax ECMA-262 (JSON Schema's dialect),
RE2 (Go's regexp) and Rust's regex share: no lookaround, no backreference, no Python-only anchor. A generator or
validator built on RE2 or Rust regex (pydantic v2's default) takes each pattern as written."""

from __future__ import annotations

import json
import re._constants as sre_constants
import re._parser as sre_parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import re2

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
DOCUMENTS = sorted(SCHEMAS.glob("**/*.json"))
# Python-only constructs sre_parse names: lookaround, backreferences, conditionals, `\A` and `\Z`.
NOT_PORTABLE = {sre_constants.ASSERT, sre_constants.ASSERT_NOT, sre_constants.GROUPREF, sre_constants.GROUPREF_EXISTS}
NOT_PORTABLE_AT = {sre_constants.AT_BEGINNING_STRING, sre_constants.AT_END_STRING}


def patterns(node: Any, where: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield where, value
            elif not key.startswith("x-"):  # an extension (x-source: where each keyword came from) holds no schema
                yield from patterns(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from patterns(value, f"{where}/{index}")


def python_only(node: Any) -> Iterator[str]:
    """The Python-only constructs anywhere in a parsed pattern (sre_parse nests groups in tuples and lists)."""
    if isinstance(node, sre_parse.SubPattern):
        for op, arg in node:
            if op in NOT_PORTABLE or (op is sre_constants.AT and arg in NOT_PORTABLE_AT):
                yield str(arg if op is sre_constants.AT else op)
            yield from python_only(arg)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from python_only(item)


PUBLISHED = [(f"{path.relative_to(SCHEMAS)}#{where}", pattern) for path in DOCUMENTS
             for where, pattern in patterns(json.loads(path.read_text(encoding="utf-8")))]


def test_the_documents_carry_patterns():
    assert len(PUBLISHED) >= 10 and any(where.startswith("admin-openapi.json") for where, _ in PUBLISHED)


@pytest.mark.parametrize(("where", "pattern"), PUBLISHED, ids=[where for where, _ in PUBLISHED])
def test_re2_compiles_each_published_pattern(where, pattern):
    options = re2.Options()
    options.log_errors = False
    try:
        re2.compile(pattern, options)
    except re2.error as error:
        pytest.fail(f"{where}: RE2 cannot compile {pattern!r}: {error}")


@pytest.mark.parametrize(("where", "pattern"), PUBLISHED, ids=[where for where, _ in PUBLISHED])
def test_no_published_pattern_uses_python_only_syntax(where, pattern):
    assert list(python_only(sre_parse.parse(pattern))) == [], where


def test_the_check_finds_lookaround_and_backreferences():
    for pattern in (r"^a(?!\n)$", r"(?<=a)b", r"(a)\1", r"a\Z"):
        assert list(python_only(sre_parse.parse(pattern))), pattern
    assert not list(python_only(sre_parse.parse(r"^(0?[1-9]|1[0-2]):[0-5][0-9] (AM|PM)$")))
