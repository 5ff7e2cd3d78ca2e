"""The success answer, shaped by the vendor's sample response: what it echoes, in its order; what it drops.

The sample response is the template. A key the template has is taken from the request (recursively) unless
COMPUTED says the mock makes it; a request field the template lacks (schedule, queue_name, campaignType,
unknown fields) is dropped, as the vendor's sample drops it. A key the request cannot give (its schema has no such
field) and COMPUTED does not make is answered with the sample's own value: a field the page adds to its response
alone was left out of every answer, which then failed the generated response schema.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mockserver.tenant import Account


@dataclass(slots=True)
class Facts:
    body: dict[str, Any]
    account: Account
    campaign_id: str
    now: str


def lowercased(name: str) -> str:
    """A campaign name's `lname`, and the key the duplicate check and the admin API's name filter compare: the name
    lowercased as JavaScript's toLowerCase() does it (Python's str.lower() is the same mapping: Unicode's full
    lowercase, a final sigma as one, no locale), neither case-folded nor Unicode-normalized (a README assumption)."""
    return name.lower()


COMPUTED: dict[str, Callable[[Facts], Any]] = {
    "lname": lambda f: lowercased(f.body["name"]),
    "dncLists.id": lambda f: f.account.dnc_lists[f.body["dncLists"]["name"]],
    "dialingStrategy.useSystemMappings": lambda f: False,
    "status": lambda f: "Preparing",
    "isFiltersEnabled": lambda f: False,
    "createdAt": lambda f: f.now,
    "updatedAt": lambda f: f.now,
    "id": lambda f: f.campaign_id,
}


def timestamp(moment: datetime | None = None) -> str:
    """ISO 8601 in UTC with milliseconds and "Z", like the vendor's createdAt."""
    moment = datetime.now(UTC) if moment is None else moment.astimezone(UTC)
    return moment.isoformat(timespec="milliseconds")[:-6] + "Z"  # drop "+00:00"


def timestamp_at(seconds: float) -> str:
    """`timestamp` of a moment given as seconds since the epoch (time.time())."""
    return timestamp(datetime.fromtimestamp(seconds, UTC))


class Shape:
    """The template compiled once: for each key, computed, copied, or shaped by a nested Shape (an object, or
    each object of a list). Applying it costs a dict lookup per key rather than a recursive call per leaf."""

    def __init__(self, template: dict[str, Any], request: dict[str, Any] | None, path: str = "") -> None:
        """`request`: the request schema at this path, which says what a request can give (None, or one without
        `properties`: anything, as before)."""
        self.fields: list[tuple[str, Callable[[Facts], Any] | None, Shape | None, bool]] = []
        given = request.get("properties") if isinstance(request, dict) else None  # None: it does not say
        for key, sub in template.items():
            where = f"{path}.{key}" if path else key
            inner = given.get(key) if given is not None else None
            if where in COMPUTED:
                self.fields.append((key, COMPUTED[where], None, False))
            elif given is not None and key not in given:  # no request gives it: the sample's value, a copy each time
                self.fields.append((key, functools.partial(_copied, sub), None, False))
            elif isinstance(sub, dict):
                self.fields.append((key, None, Shape(sub, inner, where), False))
            elif isinstance(sub, list) and sub and isinstance(sub[0], dict):  # list items keep the list's path
                items = inner.get("items") if isinstance(inner, dict) else None
                self.fields.append((key, None, Shape(sub[0], items, where), True))
            else:
                self.fields.append((key, None, None, False))

    def __call__(self, source: dict[str, Any], facts: Facts) -> dict[str, Any]:
        out = {}
        for key, make, inner, each in self.fields:
            if make is not None:
                out[key] = make(facts)
            elif key in source:
                value = source[key]
                if inner is not None and each and isinstance(value, list):
                    value = [inner(item, facts) if isinstance(item, dict) else item for item in value]
                elif inner is not None and not each and isinstance(value, dict):
                    value = inner(value, facts)
                out[key] = value
        return out


def _copied(value: Any, _facts: Facts) -> Any:
    return copy.deepcopy(value)


def campaign_shape(sample_response: dict[str, Any], request: dict[str, Any]) -> Shape:
    """The `data` of a success answer, shaped like the sample response's; `request` is the request's schema."""
    return Shape(sample_response["data"], request)


def success(data: dict[str, Any]) -> dict[str, Any]:
    return {"status": "success", "message": f"Campaign {data['name']} creation in progress", "data": data}
