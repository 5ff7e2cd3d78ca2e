"""What add_fault() and replace_fault() (mockserver.testing) say of a keyword they do not take: the call to make.

As the admin API hints at a rule field another tool names so (mockserver.faults.OTHER_FIELDS: WireMock's
fixedDelayMilliseconds, urlPath); a directive given as a keyword (latency=200, delay=2000) goes in the fault."""

from __future__ import annotations

import json
import re
from typing import Any

from mockserver.faults import DIRECTIVES, OTHER_FIELDS, OTHER_NAMES, FaultError, parse
from mockserver.send_instead import send_instead

_IN_THE_FAULT = 'a directive goes in the fault, after a ";"'
# What a directive given with a value the fault refuses (retry_after=None, latency="a;b") is named with instead
_EXAMPLES = {"latency": "latency=200", "status": "status=503", "drop": "drop", "retry-after": "retry-after=5"}
# A drop sends no answer: one added takes the place of the status and retry-after given, and they of a drop
_EXCLUDES = {"drop": ("status", "retry-after"), "status": ("drop",), "retry-after": ("drop",)}


def keyword_hint(method: str, fault: str, name: str, value: Any, keywords: dict[str, str]) -> str | None:
    """`why: send <call>` for keyword `name=value` given to `method` with `fault`, or None when nothing is known of
    it; `keywords` maps the rule's JSON fields to the method's keywords (accountId: account_id)."""
    directive = name.replace("_", "-").lower()
    if directive in DIRECTIVES:
        given = directive if value is True or value is None else f"{directive}={value}"
        joined = _joined(fault, given)
        if _refused(joined) and not _refused(example := _joined(fault, _EXAMPLES[directive])):
            return send_instead([f"{_IN_THE_FAULT}, with a value it takes"], _call(method, example, {}, keywords))
        return send_instead([_IN_THE_FAULT], _call(method, joined, {}, keywords))
    if (field := OTHER_FIELDS.get(name.replace("_", "").lower())) is not None:
        fields = _fields(field[1](value))
        # a fault alone joins the one given (fixedDelayMilliseconds: a latency beside it); a whole rule is an example
        said = fields.pop("fault", None)
        return send_instead([field[0]], _call(method, _joined(fault, said) if said and not fields else said, fields,
                                              keywords))
    if (other := OTHER_NAMES.get(name.lower())) is not None:
        given = other[1](None if value is True or value is None else str(value))
        return send_instead([other[0]], _call(method, _joined(fault, given), {}, keywords))
    return None


def _refused(spec: str) -> bool:
    """Whether the mock refuses `spec` as a fault: a hint must name a call that works."""
    try:
        parse(spec)
    except FaultError:
        return True
    return False


def _joined(fault: Any, directive: str) -> str:
    """The fault given with `directive` added, in place of the same directive given there (status=500 for status=503:
    each is given once)."""
    if not isinstance(fault, str):
        return directive
    named = directive.partition("=")[0].strip().lower()
    left = {named, *_EXCLUDES.get(named, ())}
    kept = [part.strip() for part in re.split(r"[;,]", fault)
            if part.strip() and part.partition("=")[0].strip().lower() not in left]
    names = {part.partition("=")[0].strip().lower() for part in [*kept, directive]}
    if "retry-after" in names and "status" not in names:  # the mock refuses one without a status (a drop's)
        kept.insert(0, "status=503")
    return ";".join([*kept, directive])


def _fields(text: str) -> dict[str, Any]:
    """The rule's fields an OTHER_FIELDS hint names: a whole object (`{"fault": ...}`) or members of one."""
    return json.loads(text if text.startswith("{") else f"{{{text}}}")


def _call(method: str, fault: str | None, fields: dict[str, Any], keywords: dict[str, str]) -> str:
    """`method("fault", keyword=value, ...)`, or the keywords alone when there is no fault to send."""
    named = [f"{keywords.get(field, field)}={json.dumps(value)}" for field, value in fields.items()]
    if fault is None:
        return ", ".join(named)
    first = ["rule_id"] if method == "replace_fault" else []  # replace_fault(rule_id, fault, ...)
    return f"{method}({', '.join([*first, json.dumps(fault), *named])})"
