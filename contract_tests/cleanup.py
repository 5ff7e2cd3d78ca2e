"""`--delete-created`: after a run against a shared mock sandbox, delete the campaigns it created, through the mock's
admin API (`DELETE /__admin/campaigns/<id>`).

Repeated runs then do not fill the sandbox, and no one has to reset everyone's state. The vendor's API documents no
delete: against any other target nothing is deleted, and one line says so. Before the run, `check_admin_token` asks a
mock's admin API whether it takes the token, so that a run whose campaigns could not be deleted does not start; after
it, a clean-up that leaves campaigns it should have deleted says so (`Cleanup.incomplete`), and the run fails.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import requests

from contract_tests.runner import wait_seconds
from mockserver.admin_client import admin_session, token_refused
from mockserver.client_deadline import Deadline, watched
from mockserver.http_client import proxy_route, reason

TIMEOUT_S = 10  # each admin request, its name lookup, connection and whole answer


RETRY_WAIT_MAX_S = 5.0  # an admin request answered 429 or 5xx is tried again, after at most this long
RETRIES = 2  # how many times a delete or look-up answered so is tried again; a health probe, once


def _session() -> requests.Session:
    return watched(admin_session())


def _within_time(http: requests.Session, method: str, url: str, **params: str) -> requests.Response:
    """One admin request answered whole within TIMEOUT_S: requests' timeout bounds each read alone, so a sandbox (or
    something before it) trickling its answers held the clean-up as long as it liked. Past the time the connection
    is cut, and what that makes fail is said as a requests.Timeout."""
    deadline = Deadline(TIMEOUT_S)
    try:
        with deadline:
            return http.request(method, url, params=params or None, timeout=TIMEOUT_S)
    except (requests.RequestException, OSError):
        if deadline.passed:
            raise requests.Timeout(f"no whole answer within {TIMEOUT_S:g} s") from None
        raise


def _busy(answer: requests.Response) -> bool:
    """A 429 or 5xx: a busy mock, or a gateway's page before it, which may answer otherwise in a moment."""
    return answer.status_code == 429 or answer.status_code >= 500


def _asked_again(http: requests.Session, method: str, url: str, retries: int, **params: str) -> requests.Response:
    """An admin request's answer; one answered 429 or 5xx is asked again, up to `retries` times, each after its
    Retry-After (briefly: RETRY_WAIT_MAX_S at most). Deletes and look-ups may be sent twice: a campaign deleted
    already is a 404, counted as gone."""
    answer = _within_time(http, method, url, **params)
    for _ in range(retries):
        if not _busy(answer):
            break
        wait = wait_seconds(answer.headers.get("Retry-After", ""))
        time.sleep(min(1.0 if wait is None else wait, RETRY_WAIT_MAX_S))
        answer = _within_time(http, method, url, **params)
    return answer


def _health(http: requests.Session, admin: str) -> requests.Response:
    """The answer to GET /__admin/health, asked once more if busy."""
    return _asked_again(http, "GET", f"{admin}/health", 1)


@dataclass(frozen=True)
class NotAMock:
    """Why nothing can be deleted on the target (`line`), and whether it may be a mock all the same (`maybe`: no
    answer, or a busy one), whose campaigns are then left where the run should have deleted them."""

    line: str
    maybe: bool


def _not_a_mock(http: requests.Session, admin: str, label: str) -> NotAMock | None:
    """Why nothing can be deleted on the target, or None when it answers the mock's health check (open even when
    the admin API wants a token)."""
    try:
        answer = _health(http, admin)
    except requests.RequestException as exc:
        return NotAMock(f"not deleted: no answer from {label}{proxy_route(admin)} ({type(exc).__name__}); is the"
                        " sandbox still running?", maybe=True)
    except OSError as exc:  # a CA bundle that went missing: requests raises it before any connection
        return NotAMock(f"not deleted: no answer from {label}{proxy_route(admin)}: {type(exc).__name__}:"
                        f" {reason(exc)}", maybe=True)
    try:
        found: Any = answer.json() if answer.status_code == 200 else None
    except ValueError:
        found = None
    if isinstance(found, dict) and found.get("status") == "ok" and "campaigns" in found:
        return None
    said = f"/__admin/health answered {answer.status_code} ({answer.headers.get('Content-Type') or 'no Content-Type'})"
    if answer.status_code in (200, 404):  # an answer of its own: the path is not the mock's
        return NotAMock(f"not deleted: {label} is not a kore-campaign-mock ({said}); the vendor's API has no delete",
                        maybe=False)
    busy = _busy(answer)  # a busy mock answers these too; no other
    again = ", and again when asked once more" if busy else ""
    return NotAMock(f"not deleted: could not check that {label} is a kore-campaign-mock: {said}{again}; the campaigns"
                    " listed above are left", maybe=busy)


def check_admin_token(base_url: str, label: str) -> str | None:
    """Before a run with --delete-created: why it must not start (the mock's admin API refuses the token, or wants
    one: its campaigns could not be deleted), or None. A target that is not the mock, or cannot be checked just now,
    is left to the clean-up, which says so after the run."""
    admin, label = base_url.rstrip("/") + "/__admin", label.rstrip("/")
    with _session() as http:
        if _not_a_mock(http, admin, label):
            return None
        try:  # any admin request but health wants the token; the tenant listing reads no database
            answer = _within_time(http, "GET", f"{admin}/tenant")
        except (requests.RequestException, OSError):  # OSError: a CA bundle that went missing
            return None
    if answer.status_code == 401:
        return f"--delete-created: {token_refused(f'{label}/__admin')}; no case was run, so none created a campaign"
    return None


class _Stopped(Exception):
    """Clean-up cannot go on: the line to show says why."""


class _Cleaner:
    """Deletes campaigns one at a time through the admin API, counting what happened."""

    def __init__(self, http: requests.Session, admin: str, label: str) -> None:
        self.http, self.admin, self.label = http, admin, label
        self.deleted, self.gone, self.found, self.unlooked = 0, 0, 0, 0
        self.problems: list[str] = []
        # Asked again when busy (one gateway's 502 left campaigns); once a request is busy on every try, the next are
        # asked once, until one is answered otherwise: a sandbox answering 503 with Retry-After: 5 to every delete
        # held a clean-up of 100 campaigns 1,000 s, saying nothing.
        self.retries = RETRIES

    def _ask(self, method: str, url: str, **params: str) -> requests.Response:
        try:
            answer = _asked_again(self.http, method, url, self.retries, **params)
        except (requests.RequestException, OSError) as exc:  # OSError: a CA bundle that went missing
            raise _Stopped(f"then stopped: no answer from {self.label}{proxy_route(url)}: {type(exc).__name__}:"
                           f" {reason(exc)}") from None
        if answer.status_code == 401:
            raise _Stopped(f"not deleted: {token_refused(f'{self.label}/__admin')}")
        self.retries = 0 if _busy(answer) else RETRIES
        return answer

    def delete(self, campaign_id: str, name: str) -> None:
        answer = self._ask("DELETE", f"{self.admin}/campaigns/{quote(campaign_id, safe='')}")
        if answer.status_code == 200:
            self.deleted += 1
        elif answer.status_code == 404:  # reset meanwhile, or deleted by hand
            self.gone += 1
        else:
            self.problems.append(f"  {name}  id={campaign_id}: answered {answer.status_code}")

    def look_up(self, name: str, account_id: str | None) -> list[str]:
        """The ids of the campaigns named `name` (in the account under test, when known)."""
        query = {"name": name, **({"accountId": account_id} if account_id else {})}
        answer = self._ask("GET", f"{self.admin}/campaigns", **query)
        try:
            listed = answer.json()["campaigns"] if answer.status_code == 200 else None
            ids = [str(entry["campaign"]["id"]) for entry in listed] if isinstance(listed, list) else None
        except (ValueError, KeyError, TypeError):
            ids = None
        if ids is None:
            self.unlooked += 1
            self.problems.append(f"  {name}: looking it up answered {answer.status_code}")
            return []
        self.found += len(ids)
        return ids


def _not_found(maybe: int, unlooked: int) -> str:
    """What the names looked up and not found say: nothing of those whose look-up failed."""
    if not unlooked:
        return "the others had not created a campaign"
    if unlooked == maybe:
        return f"{unlooked} could not be looked up, below"
    return f"{unlooked} could not be looked up, below; the others had not created a campaign"


@dataclass(frozen=True)
class Cleanup:
    """What --delete-created did: the `lines` to show, and whether it left campaigns on a mock that it should have
    deleted (`incomplete`: the sandbox stopped answering, refused the token, answered a delete with an error)."""

    lines: list[str] = field(default_factory=list)
    incomplete: bool = False


def delete_created(base_url: str, label: str, created: Sequence[Any], maybe: Sequence[Any] = (),
                   account_id: str | None = None) -> Cleanup:
    """Delete each created campaign (`campaign_id`, `name`) on a mock target, and whatever campaign bears the `name`
    of a create that got no clear answer (looked up in `account_id`)."""
    if not created and not maybe:
        return Cleanup()
    admin, label = base_url.rstrip("/") + "/__admin", label.rstrip("/")  # a base URL given with a trailing slash
    with _session() as http:
        why_not = _not_a_mock(http, admin, label)
        if why_not:
            return Cleanup([why_not.line], incomplete=why_not.maybe)
        cleaner = _Cleaner(http, admin, label)
        try:
            for campaign in created:
                cleaner.delete(campaign.campaign_id, campaign.name)
            for unsure in maybe:
                for campaign_id in cleaner.look_up(unsure.name, account_id):
                    cleaner.delete(campaign_id, unsure.name)
        except _Stopped as stop:
            if str(stop).startswith("not deleted"):
                return Cleanup([str(stop)], incomplete=True)
            return Cleanup([f"deleted {cleaner.deleted} of {len(created) + cleaner.found}, {stop}"], incomplete=True)
    summary = f"deleted {cleaner.deleted} of {len(created) + cleaner.found} through {label}/__admin"
    lines = [summary + (f" ({cleaner.gone} already gone)" if cleaner.gone else "")]
    if maybe:
        lines.append(f"  {cleaner.found} of them found by name among the {len(maybe)} create(s) that got no clear"
                     f" answer ({_not_found(len(maybe), cleaner.unlooked)})")
    return Cleanup(lines + cleaner.problems, incomplete=bool(cleaner.problems))
