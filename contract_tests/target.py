"""What the suite talks to: a base URL, the facts of the account it tests, and whether the suite owns it.

With no base URL the suite starts the mock in-process, on an ephemeral 127.0.0.1 port with a fresh database,
and talks to it over real HTTP: the same code path as against a remote service.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from contract_tests.cases import MissingFact, characters
from contract_tests.checks import CREDENTIALS_CHECK
from mockserver.errors import ToolError
from mockserver.paths import LIVE_TENANT_EXAMPLE, display
from mockserver.redaction import redact_url
from mockserver.shown_text import clipped
from mockserver.tenant import Account, Tenant, id_problem, load_tenant
from mockserver.testing import running_mock
from mockserver.wire import surrogate_problem

ENV_ACCOUNT, ENV_STREAM = "KORE_ACCOUNT_ID", "KORE_STREAM_ID"
ENV_CLIENT_ID, ENV_CLIENT_SECRET = "KORE_CLIENT_ID", "KORE_CLIENT_SECRET"
ENV_NAMES = (ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_ACCOUNT, ENV_STREAM)

# placeholder name (after "tenant." or "other.") -> (AccountFacts attribute, what a person calls one)
FACTS = {
    "accountId": ("account_ids", "account id"),
    "streamId": ("stream_ids", "stream id"),
    "secondStream": ("second_streams", "second stream"),
    "clientId": ("client_ids", "app client id"),
    "clientSecret": ("client_secrets", "app client secret"),
    "contactList": ("contact_lists", "contact list"),
    "dncList": ("dnc_lists", "DNC list"),
    "callerId": ("caller_ids", "verified caller ID"),
    "unverifiedCallerId": ("unverified_caller_ids", "unverified caller ID"),
    "queue": ("queues", "queue"),
}
SCOPES = {"tenant": "the account under test", "other": "a second account"}


@dataclass(frozen=True)
class AccountFacts:
    """What the suite knows about one account. An empty tuple means "not known", not "none exist"."""

    account_id: str | None
    described: bool = True  # whether the tenant file describes the account (its names are what the cases send)
    stream_ids: tuple[str, ...] = ()
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    contact_lists: tuple[str, ...] = ()
    dnc_lists: tuple[str, ...] = ()
    caller_ids: tuple[str, ...] = ()
    unverified_caller_ids: tuple[str, ...] = ()
    queues: tuple[str, ...] = ()
    # facts left empty because the account under test names each value too (a second account's, copied from it)
    shared: tuple[str, ...] = ()

    @property
    def account_ids(self) -> tuple[str, ...]:
        return (self.account_id,) if self.account_id else ()

    @property
    def second_streams(self) -> tuple[str, ...]:
        return self.stream_ids[1:]

    @property
    def client_ids(self) -> tuple[str, ...]:
        return (self.client_id,) if self.client_id else ()

    @property
    def client_secrets(self) -> tuple[str, ...]:
        return (self.client_secret,) if self.client_secret else ()

    def values(self, fact: str) -> tuple[str, ...]:
        return getattr(self, FACTS[fact][0])


@dataclass(frozen=True)
class TenantFacts:
    source: str  # where the facts came from, named in skip reasons
    main: AccountFacts
    other: AccountFacts | None = None  # a second account, for cross-account cases
    credentials: str = ""  # where the client id and secret came from, for the report header (never the secret)
    credentials_check: str = CREDENTIALS_CHECK  # what to check when refused

    def value(self, name: str, length: int | None = None) -> str:
        """The first known value of `tenant.<fact>` or `other.<fact>`, of exactly `length` characters if given."""
        scope, _, fact = name.partition(".")
        if scope not in SCOPES or fact not in FACTS:
            raise MissingFact(f"unknown placeholder {{{{{name}}}}}")
        account = self.main if scope == "tenant" else self.other
        known = account.values(fact) if account else ()
        fitting = [v for v in known if length is None or len(v) == length]
        if fitting:
            return fitting[0]
        return self._missing(scope, fact, length, bool(known))

    def _missing(self, scope: str, fact: str, length: int | None, known_any: bool) -> str:
        what = FACTS[fact][1]
        if known_any:
            raise MissingFact(f"{self.source} has no {what} of exactly {characters(length)} for {SCOPES[scope]}")
        if scope == "other" and self.other and FACTS[fact][0] in self.other.shared:
            raise MissingFact(f"{self.source} names no {what} for {SCOPES[scope]} that the account under test lacks"
                              f" (each of {self.other.account_id}'s is {self.main.account_id}'s too)")
        raise MissingFact(f"{self.source} names no {what} for {SCOPES[scope]}")

    def knows(self, name: str, value: object) -> bool:
        """Whether `value` is a known value of `tenant.<fact>` or `other.<fact>`."""
        scope, _, fact = name.partition(".")
        account = self.main if scope == "tenant" else self.other if scope == "other" else None
        return bool(account) and fact in FACTS and value in account.values(fact)


def _resources(account: Account | None) -> dict[str, tuple[str, ...]]:
    if account is None:
        return {}
    return {
        "contact_lists": tuple(account.contact_lists),
        "dnc_lists": tuple(account.dnc_lists),
        "caller_ids": tuple(n for n, verified in account.caller_ids.items() if verified),
        "unverified_caller_ids": tuple(n for n, verified in account.caller_ids.items() if not verified),
        "queues": tuple(account.queues),
    }


def _secret_of(tenant: Tenant, client_id: str | None) -> str | None:
    found = tenant.app(client_id) if client_id else None
    return found[0].client_secret if found else None


def main_facts(tenant: Tenant, env: Mapping[str, str]) -> AccountFacts:
    """The account under test: the tenant's first account, or the one KORE_ACCOUNT_ID names; env wins."""
    account_id = env.get(ENV_ACCOUNT) or tenant.default_account.account_id
    account = tenant.account(account_id)
    streams = account.streams if account else ()
    stream = env.get(ENV_STREAM) or (streams[0] if streams else None)
    client_id = env.get(ENV_CLIENT_ID) or (account.apps[0].client_id if account and account.apps else None)
    return AccountFacts(
        account_id=account_id,
        described=account is not None,
        stream_ids=tuple(dict.fromkeys(s for s in (stream, *streams) if s)),
        client_id=client_id,
        client_secret=env.get(ENV_CLIENT_SECRET) or _secret_of(tenant, client_id),
        **_resources(account),
    )


def other_facts(tenant: Tenant, account_id: str | None) -> AccountFacts | None:
    """A second account, for cross-account cases: its names that the account under test has too are left out, as a
    request naming one is rightly answered 200 (a tenant of an account per tester, each copied from one)."""
    account = next((a for a in tenant.accounts if a.account_id != account_id), None)
    if account is None:
        return None
    app = account.apps[0] if account.apps else None
    theirs, ours = _resources(account), _resources(tenant.account(account_id) if account_id else None)
    # a caller ID the account under test has, verified or not, is no unknown one there (it was answered "unverified")
    numbers = ours.get("caller_ids", ()) + ours.get("unverified_caller_ids", ())
    ours.update({"caller_ids": numbers, "unverified_caller_ids": numbers} if ours else {})
    resources = {fact: tuple(v for v in values if v not in ours.get(fact, ())) for fact, values in theirs.items()}
    return AccountFacts(
        account_id=account.account_id,
        stream_ids=account.streams,
        client_id=app.client_id if app else None,
        client_secret=app.client_secret if app else None,
        shared=tuple(fact for fact, values in resources.items() if theirs[fact] and not values),
        **resources,
    )


def credentials_source(env: Mapping[str, str]) -> str:
    """Where the client id and secret come from, in words: the environment, the tenant file, or one of each."""
    id_from = ENV_CLIENT_ID if env.get(ENV_CLIENT_ID) else "the tenant file"
    secret_from = ENV_CLIENT_SECRET if env.get(ENV_CLIENT_SECRET) else "the tenant file"
    if id_from == secret_from:
        return "credentials from the tenant file"
    if (id_from, secret_from) == (ENV_CLIENT_ID, ENV_CLIENT_SECRET):
        return f"credentials from the environment ({ENV_CLIENT_ID}, {ENV_CLIENT_SECRET})"
    return f"client id from {id_from}, secret from {secret_from}"


def tenant_facts(tenant: Tenant, env: Mapping[str, str]) -> TenantFacts:
    main = main_facts(tenant, env)
    return TenantFacts(source=tenant.source, main=main, other=other_facts(tenant, main.account_id),
                       credentials=credentials_source(env),
                       credentials_check=credentials_check(main, env, tenant.source))


def credentials_check(main: AccountFacts, env: Mapping[str, str], source: str) -> str:
    """What to check when the target refuses the run's token, naming where its client id and secret came from (the
    run's own, never the secret): a KORE_CLIENT_SECRET set without KORE_CLIENT_ID is sent for the tenant file's app."""
    app, account = repr(main.client_id), repr(main.account_id)
    if env.get(ENV_CLIENT_ID) and env.get(ENV_CLIENT_SECRET):
        return f"are {ENV_CLIENT_ID} ({app}) and {ENV_CLIENT_SECRET} an app of account {account} and its secret?"
    if env.get(ENV_CLIENT_SECRET):
        return (f"{ENV_CLIENT_SECRET} is set but {ENV_CLIENT_ID} is not, so it was sent as the secret of {source}'s"
                f" app {app}: set {ENV_CLIENT_ID} to the app it belongs to")
    if env.get(ENV_CLIENT_ID):
        return (f"{ENV_CLIENT_ID} ({app}) is set but {ENV_CLIENT_SECRET} is not, so its secret came from {source}:"
                f" set {ENV_CLIENT_SECRET} too")
    return (f"is {source}'s app {app} an app of account {account}, with that secret? ({ENV_CLIENT_ID} and"
            f" {ENV_CLIENT_SECRET} give the run another)")


def check_credentials(facts: TenantFacts) -> None:
    """A remote run needs the account's names and an app's client id and secret: without them every case would
    skip, and pass green."""
    main = facts.main
    if not main.described:
        raise ToolError(f"account {main.account_id!r} ({ENV_ACCOUNT}) is not in {facts.source}: every case sends its"
                        " contact list, DNC list, caller ID and queue names; give a --tenant file that describes it")
    if main.client_id is None:
        raise ToolError(f"no client id for account {main.account_id!r}: {facts.source} does not describe it;"
                        f" set {ENV_CLIENT_ID} and {ENV_CLIENT_SECRET}, or give a --tenant file that does")
    if main.client_secret is None:
        # an empty variable counts as unset (a CI secret that is not configured comes so), and is named as empty
        ask = (f"{ENV_CLIENT_SECRET} is empty: set it to the app's secret" if os.environ.get(ENV_CLIENT_SECRET) == ""
               else f"set {ENV_CLIENT_SECRET}")
        raise ToolError(f"no secret for client id {main.client_id!r}: {facts.source} lists no app with that id;"
                        f" {ask} (or unset {ENV_CLIENT_ID} to use the tenant file's app)")
    # What the environment gives is checked here, as the tenant file's values are as it is read: each ended every
    # case in a UnicodeEncodeError traceback, an error of the suite's own
    if main.stream_ids and (problem := id_problem(main.stream_ids[0], stream=True)) is not None:
        raise ToolError(f"the stream {clipped(main.stream_ids[0], 40)} ({ENV_STREAM}) {problem}")
    if surrogate_problem(main.client_secret) is not None:
        raise ToolError(f"the client secret ({ENV_CLIENT_SECRET}) holds bytes that are not UTF-8, and a token's"
                        " signature takes its UTF-8 bytes: set it as the app's secret is written")


# What the account under test sends, by the tenant file's field: the example's stand-ins there must have been replaced.
SENT_FIELDS = (("accountId", "account_ids"), ("streams", "stream_ids"), ("contactLists", "contact_lists"),
               ("dncLists", "dnc_lists"), ("callerIds", "caller_ids"), ("callerIds", "unverified_caller_ids"),
               ("queues", "queues"))


def check_not_example(facts: TenantFacts, example: Path = LIVE_TENANT_EXAMPLE) -> None:
    """The names a remote run sends must not be fixtures/live-tenant.example.json's placeholders: left unedited,
    every case the service refuses for an unknown name ("A contact list of your account") would pass."""
    stand_in = load_tenant(example).default_account
    placeholders = AccountFacts(stand_in.account_id, stream_ids=stand_in.streams, **_resources(stand_in))
    left = [f"{name} {value!r}" for name, attribute in SENT_FIELDS for value in getattr(facts.main, attribute)
            if value in getattr(placeholders, attribute)]
    if left:
        raise ToolError(f"{facts.source} still holds the placeholder names of {display(example)}: {', '.join(left)};"
                        " put your account's own in their place (the ids and the app may stay)")


@dataclass(frozen=True)
class Target:
    base_url: str
    facts: TenantFacts
    is_local: bool  # an in-process mock the suite started, with a database of its own

    @property
    def label(self) -> str:
        where = redact_url(self.base_url)
        return f"in-process mock at {where} (fresh database)" if self.is_local else where


@contextmanager
def local_mock(tenant_file: str | None) -> Iterator[str]:
    """The mock with a fresh database in a temporary folder, served in-process; yields its base URL."""
    with running_mock(tenant=tenant_file) as mock:
        yield mock.url
