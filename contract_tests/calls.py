"""Turn a case into the HTTP request it sends: base request + the case's changes + the target's facts."""

from __future__ import annotations

import base64
import copy
import difflib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from contract_tests import tokens
from contract_tests.boundaries import walk
from contract_tests.cases import (
    BODY_KINDS,
    ESCAPED,
    MAX_CASE_FILE_BYTES,
    MISSING,
    PLACEHOLDER,
    Case,
    MissingFact,
    apply_changes,
    characters,
    get_path,
    merge_named,
    only_placeholder,
    parse_path,
    placeholder,
    read_json,
    refuse_unknown,
    remove_path,
    resolve,
    set_path,
    shown,
    unescaped,
)
from contract_tests.mistakes import Mistakes
from contract_tests.target import FACTS, SCOPES, Target, TenantFacts
from mockserver.auth import TOKEN_HEADER
from mockserver.contract import Contract
from mockserver.errors import ConfigError
from mockserver.redaction import REDACTED, is_secret_name, redacted_query
from mockserver.shown_text import printable
from mockserver.strict_json import dotted

PADDING_FIELD = "x-contract-padding"


@dataclass(frozen=True)
class Base:
    """The request every case starts from (fixtures/cases/_base.json) and the vendor sample it builds on."""

    method: str
    path: str  # with a {streamId} slot
    query: dict[str, Any]
    headers: dict[str, Any]
    body_changes: dict[str, Any]  # dotted path -> value, applied to the vendor sample
    sample: dict[str, Any]
    name_field: str
    name_max: int  # the name's maxLength; a prefixed name is cut to fit
    references: tuple[tuple[str, str], ...] = ()  # (path, tenant placeholder) of each x-reference field

    def body(self, kind: str = "request") -> dict[str, Any]:
        """The body before placeholders: the vendor sample verbatim, or with the base request's changes."""
        if kind == "vendor-sample":
            return copy.deepcopy(self.sample)
        return apply_changes(self.sample, {"set": self.body_changes})


BASE_KEYS = {"description", "query", "headers", "nameField", "body"}


def load_base(path: Path, contract: Contract) -> Base:
    """The base request: method and path template from the generated endpoint.json, the rest from `path`, with each
    header and query parameter the page's sample sends with a value of its own that `path` does not set."""
    raw = read_json(path)
    if isinstance(raw, dict):  # a misspelt setting ("header" beside "headers") was left out without a word
        refuse_unknown(raw, BASE_KEYS, str(path))
    not_objects = [key for key in ("query", "headers", "body")
                   if isinstance(raw, dict) and key in raw and not isinstance(raw[key], dict)]
    if not_objects:
        raise ConfigError(f"base request's {', '.join(not_objects)} must be an object of names and values", str(path))
    if isinstance(raw, dict) and isinstance(raw.get("body"), dict):
        check_base_body(path, raw["body"], contract)
    try:
        name_field = raw["nameField"]
        return Base(
            method=contract.endpoint["method"],
            path=contract.endpoint["pathTemplate"],
            query=contract.with_sample_values("query", raw["query"]),
            headers=contract.with_sample_values("headers", raw["headers"]),
            body_changes=raw["body"],
            sample=contract.sample_request,
            name_field=name_field,
            name_max=contract.request.get("properties", {}).get(name_field, {}).get("maxLength", 10**6),
            references=reference_facts(contract.request, apply_changes(contract.sample_request, {"set": raw["body"]})),
        )
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"base request needs query, headers, body and nameField ({exc})", str(path)) from None


def check_base_body(path: Path, body: dict[str, Any], contract: Contract) -> None:
    """Each field the base request fills is one the page still has: after the page renamed queue_name to queueName,
    the base sent the old name beside the sample's new one, every case passed, and the tenant's queue went unchecked."""
    for field_path in body:
        if schema_has(contract.request, field_path) or get_path(contract.sample_request, field_path,
                                                                default=ABSENT) is not ABSENT:
            continue
        meant = likely_meant(field_path, contract.sample_request, contract.request)
        now = f"; now {meant}?" if meant else ""
        raise ConfigError(f"body: {field_path}: neither the vendor sample request nor the request schema has this"
                          f" field (the page renamed or removed it{now}): every case would send it beside the page's"
                          " fields; fill the page's field, or take it out", key_line(path, field_path))


def key_line(path: Path, key: str) -> str:
    """`path:LINE` of the first line that holds `key` as a JSON key, or `path` alone."""
    quoted = json.dumps(key) + ":"
    lines = path.read_text(encoding="utf-8").splitlines()
    found = next((number for number, line in enumerate(lines, 1) if quoted in line), None)
    return f"{path}:{found}" if found else str(path)


def reference_facts(schema: dict[str, Any], body: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """(path, placeholder) for each field the schema marks x-reference and the base request fills from the tenant."""
    found = []
    for node in walk(schema, body):
        held = only_placeholder(node.base) if node.reference else None
        if held is not None:
            found.append((node.path, held[0]))
    return tuple(found)


def values_at(document: Any, path: str) -> list[tuple[str, Any]]:
    """(path, value) at `path`; a path ending in [0] stands for every item of that list."""
    if path.endswith("[0]"):
        items = get_path(document, path[:-3], default=[])
        return [(f"{path[:-3]}[{i}]", item) for i, item in enumerate(items)] if isinstance(items, list) else []
    value = get_path(document, path, default=MISSING)
    return [] if value is MISSING else [(path, value)]


def check_sample_references(base: Base, facts: TenantFacts) -> None:
    """The vendor sample names its own contact list, DNC list, caller ID and queue: the target must have them."""
    unknown = [
        f"{where} {value!r}"
        for path, fact in base.references
        for where, value in values_at(base.sample, path)
        if not facts.knows(fact, value)
    ]
    if unknown:
        raise MissingFact(f"the vendor sample refers to {', '.join(unknown)}, which {facts.source} does not list")


# Every placeholder a case may use: those a target fills from its tenant facts, the case's name and its token.
ABSENT = object()
PLACEHOLDERS = frozenset({"run.name", "auth.token"} | {f"{scope}.{fact}" for scope in SCOPES for fact in FACTS})


def check_case(case: Case, base: Base, schemas: dict[str, dict[str, Any]]) -> None:
    """A hand-written case's changes made to the base request before any case runs, so that a mistake is one line
    naming the case: a path to remove or a list index that is not there (it was a traceback when the case ran), a
    field set by a path neither the base request nor the schema has (a typo: the field was added beside the real one,
    and a case expecting 200 passed without testing anything) unless the case lists it as `undocumented` (naming it as
    the case's subject let a typo through when the subject repeated it), a placeholder no target fills (the case was
    skipped as one whose fact the target lacks), and an error field expected that the request does not have (an
    `absent` one misspelt always passed)."""
    where = f"{case.source}: case {case.id.partition('/')[2]}"
    mistakes = Mistakes()  # each a line: a case's second mistake was said only once its first was fixed
    for path in case.undocumented:
        with mistakes.part(), named("undocumented", where):
            if is_known(path, base.body(), schemas["request"]):
                raise ConfigError(f"{path}: the base request or the request schema has this field: take it out of"
                                  " `undocumented`")
    steps = [("request", case.request), *((f"before[{i}]", step) for i, step in enumerate(case.before))]
    for at, step in steps:
        with mistakes.part():
            check_placeholders(step, at, where)
        with mistakes.part():
            _check_body(case, step, at, base, schemas, where)
        with mistakes.part():
            _check_names(case, step, at, base, schemas, where)
    sent = {name for _, step in steps for part in ("set", "query") for name in step.get(part) or {}}
    headers = [name for _, step in steps for name in step.get("headers") or {}]
    for path in case.undocumented:
        if path not in sent and not listed(path, headers, case_blind=True):
            mistakes.add(ConfigError(f"undocumented: {path}: no `set`, header or query parameter of the case is this",
                                     where))
    for key in ("fields", "absent"):
        for name in getattr(case.expect, key):
            if not names_a_part(name, case.request, base, schemas):
                mistakes.add(ConfigError(f"expect.{key}: {name}: the request has no such field, header or query"
                                         " parameter (a typo?): no error could name it", where))
    mistakes.raise_any()


def _check_body(case: Case, step: dict[str, Any], at: str, base: Base, schemas: dict[str, dict[str, Any]],
                where: str) -> None:
    """A step's `set` and `remove` made to its base body, each path's mistake a line; then its `pad_to`."""
    mistakes = Mistakes()
    body = base.body(step.get("base", "request"))
    for path, value in step.get("set", {}).items():
        known = path in case.undocumented or is_known(path, body, schemas["request"])
        meant = None if known else likely_meant(path, body, schemas["request"])
        with mistakes.part(), named(f"{at}.set", where):  # first: a list index into an object is no typo of a name
            set_path(body, path, value)
            if not known:
                raise ConfigError(f"{path}: neither the base request nor the request schema has this field (a typo"
                                  f"{f' of {meant}' if meant else ''}?); a case that sends a field the schema does"
                                  " not describe on purpose lists it in `undocumented`")
    for path in step.get("remove", []):
        with mistakes.part(), named(f"{at}.remove", where):
            remove_path(body, path)
    pad_to = step.get("body", {}).get("pad_to")
    if pad_to is not None and pad_to < (least := len(padded(resolve(body, named_as_sent), 0))):
        mistakes.add(ConfigError(f"{at}.body.pad_to: {pad_to} bytes is less than the body itself, {least} bytes with"
                                 " the case's name as sent and other placeholders as written: give more, or a"
                                 " body.raw text of the size wanted", where))  # the body sent was the bare one
    mistakes.raise_any()


def _check_names(case: Case, step: dict[str, Any], at: str, base: Base, schemas: dict[str, dict[str, Any]],
                 where: str) -> None:
    """A step's header and query parameter names, each close to one the request has (a typo) a line."""
    mistakes = Mistakes()
    for part, what in (("headers", "header"), ("query", "query parameter")):
        for name in step.get(part) or {}:
            meant = near_miss(name, [*getattr(base, part), *schemas[part].get("properties", {})],
                              case_blind=part == "headers")
            if meant and not listed(name, case.undocumented, case_blind=part == "headers"):
                mistakes.add(ConfigError(f"{at}.{part}: {name}: neither the base request nor the schemas have this"
                                         f" {what}, but one close to it (a typo of {meant}?); a case that sends it on"
                                         " purpose lists it in `undocumented`", where))
    mistakes.raise_any()


def named_as_sent(name: str, length: int | None) -> str:
    """A placeholder as the loader weighs a padded body: the case's name at the length every target sends
    ({{run.name#48}} is 48 characters, written as 15: pad_to between them skipped the case on every target), a tenant's
    fact as written, which each target fills with its own."""
    if name == "run.name":
        return sized_name(campaign_name("ct-00000000-", 1), length, may_drop_prefix=True)
    return placeholder(name, length)


# A placeholder written wrong ({{run.name|title}}, {{tenant-queue}}, {tenant.queue}) is not one, so it was sent as
# it is: a name so written carried no run prefix, and a campaign no clean-up would know was created.
MALFORMED_PLACEHOLDER = re.compile(r"\{+\s*(?:" + "|".join(["run", "auth", *SCOPES]) + r")\b[^{}]{0,60}\}*")
PLACEHOLDER_FORMS = "{{name}}, {{name#48}} (that many characters), {{name|upper}} or {{name|lower}}"
AS_WRITTEN = 'to send {{ as written, put a backslash before it ("\\\\{{x}}" in JSON sends {{x}})'


# Handlebars' {{{name}}}, or a placeholder wrapped once more: filled inside, the braces around it were sent, and the
# campaign's name began with "{", not the run's prefix.
ENCLOSED_PLACEHOLDER = re.compile(r"\{\s*" + PLACEHOLDER.pattern + r"\s*\}")
# {{}}: a placeholder whose name was left out (a template's), sent as it is in the name it was meant to fill
EMPTY_PLACEHOLDER = re.compile(r"\{\{\s*\}\}")


def looks_filled(text: str) -> bool:
    """Whether `text` holds what a value's placeholder check reads: a placeholder, one written wrong, or a \\{{."""
    return ESCAPED in text or any(pattern.search(text) for pattern in (PLACEHOLDER, MALFORMED_PLACEHOLDER,
                                                                       ENCLOSED_PLACEHOLDER, EMPTY_PLACEHOLDER))


def check_keys(step: dict[str, Any], at: str, where: str) -> None:
    """A key (a field's name in a `set` value or `body.json`, a header's or parameter's name, a `set` path) is sent
    as written: {{run.name}} in one was neither filled nor checked, so {{tenant.queu}} went out as a field's name."""
    for part, value in step.items():
        key = next((key for key in keys(value) if looks_filled(key)), None)
        if key is not None:
            raise ConfigError(f"{at}.{part}: the key {shown(key)} holds a placeholder, but a key is sent as written:"
                              " placeholders (and \\{{) are filled in values alone; write the name itself (a body"
                              " whose field names vary is sent as body.raw text)", where)


def check_placeholders(step: dict[str, Any], at: str, where: str) -> None:
    """Each placeholder of a case's step is one a target fills, and each text written like one is one."""
    check_keys(step, at, where)
    split = [(index, part) for text in strings(step) for index, part in enumerate(unescaped(text))]
    texts = [part for _, part in split]
    for index, text in split:
        malformed = (MALFORMED_PLACEHOLDER.search(PLACEHOLDER.sub("", text)) or ENCLOSED_PLACEHOLDER.search(text)
                     or EMPTY_PLACEHOLDER.search(text))
        if malformed and index and text.startswith(malformed.group(0)) and text.startswith("{"):
            raise ConfigError(f"{at}: {_escaped_too_few(malformed.group(0))}", where)
        if malformed:
            raise ConfigError(f"{at}: {shown(malformed.group(0))} is no placeholder, and would be sent as it is: a"
                              f" placeholder is written {PLACEHOLDER_FORMS}; {AS_WRITTEN}", where)
    lengths = [match for text in texts for match in PLACEHOLDER.finditer(text)
               if match.group(2) and int(match.group(2)) > MAX_CASE_FILE_BYTES]
    if lengths:  # {{run.name#99999999999999999999}} was an OverflowError as the case ran
        raise ConfigError(f"{at}: {shown(lengths[0].group(0))} asks for more characters than a case file may hold:"
                          f" at most {MAX_CASE_FILE_BYTES}", where)
    unknown = sorted({match.group(1) for text in texts for match in PLACEHOLDER.finditer(text)} - PLACEHOLDERS)
    if unknown:
        close = difflib.get_close_matches(unknown[0], sorted(PLACEHOLDERS), n=1, cutoff=0.75)
        close = close or [name for name in PLACEHOLDERS if name.lower() == unknown[0].lower()]
        meant = f" (a typo of {placeholder_text(close[0])}?)" if close else ""
        raise ConfigError(f"{at}: unknown placeholder {placeholder_text(unknown[0])}{meant}; {AS_WRITTEN}; known: "
                          + ", ".join(placeholder_text(name) for name in sorted(PLACEHOLDERS)), where)


def _escaped_too_few(rest: str) -> str:
    """\\{{{run.name}}}: told to put a backslash before the {{ it has one before; the backslash escapes two braces
    alone, and the brace after them begins text that is no placeholder."""
    whole = "{" * (len(rest) - len(rest.lstrip("{"))) + ESCAPED + rest.lstrip("{")  # "{\\{{run.name}}}"
    return (f"{shown(ESCAPED + rest)} is no placeholder, and would be sent as it is: its backslash sends the two braces"
            f" after it as written, and {shown(rest)} after them is no placeholder; to send {shown('{{' + rest)} as"
            f" written, put the backslash before the last two braces ({shown(whole)}), else a placeholder is written"
            f" {PLACEHOLDER_FORMS}")


def listed(name: str, names: tuple[str, ...] | list[str], case_blind: bool) -> bool:
    """Whether `names` hold `name`; a header's name in any case (Acountid sent, acountid listed as undocumented)."""
    return name.lower() in {entry.lower() for entry in names} if case_blind else name in names


def near_miss(name: str, known: list[str], case_blind: bool) -> str | None:
    """The known header or query parameter `name` misspells (acountid: accountid), or None: a name the request does
    not have and close to none it has is a client's own (X-Correlation-Id), sent as it is. Header names compare in
    any case, query parameter names exactly (accountid is not accountId)."""
    fold = str.lower if case_blind else str
    if fold(name) in {fold(other) for other in known}:
        return None
    by_folded = {fold(other): other for other in known}
    close = difflib.get_close_matches(fold(name), list(by_folded), n=1, cutoff=0.8)
    close = close or [other for other in by_folded if other.lower() == name.lower()]
    return by_folded[close[0]] if close else None


def is_known(path: str, body: dict[str, Any], schema: dict[str, Any]) -> bool:
    """Whether the body (the base request, as a case has changed it so far) or the request schema has the field."""
    return get_path(body, path, default=ABSENT) is not ABSENT or schema_has(schema, path)


def likely_meant(path: str, body: dict[str, Any], schema: dict[str, Any]) -> str | None:
    """The path with its first unknown field name put right, when one the body or the schema has is close to it:
    dialingStrategy.maxRingTme -> dialingStrategy.maxRingTime."""
    steps = parse_path(path)
    node: Any = schema
    document: Any = body
    for index, step in enumerate(steps):
        if isinstance(step, str):
            names = {*(node or {}).get("properties", {}), *(document if isinstance(document, dict) else {})}
            if step not in names:
                close = difflib.get_close_matches(step, sorted(names), n=1, cutoff=0.75)
                return dotted([*steps[:index], close[0], *steps[index + 1:]]) if close else None
            node = (node or {}).get("properties", {}).get(step)
            document = document.get(step) if isinstance(document, dict) else None
        else:
            node = (node or {}).get("items")
            document = document[step] if isinstance(document, list) and step < len(document) else None
        node = node if isinstance(node, dict) else None
    return None


def names_a_part(name: str, request: dict[str, Any], base: Base, schemas: dict[str, dict[str, Any]]) -> bool:
    """Whether an expected error field is a body field (of the base request, the case's or the schema's), a header or
    a query parameter that the request sends or the schemas describe."""
    headers = {*base.headers, *(request.get("headers") or {}), *schemas["headers"].get("properties", {})}
    query = {*base.query, *(request.get("query") or {}), *schemas["query"].get("properties", {})}
    if name.lower() in {header.lower() for header in headers} or name in query:
        return True
    try:
        parse_path(name)
    except ConfigError:
        return False
    body = base.body(request.get("base", "request"))
    return (schema_has(schemas["request"], name) or get_path(body, name, default=ABSENT) is not ABSENT
            or any(name == path or name.startswith((f"{path}.", f"{path}[")) for path in request.get("set", {})))


@contextmanager
def named(at: str, where: str) -> Iterator[None]:
    """A ConfigError in the block, named with the case and its key."""
    try:
        yield
    except ConfigError as exc:
        raise ConfigError(f"{at}: {exc.message}", where) from None


def placeholder_text(name: str) -> str:
    return f"{{{{{name}}}}}"


def strings(value: Any) -> list[str]:
    """Every string in a case's step, however deep."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return []


def keys(value: Any) -> list[str]:
    """Every key of every object in `value`, however deep."""
    if isinstance(value, dict):
        return [*value, *(key for item in value.values() for key in keys(item))]
    if isinstance(value, list):
        return [key for item in value for key in keys(item)]
    return []


def schema_has(schema: dict[str, Any], path: str) -> bool:
    """Whether the request schema describes the field at a dotted path."""
    node: Any = schema
    for step in parse_path(path):
        node = node.get("items") if isinstance(step, int) else node.get("properties", {}).get(step)
        if not isinstance(node, dict):
            return False
    return True


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    query: dict[str, str]
    headers: dict[str, str] = field(repr=False)  # includes the token: never print or store these (-l shows reprs)
    body: bytes
    json_body: Any  # the body as a document, when it is one (None for raw bodies)
    campaign_name: str | None = None  # the name a created campaign would have
    own_token: bool = False  # sends the run's credentials as they are: a 401 says they are refused
    run_signed: bool = False  # sends a token recipe of its own, signed with the run's app and secret


SENT_VALUE_SHOWN = 80  # characters of a header's value a failure quotes
SENT_BODY_SHOWN = 200  # characters of a body it quotes


def _clipped(text: str, most: int) -> str:
    text = printable(text)
    return text if len(text) <= most else text[:most] + "..."


def secrets_sent(call: Call) -> list[str]:
    """The values of the credential-named headers a call sends (the token), longest first, for an answer that quotes
    one back: a value of a few characters (a case's garbled token) would match text that is no credential."""
    found = {value for name, value in call.headers.items() if is_secret_name(name) and len(value) >= 8}
    return sorted(found, key=len, reverse=True)


def described(call: Call) -> str:
    """The request a case sent, on one line a failure shows: method, path and query, each header (credentials
    `<redacted>`, as the mock's journal keeps them), and the start of the body."""
    target = urlsplit(call.url).path
    query = redacted_query(urlencode(call.query)) if call.query else ""
    target += f"?{query}" if query else ""
    headers = ", ".join(f"{name}: {REDACTED if is_secret_name(name) else _clipped(value, SENT_VALUE_SHOWN)}"
                        for name, value in call.headers.items())
    text = call.body.decode("utf-8", "replace")
    for secret in secrets_sent(call):
        text = text.replace(secret, REDACTED)
    body = f"body: {len(call.body)} bytes: {_clipped(text, SENT_BODY_SHOWN)}" if call.body else "no body"
    return f"sent {call.method} {_clipped(target, 300)} (headers: {headers or 'none'}; {body})"


class Resolver:
    """Fills one case's placeholders: tenant facts, the case's campaign name and its token."""

    def __init__(self, target: Target, run_name: str, token_recipe: dict[str, Any] | None = None) -> None:
        self.target = target
        self.run_name = run_name
        self.token_recipe = token_recipe

    def __call__(self, name: str, length: int | None) -> str:
        if name == "run.name":
            return sized_name(self.run_name, length, may_drop_prefix=self.target.is_local)
        if name == "auth.token":
            return self.token()
        return self.target.facts.value(name, length)

    def token(self) -> str:
        recipe = resolve(self.token_recipe or {}, self)
        scope = "other" if recipe.get("app") == "other" else "tenant"
        client_id = self.target.facts.value(f"{scope}.clientId")
        secret = self.target.facts.value(f"{scope}.clientSecret")
        return tokens.token(client_id, secret, recipe)


RANDOM_PART = re.compile(r"^ct-[0-9a-f]{8}-")  # a run prefix (contract_tests.plugin.PREFIX_TEMPLATE)


def sized_name(name: str, length: int | None, may_drop_prefix: bool = False) -> str:
    """The case's campaign name padded to exactly `length` characters. It must keep the run's prefix, except on
    the in-process mock, whose fresh database is thrown away: there a shorter name is cut to length."""
    if length is None:
        return name
    if length < len(name):
        if may_drop_prefix:
            return name[:length]
        shown = RANDOM_PART.sub("ct-<8 hex>-", name)  # the same words in every run (JUnit XML, the report)
        raise MissingFact(f"a campaign name of {characters(length)} cannot carry the run's prefix: its names are"
                          f" {characters(len(name))} long ({shown})")
    return name + "x" * (length - len(name))


def raw_body(spec: Any, document: Any) -> bytes:
    if not isinstance(spec, dict) or len(spec) != 1 or not set(spec) <= set(BODY_KINDS):
        raise ConfigError(f"`body` is one of {sorted(BODY_KINDS)}, e.g. {{\"raw\": \"[]\"}}")
    kind, value = next(iter(spec.items()))
    if kind == "raw":
        return value.encode("utf-8")
    if kind == "base64":
        return base64.b64decode(value)
    if kind == "json":
        return json.dumps(value).encode("utf-8")
    return padded(document, int(value))


def padded(document: dict[str, Any], size: int) -> bytes:
    """The document as JSON of exactly `size` bytes, grown with one unknown field."""
    bare = json.dumps({**document, PADDING_FIELD: ""}).encode("utf-8")
    if size and len(bare) > size:  # the loader checked it with a tenant's placeholders as written: its longer names
        raise MissingFact(f"body.pad_to is {size} bytes, and the body is {len(bare)} bytes with this target's names")
    return json.dumps({**document, PADDING_FIELD: "x" * max(0, size - len(bare))}).encode("utf-8")


def campaign_name(prefix: str, seq: int) -> str:
    """The name a case gives its campaign: the run's prefix and the case's number, unique within the run."""
    return f"{prefix}{seq:04d}"


def build_call(base: Base, target: Target, request: dict[str, Any], prefix: str, seq: int) -> Call:
    """The HTTP request for one step of case number `seq`. Raises MissingFact when the target lacks a fact.

    The vendor sample keeps its own name against the in-process mock (its database starts empty); against any
    other target it gets the run's prefix, like every name the suite sends.
    """
    if request.get("base") == "vendor-sample":
        check_sample_references(base, target.facts)
    resolver = Resolver(target, campaign_name(prefix, seq), request.get("token"))
    document = resolve(apply_changes(base.body(request.get("base", "request")), request), resolver)
    if request.get("base") == "vendor-sample" and not target.is_local:
        document[base.name_field] = (prefix + document[base.name_field])[: base.name_max]
    headers = merge_named(base.headers, request.get("headers"))
    if "content_type" in request:
        headers = merge_named(headers, {"Content-Type": request["content_type"]})
    stream = resolve(request.get("stream", "{{tenant.streamId}}"), resolver)
    # body.raw and body.json filled as every other value: checked, then sent as written, they named a campaign
    # "{{run.name}}", without the run's prefix
    body = raw_body(resolve(request["body"], resolver), document) if "body" in request else json.dumps(
        document).encode("utf-8")
    sent = None if "body" in request and "pad_to" not in request["body"] else document
    name = sent.get(base.name_field) if isinstance(sent, dict) else None
    own_header = all(key.lower() != TOKEN_HEADER for key in request.get("headers") or {})
    return Call(
        method=base.method,
        url=target.base_url.rstrip("/") + base.path.replace("{streamId}", stream),
        query=resolve(merge_named(base.query, request.get("query")), resolver),
        headers=resolve(headers, resolver),
        body=body,
        json_body=sent,
        campaign_name=name if isinstance(name, str) else None,
        own_token=request.get("token") is None and own_header,
        run_signed=own_header and signed_by_run(request.get("token")),
    )


def signed_by_run(recipe: Any) -> bool:
    """Whether a case's token recipe is signed with the run's own app and secret (one giving no `secret` of its own,
    nor the second account's app): a 401 to it may be the run's credentials' as much as the recipe's."""
    return isinstance(recipe, dict) and "secret" not in recipe and recipe.get("app") != "other"
