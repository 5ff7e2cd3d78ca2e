"""Contract cases as data: load the case files, fill placeholders for a target, apply a case's changes.

A case file (`fixtures/cases/<group>.json`) holds {"group", "description", "cases": [...]}; each case has an
`id`, a `description`, what to change in the base request (`request`), and what to expect (`expect`).
The base request (`fixtures/cases/_base.json`) is the vendor's sample request with the name and the tenant's
resources replaced by placeholders such as `{{tenant.contactList}}` and `{{run.name}}`.
"""

from __future__ import annotations

import base64
import copy
import difflib
import errno
import json
import math
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contract_tests.mistakes import Mistakes, raise_all
from contract_tests.sendable import request_problem
from contract_tests.tokens import CLAIMS, DIGESTS, HEADER, RECIPE_KEYS, recipe_claims
from mockserver.errors import ConfigError
from mockserver.json_mistakes import OTHER_FORMATS, UTF16, syntax_hint, utf16
from mockserver.paths import CASES_DIR, display
from mockserver.send_instead import got, send_instead
from mockserver.shown_text import clipped
from mockserver.strict_json import depth, dotted
from mockserver.wire import surrogates_escaped

# {{name}}, {{name#48}} (a value of exactly 48 characters), {{name|upper}}
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z][\w.]*)(?:#(\d+))?(?:\|(upper|lower))?\s*\}\}")
FILTERS: dict[str, Callable[[str], str]] = {"upper": str.upper, "lower": str.lower}
# A backslash before {{ sends the {{ as written, as Handlebars' \{{ does: a name "{{x}}" (is it templated?) was
# refused as an unknown placeholder, with no way to send it. JSON writes the backslash twice: "\\{{x}}".
ESCAPED = "\\{{"
# Two backslashes (or more) before {{ send one fewer and leave the {{ a placeholder, as Handlebars' \\{{x}} sends a
# backslash and x filled: \\{{run.name}} sent \{{run.name}}, unfilled and without the run's prefix.
ESCAPE = re.compile(r"(?<!\\)\\\{\{")
FILLED = re.compile(ESCAPE.pattern + r"|\\\\+(?=\{\{)|" + PLACEHOLDER.pattern)

FILE_KEYS = {"group", "description", "cases"}
CASE_KEYS = {"id", "description", "subject", "request", "expect", "before", "may_create", "skip", "skip_remote",
             "undocumented"}
REQUEST_KEYS = {"base", "set", "remove", "headers", "query", "stream", "token", "body", "content_type"}
EXPECT_KEYS = {"status", "fields", "absent", "code"}
BASES = ("request", "vendor-sample")

Lookup = Callable[[str, int | None], str]


def characters(count: int) -> str:
    """"1 character", "48 characters": a count of characters in a message."""
    return f"{count} character{'' if count == 1 else 's'}"


class MissingFact(Exception):
    """A case needs something the target does not provide; the case is skipped with this reason."""


@dataclass(frozen=True)
class Expectation:
    status: int
    fields: tuple[str, ...] = ()  # field paths the errors must name
    absent: tuple[str, ...] = ()  # field paths the errors must not name (what is checked later)
    code: int | None = None  # only where the vendor documents the code

    @property
    def success(self) -> bool:
        return 200 <= self.status < 300


@dataclass(frozen=True)
class Case:
    id: str
    description: str
    subject: str  # the field, header or parameter the case is about; failures name it
    request: dict[str, Any]
    expect: Expectation
    before: tuple[dict[str, Any], ...] = ()  # requests sent first, each expected to succeed
    may_create: bool = False  # a service other than the mock might accept it
    skip: str | None = None  # why this case cannot be run at all
    skip_remote: str | None = None  # why this case runs only on the in-process mock
    source: str = ""
    undocumented: tuple[str, ...] = ()  # paths it sets that the request schema does not describe, on purpose

    @property
    def writes(self) -> bool:
        """Whether running the case can create a campaign."""
        return self.expect.success or bool(self.before) or self.may_create

    @property
    def mock_only_refusal(self) -> bool:
        """Whether it expects a refusal only the mock is known to make: a service that accepts it creates a campaign.
        With `before` steps too (they create theirs anyway): the request's 2xx still says the mock is stricter."""
        return self.may_create and not self.expect.success


# --- dotted field paths: "dialingStrategy.callingHours.days[0].day", "contactLists[0]" -------------------

_STEP = re.compile(r"(?:^|\.)([^.\[\]]+)|\[(\d+)\]")


def parse_path(path: str) -> list[str | int]:
    if path.startswith("/"):  # read as one field named "/a/b", which no request has
        dotted = "".join(f"[{step}]" if step.isdigit() else f".{step}" for step in path.split("/")[1:]).lstrip(".")
        raise ConfigError(f"{path!r} is a JSON pointer: write the path dotted, {dotted}")
    steps: list[str | int] = []
    position = 0
    while position < len(path):
        match = _STEP.match(path, position)
        if match is None:
            raise ConfigError(f"not a field path: {path!r}")
        steps.append(match.group(1) if match.group(1) is not None else int(match.group(2)))
        position = match.end()
    if not steps:
        raise ConfigError("empty field path")
    return steps


def _kind(value: Any) -> str:
    """What a value of the request is, as a case author would say it."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return "text" if isinstance(value, str) else "a number"


def _items(count: int) -> str:
    return "no items" if count == 0 else "1 item, [0]" if count == 1 else f"{count} items, [0] to [{count - 1}]"


def not_there(container: Any, steps: list[str | int]) -> str:
    """Why the last of `steps` is not in `container`, the value at the steps before it: the list's length, or what
    the value is where the step wants another kind ("no 7 in the request" left the author to count the days)."""
    step, where = steps[-1], dotted(steps[:-1]) or "the request"
    if isinstance(step, int) and isinstance(container, list):
        return f"{where} has {_items(len(container))}: no [{step}]"
    if isinstance(step, str) and isinstance(container, dict):
        close = difflib.get_close_matches(step, sorted(container), n=1, cutoff=0.75)
        return f"{where} has no {step!r}{f' (a typo of {dotted([*steps[:-1], close[0]])}?)' if close else ''}"
    wanted = "a list" if isinstance(step, int) else "an object"
    return f"{where} is {_kind(container)}, not {wanted}"


def _child(container: Any, steps: list[str | int], path: str, create_as: Any = None) -> Any:
    step = steps[-1]
    try:
        return container[step]
    except (KeyError, IndexError, TypeError):
        if create_as is None or not isinstance(container, dict) or not isinstance(step, str):
            raise ConfigError(f"{path}: {not_there(container, steps)}") from None
    container[step] = create_as
    return create_as


def _parent(document: Any, steps: list[str | int], path: str, create: bool) -> Any:
    node = document
    for index, following in enumerate(steps[1:], start=1):
        fresh = ([] if isinstance(following, int) else {}) if create else None
        node = _child(node, steps[:index], path, fresh)
    return node


def set_path(document: Any, path: str, value: Any) -> None:
    steps = parse_path(path)
    parent, last = _parent(document, steps, path, create=True), steps[-1]
    if not isinstance(parent, list if isinstance(last, int) else dict):
        raise ConfigError(f"{path}: {not_there(parent, steps)}")
    if isinstance(last, int) and last > len(parent):
        raise ConfigError(f"{path}: {dotted(steps[:-1])} has {_items(len(parent))}: set adds one only at"
                          f" [{len(parent)}], just past its end")
    if isinstance(last, int) and last == len(parent):
        parent.append(value)
    else:
        parent[last] = value


def remove_path(document: Any, path: str) -> None:
    steps = parse_path(path)
    parent = _parent(document, steps, path, create=False)
    try:
        del parent[steps[-1]]
    except (KeyError, IndexError, TypeError):
        raise ConfigError(f"{path}: nothing to remove: {not_there(parent, steps)}") from None


MISSING = object()


def get_path(document: Any, path: str, default: Any = MISSING) -> Any:
    node = document
    for step in parse_path(path):
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            if default is MISSING:
                raise ConfigError(f"{path}: not in the request") from None
            return default
    return node


# --- placeholders ---------------------------------------------------------------------------------------


def placeholder(name: str, length: int | None = None) -> str:
    return f"{{{{{name}#{length}}}}}" if length is not None else f"{{{{{name}}}}}"


def only_placeholder(value: Any) -> tuple[str, int | None] | None:
    """(name, length) when `value` is one placeholder and nothing else."""
    match = PLACEHOLDER.fullmatch(value) if isinstance(value, str) else None
    if match is None or match.group(3):
        return None
    return match.group(1), int(match.group(2)) if match.group(2) else None


def unescaped(text: str) -> list[str]:
    """The parts of `text` between its escaped {{, which are sent as written: each is read for placeholders alone, as
    resolve() fills them ("{{run\\{{.name}}" joined was the placeholder {{run.name}}, and sent {{run{{.name}})."""
    return ESCAPE.split(text)


def placeholders_in(value: Any) -> set[str]:
    """The names of the placeholders `value` holds, where resolve() fills them."""
    if isinstance(value, str):
        return {match.group(1) for part in unescaped(value) for match in PLACEHOLDER.finditer(part)}
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return set().union(*(placeholders_in(item) for item in items))


def resolve(value: Any, lookup: Lookup) -> Any:
    """`value` with every placeholder filled by `lookup(name, length)`; MissingFact propagates."""
    if isinstance(value, str):
        return FILLED.sub(lambda match: _filled(match, lookup), value)
    if isinstance(value, list):
        return [resolve(item, lookup) for item in value]
    if isinstance(value, dict):
        return {key: resolve(item, lookup) for key, item in value.items()}
    return value


def _filled(match: re.Match[str], lookup: Lookup) -> str:
    """An escaped {{ as written, a run of backslashes before a {{ one shorter, or a placeholder filled."""
    text = match.group(0)
    if text.startswith("\\"):
        return "{{" if text == ESCAPED else text[1:]
    return _fill(match, lookup)


def _fill(match: re.Match[str], lookup: Lookup) -> str:
    name, length, how = match.group(1), match.group(2), match.group(3)
    text = lookup(name, int(length) if length else None)
    return FILTERS[how](text) if how else text


# --- applying a case's changes --------------------------------------------------------------------------


def apply_changes(document: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A copy of the body with the case's `set` and `remove` applied (in that order)."""
    out = copy.deepcopy(document)
    for path, value in changes.get("set", {}).items():
        set_path(out, path, copy.deepcopy(value))
    for path in changes.get("remove", []):
        remove_path(out, path)
    return out


def merge_named(base: dict[str, Any], changes: dict[str, Any] | None) -> dict[str, Any]:
    """Headers or query parameters with changes applied; None removes; header names compare case-insensitively."""
    out = dict(base)
    for name, value in (changes or {}).items():
        for existing in [key for key in out if key.lower() == name.lower()]:
            del out[existing]
        if value is not None:
            out[name] = value
    return out


# --- loading --------------------------------------------------------------------------------------------


class DuplicateKey(ValueError):
    pass


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object's keys, each once: JSON keeps the last of two alike, so a case's second `expect` (pasted from another
    case) was the one it was judged by, without a word."""
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise DuplicateKey(f"the key {key!r} is given twice in one object (JSON would keep the last alone, without"
                               " a word): keep one")
        document[key] = value
    return document


MAX_CASE_FILE_BYTES = 1 << 20  # 1 MiB; the suite's largest case file is about 5 KB
MAX_CASE_DEPTH = 100  # levels of nesting; the suite's deepest case file has 7
DEEP_ADVICE = ": to send a deeply nested body, write it as text ({\"body\": {\"raw\": \"[[[...]]]\"}})"


class NotJsonNumber(ValueError):
    """NaN, Infinity or a number too large for a float: Python's json reads them, JSON has none, and the request
    would carry one (json.dumps writes NaN and Infinity back) that no JSON client sends. `word`: as the file writes
    it."""

    def __init__(self, message: str, word: str) -> None:
        super().__init__(message)
        self.word = word


def _no_constant(name: str) -> Any:
    raise NotJsonNumber(f"{name} is no JSON value (Python reads it, no JSON client sends it)", name)


def _finite(text: str) -> float:
    if not math.isfinite(value := float(text)):
        raise NotJsonNumber(f"{text} is out of range for a number (it reads as infinity, which JSON has not)", text)
    return value


def _whole(text: str) -> int:
    """A whole number Python reads: past its digit limit int() said "use sys.set_int_max_str_digits()", no line."""
    if _too_long(text):
        raise NotJsonNumber(f"a whole number of {len(text.lstrip('-')):,} digits, over the"
                            f" {sys.get_int_max_str_digits():,} a case file's number may have (no JSON client sends"
                            " such a number)", text)
    return int(text)


SHOWN_WORD = 24  # characters of a refused number the body.raw example writes; longer, it is said in words


def raw_example(word: str) -> str:
    """The body.raw text that sends `word` on purpose, as a case file writes it (its quotes escaped)."""
    value = word if len(word) <= SHOWN_WORD else "<the number, written out>"
    return f'{{"body": {{"raw": "{{\\"priority\\": {value}}}"}}}}'


def _too_long(word: str) -> bool:
    return 0 < sys.get_int_max_str_digits() < len(word.lstrip("-"))


# a string (skipped), or a word that may be no JSON number: NaN, Infinity, a float out of range (1e400, or 400 digits
# and a fraction), a whole number of more digits than int() reads
_NUMBER_WORD = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)')


def number_line(text: str) -> int:
    """The line of the first NaN, Infinity, out-of-range or too long number, which json's hooks do not know."""
    for match in _NUMBER_WORD.finditer(text):
        if (word := match.group(1)) and _no_json_number(word):
            return text.count("\n", 0, match.start()) + 1
    return 1


def _no_json_number(word: str) -> bool:
    return _too_long(word) if word.lstrip("-").isdigit() else not math.isfinite(float(word))


def dangling(path: Path, exc: OSError) -> str:
    """Where a link that leads nowhere points: "No such file or directory" alone named a file `ls` lists."""
    if exc.errno != errno.ENOENT or not path.is_symlink():
        return ""
    target, end = os.readlink(path), os.path.realpath(path)
    if not (path.parent / target).is_symlink():
        return f" (a symbolic link to {target}, which is not there)"
    return f" (a symbolic link to {target}, a link on to {end}, which is not there)"  # b.json is there; c.json not


def read_json(path: Path) -> Any:
    """A case or settings file's document; one line naming the file for any file that is not one: no regular file
    (a named pipe held the run, waiting for a writer), over MAX_CASE_FILE_BYTES (read whole, however large)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise ConfigError("not a regular file, so not a case file", where=display(path))
        with path.open("rb") as file:
            data = file.read(MAX_CASE_FILE_BYTES + 1)
        if len(data) > MAX_CASE_FILE_BYTES:
            size = max(len(data), path.stat().st_size)
            raise ConfigError(f"{size} bytes, over the {MAX_CASE_FILE_BYTES >> 20} MiB a case file may be (a generated"
                              " or runaway file?): split its cases into several files", where=display(path))
        if utf16(data):
            raise ConfigError(UTF16, where=display(path))
        text = data.decode("utf-8-sig")  # past a BOM an editor put first
        if not text.strip():
            raise ConfigError("an empty file, not a case file", where=display(path))
        document = json.loads(text, object_pairs_hook=unique_keys, parse_constant=_no_constant, parse_float=_finite,
                              parse_int=_whole)
    except RecursionError:  # nested past the parser's limit: an INTERNALERROR
        raise ConfigError(f"nested too deep to read, over the {MAX_CASE_DEPTH} levels a case file may be{DEEP_ADVICE}",
                          where=display(path)) from None
    except DuplicateKey as exc:
        raise ConfigError(str(exc), where=display(path)) from None
    except NotJsonNumber as exc:  # a case that sent it sent what no client can: a body.raw text sends it on purpose
        raise ConfigError(f"line {number_line(text)}: {exc}: write a number, or to send it on purpose, the body as"
                          f" text ({raw_example(exc.word)})", where=display(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}{dangling(path, exc)}", where=display(path)) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}): save it as UTF-8",
                          where=display(path)) from None
    except json.JSONDecodeError as exc:  # a .yaml named on its own: in a folder it is refused unread
        other = path.suffix.lower() in OTHER_FORMATS
        hint = f" (a {path.suffix} file: case files are JSON alone, so write its cases as *.json)" if other else ""
        raise ConfigError(f"not valid JSON: {exc}{hint or syntax_hint(exc)}", where=display(path)) from None
    except ValueError as exc:
        raise ConfigError(f"not valid JSON: {exc}", where=display(path)) from None
    # the suite walks a case recursively: 400 levels was an INTERNALERROR
    if (nesting := depth(document)) > MAX_CASE_DEPTH:
        raise ConfigError(f"nested {nesting} levels deep, over the {MAX_CASE_DEPTH} a case file may be{DEEP_ADVICE}",
                          where=display(path))
    return document


# Keys of other harnesses' files that name what a case file calls otherwise: a WireMock stub's `response`
FOREIGN_KEYS = {"response": "expect"}


def refuse_unknown(keys: Any, allowed: set[str], where: str, at: str = "") -> None:
    extra = sorted(set(keys) - allowed)
    if extra:
        meant = likely_keys(extra, allowed, set(keys))
        raise ConfigError(f"{at}unknown keys {extra}{meant}; expected some of {sorted(allowed)}", where=where)


def likely_keys(unknown: list[str], allowed: set[str], given: set[str]) -> str:
    """Words naming the allowed key each unknown one was likely meant as (a typo, another harness's name for it), one
    not `given` already; or empty: `expected` for `expect` was told only the list of every key."""
    meant = [f"{key!r} for {found!r}" for key, found in meant_keys(unknown, allowed, given).items()]
    return f" ({', '.join(meant)}?)" if meant else ""


def meant_keys(unknown: list[str], allowed: set[str], given: set[str]) -> dict[str, str]:
    """Each unknown key with the allowed one it was likely meant as, one not `given` already (likely_keys)."""
    meant = {}
    for key in unknown:
        close = difflib.get_close_matches(str(key).lower(), sorted(allowed), n=1, cutoff=0.75)
        found = FOREIGN_KEYS.get(str(key)) if FOREIGN_KEYS.get(str(key)) in allowed else (close or [None])[0]
        if found is not None and found not in given:
            meant[key] = found
    return meant


def id_wanted(value: Any) -> str:
    """What a case's id or group must be, for its refusal: pytest shows a character beyond ASCII in a test id as an
    escape (`gr\\xfc\\xdfe`), which `-k grüße` does not select."""
    beyond = " it, and pytest shows other characters in an id as escapes (\\xfc)" if (
        isinstance(value, str) and not value.isascii()) else " it"
    return f"ASCII letters, digits, '.', '_' and '-' (got {shown(value)}): pytest -k selects by{beyond}"


def shown(value: Any) -> str:
    """A value as the case file has it, cut short: `true`, `"400"`, `["priority", "0"]`."""
    return clipped(value, 80, lambda item: surrogates_escaped(json.dumps(item, ensure_ascii=False)))


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _some_text(value: Any) -> bool:
    return isinstance(value, str) and value != ""


def _paths(value: Any) -> bool:
    return isinstance(value, list) and all(_some_text(item) for item in value)


def _named_values(value: Any) -> bool:
    return isinstance(value, dict) and all(item is None or isinstance(item, str) for item in value.values())


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _status(value: Any) -> bool:
    return _integer(value) and 100 <= value <= 599


def _base64(value: Any) -> bool:
    try:
        base64.b64decode(value, validate=True)
    except (TypeError, ValueError):
        return False
    return True


BODY_KINDS: dict[str, Callable[[Any], bool]] = {
    "raw": _text,
    "base64": lambda value: isinstance(value, str) and _base64(value),
    "json": lambda value: True,
    "pad_to": lambda value: _integer(value) and value > 0,
}


def _body(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and all(
        kind in BODY_KINDS and BODY_KINDS[kind](item) for kind, item in value.items())


# What each key of a case, its `expect` and its `request` takes: (test, what to write). Each wrong value is one line
# naming the key: taken as it came, `"fields": "priority"` named each letter, `"skip": true` gave the reason "True".
CASE_TYPES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "description": (_some_text, "text"),
    "subject": (_text, "text"),
    "skip": (_some_text, "the reason the case is skipped, as text"),
    "skip_remote": (_some_text, "the reason the case is skipped, as text"),
    "may_create": (lambda value: isinstance(value, bool), "true or false"),
    "before": (lambda value: isinstance(value, list), "a list of requests"),
    "undocumented": (_paths, "a list of field paths"),
}
EXPECT_TYPES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "status": (_status, "an HTTP status, 100 to 599"),
    "fields": (_paths, "a list of field paths"),
    "absent": (_paths, "a list of field paths"),
    "code": (_integer, "an integer"),
}
REQUEST_TYPES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "base": (lambda value: value in BASES, f"one of {shown(list(BASES))}"),
    "set": (lambda value: isinstance(value, dict), "an object of field paths and values"),
    "remove": (_paths, "a list of field paths"),
    "headers": (_named_values, "an object of names and text values, null to remove one"),
    "query": (_named_values, "an object of names and text values, null to remove one"),
    "stream": (_text, "text"),
    "token": (lambda value: isinstance(value, dict), "an object (a recipe: alg, secret, ttl, claims, app, header,"
                                                          " repeat, padded)"),
    "body": (_body, 'one of {"raw": text}, {"base64": text}, {"json": any value}, {"pad_to": a size in bytes}'),
    "content_type": (lambda value: value is None or isinstance(value, str), "text, or null to send none"),
}
RECIPE_TYPES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "alg": (lambda value: isinstance(value, str) and (value == "none" or value in DIGESTS),
            f'"none" or one of {shown(sorted(DIGESTS))}'),
    "secret": (_text, "text"),
    "ttl": (lambda value: value is None or _integer(value), "seconds, negative for an expired token, null for none"),
    "claims": (lambda value: isinstance(value, dict), "an object of claims, null to remove one"),
    "app": (lambda value: value in ("tenant", "other"), '"tenant" or "other"'),
    "header": (lambda value: isinstance(value, dict), "an object of header parameters, null to remove one"),
    "repeat": (lambda value: isinstance(value, list) and all(isinstance(name, str) for name in value),
               "a list of claim names"),
    "padded": (lambda value: isinstance(value, bool), "true or false"),
}
REFUSAL_ONLY = ("fields", "absent", "code")  # what an expectation of a success cannot check
CASE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # readable in a test id, and selectable with pytest -k


def _typed(raw: dict[str, Any], types: dict[str, tuple[Callable[[Any], bool], str]], where: str, at: str) -> None:
    """Each key of `raw` that `types` names holds what it takes; every one that does not is a line of its own."""
    mistakes = Mistakes()
    for key, (fits, wanted) in types.items():
        if key in raw and not fits(raw[key]):
            mistakes.add(ConfigError(f"{at}{key}: {wanted} {got(shown(raw[key]), _unquoted(raw[key], fits))}",
                                     where=where))
    mistakes.raise_any()


def _unquoted(value: Any, fits: Callable[[Any], bool]) -> str:
    """Words for a whole number written in quotes where one is wanted (`"status": "400"`, as a stub's YAML or a
    header writes it), as the mock's refusals say so; else empty."""
    text = value.strip() if isinstance(value, str) else ""
    if not re.fullmatch(r"-?[0-9]{1,15}", text) or not fits(int(text)):
        return ""
    return send_instead(["numbers go without quotes"], str(int(text)))


def expectation(raw: Any, where: str) -> Expectation:
    if not isinstance(raw, dict) or "status" not in raw:
        raise ConfigError("`expect` needs an integer `status`", where=where)
    mistakes = Mistakes()
    with mistakes.part():
        refuse_unknown(raw, EXPECT_KEYS, where, "expect: ")
    with mistakes.needed():  # what follows reads the values as their types
        _typed(raw, EXPECT_TYPES, where, "expect.")
    for key in ("fields", "absent"):
        for path in raw.get(key, []):
            with mistakes.part():
                try:
                    parse_path(path)
                except ConfigError as exc:
                    raise ConfigError(f"expect.{key}: {exc.message}", where=where) from None
    unchecked = [key for key in REFUSAL_ONLY if raw.get(key) not in (None, [])]
    if unchecked and raw["status"] < 400:
        mistakes.add(ConfigError(f"expect.{unchecked[0]}: only a refusal (status 400 or above) names fields, codes or"
                                 f" absent fields; a case expecting {raw['status']} would pass without checking them",
                                 where=where))
    mistakes.raise_any()
    return Expectation(
        status=raw["status"],
        fields=tuple(raw.get("fields", ())),
        absent=tuple(raw.get("absent", ())),
        code=raw.get("code"),
    )


BOUNDARY_RULE_KEYS = {"match", "status", "fields", "code", "may_create", "why"}


def check_boundary_rule(raw: Any, where: str, at: str) -> dict[str, Any]:
    """One rule of `_boundaries.json`'s `expect`: a rule without `match` or `status` was a KeyError traceback."""
    if not isinstance(raw, dict) or not isinstance(raw.get("match"), str) or not raw["match"]:
        raise ConfigError(f"{at}: needs a `match`, a shell-style pattern of case ids", where=where)
    refuse_unknown(raw, BOUNDARY_RULE_KEYS, where, f"{at}: ")
    if "status" not in raw:
        raise ConfigError(f"{at}: needs a `status`", where=where)
    _typed(raw, EXPECT_TYPES, where, f"{at}.")
    _typed(raw, {"may_create": CASE_TYPES["may_create"], "why": CASE_TYPES["description"]}, where, f"{at}.")
    if raw.get("may_create") and (unmeant := may_create_unmeant(raw["status"])):
        raise ConfigError(f"{at}.may_create: {unmeant}", where=where)
    return raw


def may_create_unmeant(status: int) -> str | None:
    """Why `may_create` means nothing on a case expecting `status`, or None: it marks a refusal a service may answer
    by creating a campaign, and a case expecting a success creates one anyway (it was taken without a word)."""
    if status >= 400:
        return None
    why = "creates its campaign anyway" if 200 <= status < 300 else "is no refusal"
    return (f"it marks a refusal (status 400 or above) that only the mock is known to make, and a case expecting"
            f" {status} {why}, so it would change nothing: take it out")


def _check_recipe_parts(recipe: dict[str, Any], where: str, at: str) -> None:
    """What a recipe's `header` and `repeat` name must be there to change: a token the case did not mean was sent
    without a word (a header's `alg`, which `alg` sets; typ removed twice; a repeat of a claim the token lacks)."""
    header = recipe.get("header", {})
    if "alg" in header:
        raise ConfigError(f"{at}.header.alg: the recipe's own `alg` sets it", where=where)
    gone = [name for name, value in header.items() if value is None and name not in HEADER]
    if gone:
        raise ConfigError(f"{at}.header.{gone[0]}: null removes a parameter, and the header has no {shown(gone[0])};"
                          f" its parameters are {', '.join(HEADER)}", where=where)
    held = list(recipe_claims("", recipe))
    missing = [name for name in recipe.get("repeat", []) if name not in held]
    if missing:
        raise ConfigError(f"{at}.repeat: the token has no {shown(missing[0])} to repeat; its claims are"
                          f" {', '.join(held)}", where=where)


def _check_headers_once(raw: dict[str, Any], where: str, at: str) -> None:
    """A header named twice (X-A and x-a; Content-Type beside content_type): names are read in any case, and one
    replaced the other without a word."""
    first: dict[str, str] = {}
    for name in raw.get("headers", {}):
        if (seen := first.setdefault(name.lower(), name)) != name:
            raise ConfigError(f"{at}.headers: {shown(seen)} and {shown(name)} name one header (a header's name is read"
                              " in any case), and the last would replace the other: keep one", where=where)
    if "content_type" in raw and "content-type" in first:
        raise ConfigError(f"{at}.content_type: it sets the header headers also names ({shown(first['content-type'])}),"
                          " and would replace it: keep one", where=where)


def check_request(raw: Any, where: str, at: str = "request") -> dict[str, Any]:
    """A case's request (or `before` step) as the case file gives it; each of its mistakes a line."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{at}: an object (got {shown(raw)})", where=where)
    mistakes = Mistakes()
    with mistakes.part():
        refuse_unknown(raw, REQUEST_KEYS, where, f"{at}: ")
    with mistakes.needed():  # what follows reads the values as their types
        _typed(raw, REQUEST_TYPES, where, f"{at}.")
    if "token" in raw:
        with mistakes.part():
            _check_recipe(raw["token"], where, f"{at}.token")
    for check in (_check_headers_once, _check_whole_body, _check_sendable):
        with mistakes.part():
            check(raw, where, at)
    paths = [*raw.get("set", {}), *raw.get("remove", [])]
    for path in paths:
        with mistakes.part():
            try:
                parse_path(path)
            except ConfigError as exc:
                raise ConfigError(f"{at}: {exc.message}", where=where) from None
    removes = raw.get("remove", [])
    if all(map(_parses, removes)) and (removed_again := removed_twice(removes)) is not None:
        mistakes.add(ConfigError(f"{at}.remove: {removed_again}", where=where))
    mistakes.raise_any()
    return raw


def _parses(path: str) -> bool:
    try:
        parse_path(path)
    except ConfigError:
        return False
    return True


def _check_recipe(recipe: dict[str, Any], where: str, at: str) -> None:
    """A request's token recipe, each of its mistakes a line."""
    mistakes = Mistakes()
    with mistakes.part():
        refuse_unknown(recipe, RECIPE_KEYS, where, f"{at}: ")
    with mistakes.needed():
        _typed(recipe, RECIPE_TYPES, where, f"{at}.")
    # null removes a claim; one the token does not have (appid for appId) removed nothing, without a word
    gone = [name for name, value in recipe.get("claims", {}).items() if value is None and name not in CLAIMS]
    if gone:
        mistakes.add(ConfigError(f"{at}.claims.{gone[0]}: null removes a claim, and the token has no"
                                 f" {shown(gone[0])}; its claims are {', '.join(CLAIMS)}", where=where))
    with mistakes.part():
        _check_recipe_parts(recipe, where, at)
    if "auth.token" in placeholders_in(recipe):  # the token, built from its recipe, held itself
        mistakes.add(ConfigError(f"{at}: the recipe holds {placeholder('auth.token')}, the token it makes",
                                 where=where))
    mistakes.raise_any()


def _check_whole_body(raw: dict[str, Any], where: str, at: str) -> None:
    whole = next((kind for kind in ("raw", "base64", "json") if kind in raw.get("body", {})), None)
    unused = [key for key in ("set", "remove", "base") if key in raw] if whole else []
    if unused:  # the body sent is body.<whole> as written: a `set` beside it changed nothing, without a word
        raise ConfigError(f"{at}.{unused[0]}: body.{whole} is the whole body sent, so {unused[0]} would change"
                          f" nothing in it: make the change in body.{whole}, or leave body out", where=where)


def _check_sendable(raw: dict[str, Any], where: str, at: str) -> None:
    if (unsendable := request_problem(raw)) is not None:
        key, value, problem = unsendable
        raise ConfigError(f"{at}.{surrogates_escaped(key)}: {shown(value)} {problem}", where=where)


def removed_twice(paths: list[str]) -> str | None:
    """Why a path of `remove` names what a path before it removed, or None: the second removal was told the request
    had no such field, where the case file named it twice. After a list item's removal the index names the item after
    it (`days[0]` twice removes two items), so the paths into that list from there on are forgotten."""
    done: list[list[str | int]] = []  # the fields removed so far, by paths that still name them
    for path in paths:
        steps = parse_path(path)
        if steps in done:
            return f"{path} is named twice, and the second would find nothing to remove: keep one"
        # a field's removal takes what it holds too
        inside = next((dotted(before) for before in done
                       if len(before) < len(steps) and steps[:len(before)] == before), None)
        if inside is not None:
            return f"{path} is inside {inside}, which an earlier entry removes with all it holds: keep one"
        if isinstance(steps[-1], int):
            done = [before for before in done if not _moved(before, steps)]
        else:
            done.append(steps)
    return None


def _moved(path: list[str | int], item: list[str | int]) -> bool:
    """Whether `path` leads into the list `item` is removed from, at its index or after: it names another item now."""
    at = len(item) - 1
    return (len(path) > at and path[:at] == item[:at] and isinstance(path[at], int)
            and isinstance(item[at], int) and path[at] >= item[at])


def read_case(raw: Any, group: str, source: str) -> tuple[Case | None, list[ConfigError]]:
    """A case of the file `source` and its mistakes. The case is there, mistakes or not, wherever its requests, its
    expectation and its `undocumented` can be read, for its changes to be checked against the base request too: a
    mistake there was said only once those found here were fixed, a run later."""
    label = raw.get("id", "?") if isinstance(raw, dict) else repr(raw)
    where = f"{source}: case {label}"
    if not isinstance(raw, dict):
        return None, [ConfigError("a case needs an `id` and a `description`", where=where)]
    mistakes = Mistakes()
    with mistakes.part():  # first: `expcet` is told it is `expect` misspelt, not only that `expect` is missing
        refuse_unknown(raw, CASE_KEYS, where)
    misspelt = meant_keys(sorted(set(raw) - CASE_KEYS), CASE_KEYS, set(raw))
    if (not raw.get("id") or not raw.get("description")) and not {"id", "description"} & set(misspelt.values()):
        mistakes.add(ConfigError("a case needs an `id` and a `description`", where=where))
    if raw.get("id") and not (isinstance(raw["id"], str) and CASE_ID.fullmatch(raw["id"])):  # "": told once, above
        mistakes.add(ConfigError(f"id: {id_wanted(raw['id'])}", where=where))
    with mistakes.part():
        _typed(raw, CASE_TYPES, where, "")
    request = expect = None
    with mistakes.part():
        request = check_request(raw.get("request", {}), where)
    if "expect" in raw or "expect" not in misspelt.values():
        with mistakes.part():
            expect = expectation(raw.get("expect"), where)
    if expect is not None and raw.get("may_create") is True and (unmeant := may_create_unmeant(expect.status)):
        mistakes.add(ConfigError(f"may_create: {unmeant}", where=where))
    steps = raw.get("before", []) if isinstance(raw.get("before", []), list) else []
    before = []
    for i, step in enumerate(steps):
        with mistakes.part():
            before.append(check_request(step, where, f"before[{i}]"))
    if request is None or expect is None or len(before) < len(steps) or not _typed_as(raw, "undocumented"):
        return None, mistakes.found
    return Case(
        id=f"{group}/{label}",  # a case with no id is "case ?" on each of its lines
        description=raw.get("description", ""),
        subject=raw.get("subject", ""),
        request=request,
        expect=expect,
        before=tuple(before),
        may_create=bool(raw.get("may_create", False)),
        skip=raw.get("skip"),
        skip_remote=raw.get("skip_remote"),
        source=source,
        undocumented=tuple(raw.get("undocumented", ())),
    ), mistakes.found


def _typed_as(raw: dict[str, Any], key: str) -> bool:
    """Whether `raw` has no `key`, or one of the type CASE_TYPES gives it."""
    return key not in raw or CASE_TYPES[key][0](raw[key])


def load_case_file(path: Path, problems: list[ConfigError] | None = None) -> list[Case]:
    """The cases of one file. A mistake in a case is added to `problems`, and the file's other cases are read on,
    so that every mistake is said at once; without `problems`, the first is raised."""
    return read_case_file(path, problems)[0]


def given_id(entry: Any, group: str) -> str | None:
    """The id a case of the file gives itself, whether or not the rest of it can be read, or None where it has none
    to speak of: an id used twice is a mistake of its own, said beside the case's others."""
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not CASE_ID.fullmatch(entry["id"]):
        return None
    return f"{group}/{entry['id']}"


def read_case_file(path: Path, problems: list[ConfigError] | None = None) -> tuple[list[Case], list[str]]:
    """load_case_file's cases, and the id of every case the file gives, those that cannot be read too (in order).
    With `problems`, a case read in part (read_case: its mistakes added, its requests and expectation whole) is among
    the cases, to be checked against the base request too: a caller that gives `problems` refuses the run on any."""
    raw = read_json(path)
    if isinstance(raw, dict):  # first: a "case" or "groups" misspelt was told only what a case file is
        refuse_unknown(raw, FILE_KEYS, display(path))
    if not isinstance(raw, dict) or not isinstance(raw.get("cases"), list) or not raw.get("group"):
        raise ConfigError('a case file is {"group": ..., "cases": [...]}', where=display(path))
    if not raw["cases"]:
        raise ConfigError("no cases: a case file holds at least one", where=display(path))
    if not isinstance(raw["group"], str) or not CASE_ID.fullmatch(raw["group"]):
        raise ConfigError(f"group: {id_wanted(raw['group'])}", where=display(path))
    # held to a case's rule: `"description": true` (or null, a list, a number) was read without a word
    _typed(raw, {"description": CASE_TYPES["description"]}, display(path), "")
    found, said = [], [] if problems is None else problems
    for entry in raw["cases"]:
        case, mistakes = read_case(entry, raw["group"], display(path))
        found += [case] if case is not None else []
        said += mistakes
    if problems is None:
        raise_all(said)
    return found, [name for entry in raw["cases"] if (name := given_id(entry, raw["group"])) is not None]


SETTINGS_FILES = ("_base.json", "_boundaries.json")  # the suite's own settings, at the top of fixtures/cases




def folder_files(directory: Path) -> Iterator[Path]:
    """The files under `directory`, through linked folders (pathlib's rglob does not go into them: a team's shared
    cases linked into its folder never ran), each real folder once (a link loop), hidden ones left out."""
    seen: set[str] = set()
    for root, folders, files in os.walk(directory, followlinks=True):
        real = os.path.realpath(root)
        folders[:] = [] if real in seen else sorted(name for name in folders if not name.startswith("."))
        if real not in seen:
            seen.add(real)
            yield from (Path(root) / name for name in files if not name.startswith("."))


def case_files(directory: Path, settings_in: Path = CASES_DIR) -> list[Path]:
    """Every case file in `directory` and its subfolders, in path order (a file in a subfolder was left out without
    a word, and its cases never ran). A name starting with "_" is kept for the suite's settings files, at the top of
    the suite's own folder (`settings_in`); anywhere else such a file is refused: left out, a team's _draft.json
    vanished without a word and its _boundaries.json changed nothing. Hidden files and folders are not read (an
    editor's lock file .#team.json, .vscode/settings.json). A YAML, JSON5 or TOML file is refused: skipped, its cases
    never ran and the run passed. A file is itself."""
    if directory.exists() and not directory.is_dir():  # a named pipe too: read_json refuses it, naming it
        return [directory]
    files = sorted(folder_files(directory))
    other = [path for path in files if path.suffix.lower() in OTHER_FORMATS]
    if other:
        raise ConfigError("case files are JSON, and this file would not be read: write its cases as *.json (without"
                          " comments), or keep it outside the case folder", where=display(other[0]))
    found = [path for path in files if path.suffix.lower() == ".json"]  # .JSON too: some systems save names so
    refuse_names_differing_in_case(found)
    kept = [path for path in found if path.name.startswith("_")
            and not (path.name in SETTINGS_FILES and path.parent.resolve() == settings_in.resolve())]
    if kept:
        raise ConfigError("a name starting with '_' is kept for the suite's own settings (fixtures/cases/"
                          f"{', '.join(SETTINGS_FILES)}), which a case folder given to the suite cannot replace:"
                          " rename it to run its cases, or keep a draft outside the folder or as *.json.draft",
                          where=display(kept[0]))
    return [path for path in found if not path.name.startswith("_")]


def file_identity(path: Path) -> tuple[int, int] | str:
    """What makes two paths one file (device and inode): a path resolved is not enough where the file system ignores
    case (macOS keeps the case given, so ours/Team.json and ours/team.json resolve apart), nor for a hard link. A
    file that cannot be looked at (a broken link) is its resolved path, and its reading says why in one line."""
    try:
        found = path.stat()
    except OSError:
        return os.path.realpath(path)  # not Path.resolve(), which raises for a link loop
    return found.st_dev, found.st_ino


def refuse_names_differing_in_case(files: list[Path]) -> None:
    """Two case files of one folder whose names differ only in case (Team.json, team.json) are both read here, but a
    checkout on a case-insensitive file system (macOS, Windows) holds one of them alone: a run there would drop the
    other's cases without a word. Refused on every system, so that the folder is fixed where the two were made."""
    first: dict[tuple[Path, str], Path] = {}
    for path in files:
        seen = first.setdefault((path.parent, path.name.casefold()), path)
        if seen != path:
            raise ConfigError(f"its name differs from {seen.name}'s only in case: a case-insensitive file system"
                              " (macOS, Windows) holds one of the two alone, and a run there would leave the other's"
                              " cases out: rename one", where=display(path))


def _file_cases(path: Path, problems: list[ConfigError]) -> tuple[list[Case], list[str]]:
    """The cases of one file and the ids it gives (read_case_file), its mistakes added to `problems`; none of them for
    a mistake in the file as a whole (not JSON, a key misspelt), which is added too: raised alone, it hid the mistakes
    found in the files read before it."""
    try:
        return read_case_file(path, problems)
    except ConfigError as exc:
        problems.append(exc)
        return [], []


def load_folders(*directories: Path, settings_in: Path = CASES_DIR,
                 problems: list[ConfigError] | None = None) -> list[tuple[Path, list[Case]]]:
    """Each folder (or file) with the cases of its case files, a file that two of them hold read once, under the
    first; a case id must be unique across them all. `settings_in` is the folder that holds the suite's settings.
    A mistake in a case is added to `problems`, and the rest read on; without `problems`, all are raised at the end."""
    said: list[ConfigError] = [] if problems is None else problems
    seen: set[tuple[int, int] | str] = set()
    loaded = []
    given: list[tuple[str, str]] = []  # (case id, its file) of every case, one that cannot be read too
    for directory in directories:
        files = [path for path in case_files(directory, settings_in) if file_identity(path) not in seen]
        seen.update(file_identity(path) for path in files)
        cases = []
        for path in files:
            read, ids = _file_cases(path, said)
            cases += read
            given += [(case_id, display(path)) for case_id in ids]
        loaded.append((directory, cases))
    refuse_ids_twice(given, said)
    if problems is None:
        raise_all(said)
    return loaded


def refuse_ids_twice(given: list[tuple[str, str]], problems: list[ConfigError]) -> None:
    """A problem added for each case id given a second time (`given`: each id with its file, in order)."""
    holder: dict[str, str] = {}  # case id -> the file that holds it
    for case_id, source in given:
        if case_id in holder:
            also = " in this file" if holder[case_id] == source else f": also in {holder[case_id]}"
            problems.append(ConfigError(f"case id {case_id!r} is used twice{also}: give one of the two another id",
                                        where=f"{source}: case {case_id.partition('/')[2]}"))
        holder.setdefault(case_id, source)


def load_cases(*directories: Path) -> list[Case]:
    """Every case in the case files of `directories`; a case id must be unique across them all."""
    return [case for _, cases in load_folders(*directories) for case in cases]
