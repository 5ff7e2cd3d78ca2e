"""Validate a JSON document against a generated schema and describe every violation in plain words.

The accept path runs jsonschema-rs, a validator compiled in Rust (about 60x faster on the sample body); only when
it rejects does the jsonschema validator walk the document to report every violation in the words below. A test
keeps the two in agreement.
"""

from __future__ import annotations

import functools
import importlib.resources
import itertools
import json
import re
from dataclasses import dataclass
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from mockserver.ecma_pattern import Validator, compiled
from mockserver.journal_filters import SINCE_WANTED
from mockserver.send_instead import got, send_instead, spelled_otherwise
from mockserver.shown_text import MAX_SHOWN, clip, sent
from mockserver.strict_json import dotted

MAX_EXAMINED = 1000  # schema errors looked at in one body, so a body of 15,000 empty day blocks costs little

TYPE_NAMES = {
    "string": "a string", "integer": "an integer", "number": "a number", "boolean": "true or false",
    "object": "an object", "array": "an array", "null": "null",
}


def is_iana_zone(value: object) -> bool:
    return not isinstance(value, str) or value in iana_zones()  # a wrong type is for `type` to report


@functools.cache
def iana_zones() -> frozenset[str]:
    """The IANA zone names the tzdata package lists (links such as US/Eastern included), whatever the machine's tz
    database holds: so one install accepts the same names on every machine, one without /usr/share/zoneinfo too. Not
    zoneinfo.available_timezones(), which adds every TZif file on the machine's TZPATH (a README assumption)."""
    return frozenset(importlib.resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8").split())


def zone_refused(value: str, advise: bool = True) -> str:
    """Why a string is no zone name, for a refusal: the zone meant, or what to send for an offset (`advise`)."""
    hint = (_zone_spelled(value) or _offset(value)) if advise else ""
    return f"must be an IANA time zone such as 'Asia/Kolkata' {got(shown(value), hint)}"


def _zone_spelled(value: str) -> str:
    """Words naming the zone a value spells otherwise: in another case (JavaScript's Intl and moment-timezone find
    `america/new_york`; the mock, like the tz database, does not), with a space for an underscore (`America/New
    York`), or with white space around it, which the eye does not see in the refusal's quote. Empty when it names
    none."""
    spelled = "_".join(value.split())
    lowered = spelled.lower()  # once: lowered for each of ~600 zones, a 60 KB value took 0.1 s of a worker a request
    meant = next((name for name in iana_zones() if name.lower() == lowered), None)  # on a refusal alone
    if meant is None:
        return ""
    return send_instead(spelled_otherwise(value, meant, "zone names", "a space is written '_'"), repr(meant))


OFFSET = re.compile(r"(?:UTC|GMT)? ?([+-])([0-9]{1,2})(?::?([0-9]{2}))?", re.IGNORECASE)


def _offset(value: str) -> str:
    """Words for an offset sent as a zone (`UTC+5`, `+05:30`): the tz database names none but its Etc/GMT zones, whose
    sign is POSIX's, the inverse of ISO 8601's (`Etc/GMT-5` is five hours ahead of UTC), in whole hours. Empty when
    the value is no offset."""
    found = OFFSET.fullmatch(value.strip())
    if found is None:
        return ""
    sign, hours, minutes = found.groups()
    zone = "UTC" if int(hours) == 0 else f"Etc/GMT{'-' if sign == '+' else '+'}{int(hours)}"
    if int(minutes or 0) == 0 and zone in iana_zones():
        inverted = [] if zone == "UTC" else ["its Etc/GMT zones have the sign inverted"]
        return send_instead(["IANA names no offsets", *inverted], f"{zone!r} or a city's zone")
    whole = ["its Etc/GMT zones are whole hours"] if int(minutes or 0) else []
    return send_instead(["IANA names no offsets", *whole], "a city's zone")


FORMATS = {"iana-time-zone": is_iana_zone}


def field_order(field: str) -> list[str | int]:
    """A dotted path's sort key, list indexes as numbers: `days[2]` before `days[10]`."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", field)]


class Violations(list):
    """Violations by field path then rule; `cut` when the search stopped at MAX_EXAMINED errors, so more may exist."""

    cut = False


@dataclass(frozen=True)
class Violation:
    field: str  # dotted path, list items as [i]; "" for the document itself
    rule: str  # plain words, e.g. "must be between 5 and 120 (got 121)"

    def __str__(self) -> str:
        return f"{self.field} {self.rule}" if self.field else self.rule


def shown(value: object) -> str:
    """A value from the body, for a message: a string quoted (`sent`), anything else as JSON names it."""
    if isinstance(value, str):
        return sent(value)
    text = _json_kind_or_value(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def _json_kind_or_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "an array"
    # what JSON does not hold, in a tenant given in code: named by its Python type (a set, bytes), not as an object
    return "an object" if isinstance(value, dict) else f"a Python {type(value).__name__}, which JSON does not hold"


def characters(text: str) -> int:
    """How long a string is, as every length the mock checks or reports counts it: in code points (Unicode
    characters), as JSON Schema's maxLength and minLength count and both validators do; not in UTF-16 units (an
    emoji is two in JavaScript's `length`) nor in bytes. A README assumption, kept here."""
    return len(text)


def _bounds(schema: dict[str, Any], value: object) -> str:
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        return f"must be between {low} and {high} (got {shown(value)})"
    if low is not None:
        return f"must be at least {low} (got {shown(value)})"
    return f"must be at most {high} (got {shown(value)})"


UNQUOTED = {"integer": re.compile(r"-?\d{1,15}"), "number": re.compile(r"-?\d{1,15}(\.\d{1,15})?"),
            "boolean": re.compile(r"true|false")}


def _requoted(types: list[str], schema: dict[str, Any], value: object) -> str:
    """Words for a value sent as a string where a number or boolean is wanted (`"120"`, `"true"`, as a form or a
    hand-edited body sends them): how to send it, as JSON writes it, when the field takes it (not `"500"` for a
    field of 5 to 120). White space around it goes with the quotes (`" 120"`). Else empty."""
    text = value.strip() if isinstance(value, str) else ""
    if not any(UNQUOTED[kind].fullmatch(text) for kind in types if kind in UNQUOTED):
        return ""
    unquoted = text == "true" if text in ("true", "false") else float(text) if "." in text else int(text)
    why = "true and false go without quotes" if isinstance(unquoted, bool) else "numbers go without quotes"
    return send_instead([why], json.dumps(unquoted)) if _takes(schema, unquoted) else ""


def _quoted(types: list[str], schema: dict[str, Any], value: object) -> str:
    """Words for a number sent where a string is wanted (`"priority": 5`, the page listing its values bare): how to
    send it, when the string would be one the field takes (its enum, lengths, pattern and format: `"start": 9` is
    not told to send "9", which the clock pattern refuses next). Else empty."""
    if "string" not in types or isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    text = str(value)
    takes = characters(text) <= MAX_SHOWN and _takes(schema, text)
    return send_instead(["strings go in quotes"], f'"{text}"') if takes else ""


def _takes(schema: dict[str, Any], value: object) -> bool:
    """Whether the field's own schema takes `value`, formats included, so that advice to send it is not refused next."""
    return Validator(schema, format_checker=format_checker()).is_valid(value)


@functools.cache
def format_checker() -> FormatChecker:
    """The formats the generated schemas use, checked as the compiled validator checks them (FORMATS)."""
    checker = FormatChecker(formats=())
    checker.checks("iana-time-zone")(is_iana_zone)
    return checker


def _meant(schema: dict[str, Any], value: object) -> str:
    """Words naming the value a string was meant as, as a zone's refusal does: the same with white space around it
    (`"MO "`) or in another case (`progressive`, `weekly`), or a day's name for its short form (`monday`, `Mon` for
    `MO`); one the field takes. Empty when none stands out."""
    if not isinstance(value, str):
        return ""
    trimmed = value.strip()
    words = [word for word in schema["enum"] if isinstance(word, str)]
    same = [word for word in words if word.lower() == trimmed.lower()]
    short = [word for word in words if len(word) >= 2 and trimmed.lower().startswith(word.lower())]
    if same:
        why, meant = spelled_otherwise(value, same[0], "values"), same[0]
    # '11' is no priority '1' written out, nor "weekend" a form of WE or "mobile" of MO
    elif trimmed.isalpha() and any(day.startswith(trimmed.lower()) for day in WEEKDAYS) and len(short) == 1:
        meant = short[0]
        why = [*spelled_otherwise(value, trimmed, "values"), f"days are written as their first {len(meant)} letters"]
    else:
        return ""
    return send_instead(why, repr(meant)) if _takes(schema, meant) else ""


# The words a short form is written out as: the page's day codes (MO, TU, ...) are the one short form it has, and a
# word that only starts like one ("weekend", "mobile") was told to send it
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


CLOCK = re.compile(r"([0-9]{1,2}):([0-5][0-9])")  # a time of day on a 24-hour clock, as `date +%H:%M` writes one
MERIDIEM = re.compile(r"([0-9]{1,2}:[0-5][0-9]) ?([AaPp][Mm])")  # one on a 12-hour clock, its AM or PM as typed
TWELVE = "times are on a 12-hour clock"


def _pattern_meant(schema: dict[str, Any], value: object) -> str:
    """Words for a string a pattern refuses that it would take written otherwise: without white space around it
    (`"9:00 AM "`), or, for a 12-hour time of day, as `_twelve_hour` writes it. Else empty."""
    if not isinstance(value, str):
        return ""
    trimmed = value.strip()
    clock = _twelve_hour(trimmed) if compiled(schema["pattern"]).search("11:59 PM") else None
    why, meant, more = clock or ([], trimmed, "")
    if meant == value or not _takes(schema, meant):
        return ""
    return send_instead([*spelled_otherwise(value, trimmed, "values"), *why], repr(meant) + more)


def _twelve_hour(text: str) -> tuple[list[str], str, str] | None:
    """(why, the 12-hour time meant, words after it) for a time of day written otherwise: on a 24-hour clock (`18:00`
    for '6:00 PM'), with the evening's for an hour that could be either (`9:00`), or with its AM or PM in lower case
    or with no space before it (`9:00am`). 0:00 is 12:00 AM, the day's start, and 24:00, the day's end, has no
    12-hour form (a README assumption: a block that runs to midnight ends at 11:59 PM). Else None."""
    found = CLOCK.fullmatch(text)
    if found is not None and int(found[1]) < 24:
        hours, minutes = int(found[1]), found[2]
        twelve = f"{(hours + 11) % 12 + 1}:{minutes} {'AM' if hours < 12 else 'PM'}"
        if twelve == "12:00 AM":
            return [TWELVE], twelve, " for the day's start, '11:59 PM' for its end"
        return [TWELVE], twelve, f", or {twelve[:-2] + 'PM'!r} for the evening" if 0 < hours < 12 else ""
    if text == "24:00":
        return [TWELVE, "the day's last minute is 11:59 PM"], "11:59 PM", ""
    found = MERIDIEM.fullmatch(text)
    if found is None:
        return None
    why = [] if found[2].isupper() else ["AM and PM go in capitals"]
    why += [] if " " in text else ["a space goes before AM or PM"]
    return why, f"{found[1]} {found[2].upper()}", ""


def _rule(error: ValidationError, advise: bool = True) -> str:
    schema, value, arg = error.schema, error.instance, error.validator_value
    match error.validator:
        case "type":
            types = [arg] if isinstance(arg, str) else arg
            wanted = " or ".join(TYPE_NAMES.get(t, t) for t in types)
            advice = (_requoted(types, schema, value) or _quoted(types, schema, value)) if advise else ""
            return f"must be {wanted} {got(shown(value), advice)}"
        case "maxLength":
            return f"must be at most {arg} characters (got {characters(value)})"
        case "minLength":
            return f"must be at least {arg} character{'s' if arg != 1 else ''} (got {characters(value)})"
        case "enum":
            meant = _meant(schema, value) if advise else ""
            return f"must be one of {', '.join(map(str, arg))} {got(shown(value), meant)}"
        case "const":
            return f"must be {arg} (got {shown(value)})"
        case "minimum" | "maximum":
            return _bounds(schema, value)
        case "exclusiveMinimum":
            return f"must be greater than {arg} (got {shown(value)})"
        case "exclusiveMaximum":
            return f"must be less than {arg} (got {shown(value)})"
        case "minItems":
            return f"must have at least {arg} item{'s' if arg != 1 else ''} (got {len(value)})"
        case "maxItems":
            return f"must have at most {arg} items (got {len(value)})"
        case "pattern":
            example = (schema.get("examples") or [None])[0]
            hint = f"the form {example!r}" if example else f"the pattern {arg}"
            return f"must match {hint} {got(shown(value), _pattern_meant(schema, value) if advise else '')}"
        case "additionalProperties" if arg is False and isinstance(value, dict):
            known = list(schema.get("properties", {}))
            unknown = [repr(key) for key in value if key not in known]
            return f"has unknown key {', '.join(unknown)} (known: {', '.join(known)})"
        case "format" if arg == "iana-time-zone":
            return zone_refused(value, advise)
        case "format" if arg == "date-time":  # a response's createdAt, judged by the contract suite
            return f"must be {SINCE_WANTED} {got(shown(value))}"
        case _:
            return clip(error.message, 200)


def missing_name(error: ValidationError) -> str:
    """The property a `required` error is about. jsonschema raises one error per missing name, each message
    starting with the name's repr: so three missing fields are three names, not the first one three times."""
    missing = [name for name in error.validator_value if name not in error.instance]
    return next((name for name in missing if error.message.startswith(repr(name))), missing[0] if missing else "?")


MAX_UNKNOWN_NAMED = 3  # unknown keys a missing key's refusal names; a body of 10,000 would otherwise be quoted whole


def _unknown_keys(error: ValidationError) -> str:
    """Words for a key missing from an object that has keys the schema does not know, such as `startTime` where
    `start` is wanted: the refusal said only that `start` is required, and unknown keys are otherwise ignored (a
    README decision), so nothing told the tester why the key sent was not taken. Else empty."""
    known = list(error.schema.get("properties", {}))
    unknown = [shown(key) for key in error.instance if key not in known]
    if not unknown:
        return ""
    more = f" and {len(unknown) - MAX_UNKNOWN_NAMED} more" if len(unknown) > MAX_UNKNOWN_NAMED else ""
    keys = "key" if len(unknown) == 1 else "keys"
    return f" (the object has unknown {keys} {', '.join(unknown[:MAX_UNKNOWN_NAMED])}{more}; known: {', '.join(known)})"


def describe(error: ValidationError, advise: bool = True) -> Violation:
    """The error in plain words; `advise`: with what to send instead, which a document the mock did not receive (a
    service's answer, judged by the contract suite) has no use for."""
    path = list(error.absolute_path)
    if error.validator == "required":
        return Violation(dotted([*path, missing_name(error)]), f"is required{_unknown_keys(error)}")
    return Violation(dotted(path), _rule(error, advise))


_FOUND_VALID: set[str] = set()  # schemas, as canonical JSON, that passed the meta-schema check in this process


def check_schema(schema: dict[str, Any]) -> None:
    """Draft 2020-12's meta-schema check (SchemaError on a broken schema), once per schema per process: it costs
    about 100 ms for the request schema, and a process that builds many apps (an in-process mock per test, each
    of serve's workers) would otherwise check the same few schemas again each time. Only a schema found valid is
    remembered, so a broken one is refused every time."""
    try:
        key = json.dumps(schema, sort_keys=True)
    except (TypeError, ValueError):  # not JSON's types: checked, never remembered
        key = None
    if key is not None and key in _FOUND_VALID:
        return
    Draft202012Validator.check_schema(schema)
    if key is not None:
        _FOUND_VALID.add(key)


class SchemaValidator:
    """One schema, compiled once. `violations(doc)` is empty when the document is valid."""

    def __init__(self, schema: dict[str, Any]) -> None:
        check_schema(schema)
        iana_zones()  # read the zone list at start-up, not on the first request
        self._fast = jsonschema_rs.validator_for(schema, formats=FORMATS, validate_formats=True)
        # `pattern` as ECMA-262 (and jsonschema-rs) read it
        self._full = Validator(schema, format_checker=format_checker())

    def is_valid(self, document: Any) -> bool:
        """The compiled validator's verdict; the detailed one's for a document it cannot take: a string holding half
        a surrogate pair, which jsonschema-rs cannot convert (UTF-8 cannot carry it) and raised on."""
        try:
            return self._fast.is_valid(document)
        except UnicodeEncodeError:
            return self._full.is_valid(document)

    def violations(self, document: Any) -> Violations:
        if self.is_valid(document):
            return Violations()
        return self.report(document)

    def report(self, document: Any) -> Violations:
        """Every violation, by field path then rule, up to MAX_EXAMINED errors; what the slow validator finds. A
        value of the wrong type is reported for its type alone: `5` for a string in 1-5 is not also "must be one of
        1, 2, 3, 4, 5"."""
        errors = list(itertools.islice(self._full.iter_errors(document), MAX_EXAMINED + 1))
        cut = len(errors) > MAX_EXAMINED
        errors = errors[:MAX_EXAMINED]
        mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
        found = {describe(e) for e in errors if e.validator == "type" or tuple(e.absolute_path) not in mistyped}
        report = Violations(sorted(found, key=lambda v: (field_order(v.field), v.rule)))
        report.cut = cut
        return report
