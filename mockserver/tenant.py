"""The seeded tenant: accounts, their streams, JWT apps and the named resources a campaign refers to."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mockserver.errors import ConfigError
from mockserver.paths import DEFAULT_TENANT


@dataclass(frozen=True)
class App:
    client_id: str
    client_secret: str
    name: str = ""


COLLECTIONS = {"contactLists": "contact_lists", "dncLists": "dnc_lists", "callerIds": "caller_ids", "queues": "queues"}


@dataclass(frozen=True)
class Account:
    account_id: str
    streams: tuple[str, ...]
    apps: tuple[App, ...]
    contact_lists: dict[str, str]  # name -> id
    dnc_lists: dict[str, str]  # name -> id
    caller_ids: dict[str, bool]  # phone number -> verified
    queues: dict[str, str]  # name -> id
    name: str = ""

    def resource_ids(self, collection: str) -> dict[str, Any]:
        """A tenant collection by its name in the tenant file: name (or phone number) -> id (or verified)."""
        return getattr(self, COLLECTIONS[collection])


@dataclass(frozen=True)
class Tenant:
    accounts: tuple[Account, ...]
    source: str = "<memory>"
    _apps: dict[str, tuple[App, Account]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for account in self.accounts:
            for app in account.apps:
                self._apps[app.client_id] = (app, account)

    @property
    def default_account(self) -> Account:
        return self.accounts[0]

    def app(self, client_id: str) -> tuple[App, Account] | None:
        return self._apps.get(client_id)

    def account(self, account_id: str) -> Account | None:
        return next((a for a in self.accounts if a.account_id == account_id), None)


def _by_name(rows: list[dict[str, Any]], value_key: str) -> dict[str, Any]:
    return {row["name"]: row[value_key] for row in rows}


def _flag(row: dict[str, Any], key: str) -> bool:
    value = row.get(key, False)
    if not isinstance(value, bool):
        raise TypeError(f"{key!r} must be true or false (got {value!r})")
    return value


def _account(raw: dict[str, Any]) -> Account:
    return Account(
        account_id=raw["accountId"],
        name=raw.get("name", ""),
        streams=tuple(raw["streams"]),
        apps=tuple(App(a["clientId"], a["clientSecret"], a.get("name", "")) for a in raw["apps"]),
        contact_lists=_by_name(raw.get("contactLists", []), "id"),
        dnc_lists=_by_name(raw.get("dncLists", []), "id"),
        caller_ids={c["phoneNumber"]: _flag(c, "verified") for c in raw.get("callerIds", [])},
        queues=_by_name(raw.get("queues", []), "id"),
    )


def parse_tenant(raw: Any, source: str = "<memory>") -> Tenant:
    try:
        accounts = tuple(_account(a) for a in raw["accounts"])
    except (KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"not a tenant file: missing or malformed {exc}", where=source) from None
    if not accounts or not accounts[0].streams or not accounts[0].apps:
        raise ConfigError("the first account needs at least one stream and one app", where=source)
    return Tenant(accounts=accounts, source=source)


def load_tenant(path: str | Path | None = None) -> Tenant:
    path = Path(path) if path else DEFAULT_TENANT
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read tenant file: {exc.strerror}", where=str(path)) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"tenant file is not valid JSON: {exc}", where=str(path)) from None
    return parse_tenant(raw, source=str(path))
