"""The success answer, shaped by the vendor's sample response: what it echoes, in its order; what it drops.

The sample response is the template. A key the template has is taken from the request (recursively) unless
COMPUTED says the mock makes it; a request field the template lacks (schedule, queue_name, campaignType,
unknown fields) is dropped, as the vendor's sample drops it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mockserver.tenant import Account


@dataclass(frozen=True)
class Facts:
    body: dict[str, Any]
    account: Account
    campaign_id: str
    now: str


COMPUTED: dict[str, Callable[[Facts], Any]] = {
    "lname": lambda f: f.body["name"].lower(),
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
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def shape(template: Any, source: Any, facts: Facts, path: str = "") -> Any:
    if isinstance(template, dict) and isinstance(source, dict):
        out = {}
        for key, sub in template.items():
            where = f"{path}.{key}" if path else key
            if where in COMPUTED:
                out[key] = COMPUTED[where](facts)
            elif key in source:
                out[key] = shape(sub, source[key], facts, where)
        return out
    if isinstance(template, list) and template and isinstance(source, list):
        return [shape(template[0], item, facts, path) for item in source]
    return source


def campaign_data(template: dict[str, Any], facts: Facts) -> dict[str, Any]:
    return shape(template["data"], facts.body, facts)


def success(data: dict[str, Any]) -> dict[str, Any]:
    return {"status": "success", "message": f"Campaign {data['name']} creation in progress", "data": data}
