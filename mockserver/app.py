"""The Flask application factory. Everything is built here, once, from the config mapping."""

from __future__ import annotations

import os
import random
import re
import sqlite3
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from faker import Generator
from faker.providers import misc
from flask import Flask, Request
from werkzeug.exceptions import NotFound
from werkzeug.routing import Map, MapAdapter

from mockserver import connection, cors, faults, ratelimit, store_hard_links
from mockserver.auth import TokenCache
from mockserver.clock import fixed_clock
from mockserver.contract import Contract, load_contract
from mockserver.errors import ConfigError, OptionError, unknown_names
from mockserver.forwarded import TrustedProxies
from mockserver.intake import DRAIN_AT_MOST
from mockserver.json_provider import OrjsonProvider
from mockserver.parameters import ParameterChecks, parameter_checks
from mockserver.responses import Shape, campaign_shape, timestamp
from mockserver.routes import admin, admin_auth, campaigns, errors, journal, openapi, request_log
from mockserver.routes import faults as fault_rules
from mockserver.semantics import Reference, check_read_fields, check_reference_table
from mockserver.send_instead import got, send_instead
from mockserver.shown_text import MAX_SHOWN, clip, clipped
from mockserver.store import DEFAULT_JOURNAL_LIMIT, SqliteStore, Store
from mockserver.store_layout import FILE_ADVICE, explained, home_expanded
from mockserver.tenant import Tenant, load_tenant
from mockserver.validation import SchemaValidator

MAX_JOURNAL_LIMIT = 10**9
MAX_BODY_LIMIT = 100 * 1024 * 1024  # the body is read whole into memory: a typo must not let one request hold GBs
MAX_IDLE_TIMEOUT = 3600
DEFAULTS: dict[str, Any] = {
    "DATABASE": "mock.sqlite3",  # a path, or ":memory:" to keep nothing
    "TENANT": None,  # a tenant file, or a Tenant; None is fixtures/tenant.json
    "TENANT_TEXT": None,  # the tenant file's text, read before (serve's master reads it once); None reads the file
    "SCHEMAS_DIR": None,  # None is the project's schemas/
    "SEED": None,  # an int makes campaign ids repeat across runs
    "CLOCK": None,  # an ISO 8601 time that every createdAt reports
    "MAX_BODY_BYTES": 64 * 1024,
    "IDLE_TIMEOUT": 5,  # seconds a request body may stop arriving before a 408 (serve's --idle-timeout)
    "BODY_TIMEOUT": 20,  # seconds a request body may take in all before a 408 (serve's --body-timeout)
    "JOURNAL": True,  # keep the request journal
    "JOURNAL_LIMIT": DEFAULT_JOURNAL_LIMIT,  # its newest entries kept (serve's --journal-limit)
    "RATE_LIMIT": None,  # e.g. "60/min": requests per account per window, answered 429 above it
    "REQUEST_LOG": False,  # a line on stderr per request, with its errors (serve's -v)
    "ADMIN_TOKEN": None,  # a secret /__admin requests must send as "Authorization: Bearer" (serve's --admin-token)
    "FORWARDED_ALLOW_IPS": None,  # proxies whose X-Forwarded-* headers are read (--forwarded-allow-ips); None: none
    "CORS": None,  # True: web pages on any origin may call the API (serve's --cors); or "http://a:3000,https://b"
    # (device, inode) the DATABASE file must still be: serve's workers open the file serve checked at start, and a
    # worker started once it was removed refuses to make a new one (its own split-off store); None: any
    "DATABASE_FILE_ID": None,
}
ADMIN_TOKEN_MAX = 256


@dataclass
class Mock:
    """What the routes need, built once per app."""

    tenant: Tenant
    contract: Contract
    request_validator: SchemaValidator
    parameters: ParameterChecks | None  # the headers and query parameters no hand-written check reads; None: none
    references: list[Reference]
    shape: Shape  # the success answer's data, compiled from the sample response
    store: Store
    faker: Generator  # Faker's, with the one provider the ids need (misc: uuid4)
    seed: int | None
    clock: datetime | None
    max_body: int
    idle_timeout: float
    body_timeout: float
    journal: bool
    admin_token: bytes | None = None  # None: the admin API is open
    tokens: TokenCache = field(default_factory=TokenCache)
    seeding: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)  # set: the in-process mock has stopped
    # set: a latency fault's wait ends at once (the in-process mock stopping, or draining before a reset)
    waking: threading.Event = field(default_factory=threading.Event)
    fault_draws: dict[int | None, random.Random] = field(default_factory=dict)  # with a seed: mockserver.faults.draws

    def __post_init__(self) -> None:
        self.fixed_now = timestamp(self.clock) if self.clock else None
        self.uuid4 = self.faker.uuid4  # bound once: the attribute lookup costs as much as the draw

    def close(self) -> None:
        """Let go of the store (its threads, connections and lock file): `with contextlib.closing(build_mock(...))`."""
        self.store.close()

    def now(self) -> str:
        """createdAt: the fixed clock, formatted once, or the current time."""
        return self.fixed_now or timestamp()

    def campaign_id(self, account_id: str, lname: str) -> str:
        """A Faker UUID; with a seed, a function of (seed, account, name), so runs repeat whatever the order. The
        account's ":" and "%" are %-encoded in the seed's text, so no two (account, name) share one (account "a"
        naming "b:c", account "a:b" naming "c"), while an account without them keeps the text, and the ids, it had."""
        if self.seed is None:
            return "cd-" + self.uuid4()
        account = account_id.replace("%", "%25").replace(":", "%3A")
        with self.seeding:  # seeding and drawing must not interleave between a worker's threads
            self.faker.seed_instance(f"{self.seed}:{account}:{lname}")
            return "cd-" + self.uuid4()


def _seed(value: Any) -> int | None:
    """None, or a whole number: an optional minus sign and the digits 0-9, spaces around them ignored, in a string
    too (`--seed` hands its text over as it was typed, so that both read alike). int() took 1.5 as 1, True as 1,
    1_0 as 10 and +5 or an Arabic-Indic \u0663 as numbers, and said of "abc" only "invalid literal for int()"."""
    digits = _seed_digits(value)
    if digits > SEED_DIGITS:
        raise OptionError("--seed", "SEED", f"must be a whole number of at most {SEED_DIGITS:,} digits (got"
                          f" {'more' if isinstance(value, int) else f'{digits:,}'})")
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip()):  # not "--5", which int() refuses
        return int(value)
    shown = clipped(value, 42) if isinstance(value, str) else clip(repr(value), 42)
    raise OptionError("--seed", "SEED", f"must be a whole number {got(shown, _seed_hint(value))}")


# The campaign ids are drawn from the seed's text, and int() and str() convert at most this many digits by default
# (sys.int_info.default_max_str_digits): a longer seed was a traceback at the start, or a 500 for every create
SEED_DIGITS = 4300


def _seed_digits(value: Any) -> int:
    """The digits of a seed or of one an earlier version took (+5, 1_0); 0 for any other value. An int past
    SEED_DIGITS counts one more, as its digits cannot be counted by str()."""
    if isinstance(value, int) and not isinstance(value, bool):
        return SEED_DIGITS + 1 if abs(value) >= 10**SEED_DIGITS else 1
    if isinstance(value, str) and re.fullmatch(r"[+-]?[0-9]+(?:_[0-9]+)*", value.strip()):
        return sum(char.isdigit() for char in value)
    return 0


def _seed_hint(value: Any) -> str:
    """For a seed an earlier version took (`--seed +5`, `1_0`: argparse's int()), the number it read, which gives
    the same campaign ids; "" for any other."""
    if not isinstance(value, str) or not re.fullmatch(r"[+-]?[0-9]+(?:_[0-9]+)*", value.strip()):
        return ""
    why = [words for words, mark in (("a plus sign", "+"), ("underscores", "_")) if mark in value]
    return send_instead([f"a seed is written without {' or '.join(why)}"], str(int(value)))


def _whole(config: Mapping[str, Any], key: str, option: str, high: int) -> int:
    """A config value that must be a whole number from 1 to `high`; refused in one line naming both spellings."""
    value = config[key]
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
        raise OptionError(option, key, f"must be a whole number from 1 to {high:,} {got(clipped(value, MAX_SHOWN))}")
    return value


def _switch(config: Mapping[str, Any], key: str, option: str) -> bool:
    """A config value that must be True or False: REQUEST_LOG="no", read for its truth, turned the log on."""
    value = config[key]
    if not isinstance(value, bool):
        raise OptionError(option, key, f"must be True or False {got(clipped(value, MAX_SHOWN))}")
    return value


def _file_name(value: Any, key: str, option: str | None, or_else: str = "", what: str = "file") -> str:
    """A file (or folder: `what`) named as a str or a Path; anything else refused in one line naming both spellings
    (os.fspath's own TypeError named neither, and str() made a database file named after a number)."""
    if isinstance(value, str | os.PathLike) and os.fspath(value):
        return os.fspath(value)
    if isinstance(value, str | os.PathLike):  # DATABASE="" was SQLite's private temporary database, one per
        # connection (campaigns gone at once, duplicates let in), and TENANT="" the default tenant, without a word
        raise OptionError(option, key, f"must be a {what} name, not empty")
    raise OptionError(option, key, f"must be a {what} name (str or Path){or_else} {got(clipped(value, MAX_SHOWN))}")


def _tenant(config: Mapping[str, Any]) -> Tenant:
    value, text = config["TENANT"], config["TENANT_TEXT"]
    if text is not None and not isinstance(text, str):  # TENANT_TEXT=5 was an AttributeError from the tenant reader
        raise OptionError(None, "TENANT_TEXT", f"must be the tenant file's text, a str {got(clipped(text, MAX_SHOWN))}")
    if isinstance(value, Tenant):
        return value
    path = None if value is None else _file_name(value, "TENANT", "--tenant", ", or a Tenant")
    return load_tenant(path, text=text)


def _schemas_dir(value: Any) -> str | None:
    """None (the project's schemas/), or a folder named as a str or a Path: SCHEMAS_DIR=5 was os.fspath's TypeError,
    and "", 0 or [] the project's own folder, without a word."""
    return None if value is None else _file_name(value, "SCHEMAS_DIR", None, what="folder")


def _database(value: Any) -> str:
    """The DATABASE file's name, or :memory:. A str starting `file:`, which the store takes as its own in-memory
    database's, is refused as `serve --db` refuses it: SQLite opened it as a URI and made the file without the
    store's checks, its lock or its mode. A Path is a file's whatever its name: it is given as ./file:... A str's
    leading `~` is the home folder, as `serve --db` takes it (home_expanded)."""
    name = _file_name(value, "DATABASE", "--db")
    if isinstance(value, str) and name != ":memory:":
        name, homeless = home_expanded(name)
        if homeless is not None:
            raise OptionError("--db", "DATABASE", f"cannot be opened: {homeless}")
    if not name.startswith("file:"):
        return name
    if not isinstance(value, str):
        return os.path.join(os.curdir, name)
    hint = send_instead(["a file of that name"], clipped(os.path.join(os.curdir, name), MAX_SHOWN))
    raise OptionError("--db", "DATABASE", f"must be a file's path or :memory:, not an SQLite URI (file:...)"
                                          f" {got(clipped(name, MAX_SHOWN), hint)}")


def _file_id(value: Any) -> tuple[int, int] | None:
    """None, or the (device, inode) serve found the DATABASE file to be, two whole numbers as os.stat gives them:
    DATABASE_FILE_ID=5 was a TypeError from the store, and ("a",) refused as a database file since replaced."""
    if value is None:
        return None
    if isinstance(value, tuple | list) and len(value) == 2 and all(
            isinstance(part, int) and not isinstance(part, bool) and part >= 0 for part in value):
        return (value[0], value[1])
    raise OptionError(None, "DATABASE_FILE_ID", "must be the DATABASE file's (device, inode), two whole numbers"
                      f" from 0 as os.stat gives them {got(clipped(value, MAX_SHOWN))}")


def _admin_token(value: Any) -> bytes | None:
    """The admin token as bytes, or None; it travels in a header, so it is printable ASCII without spaces."""
    if value is None:
        return None
    if not isinstance(value, str) or not 1 <= len(value) <= ADMIN_TOKEN_MAX or not all(
            "!" <= char <= "~" for char in value):
        raise OptionError("--admin-token", "ADMIN_TOKEN", f"must be 1 to {ADMIN_TOKEN_MAX} printable ASCII"
                          " characters without spaces")
    return value.encode("ascii")


def open_store(database: str, journal_limit: int = DEFAULT_JOURNAL_LIMIT, thorough: bool = False,
               file_id: tuple[int, int] | None = None) -> SqliteStore:
    """`thorough`: read the whole file for damage first (serve does, once, at start); `file_id`: the (device, inode)
    the file must be (DATABASE_FILE_ID)."""
    try:
        return SqliteStore(database, journal_limit, thorough, file_id)
    except sqlite3.Error as exc:
        hint = store_hard_links.open_hint(exc, database)  # "disk I/O error" for a second name, said as such
        raise ConfigError(f"cannot open the database: {f'{exc}; {hint}' if hint else explained(exc)}",
                          where=database) from None
    except OSError as exc:  # a file beside it: the store's .lock, say
        beside = (f"{clip(os.path.basename(exc.filename), MAX_SHOWN)} beside it: "
                  if exc.filename and exc.filename != database else "")
        advice = f"; {FILE_ADVICE[exc.errno]}" if exc.errno in FILE_ADVICE else ""
        raise ConfigError(f"cannot open the database: {beside}{exc.strerror or exc}{advice}", where=database) from None


def id_faker() -> Generator:
    """Faker's generator with its misc provider alone: the ids are its uuid4, drawn from the generator's own
    random, the same draws for a seed as `Faker()` gives; `Faker()` loads some 25 locale providers first (about 6 ms
    an app, and their imports once)."""
    faker = Generator()
    faker.add_provider(misc.Provider)
    return faker


def build_mock(config: Mapping[str, Any], thorough: bool = False) -> Mock:
    config = {**DEFAULTS, **config}
    tenant = _tenant(config)
    contract = load_contract(_schemas_dir(config["SCHEMAS_DIR"]))
    campaigns.route(contract)  # an endpoint the mock cannot serve is refused here, before anything is opened
    check_read_fields(contract.request, str(contract.folder / "request.schema.json"))
    _switch(config, "REQUEST_LOG", "-v")  # read by routes/request_log.py
    # read as create_app registers their hooks, after this: a setting refused there left the database opened (its
    # file made, its checkpoint thread running) by an app the caller never got to close
    cors.parse_cors(config["CORS"])
    ratelimit.configured(config["RATE_LIMIT"])
    faker = id_faker()
    faker.seed_instance(int.from_bytes(os.urandom(8), "big"))  # workers forked alike must not repeat ids
    return Mock(
        tenant=tenant,
        contract=contract,
        request_validator=SchemaValidator(contract.request),
        parameters=parameter_checks(contract),
        references=check_reference_table(contract.request),
        shape=campaign_shape(contract.sample_response, contract.request),
        faker=faker,
        seed=_seed(config["SEED"]),
        clock=fixed_clock(config["CLOCK"]),
        max_body=_whole(config, "MAX_BODY_BYTES", "--max-body", MAX_BODY_LIMIT),
        idle_timeout=float(_whole(config, "IDLE_TIMEOUT", "--idle-timeout", MAX_IDLE_TIMEOUT)),
        body_timeout=float(_whole(config, "BODY_TIMEOUT", "--body-timeout", MAX_IDLE_TIMEOUT)),
        journal=_switch(config, "JOURNAL", "--no-journal"),
        admin_token=_admin_token(config["ADMIN_TOKEN"]),
        # last: the database is opened (and made) only once every other setting has been found usable
        store=open_store(_database(config["DATABASE"]),
                         _whole(config, "JOURNAL_LIMIT", "--journal-limit", MAX_JOURNAL_LIMIT), thorough,
                         _file_id(config["DATABASE_FILE_ID"])),
    )


def check_keys(config: Mapping[str, Any]) -> None:
    """Refuse a key that is neither the mock's (DEFAULTS) nor Flask's own: RATE_LMIT="1/min" was kept in the
    config, read by nothing, and the mock ran without a rate limit (a lower-case key Flask drops altogether)."""
    unknown = [str(key) for key in config if key not in DEFAULTS and key not in Flask.default_config]
    if unknown:
        raise ConfigError(f"unknown config key(s) {unknown_names(unknown, [*DEFAULTS, *Flask.default_config])};"
                          f" the mock's keys are {', '.join(DEFAULTS)} (and Flask's own, e.g. TESTING)")


# Flask's own keys a request reads, each with what it takes: a value of another type was a 500 with a traceback for
# every request (SERVER_NAME=5: 'int' object has no attribute 'lower'), not a refusal at the start
FLASK_KEYS = {
    "SERVER_NAME": ("a host name (str), or None", lambda value: value is None or isinstance(value, str)),
    "APPLICATION_ROOT": ("a path (str)", lambda value: isinstance(value, str)),
    "TRUSTED_HOSTS": ("a list of host names (str), or None", lambda value: value is None or (
        isinstance(value, list | tuple) and all(isinstance(host, str) for host in value))),
}


def check_flask_keys(config: Mapping[str, Any]) -> None:
    """Refuse, in one line naming the key, a value of Flask's own key that Flask would fail on at each request."""
    for key, (takes, fits) in FLASK_KEYS.items():
        if key in config and not fits(config[key]):
            raise OptionError(None, key, f"must be {takes}, as Flask reads it {got(clipped(config[key], MAX_SHOWN))}")


class UnmergedSlashes(Map):
    """A doubled slash (`/__admin//health`) is no such endpoint, in the envelope, as every other unknown path is:
    werkzeug's default answered 308 with an HTML page sending the client to the path with the slashes merged. Given
    at construction: werkzeug 3.0.0's matcher keeps the value the map was built with, so setting it afterwards did
    nothing there."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["merge_slashes"] = False
        super().__init__(*args, **kwargs)

    def bind_to_environ(self, *args: Any, **kwargs: Any) -> MapAdapter:  # what Flask binds a request with
        adapter = super().bind_to_environ(*args, **kwargs)
        adapter.__class__ = LeadingSlashes
        return adapter


class LeadingSlashes(MapAdapter):
    """A path starting with a doubled slash (`//campaign/...`, a base URL's trailing slash before the path) is no
    such endpoint either: werkzeug's matcher strips a path's leading slashes whatever merge_slashes says, so it was
    served as if the slash were one."""

    def match(self, path_info: str | None = None, *args: Any, **kwargs: Any) -> Any:
        if (self.path_info if path_info is None else path_info).startswith("//"):
            raise NotFound()
        return super().match(path_info, *args, **kwargs)


class SentPathRequest(Request):
    """`request.path` with every slash that starts the path as sent (`//__admin/reset`): werkzeug keeps one, so such
    a path, which no endpoint serves (404), was journaled as another, and met the hooks of /__admin as if it were."""

    def __init__(self, environ: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(environ, *args, **kwargs)
        sent = environ.get("PATH_INFO") or ""
        if sent.startswith("//"):
            self.path = "/" * (len(sent) - len(sent.lstrip("/")) - 1) + self.path


class MockFlask(Flask):
    url_map_class = UnmergedSlashes
    request_class = SentPathRequest

    def make_default_options_response(self):
        """The answer to OPTIONS: 200 with its Allow in one order, as a 405's, and no content, so no Content-Type
        (Flask's said text/html of an empty body; RFC 9110, 9.3.7, asks only Content-Length: 0)."""
        response = super().make_default_options_response()
        response.headers["Allow"] = errors.allow(method.strip() for method in response.headers["Allow"].split(","))
        del response.headers["Content-Type"]
        return response


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = MockFlask(__name__, static_folder=None)  # no /static/<path> route: every path is the mock's own
    app.config.from_mapping(DEFAULTS)
    if config:
        check_keys(config)
        check_flask_keys(config)
        app.config.from_mapping(config)
    app.json = OrjsonProvider(app)  # keeps keys in the vendor sample's order
    if app.config["FORWARDED_ALLOW_IPS"] is not None:  # behind a reverse proxy, named by the operator
        app.wsgi_app = TrustedProxies(app.wsgi_app, app.config["FORWARDED_ALLOW_IPS"])  # type: ignore[method-assign]
    app.extensions["mock"] = build_mock(app.config)
    try:
        if app.config["DATABASE_FILE_ID"] is None:  # set for serve's workers: serve said it once, as it started
            store_hard_links.warn(app.extensions["mock"].store.database)
        _register(app)
    except BaseException:  # no app to close reaches the caller: its store is closed here
        app.extensions["mock"].store.close()
        raise
    return app


def _register(app: Flask) -> None:
    """The mock's hooks and blueprints, in the order they run."""
    errors.register(app)
    connection.register(app, DRAIN_AT_MOST)  # a body a refusal left unread: read by gunicorn, or the connection closed
    request_log.register(app)  # first: a hook that answers (a fault) skips the hooks registered after it
    journal.register(app)
    cors.register(app)  # before the admin token, the faults and the rate limit: a preflight meets none of them
    if app.extensions["mock"].admin_token is not None:  # no hook at all on the hot path when the API is open
        admin_auth.register(app)  # before the faults and the rate limit, which pass /__admin through untouched
    faults.register(app)  # before authentication, as a failing network would be
    ratelimit.register(app)  # after the faults; it authenticates, since it counts per account
    app.register_blueprint(campaigns.blueprint(app.extensions["mock"].contract))
    app.register_blueprint(admin.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(fault_rules.bp)
