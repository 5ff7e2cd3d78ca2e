"""`mockserver serve`: run the mock under gunicorn."""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import shlex
import signal
from collections.abc import Iterator, Mapping
from typing import Any

from mockserver import open_files
from mockserver.admin_client import ADMIN_TOKEN_VARIABLE, admin_token_problem
from mockserver.commands.arguments import described, given, whole_number
from mockserver.errors import REQUESTS_CUT, ConfigError, ToolError
from mockserver.forwarded import VARIABLE as FORWARDED_VARIABLE
from mockserver.forwarded import trusted_networks
from mockserver.paths import DEFAULT_TENANT, display
from mockserver.platforms import serve_unsupported
from mockserver.regular_files import not_regular
from mockserver.tenant import read_tenant_text
from mockserver.tls import check_tls

# The app's modules (Flask, Faker, the validators) are imported only in a throwaway child that checks the config,
# and in each worker after the fork: gunicorn's master process then holds about 25 MB instead of 50. The server's
# (gunicorn, fcntl) are imported as serve runs: every command imports this module, and Windows has neither.


MAX_GRACEFUL_TIMEOUT = 3600  # as --idle-timeout's and --body-timeout's bound
MAX_JOURNAL_LIMIT = 10**9  # mockserver.app's, named in --help without importing the app here (see above)
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")  # gunicorn takes any word, and an unknown one as info


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("serve", help="serve the mock API under gunicorn", **described(
        "Serve the mock API under gunicorn until Ctrl-C or SIGTERM, naming its address and pid on stderr. A bad"
        " option, tenant file, address or --db is refused in one line (exit status 2) before anything starts;"
        " SIGHUP reads the tenant file again.",
        "mockserver serve                         # campaigns kept in ./mock.sqlite3",
        "mockserver serve --port 0 --db :memory:  # any free port; nothing kept",
        "mockserver serve --rate-limit 60/min -v  # the vendor's limit; log requests",
        "mockserver serve --certfile cert.pem --keyfile key.pem  # HTTPS",
        "mockserver serve --cors=http://localhost:3000  # a web page there may call it",
    ))
    parser.add_argument("--host", default="127.0.0.1", type=given, metavar="HOST",
                        help="address to listen on; IPv6 as ::1 or [::1] (default 127.0.0.1)")
    parser.add_argument("--port", type=whole_number, default=8080, metavar="PORT",
                        help="port; 0 picks a free one (default 8080)")
    parser.add_argument("--db", default="mock.sqlite3", type=given, metavar="FILE",
                        help="SQLite file, created if missing, readable by its owner alone (0600; an existing file"
                        " keeps its permissions); ':memory:' keeps nothing (default mock.sqlite3, in the current"
                        " folder)")
    parser.add_argument("--seed", default=None, metavar="N",  # read as config SEED is (mockserver.app), not int()
                        help="make campaign ids a function of (N, account, name), the same in every run (default:"
                        " random ids)")
    parser.add_argument("--clock", default=None, type=given, metavar="TIME",
                        help="fixed ISO 8601 time with its zone reported as createdAt, e.g. 2025-12-04T10:50:56.762Z"
                        " (default: the current time)")
    parser.add_argument("--tenant", default=None, type=given, metavar="FILE",
                        help=f"tenant JSON file (default {display(DEFAULT_TENANT)}); SIGHUP reads it again")
    parser.add_argument("--workers", type=whole_number, default=2, metavar="N",
                        help="worker processes (default 2; at most 4 per CPU, or 8 if that is more)")
    # Sync workers by default: measured steadier and faster for this CPU-bound app than gthread, whose threads
    # queue on the GIL while one holds the store's write lock. --threads N > 1 selects gthread (keep-alive, and
    # slow requests or latency faults that overlap without holding a whole worker).
    parser.add_argument("--threads", type=whole_number, default=1, metavar="N",
                        help=f"threads per worker; above 1 uses gthread workers (default 1, at most {MAX_THREADS})")
    parser.add_argument("--idle-timeout", type=whole_number, default=5, metavar="SECONDS",
                        help="close a connection whose request stops arriving this long (a browser's unused"
                        " preconnect, headers cut off); a body that stalls this long gets 408 (default 5, at most"
                        f" {MAX_GRACEFUL_TIMEOUT:,})")
    parser.add_argument("--body-timeout", type=whole_number, default=20, metavar="SECONDS",
                        help="a body not whole this long after the mock starts reading it (trickled a few bytes"
                        f" at a time) gets 408 (default 20, at most {MAX_GRACEFUL_TIMEOUT:,})")
    parser.add_argument("--graceful-timeout", type=whole_number, default=5, metavar="SECONDS",
                        help="on SIGTERM or Ctrl-C, let the requests in hand (a latency fault) finish this long, then"
                        f" kill their workers and exit with status {REQUESTS_CUT}, saying how many were cut (default 5,"
                        f" at most {MAX_GRACEFUL_TIMEOUT:,}); a second Ctrl-C kills them at once")
    parser.add_argument("--max-body", type=whole_number, default=64 * 1024, metavar="BYTES",
                        help="largest accepted body; 413 above it (default 65536, at most 100 MiB)")
    journal = parser.add_mutually_exclusive_group()  # a limit on the journal that is turned off would do nothing
    journal.add_argument("--no-journal", action="store_true", help="do not keep the request journal")
    journal.add_argument("--journal-limit", type=whole_number, default=None, metavar="N",
                        help=f"keep the newest N journal entries, dropping older ones (default 100000, at most"
                        f" {MAX_JOURNAL_LIMIT:,})")
    parser.add_argument("--rate-limit", default=None, type=given, metavar="N/UNIT",
                        help="requests per account, e.g. 60/min (the vendor's limit); 429 above it (default: none)")
    token = parser.add_mutually_exclusive_group()  # one token: which of two would be the one in force is no question
    token.add_argument("--admin-token", default=None, type=given, metavar="TOKEN",
                       help="require 'Authorization: Bearer TOKEN' (16 to 256 characters) on /__admin (all but"
                       " /__admin/health and /__admin/openapi.json); shown in the process list to every user of the"
                       f" machine: --admin-token-file or ${ADMIN_TOKEN_VARIABLE} give it unseen (default: open)")
    token.add_argument("--admin-token-file", default=None, type=given, metavar="FILE",
                       help="read the admin token from the first line of FILE (a mounted secret), as --admin-token")
    parser.add_argument("--forwarded-allow-ips", default=None, type=given, metavar="IPS",
                        help="behind a reverse proxy: the addresses or networks (comma-separated, or *) of the proxies"
                        " whose X-Forwarded-For, -Proto, -Host, -Port and -Prefix headers are read (default:"
                        f" ${FORWARDED_VARIABLE}, else none)")
    parser.add_argument("--cors", nargs="?", const=True, default=None, type=given, metavar="ORIGINS",
                        help="let web pages on other origins call the API and read /openapi.json (not /__admin):"
                        " --cors for any origin, --cors=http://localhost:3000,https://qa.example for those"
                        " (default: none)")
    parser.add_argument("--certfile", default=None, type=given, metavar="PEM",
                        help="serve HTTPS with this certificate (and its key, unless --keyfile gives it)")
    parser.add_argument("--keyfile", default=None, type=given, metavar="PEM", help="the certificate's private key")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="log each request on stderr: method, path, status, time, the client's address,"
                             " and every error answered (or the id of the campaign created)")
    parser.add_argument("--log-level", default="warning", type=str.lower, choices=LOG_LEVELS, metavar="LEVEL",
                        help=f"gunicorn's own log: {', '.join(LOG_LEVELS)} (default warning)")
    parser.set_defaults(func=run)


# What gunicorn sets for the master it starts on SIGUSR2 (an upgrade without downtime): the listening sockets it
# inherits, so the address is in use, by design.


ADMIN_TOKEN_MAX = 256  # mockserver.app's, named in a refusal without importing the app here (see above)
# A served mock's admin token guards every tester's state from whoever can reach it, and 401s are not rate-limited:
# at the ~3,000 guesses a second a 2-core machine answers, 6 lowercase letters fall in about a day, while 16 hex
# digits (64 bits) take millions of years. An app built in process (tests, ADMIN_TOKEN) listens on 127.0.0.1 only.
ADMIN_TOKEN_MIN = 16
TOKEN_LINE_READ = 4096  # of a token file's first line: more than any token, and an end to a huge file given by mistake


def admin_token_file(path: str) -> str:
    """--admin-token-file's first line, its line break left out; ConfigError naming the file, never quoting it."""
    if (why := not_regular(path)) is not None:  # a named pipe held the start, waiting for a writer
        raise ConfigError(f"cannot read --admin-token-file: {why}", where=path)
    try:
        with open(path, "rb") as handle:
            line = handle.readline(TOKEN_LINE_READ).rstrip(b"\r\n")
    except OSError as exc:
        raise ConfigError(f"cannot read --admin-token-file: {exc.strerror}", where=path) from None
    if not line:
        raise ConfigError("--admin-token-file's first line is empty: write the admin token there (openssl rand -hex 16"
                          " > FILE)", where=path)
    if not all(0x21 <= byte <= 0x7E for byte in line):
        raise ConfigError("--admin-token-file's first line is not printable ASCII without spaces (a space at its end,"
                          " a byte order mark?): write the admin token alone there", where=path)
    if len(line) > ADMIN_TOKEN_MAX:
        raise ConfigError(f"--admin-token-file's first line is longer than the {ADMIN_TOKEN_MAX} characters an admin"
                          " token may be: is it the right file?", where=path)
    return line.decode("ascii")


def admin_token(option: str | None, env: Mapping[str, str], file: str | None = None) -> str | None:
    """--admin-token, or else --admin-token-file's, or else $MOCK_ADMIN_TOKEN, at least ADMIN_TOKEN_MIN long."""
    if file is not None:
        token, source = admin_token_file(file), "--admin-token-file's first line"
    elif option is not None:
        token, source = option, "--admin-token"
        # refused here, in serve's range: the app's own refusal says 1 to 256, and a token mended to that is too short
        if len(token) > ADMIN_TOKEN_MAX or not all("!" <= char <= "~" for char in token):
            raise ConfigError(f"--admin-token must be {ADMIN_TOKEN_MIN} to {ADMIN_TOKEN_MAX} printable ASCII"
                              " characters without spaces")
    elif ADMIN_TOKEN_VARIABLE in env:
        token, source = variable_token(env[ADMIN_TOKEN_VARIABLE]), f"${ADMIN_TOKEN_VARIABLE}"
    else:
        return None
    if len(token) < ADMIN_TOKEN_MIN and admin_token_problem(token) is None:  # one that cannot be sent: the app says so
        raise ConfigError(f"{source} is {len(token)} characters long: an admin token must be {ADMIN_TOKEN_MIN} or more,"
                          " as the admin API answers guesses as fast as it can (openssl rand -hex 16 makes one of 32)",
                          where=file)
    return token


def variable_token(token: str) -> str:
    """$MOCK_ADMIN_TOKEN's value. Set but empty (a CI secret that did not load, say), it is refused, as an empty
    option is: taken as unset, it left the admin API open without a word."""
    problem = admin_token_problem(token)
    if problem:
        alone = " alone" if problem.startswith("ends with") else ""
        raise ConfigError(f"${ADMIN_TOKEN_VARIABLE} {problem}: set it to the admin token{alone}, or unset it for an"
                          " open admin API")
    return token


def max_workers() -> int:
    """More workers than this only queue for the CPUs, and a typo (--workers 1000) would fork until memory ran out."""
    return max(8, 4 * (os.cpu_count() or 1))


def config_from(args: argparse.Namespace, database: str) -> dict:
    return {
        "DATABASE": database,
        "TENANT": args.tenant,
        "SEED": args.seed,
        "CLOCK": args.clock,
        "MAX_BODY_BYTES": args.max_body,
        "IDLE_TIMEOUT": args.idle_timeout,
        "BODY_TIMEOUT": args.body_timeout,
        "JOURNAL": not args.no_journal,
        **({"JOURNAL_LIMIT": args.journal_limit} if args.journal_limit is not None else {}),
        "RATE_LIMIT": args.rate_limit,
        "REQUEST_LOG": args.verbose,
        "ADMIN_TOKEN": args.admin_token,
        "FORWARDED_ALLOW_IPS": args.forwarded_allow_ips,
        "CORS": args.cors,
    }


def check_config(config: dict) -> str:
    """Build everything a worker builds, once, so a bad option (or a damaged database) fails here in one line; what
    the startup line says of the journal (how full it is), and of a seed and a fixed clock."""
    from mockserver.app import build_mock
    from mockserver.cors import parse_cors

    mock = build_mock(config, thorough=True)  # once, here: each worker opens the file again, and need not read it all
    try:
        said = ["no journal"]
        if mock.journal:
            mock.store.trim_journal()  # to a --journal-limit lowered since, before any request waits for it
            entries, limit = mock.store.journal_span()[0], mock.store.journal_limit
            full = " (full: the oldest go as new ones come)" if entries >= limit else ""
            said = [f"journal {entries:,} of {limit:,} entries{full}"]
        if mock.seed is not None:  # what a snapshot test's log should show
            said.append(f"seed {mock.seed}")
        if mock.fixed_now:
            said.append(f"clock fixed at {mock.fixed_now}")
        cors = parse_cors(config.get("CORS"))
        if cors is not None:  # a browser's page may call it: the log says from where
            said.append(f"CORS for {'any origin' if cors.origins is None else ', '.join(sorted(cors.origins))}")
        return "; ".join(said)
    finally:
        mock.store.close()


def token_command(tenant: str | None) -> str:
    """The command that mints a token this server takes, for its startup line: `mockserver token` alone mints one
    for the default tenant, which a server of another tenant file answers 401."""
    return "mockserver token" + (f" --tenant {shlex.quote(tenant)}" if tenant else "")


def check_tenant(path: str | None, text: str) -> None:
    """Parse and check a tenant file's text as a worker would (in a child: the master imports no jsonschema)."""
    from mockserver.tenant import load_tenant

    load_tenant(path, text=text)


class ReloadTenant:
    """gunicorn's on_reload hook: on SIGHUP, before it starts new workers, the master reads the tenant file again
    and checks it as start-up does. The new workers build from it if it passes; if not, one line says why and they
    build from the tenant read before, so that a half-done edit cannot stop the mock (a worker that cannot build
    its app makes gunicorn halt). Workers started for any other reason build from the same text, never the file."""

    def __init__(self, config: dict) -> None:
        self.config = config  # the dict load_app builds from, in every worker forked after this

    def __call__(self, arbiter: Any) -> None:
        from mockserver.server import in_child, tell

        source = self.config["TENANT"] or "the default tenant"
        try:
            text = read_tenant_text(self.config["TENANT"])
            in_child(functools.partial(check_tenant, self.config["TENANT"], text))
        except ConfigError as exc:
            tell(f"mockserver: SIGHUP: kept the tenant read before, as the file cannot be used: {exc}")
            return
        self.config["TENANT_TEXT"] = text
        tell(f"mockserver: SIGHUP: workers restart with {source} as it is now")


def load_app(config: dict) -> Any:
    """The worker's app, imported and built after the fork. Start-up checked the same build, but a worker started
    later (gunicorn replaces one that died) can still fail, e.g. when the database's folder was removed: gunicorn
    then stops the server, and the reason is told in one line (AppImportError) instead of a traceback."""
    from gunicorn.errors import AppImportError

    from mockserver.app import create_app

    try:
        return create_app(config)
    except ToolError as exc:
        raise AppImportError(f"mockserver: a worker could not start, so the server stops: {exc}") from None


class StoppedStarting(BaseException):  # not an Exception: no handler of a start-up step may take it for its own
    """SIGTERM came while the server was starting, before gunicorn's own handling of it."""


def stop_starting(signum: int, frame: Any) -> None:
    raise StoppedStarting


MAX_THREADS = 256  # per worker; gunicorn keeps at most 1000 connections per worker, and kept-alive ones need room


def run(args: argparse.Namespace) -> int:
    if (unsupported := serve_unsupported()) is not None:
        raise ConfigError(unsupported)
    from mockserver.server import (
        INHERITED_SOCKETS,
        MockServer,
        check_address,
        gunicorn_options,
        heartbeat_folder,
        in_child,
        listen_host,
        shared_database,
        tell,
    )
    from mockserver.store_hard_links import said as hard_links

    if not 0 <= args.port <= 65535:
        raise ConfigError(f"--port must be 0-65535 (got {args.port})")
    if not 1 <= args.threads <= MAX_THREADS:
        raise ConfigError(f"--threads must be 1-{MAX_THREADS} (got {args.threads})")
    if (short := open_files.short_of_files(args.threads)) is not None:
        raise ConfigError(short)
    if not 1 <= args.workers <= max_workers():
        raise ConfigError(f"--workers must be 1-{max_workers()} on this machine (4 per CPU; each worker holds about"
                          f" 50 MB; got {args.workers})")
    if not 1 <= args.graceful_timeout <= MAX_GRACEFUL_TIMEOUT:
        raise ConfigError(f"--graceful-timeout must be a whole number from 1 to {MAX_GRACEFUL_TIMEOUT:,} seconds"
                          f" (got {args.graceful_timeout})")
    args.admin_token = admin_token(args.admin_token, os.environ, args.admin_token_file)
    if args.forwarded_allow_ips is None:  # as gunicorn reads it, but trusting no proxy when unset
        args.forwarded_allow_ips = os.environ.get(FORWARDED_VARIABLE)
    if args.forwarded_allow_ips is not None:
        trusted_networks(args.forwarded_allow_ips)
    # Until gunicorn takes SIGTERM over, it ends the start in the same way (exit status 0, the ":memory:" folder
    # removed), rather than kill the process where it stands.
    signal.signal(signal.SIGTERM, stop_starting)
    cleanup = None
    try:
        host = listen_host(args.host)
        if INHERITED_SOCKETS not in os.environ:  # a master re-executed by SIGUSR2 serves the old one's sockets
            check_address(host, args.port)
        check_tls(args.certfile, args.keyfile)
        tenant_text = read_tenant_text(args.tenant)  # what every worker builds from, until a SIGHUP reads it again
        with signals_held(signal.SIGTERM, signal.SIGINT):  # a stop as the folder is made comes once cleanup is known
            database, cleanup = shared_database(args.db)
        config = {**config_from(args, database), "TENANT_TEXT": tenant_text}
        journal = in_child(functools.partial(check_config, config))  # before any worker starts
        found = os.stat(database)  # made by the check if it was not there: every worker opens this one, or none
        config["DATABASE_FILE_ID"] = (found.st_dev, found.st_ino)
        if (linked := hard_links(database)) is not None:  # said once here: the workers' create_app does not
            tell(f"mockserver: {linked}")
        options = gunicorn_options(host, args.port, args.workers, args.threads, args.log_level,
                                   args.idle_timeout, args.verbose, args.certfile, args.keyfile,
                                   admin_token=args.admin_token is not None, body_timeout=args.body_timeout,
                                   journal=journal, heartbeats=heartbeat_folder(database),
                                   graceful_timeout=args.graceful_timeout,
                                   database=":memory:" if args.db == ":memory:" else database,
                                   token_command=token_command(args.tenant))
        options["on_reload"] = ReloadTenant(config)
        MockServer(functools.partial(load_app, config), options).run()
    except StoppedStarting:
        pass
    finally:
        if cleanup is not None:
            cleanup()
    return 0


@contextlib.contextmanager
def signals_held(*signals: int) -> Iterator[None]:
    """Put off `signals` while the block runs: one that comes meanwhile is raised again as it ends, to the handler
    there before. (A thread's signal mask would not do: the kernel hands a process's signal to any thread.)"""
    came: list[int] = []
    before = {number: signal.signal(number, lambda number, frame: came.append(number)) for number in signals}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
        if came:
            signal.raise_signal(came[0])
