"""What JSON Schema cannot say: the tenant's named resources exist, day blocks run forwards, the mode is served.

Which tenant collection a field refers to is one table, REFERENCES; the fields that must refer to something are
marked in the generated schema with `x-reference` ("exists" or "verified"), so the page decides which fields
are checked and this table only decides where to look.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from mockserver.errors import ConfigError
from mockserver.failures import failure
from mockserver.send_instead import send_instead, spelled_otherwise
from mockserver.strict_json import dotted
from mockserver.tenant import Account
from mockserver.validation import shown

# field pattern (list items as []) -> (tenant collection, what a person calls it)
REFERENCES = {
    "contactLists[]": ("contactLists", "contact list"),
    "dncLists.name": ("dncLists", "DNC list"),
    "dialingStrategy.callerId.phoneNumber": ("callerIds", "caller ID"),
    "queue_name": ("queues", "queue"),
}
SUPPORTED_DIALING_MODE = "Progressive"  # the contract this mock imitates is the Progressive-mode page
DAY_BLOCKS = ("dialingStrategy", "callingHours", "days")
# Said of a block that ends at 12:00 AM, which reads as midnight at its end but is the day's start (a README assumption)
MIDNIGHT_END = ": 12:00 AM is the start of the day, so a block that runs to midnight ends at 11:59 PM"

Pattern = tuple[str, ...]  # keys, with "[]" for "every item of this list"

# What this module and the success answer (responses.py) read from every schema-valid body: the request schema must
# still require each, or a renamed field would be read as missing (every create a 422, or a KeyError's 500).
READ_FIELDS = ("name", "campaignType", "dialingMode", "dialingStrategy.callingHours.days[].start",
               "dialingStrategy.callingHours.days[].end", "dncLists.name")


def check_read_fields(schema: dict[str, Any], where: str) -> None:
    for field in READ_FIELDS:
        node, walked = schema, ""
        for key in field.replace("[]", ".[]").split("."):
            walked += key if not walked or key == "[]" else f".{key}"
            if key == "[]":
                node = node.get("items", {})
            elif key in node.get("required", []) and key in node.get("properties", {}):
                node = node["properties"][key]
            else:
                raise ConfigError(f"the mock's own checks read {walked}, which the request schema no longer requires:"
                                  " the page renamed, removed or relaxed it, which the mock's code has to follow"
                                  " (mockserver/semantics.py, responses.py)", where=where)


def reference_fields(schema: dict[str, Any], at: Pattern = ()) -> list[tuple[Pattern, str]]:
    """(pattern, "exists" | "verified") for every node of the schema marked with x-reference."""
    found = [(at, schema["x-reference"])] if "x-reference" in schema else []
    for name, sub in schema.get("properties", {}).items():
        found += reference_fields(sub, (*at, name))
    if isinstance(schema.get("items"), dict):
        found += reference_fields(schema["items"], (*at, "[]"))
    return found


def pattern_key(pattern: Pattern) -> str:
    return ".".join(pattern).replace(".[]", "[]")


@dataclass(frozen=True)
class Reference:
    """A field that names a tenant resource, resolved once at start-up."""

    pattern: Pattern
    kind: str  # "exists" or "verified"
    collection: str  # the tenant collection it is looked up in
    what: str  # what a person calls it


def check_reference_table(schema: dict[str, Any]) -> list[Reference]:
    fields = reference_fields(schema)
    unmapped = [pattern_key(p) for p, _ in fields if pattern_key(p) not in REFERENCES]
    if unmapped:
        unused = sorted(set(REFERENCES) - {pattern_key(p) for p, _ in fields})
        renamed = f"; it maps {unused}, which no field marks now: renamed?" if unused else ""
        raise ConfigError(f"x-reference on fields with no tenant collection in REFERENCES: {unmapped}: add each to"
                          f" REFERENCES in mockserver/semantics.py{renamed}")
    return [Reference(pattern, kind, *REFERENCES[pattern_key(pattern)]) for pattern, kind in fields]


def values_at(document: Any, pattern: Pattern, at: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple, Any]]:
    """(path, value) for every value the pattern reaches; the path as keys and indexes, for `dotted`."""
    if not pattern:
        yield at, document
        return
    head, rest = pattern[0], pattern[1:]
    if head == "[]" and isinstance(document, list):
        for index, item in enumerate(document):
            yield from values_at(item, rest, (*at, index))
    elif isinstance(document, dict) and head in document:
        yield from values_at(document[head], rest, (*at, head))


def reference_errors(body: dict[str, Any], references: list[Reference], account: Account) -> list[dict]:
    errors = []
    for ref in references:
        known = account.resource_ids(ref.collection)
        alike: dict[str, str] | None = None  # made on the first unknown name: once per list, not once per name
        for at, value in values_at(body, ref.pattern):
            if value not in known:
                alike = spellings(known) if alike is None else alike
                item = failure("body.unknown_reference").item(dotted(at), what=ref.what, value=shown(value))
                errors.append(with_meant(item, value, alike))
            elif ref.kind == "verified" and known[value] is not True:
                errors.append(failure("body.unverified_caller_id").item(dotted(at), value=shown(value)))
    return errors


def spelled_alike(name: str) -> str:
    return " ".join(name.lower().split())


def spellings(known: dict[str, Any]) -> dict[str, str]:
    """The account's names by how they are spelled alike, the first of two alike kept."""
    alike: dict[str, str] = {}
    for name in known:
        alike.setdefault(spelled_alike(name), name)
    return alike


def with_meant(item: dict[str, Any], value: Any, alike: dict[str, str]) -> dict[str, Any]:
    """An unknown reference's error, naming the name the account has when only case or white space differ (`default
    queue` for `Default Queue`): names match exactly (a README decision), and the refusal alone read as if the thing
    were missing from the account. `alike`: the account's names, by `spellings`."""
    if not isinstance(value, str):
        return item
    meant = alike.get(spelled_alike(value))
    if meant is None:
        return item
    return {**item, "msg": f"{item['msg']} ({send_instead(spelled_otherwise(value, meant, 'names'), shown(meant))})"}


def minutes(clock: str) -> int:
    """Minutes after midnight of a schema-valid "9:00 AM"; strptime costs 10x more on the hot path."""
    hours, rest = clock.split(":")
    return int(hours) % 12 * 60 + int(rest[:2]) + (720 if rest.endswith("PM") else 0)


def time_order_errors(body: dict[str, Any]) -> list[dict]:
    """Runs on a schema-valid body, so the day blocks are there and their times well formed."""
    errors = []
    blocks = body[DAY_BLOCKS[0]][DAY_BLOCKS[1]][DAY_BLOCKS[2]]
    for index, block in enumerate(blocks):
        if minutes(block["start"]) >= minutes(block["end"]):
            field = f"{dotted(DAY_BLOCKS)}[{index}]"
            why = MIDNIGHT_END if minutes(block["end"]) == 0 else ""
            errors.append(failure("body.time_order").item(field, start=block["start"], end=block["end"], why=why))
    return errors


def campaign_type_errors(body: dict[str, Any]) -> list[dict]:
    """The body may say "sms" (the schema allows it), but this endpoint creates voice campaigns."""
    got = body.get("campaignType")
    return [] if got == "voice" else [failure("body.campaign_type").item("campaignType", got=repr(got))]


def dialing_mode_error(body: dict[str, Any]) -> dict | None:
    mode = body.get("dialingMode")
    if mode != SUPPORTED_DIALING_MODE:
        return failure("body.dialing_mode").item("dialingMode", got=repr(mode))
    return None
