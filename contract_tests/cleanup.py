"""`--delete-created`: after a run against a shared mock sandbox, delete the campaigns it created, through the mock's
admin API (`DELETE /__admin/campaigns/<id>`), so that repeated runs do not fill the sandbox and no one has to reset
everyone's state. The vendor's API documents no delete: against any other target nothing is deleted, and one line
says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import requests

from mockserver.admin_client import admin_session, token_refused

TIMEOUT_S = 10


def _not_a_mock(http: requests.Session, admin: str, label: str) -> str | None:
    """Why nothing can be deleted on the target, or None when it answers the mock's health check (open even when
    the admin API wants a token)."""
    try:
        answer = http.get(f"{admin}/health", timeout=TIMEOUT_S)
    except requests.RequestException as exc:
        return f"not deleted: no answer from {label} ({type(exc).__name__}); is the sandbox still running?"
    try:
        found: Any = answer.json() if answer.status_code == 200 else None
    except ValueError:
        found = None
    if isinstance(found, dict) and found.get("status") == "ok" and "campaigns" in found:
        return None
    return f"not deleted: {label} is not a kore-campaign-mock (no /__admin/health); the vendor's API has no delete"




def delete_created(base_url: str, label: str, created: Sequence[Any]) -> list[str]:
    """Delete each created campaign (`campaign_id`, `name`) on a mock target; the lines to show about it."""
    if not created:
        return []
    admin = base_url.rstrip("/") + "/__admin"
    with admin_session() as http:
        why_not = _not_a_mock(http, admin, label)
        if why_not:
            return [why_not]
        deleted, gone, problems = 0, 0, []
        for campaign in created:
            try:
                answer = http.delete(f"{admin}/campaigns/{quote(campaign.campaign_id, safe='')}", timeout=TIMEOUT_S)
            except requests.RequestException as exc:
                return [f"deleted {deleted} of {len(created)}, then stopped: no answer from {label}: {exc}"]
            if answer.status_code == 200:
                deleted += 1
            elif answer.status_code == 404:  # reset meanwhile, or deleted by hand
                gone += 1
            elif answer.status_code == 401:
                return [f"not deleted: {token_refused(f'{label}/__admin')}"]
            else:
                problems.append(f"  {campaign.name}  id={campaign.campaign_id}: answered {answer.status_code}")
    summary = f"deleted {deleted} of {len(created)} through {label}/__admin"
    return [summary + (f" ({gone} already gone)" if gone else "")] + problems
