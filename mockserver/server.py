"""Serve the app under gunicorn: prefork workers with threads, never Flask's development server."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import ipaddress
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.errors import HaltServer

from mockserver import wire
from mockserver.contract import served_here
from mockserver.errors import REQUESTS_CUT, ConfigError, ToolError, shown
from mockserver.paths import file_in_the_way
from mockserver.process import alive
from mockserver.shown_text import clip, clipped
from mockserver.store_layout import home_expanded, unusable_path
from mockserver.tls import preload_context, server_context

LONGEST_LATENCY_S = 30  # mockserver.faults.MAX_LATENCY_MS, which imports Flask: the master does not


class MockServer(BaseApplication):
    """gunicorn, configured in code. Each worker builds its own app from the same config after the fork."""

    def __init__(self, factory: Callable[[], Any], options: Mapping[str, Any]) -> None:
        self._factory = factory
        self._options = dict(options)
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            if key in self.cfg.settings:  # older gunicorn lacks some (control_socket_disable came in 25.1)
                self.cfg.set(key, value)

    def load(self) -> Any:
        return self._factory()

    def run(self) -> None:
        """gunicorn's run, finishing a halt that a second failing worker cut short, and saying in a last line that
        the server stopped (gunicorn says so at info level only: a supervisor's log could not tell a clean stop from
        a kill). When workers cannot build the app, the first one's failure makes the arbiter halt; if another fails
        meanwhile, the halt itself raises HaltServer, leaving a traceback, the other workers running and the exit
        status 1."""
        arbiter = StopNoting(self)
        try:
            try:
                arbiter.run()
            except RuntimeError as exc:  # as gunicorn's own run
                print(f"\nError: {exc}\n", file=sys.stderr, flush=True)
                sys.exit(1)
            except HaltServer as exc:
                for _ in range(len(arbiter.WORKERS) + 1):  # each failed worker is reaped before the raise
                    with contextlib.suppress(HaltServer):
                        arbiter.halt(reason=exc.reason, exit_status=exc.exit_status)  # exits when it completes
                sys.exit(exc.exit_status)
        except SystemExit as exc:
            if os.getpid() != arbiter.pid:  # a worker leaves through these frames too
                raise
            status = exc.code or 0
            how = f" on {arbiter.stopped_by}" if arbiter.stopped_by else ""
            if arbiter.cut:  # a stop that looked clean (status 0) was not: a supervisor's log must tell
                status = status or REQUESTS_CUT
                when = (f"{arbiter.hurried_by} cut the grace period short" if arbiter.hurried_by
                        else f"--graceful-timeout {self.cfg.graceful_timeout:g} ran out")
                how += f", cutting {arbiter.cut} request{'s' if arbiter.cut > 1 else ''} still in hand when {when}"
            tell(f"mockserver: stopped{how} (exit status {status}; pid {arbiter.pid})")
            raise SystemExit(status) from None


class StopNoting(Arbiter):
    """gunicorn's arbiter, noting the signal that stopped it."""

    stopped_by: str | None = None
    cut = 0  # requests the workers had in hand when a stop's grace period ran out and they were killed
    graceful = False  # a stop (SIGTERM) is letting the requests in hand finish
    hurried_by: str | None = None  # the Ctrl-C or SIGQUIT that cut that grace period short (kill_workers)

    def handle_term(self) -> None:
        self.stopped_by = "SIGTERM"
        super().handle_term()

    def handle_int(self) -> None:
        """A Ctrl-C stops as SIGTERM does, letting the requests in hand finish (the workers take gunicorn's quick
        stop as a graceful one too, see mockserver.workers), and so a second Ctrl-C or a SIGQUIT ends the grace
        period (kill_workers). gunicorn's quick stop read no signal while it waited: a second Ctrl-C was ignored."""
        self.stopped_by = "SIGINT"
        self.stop()
        raise StopIteration

    def handle_quit(self) -> None:
        self.stopped_by = "SIGQUIT"
        self.stop()
        raise StopIteration

    def kill_workers(self, sig: int) -> None:
        """gunicorn's, counting first, when a stop kills the workers its grace period left (it always sends that
        SIGKILL, if only to none), the requests they still had in hand (mockserver.in_hand). A worker that had
        finished them in time (an idle connection kept alive on gthread) is killed without cutting anything."""
        if sig == signal.SIGQUIT and self.graceful and not self.hurried_by:  # gunicorn's quick stop, mid-grace
            self.hurried_by = "a Ctrl-C or SIGQUIT"
            sig = signal.SIGKILL  # now: gunicorn gave them 2 s more, and the workers take SIGQUIT as SIGTERM
        if sig != signal.SIGKILL:
            super().kill_workers(sig)
            return
        self.reap_workers()  # those that exited in the last moments
        killed = dict(self.WORKERS)
        self.cut += sum(worker.in_hand.count for worker in killed.values() if hasattr(worker, "in_hand"))
        super().kill_workers(sig)
        self.reap_killed(killed)

    def stop(self, graceful: bool = True) -> None:
        self.graceful = graceful
        super().stop(graceful)

    def reap_killed(self, killed: dict[int, Any], wait: float = 1.0) -> None:
        """Reap the workers the stop has just killed, as gunicorn's reap does but without its line for each, `[ERROR]
        Worker (pid:N) was sent SIGKILL! Perhaps out of memory?`: the stop's own doing, which its last line counts.
        (A Ctrl-C stops twice, and the second stop always reaped them so.) One not dead within `wait` is left to it."""
        deadline = time.monotonic() + wait
        while killed and time.monotonic() < deadline:
            for pid in list(killed):
                with contextlib.suppress(ChildProcessError):  # reaped already: gone
                    if os.waitpid(pid, os.WNOHANG)[0] == 0:
                        continue
                worker = killed.pop(pid)
                if self.WORKERS.pop(pid, None) is not None:  # not one gunicorn found gone (ESRCH) and forgot
                    worker.tmp.close()
                    self.cfg.child_exit(self, worker)
            time.sleep(0.01)

    def spawn_worker(self) -> int:
        """gunicorn's, stopping the server in one line, exit status 4, as a worker that cannot build the app does,
        when the worker's process cannot be made: a fork refused (a container's limit on processes, no memory) or
        its heartbeat file. The main loop met that as an unhandled exception: a traceback, and exit status 255."""
        try:
            return super().spawn_worker()
        except OSError as exc:
            if os.getpid() != self.pid:  # a worker, unwinding: gunicorn's own handling there
                raise
            what = f"cannot make its heartbeat file in {exc.filename}" if exc.filename else "cannot fork it"
            tell(f"mockserver: a worker could not start, so the server stops: {what}: {exc.strerror or exc}")
            raise HaltServer("Worker failed to start.", self.APP_LOAD_ERROR) from None


def in_child(work: Callable[[], Any]) -> Any:
    """Run `work` in a forked child process: what it returns (JSON), or its ToolError raised here as a ConfigError.

    What the child imports and builds goes with it, so the caller (gunicorn's master) stays small.
    """
    read, write = os.pipe()
    # A stop sent to the whole process group (Ctrl-C, a CI runner's SIGTERM) ends the child's check quietly, and the
    # caller's handling of it (a traceback, a clean-up) stays the caller's: the child takes the default action,
    # and the stop waits until it has it. A stop the caller ignores (Ctrl-C, for a background job of a shell
    # without job control) the child ignores too.
    stops = {signal.SIGINT, signal.SIGTERM}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    try:
        pid = os.fork()
    except BaseException as exc:  # any: the stops left blocked here stay blocked in every process the caller starts
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
        os.close(read)
        os.close(write)
        if isinstance(exc, OSError):  # a limit on processes (a container's pids limit), no memory: said, no traceback
            raise ConfigError(f"cannot fork the process that checks the configuration: {exc.strerror}") from None
        raise  # Python 3.15 under `-W error`, forking beside a thread: its DeprecationWarning, raised
    if pid == 0:  # the child: never return into the caller's frames
        status = 0
        try:
            for stop in stops:
                if signal.getsignal(stop) != signal.SIG_IGN:
                    signal.signal(stop, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, before)
            os.close(read)
            with os.fdopen(write, "wb") as pipe:  # closed before the child exits, so the parent reads to the end
                try:
                    pipe.write(json.dumps({"returned": work()}).encode())
                except ToolError as exc:
                    pipe.write(json.dumps({"error": [exc.message, exc.where]}).encode())
                    status = 2
        except BrokenPipeError:  # the caller is gone: no one to tell
            status = 1
        except BaseException:  # a bug: show it, as the same failure in the master would
            traceback.print_exc()
            status = 70
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
    os.close(write)
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
        with os.fdopen(read, "rb") as pipe:
            reported = pipe.read()
        status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    except BaseException:  # the caller is stopping (SIGTERM, Ctrl-C): the check goes with it, not after it
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        raise
    said = json.loads(reported) if reported else {}
    if "error" in said:
        raise ConfigError(*said["error"])
    if status != 0:
        raise ConfigError(f"checking the configuration failed (exit status {status})")
    return said.get("returned")


INHERITED_SOCKETS = "GUNICORN_FD"  # set for a master that SIGUSR2 re-executed: the sockets it serves
MEMORY_FOLDER = "MOCKSERVER_MEMORY_FOLDER"  # the ":memory:" file's folder, for a master that SIGUSR2 starts
MEMORY_PREFIX = "mockserver-"  # those folders' names in the temporary directory


def shared_database(path: str) -> tuple[str, Callable[[], None]]:
    """Workers are separate processes: ":memory:" becomes a throwaway file they share, removed at exit.

    A master that SIGUSR2 starts (gunicorn hands it the listening socket in GUNICORN_FD and its parent's pid in
    GUNICORN_PID) takes over the file its parent made, through the environment it inherits, so the upgrade keeps
    the campaigns and the duplicate check; the folder's `owner` file names the master that removes it at exit. A
    new master that stops while its parent still serves (it failed to start, or was sent away to roll back) hands
    the folder back instead. The cleanup acts only in the master: forked workers unwind through the same frames.
    """
    if path.startswith("file:"):  # SQLite opened it as a URI, without the mock's checks, and serve then stopped with
        # a traceback looking for the file by that name; the store takes such a name as the in-memory database's
        raise ConfigError("cannot open the database: an SQLite URI (file:...) is not taken: give the file's path"
                          " (./file:... for a file of that name), or :memory:", where=path)
    if path != ":memory:":
        path, homeless = home_expanded(path)
        if homeless is not None:
            raise ConfigError(f"cannot open the database: {homeless}", where=path)
        if (unusable := unusable_path(path)) is not None:  # Path.resolve raised for a loop (3.11, 3.12)
            raise ConfigError(f"cannot open the database: {unusable}", where=path)
        folder = Path(path).resolve().parent
        made = [part for part in (folder, *folder.parents) if not part.exists()]  # the deepest first
        try:
            if not folder.is_dir():
                folder.mkdir(parents=True, exist_ok=True)
                tell(f"mockserver: made the folder {folder} for --db")  # a typo there starts an empty database
        except OSError as exc:  # os.path.isfile: Path.is_file raised for a name too long (3.11 to 3.13)
            remove_empty(made)  # `a/` made for `a/<300 characters>/mock.sqlite3` stayed
            blocker = file_in_the_way(folder)
            reason = f"{blocker} is a file, not a folder" if blocker else exc.strerror
            raise ConfigError(f"cannot create the database's folder: {reason}", where=path) from None
        return path, lambda: remove_empty(made, path)
    inherited = os.environ.get(MEMORY_FOLDER) if os.environ.get(INHERITED_SOCKETS) else None
    if not (inherited and os.path.isdir(inherited)):
        inherited = None
    parent = os.environ.get("GUNICORN_PID", "") if inherited else ""
    folder = inherited or memory_folder()
    os.environ[MEMORY_FOLDER] = folder  # before gunicorn copies the environment a re-executed master gets
    owner, owner_file = str(os.getpid()), Path(folder) / "owner"
    try:
        owner_file.write_text(owner, encoding="ascii")
        in_use = open(owner_file, "rb")  # held until the process exits: see remove_abandoned_folders
        fcntl.flock(in_use, fcntl.LOCK_SH)
    except OSError as exc:  # a full disk
        if not inherited:
            shutil.rmtree(folder, ignore_errors=True)
        raise memory_refused(exc) from None
    HELD.append(in_use)

    def cleanup() -> None:
        if str(os.getpid()) != owner:
            return
        # This process is done with the folder: its hold goes (a worker's copy of it, if any, keeps the lock taken).
        # Left to the interpreter's exit, the open file was a ResourceWarning under -X dev.
        if in_use in HELD:
            HELD.remove(in_use)
            in_use.close()
        if parent.isdigit() and alive(int(parent)):  # the upgrade did not happen: the parent serves on with it
            owner_file.write_text(parent, encoding="ascii")
            return
        try:
            handed_over = owner_file.read_text(encoding="ascii") != owner  # to a master this one started
        except OSError:
            handed_over = False
        if not handed_over:
            shutil.rmtree(folder, ignore_errors=True)

    return str(Path(folder) / "mock.sqlite3"), cleanup


def memory_folder() -> str:
    """A new folder for the ":memory:" file, in the temporary folder, once the abandoned ones there are removed."""
    try:
        remove_abandoned_folders()
        return tempfile.mkdtemp(prefix=MEMORY_PREFIX)
    except OSError as exc:  # none usable (a read-only root file system): FileNotFoundError; TMPDIR read-only
        raise memory_refused(exc) from None


def memory_refused(exc: OSError) -> ConfigError:
    reason = exc.strerror or str(exc)  # tempfile's "No usable temporary directory found in [...]" has no strerror
    return ConfigError(f"--db :memory: keeps its throwaway database in the temporary folder, which cannot be used"
                       f" ({reason}): set TMPDIR to a writable folder, or give --db a file in one")


BESIDE_DATABASE = ("-wal", "-shm", ".lock", "-faults")  # the files SQLite and the mock keep beside a --db file


def remove_empty(folders: list[Path], database: str | None = None) -> None:
    """Remove the folders made for --db that are still empty: a start refused after they were made (a bad option
    found by the configuration check) left them behind. One that holds the database, as after serving, stays. So
    does an empty database file (0 bytes: SQLite had not even written its header, so it holds nothing) and the
    files beside it, which a start refused as it opened them (a full disk) left there: they go first."""
    if folders and database and _empty_file(database):
        # a link's target, which the folders were made for: the link is the user's, and stays
        database = os.path.realpath(database)
        for name in (database, *(database + suffix for suffix in BESIDE_DATABASE)):
            with contextlib.suppress(OSError):
                os.unlink(name)
    for folder in folders:
        if not os.path.isdir(folder):  # not made: the make stopped above it (its name too long, say)
            continue
        try:
            folder.rmdir()
        except OSError:
            return


def _empty_file(path: str) -> bool:
    try:
        return os.stat(path).st_size == 0
    except OSError:
        return False


HELD: list[Any] = []  # the owner files this process holds locked (shared_database)


def remove_abandoned_folders() -> None:
    """Remove the ":memory:" folders of masters that died without their cleanup (SIGKILL, a power cut): this user's
    folders whose `owner` file names no live process and is not held locked. A folder without an owner file yet is
    a master's that is starting, and is left; so is one whose owner's pid has been reused since, until that process
    is gone too, and one whose owner runs in another pid namespace (another container sharing the temporary folder),
    where its pid names no process here: its lock is seen from any namespace (and its workers, which share it)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{MEMORY_PREFIX}*"):
        try:
            if folder.is_symlink() or folder.stat().st_uid != os.getuid():
                continue
            owner = (folder / "owner").read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            continue
        if owner.isdigit() and not alive(int(owner)) and not held_locked(folder / "owner"):
            shutil.rmtree(folder, ignore_errors=True)


def held_locked(path: Path) -> bool:
    """Whether a process holds `path` locked (a running server's owner file); not, if it cannot be opened."""
    try:
        with open(path, "rb") as probe:
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False


# A tmpfs in a container (Docker, Kubernetes) even under a read-only root file system; gunicorn's advice for the
# heartbeat files, which a file system on disk can block a worker on.
MEMORY_BACKED_FOLDER = "/dev/shm"


def heartbeat_folder(database: str) -> str:
    """Where gunicorn keeps each worker's heartbeat (an open, unlinked file whose time it sets about once a second):
    /dev/shm, else the temporary folder, else the database's own, the one folder `serve` needs writable. Left to
    gunicorn, it was the temporary folder alone: under a read-only root file system with no writable /tmp, the
    startup line was said and then every worker failed to start, in a traceback and an exit status of 255."""
    def usable(folder: str) -> bool:
        return os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK)

    if usable(MEMORY_BACKED_FOLDER):
        return MEMORY_BACKED_FOLDER
    with contextlib.suppress(OSError):  # none usable: FileNotFoundError (looking writes and removes a file there)
        if usable(temporary := tempfile.gettempdir()):
            return temporary
    return str(Path(database).resolve().parent)


def listen_host(text: str) -> str:
    """--host as given: a name, an IPv4 address, or an IPv6 one with or without its URL brackets ("[::1]")."""
    return text[1:-1] if text.startswith("[") and text.endswith("]") else text


def check_address(host: str, port: int) -> None:
    """Fail in one line when the address cannot be listened on, instead of after gunicorn's five retries (5 s and
    ten log lines). gunicorn binds again right after: another server can still take the port in between, and then
    gunicorn's own messages tell."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise ConfigError(f"cannot listen on host {clipped(host, 202)}: {getattr(exc, 'strerror', None) or exc}"
                          ) from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does: TIME_WAIT is no obstacle
        try:
            probe.bind(address)
        except OSError as exc:
            hint = {errno.EADDRINUSE: ": another server is using it (choose another --port)",
                    errno.EACCES: ": a port below 1024 needs root, or the capability CAP_NET_BIND_SERVICE (choose a"
                                  " --port from 1024, 8080 say)" if 0 < port < 1024 else ""}.get(exc.errno, "")
            raise ConfigError(f"cannot listen on {clip(host, 200)}:{port}: {exc.strerror}{hint}") from None


def gunicorn_options(host: str, port: int, workers: int, threads: int, log_level: str,
                     idle_timeout: int = 5, verbose: bool = False, certfile: str | None = None,
                     keyfile: str | None = None, admin_token: bool = False, body_timeout: int = 20,
                     journal: str = "", heartbeats: str | None = None, graceful_timeout: int = 5,
                     database: str = "", token_command: str = "mockserver token") -> dict[str, Any]:
    return {
        # HTTPS, as a client's base URL may insist; the context is built once per worker (see mockserver.tls)
        **({"certfile": certfile, "keyfile": keyfile, "ssl_context": server_context, "on_starting": preload_context}
           if certfile else {}),
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        # gunicorn's gthread and sync workers, answering malformed HTTP in the vendor's envelope too
        "worker_class": f"mockserver.workers.Envelope{'Thread' if threads > 1 else 'Sync'}Worker",
        "loglevel": log_level,
        "accesslog": None,
        "errorlog": "-",
        # How long a stop (SIGTERM, Ctrl-C) lets the requests in hand finish before it kills their workers
        "graceful_timeout": graceful_timeout,
        "worker_tmp_dir": heartbeats,  # see heartbeat_folder; None: the temporary folder
        # The arbiter kills a sync worker that has not checked in for this long, answer unsent: room for the
        # longest latency fault (30 s, mockserver.faults) and the slowest request the timeouts below let in.
        "timeout": LONGEST_LATENCY_S + idle_timeout + body_timeout + 10,
        # How long a connection may stay silent: before its first request (the sync worker closes it, see
        # mockserver.workers) and between requests (gthread's keep-alive).
        "keepalive": idle_timeout,
        # The largest request head served, the in-process mock's too (mockserver.wire)
        "limit_request_line": wire.REQUEST_LINE_MAX,
        "limit_request_fields": wire.FIELDS_MAX,
        "limit_request_field_size": wire.FIELD_SIZE_MAX,
        # One shared control socket path per user would make parallel mocks (tests, CI) trip over each other.
        "control_socket_disable": True,
        "when_ready": Announce(verbose, admin_token, journal, serving_summary(database, workers, threads),
                               token_command),
        # gunicorn would take X-Forwarded-Proto from 127.0.0.1 and ::1 by default (a local client's word, then): the
        # app reads the forwarded headers instead, from --forwarded-allow-ips alone (mockserver.forwarded)
        "forwarded_allow_ips": "",
    }


def tell(line: str) -> None:
    """One line on stderr from the server's own process. A stderr that cannot be written (a log pipe whose reader
    died, a full disk) loses the line, not the server: print would raise in a gunicorn hook, which stops it. A name
    in it holding a newline or an invisible character (`--db $'new\\nline/x.sqlite3'`) is escaped, as a refusal
    quoting it escapes it (mockserver.errors.shown): one line, always."""
    with contextlib.suppress(OSError, ValueError):  # ValueError: stderr closed
        print(shown(line), file=sys.stderr, flush=True)


def serving_summary(database: str, workers: int, threads: int) -> str:
    """The database file as a path from the root (`--db mock.sqlite3` is in the folder the server was started in),
    and the workers, for the startup line. `database` is "" when not known, ":memory:" for a throwaway file."""
    kept = "" if not database else (
        "database :memory: (nothing kept)" if database == ":memory:" else f"database {Path(database).resolve()}")
    held = f"{workers} worker{'s' if workers > 1 else ''}" + (f" of {threads} threads" if threads > 1 else "")
    return f"{kept}; {held}" if kept else held


class Announce:
    """gunicorn's when_ready hook (it passes the arbiter alone): one line on stderr once the socket is bound,
    whatever the log level, saying where the mock is, what it keeps its campaigns in, and with how many workers."""

    def __init__(self, verbose: bool = False, admin_token: bool = False, journal: str = "",
                 serving: str = "", token_command: str = "mockserver token") -> None:
        self.endpoint = served_here()  # what endpoint.json names, as the workers serve it
        self.admin = "admin at /__admin (token required)" if admin_token else "admin at /__admin"
        self.admin += f"; {journal}" if journal else ""
        self.admin += f"; {serving}" if serving else ""
        self.hint = "" if verbose else "; -v logs each request"
        self.admin_token = admin_token
        self.token_command = token_command  # names --tenant FILE when served: the default tenant's apps are not here

    def __call__(self, arbiter: Any) -> None:
        where = ", ".join(str(listener) for listener in arbiter.LISTENERS)
        tell(f"mockserver: serving at {where} ({self.endpoint}; {self.admin};"
             f" a token: `{self.token_command}`{self.hint}; pid {arbiter.pid})")
        reached = [str(listener) for listener in arbiter.LISTENERS if not on_loopback(listener)]
        if reached and not self.admin_token:  # README's "start it with a token", said where it is missed
            tell(f"mockserver: the admin API is open to every client that can reach {', '.join(reached)}: any of them"
                 " can read the journal, reset the mock and fault its requests; on a shared sandbox give"
                 " --admin-token-file FILE or $MOCK_ADMIN_TOKEN")


def on_loopback(listener: Any) -> bool:
    """Whether a listening socket is on a loopback address (127.0.0.0/8, ::1), which only this machine reaches."""
    try:
        host = listener.sock.getsockname()[0]
        return ipaddress.ip_address(host.partition("%")[0]).is_loopback
    except (OSError, ValueError, AttributeError, IndexError):  # no address to tell by: say what may be reached
        return False
