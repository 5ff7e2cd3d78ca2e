"""A fault rule sent back as the mock answers it: read (GET /__admin/faults/<id>), a field edited, and PUT back, as
WireMock's users do with a stub mapping; or copied from one mock's listing into another's POST.

A rule as answered carries, besides the fields a rule is added with, what the mock keeps of it: `id`, `remaining`,
`applied` (and `warnings`, in the answer to adding or replacing one). Each is read as what it says, never dropped
where that would change the rule unseen:
- `remaining` is the requests the rule still applies to: it stands in for `count` (a PUT's `count` becomes the rule's
  `remaining`), so a rule sent back with `remaining` 1 goes on with 1, not with no limit as one without `count`
  would. Beside `count` it is refused: which of the two was meant cannot be told.
- `applied` is counted by the mock: a PUT keeps the rule's, a POST starts at 0, and a PUT whose `applied` is not the
  rule's is answered with a warning saying so. One lower by as many as its `remaining` is higher was read before
  the rule met more requests: that `remaining` is no longer what is left, and is refused.
- `id` is the mock's: a PUT takes the path's own and refuses another; a POST gives the rule an id of its own and
  says so, and refuses the id of a rule the mock has (a change to it is a PUT, not WireMock's POST of a stub with
  its id).
- `warnings` are the mock's words on the rule as it was: read past, and said again of the rule as it is.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from mockserver.send_instead import got

MAX_NUMBER = 2**63 - 1  # SQLite's INTEGER, as a rule's id and count


def _whole(value: Any, lowest: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and lowest <= value <= MAX_NUMBER


# name -> (check, what it must be), each field as a rule is answered with it; null is as if it were left out
FIELDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "id": (lambda v: v is None or _whole(v, 0), "a fault rule's id, a whole number from 0 to 2**63-1"),
    "remaining": (lambda v: v is None or _whole(v, 0), "a whole number of requests, 0 to 2**63-1"),
    "applied": (lambda v: v is None or _whole(v, 0), "a whole number of requests, 0 to 2**63-1"),
    "warnings": (lambda v: v is None or isinstance(v, list) and all(isinstance(each, str) for each in v),
                 "a list of texts, as the mock answers them"),
}


def problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, reason) for each of these fields that is wrong, and for a `remaining` other than null beside `count`
    (a rule with no limit is read with `remaining` null, and given a count by adding `count`)."""
    found = [(name, f"must be {wanted} {got(json.dumps(data[name])[:40])}")
             for name, (ok, wanted) in FIELDS.items() if name in data and not ok(data[name])]
    if data.get("remaining") is not None and "count" in data:  # null, a rule with no limit read, is left out
        both = f"count {json.dumps(data['count'])} and remaining {json.dumps(data['remaining'])}"
        found.append(("remaining", "is a rule's count from now on, as a listing shows it, so it goes in place of"
                                   f" count, not beside it {got(both, ONE_OF_THEM)}"))
    return found


ONE_OF_THEM = "send one of them: count for that many requests anew, remaining to keep what is left"


def count(data: dict[str, Any]) -> Any:
    """The rule's count: `count`, or `remaining` in its place (0 keeps a spent rule spent)."""
    return data["remaining"] if "count" not in data and "remaining" in data else data.get("count")


def id_in_put(sent: Any, rule_id: int) -> list[tuple[str, str]]:
    """A PUT's `id`, beside the path's: the same, or refused naming both."""
    if sent is None or sent == rule_id:
        return []
    hint = f"rule {sent} is replaced by PUT /__admin/faults/{sent}: send {rule_id}, or no id"
    return [("id", f"must be the path's, {rule_id}: a PUT keeps a rule's id {got(str(sent), hint)}")]


def id_in_post(sent: Any, held: Callable[[int], Any]) -> list[tuple[str, str]]:
    """A POST's `id`: refused when a rule of this mock has it (an update meant as a POST), else left to the mock."""
    if sent is None or not held(sent):
        return []
    hint = f"a rule is changed by a PUT: send PUT /__admin/faults/{sent}, or no id to add this one beside it"
    return [("id", f"is the id of a rule this mock has, and a POST adds a rule, with an id of its own"
                   f" {got(str(sent), hint)}")]


def guard(sent: dict[str, Any]) -> tuple[int, int] | None:
    """(applied, applied + remaining) of a PUT that sent both, without `count`: the rule as it was read, which the
    mock replaces only if it has not met requests since (mockserver.store's replace_fault_rule)."""
    applied, remaining = sent.get("applied"), sent.get("remaining")
    if applied is None or remaining is None or "count" in sent or applied + remaining > MAX_NUMBER:
        return None
    return applied, applied + remaining


def stale(sent: dict[str, Any], held: dict[str, Any]) -> list[tuple[str, str]]:
    """A PUT whose `remaining` is what the rule had left when read, before it met more requests (its `applied` is
    lower by as many as its `remaining` is higher): that number is no longer what is left. A `remaining` edited, which
    does not add up so, is what the client meant, and is kept."""
    read = guard(sent)
    if read is None or held["remaining"] is None or not read[0] < held["applied"]:
        return []
    if held["applied"] + held["remaining"] != read[1]:
        return []
    met = held["applied"] - read[0]
    hint = (f"read the rule again (GET /__admin/faults/{held['id']}) and send what it has left, or send count for"
            " that many requests anew")
    return [("remaining", f"is no longer what the rule has left: it has met {met} more request{'s' if met != 1 else ''}"
                          f" since it was read (applied {held['applied']}, not {read[0]}), and {held['remaining']} is"
                          f" left {got(str(sent['remaining']), hint)}")]


def warnings(sent: dict[str, Any], stored: dict[str, Any], replaced: bool) -> list[str]:
    """What the answer says of the fields the mock set otherwise than sent: the id a POST gave, the count a PUT
    kept."""
    found = []
    if not replaced and sent.get("id") not in (None, stored["id"]):
        found.append(f"this rule's id is {stored['id']}, not the {sent['id']} sent: ids are given by the mock, never"
                     f" twice (DELETE /__admin/faults/{stored['id']} removes it)")
    if replaced and sent.get("applied") not in (None, stored["applied"]):
        found.append(f"applied is counted by the mock, and a PUT keeps the rule's: {stored['applied']}, not the"
                     f" {sent['applied']} sent (DELETE the rule and POST it again to count from 0)")
    return found
