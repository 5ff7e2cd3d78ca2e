"""gunicorn workers whose refusals of malformed HTTP use the vendor's error envelope too.

gunicorn answers a request it cannot parse (a request line over 4094 bytes, a header field over 8190 bytes,
more than 100 headers, a control character in a header, a bad Content-Length...) itself, before the app sees it,
with a short HTML page. These workers answer the same status with the JSON envelope every other refusal uses, so
a client's error handling sees one shape. Anything else goes to gunicorn's own handler unchanged.

Both also close a connection whose request does not arrive in time (see EnvelopeSyncWorker, EnvelopeThreadWorker)
and, when serving HTTPS, answer a plain-HTTP request on the TLS port with a 400 that says so, as nginx does, rather
than leave the client with a failed handshake.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import logging
import os
import select
import signal
import socket
import ssl
import struct
import sys
import time
from typing import Any

from gunicorn import util
from gunicorn.http import errors
from gunicorn.http.message import Message
from gunicorn.workers.gthread import ThreadWorker
from gunicorn.workers.sync import SyncWorker

from mockserver import connection, keep_alive, linger, open_files, read_deadline, wire, worker_log
from mockserver.in_hand import InHand
from mockserver.redaction import redacted_text
from mockserver.shown_text import clip, clipped
from mockserver.tls import not_tls, plain_http_on_tls

# gunicorn's parse errors (by name: a later version may drop one) -> failure row
REFUSED = {
    "LimitRequestLine": "http.line_too_long",
    "LimitRequestHeaders": "http.headers_too_large",
    "UnsupportedTransferCoding": "body.transfer_coding",
    "ExpectationFailed": "http.expectation",
    **{name: "http.malformed" for name in (
        "InvalidRequestLine", "InvalidRequestMethod", "InvalidHTTPVersion", "InvalidHeader", "InvalidHeaderName",
        "ObsoleteFolding", "InvalidSchemeHeaders", "InvalidChunkSize", "ChunkMissingTerminator",
        "InvalidChunkExtension", "InvalidProxyLine", "InvalidProxyHeader",
    )},
}


class MissingHost(errors.ParseException):
    """An HTTP/1.1 request without a Host header, which RFC 9112 (3.2) has a server refuse with 400 and gunicorn
    serves."""

    def __str__(self) -> str:
        return wire.MISSING_HOST


REFUSED_TYPES = (*((cls, key) for name, key in REFUSED.items() if (cls := getattr(errors, name, None))),
                 (MissingHost, "http.malformed"))


def refusal_key(exc: BaseException) -> str | None:
    """The failure row for a parse error gunicorn raised, or None if it is not one of ours."""
    return next((key for cls, key in REFUSED_TYPES if isinstance(exc, cls)), None)


def refused_as(exc: BaseException) -> tuple[str, str] | None:
    """(failure key, detail) for a parse error gunicorn raised, in the head or in a chunked body, or None if it is
    not one of ours."""
    key = refusal_key(exc)
    if key is None:
        return None
    if isinstance(exc, errors.ExpectationFailed):  # its words ("Unable to comply with expectation") are the row's
        return key, clipped(exc.expect, 62)
    if isinstance(exc, errors.InvalidHTTPVersion) and isinstance(exc.version, tuple) and exc.version[0] >= 2:
        return "http.version", wire.version_text(exc.version)  # RFC 9110 (15.6.6): 505
    if isinstance(exc, errors.InvalidHeader):
        return key, wire.invalid_header(exc.hdr, no_colon(exc))
    if isinstance(exc, errors.InvalidHeaderName) and exc.hdr in wire.FORBIDDEN_TRAILERS:  # a valid name, refused
        return key, wire.forbidden_trailer(exc.hdr)  # because only a trailer cannot carry it
    quoted = quoted_head(exc)
    return key, clip(quoted, 200) if quoted is not None else clip(str(exc), 200)


def no_colon(exc: errors.InvalidHeader) -> bool | None:
    """Whether gunicorn refused a header line for having no `name:` (True) or a field for its value (False); None if
    this gunicorn does not tell. It names the line itself in the first case and the field's name in capitals in the
    second, so that a line `X-NOTE` was told its value held a control character. The line it was reading tells them
    apart: it is what is named only in the first."""
    frame = exc.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    line = frame.tb_frame.f_locals.get("curr") if frame is not None else None
    return line == exc.hdr if isinstance(line, str) else None


def quoted_head(exc: BaseException) -> str | None:
    """A refused request line or header name, quoted as the client wrote it (gunicorn's words read its bytes as
    Latin-1, cd-\u00c3\u00bc for cd-\u00fc), or a refused header line as the answer quotes it (one with no name may
    be the rest of a token: its first characters alone), with what to send instead; None for any other parse
    error."""
    if isinstance(exc, errors.InvalidHeaderName) and isinstance(exc.hdr, str):
        return wire.invalid_name(exc.hdr)
    if isinstance(exc, errors.InvalidHeader) and isinstance(exc.hdr, str):
        return wire.invalid_header(exc.hdr, no_colon(exc))
    if isinstance(exc, errors.InvalidRequestLine) and isinstance(exc.req, str):
        return wire.invalid_line(exc.req)
    return None


def refusal(exc: BaseException, cors: str = "", to_head: bool = False) -> bytes | None:
    """The raw HTTP answer for a parse error gunicorn raised, or None if it is not one of ours; without its content
    when `to_head` (a HEAD request's)."""
    found = refused_as(exc)
    return None if found is None else raw_answer(found[0], cors, to_head=to_head, detail=found[1])


def raw_answer(key: str, cors: str = "", **params: Any) -> bytes:
    """A whole HTTP response in the vendor's envelope, for a refusal made before the app sees the request."""
    return wire.raw_answer(key, "gunicorn", cors, **params)


def asked_head(req: Any, exc: BaseException) -> bool:
    """Whether the request refused for `exc` is a HEAD request: by the request gunicorn made of its head, or, when
    it refused the head (and so made none), by the method it read from the request line, or before that was read
    whole, by the bytes of it the parser had read (its `buf`). The framing of a body (a Content-Length `x`, one
    beside chunked) is refused after the whole head is read, in no frame holding a `buf`."""
    if req is not None:
        return getattr(req, "method", None) == "HEAD"
    frame = exc.__traceback__
    while frame is not None:  # from the worker's handler down to the raise: the request being made comes first
        seen = frame.tb_frame.f_locals
        if isinstance(message := seen.get("self"), Message):
            if isinstance(method := getattr(message, "method", None), str):
                return method == "HEAD"
            if isinstance(read := seen.get("buf"), bytes | bytearray):
                return wire.asks_head(bytes(read[:8]))
        frame = frame.tb_next
    return False


def cors_lines(app: Any, head: bytes) -> str:
    """The CORS header lines of a refusal made before `app` (the worker's) sees the request; none without --cors."""
    cors = getattr(app, "extensions", {}).get("cors")  # a mockserver.cors.Cors: the master imports no Flask
    return cors.before_the_app(wire.origin_in(head)) if cors is not None else ""


def answer_plain_http(client: socket.socket, log: Any, addr: Any, app: Any = None) -> None:
    """Tell a client that sent plain HTTP to the HTTPS port to use https://, in plain HTTP, and close; a page its
    --cors allows may read it (its head is still unread: peeked)."""
    log.warning("Plain HTTP request on the HTTPS port from ip=%s: answered 400", (addr or ("",))[0])
    head = b""
    with contextlib.suppress(OSError):
        head = client.recv(PEEK_BYTES, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    with contextlib.suppress(OSError):
        client.settimeout(1.0)
        client.sendall(raw_answer("http.tls_required", cors_lines(app, head), to_head=wire.asks_head(head)))


def asks_to_close(headers: list[tuple[str, str]]) -> bool:
    """Whether a request's Connection lines hold the "close" option anywhere (RFC 9112, 9.6: the server closes the
    connection after its answer). gunicorn heeds it only as the whole value of the first Connection line, and kept
    `Connection: keep-alive, close` alive on gthread workers, serving the next request sent on it."""
    return any(name == "CONNECTION" and "close" in value.lower().replace(" ", "").replace("\t", "").split(",")
               for name, value in headers)


def continue_on_read(request: Any, sock: Any) -> None:
    """Send a request's `100 Continue` when the app first reads its body (mockserver.wire.ContinueOnRead), not before
    the app runs: one refused on its headers (a bad token) is answered without asking for the body. Until the 100 is
    sent the connection closes after the answer, since the body the client holds back cannot be told from a next
    request; once it is, it stays as it was."""
    closing = request.must_close

    def send() -> None:
        sock.sendall(wire.CONTINUE)
        request.must_close = closing  # nothing refused the request before its body was asked for

    request._expected_100_continue = False
    request.must_close = True
    request.body = wire.ContinueOnRead(request.body, send)


PR_SET_PDEATHSIG = 1  # Linux's prctl option: the signal a process gets when its parent dies


def stop_with_master(master: int) -> None:
    """Have the kernel send this worker SIGTERM as its master dies (Linux's PR_SET_PDEATHSIG). gunicorn's workers
    look for their master only between requests and every half timeout, 32 s here: a master killed with SIGKILL left
    them serving, and holding the port, for half a minute, so a supervisor's restart was told that another server
    had it. SIGTERM lets a request in hand finish. Elsewhere than Linux, nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            return
    except (OSError, AttributeError):  # no C library to load, or no prctl in it
        return
    if os.getppid() != master:  # it died before the call: no signal will come
        os.kill(os.getpid(), signal.SIGTERM)


class EnvelopeErrors:
    """Mixed into a gunicorn worker class, ahead of it."""

    log: Any
    request_at: int  # where gunicorn's handle_request takes the request: (listener, req, ...) or (req, conn)
    repeated: worker_log.RepeatedWarnings | None = None
    mock_log: tuple[logging.Logger, worker_log.RepeatedWarnings] | None = None  # the app's own errors, and their filter
    head = b""  # the connection's head as peeked (sync, plain HTTP), for a refusal's Origin; gthread reads it unseen

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.in_hand = InHand()  # built in the master, before the fork: what a stop that kills the worker cuts

    def init_process(self) -> None:
        stop_with_master(self.ppid)  # type: ignore[attr-defined]
        self.repeated = worker_log.install(self.log.error_log)
        self.mock_log = worker_log.install_mock_log(self.log.error_log)
        try:
            super().init_process()  # type: ignore[misc]  # runs the worker until it stops
        finally:
            # A Ctrl-C reaches a worker twice: the terminal's SIGINT, and the master's SIGTERM (SIGQUIT for a second
            # one) a moment later. Once Python, exiting, had put its handlers back to the default action, the second
            # killed the worker, and the master logged "Worker (pid:N) was sent SIGQUIT!" for most workers on most
            # Ctrl-Cs. The worker is done: they are ignored from here. Blocking them (in this thread only) was not
            # enough: the store's checkpoint and journal threads, still there while Python exits, took one under load.
            for stop in (signal.SIGINT, signal.SIGQUIT, signal.SIGTERM):
                signal.signal(stop, signal.SIG_IGN)  # Python leaves SIG_IGN as it is when it exits
            self.repeated.flush(self.log.error_log, everything=True)  # what was left out, before the worker goes
            self.mock_log[1].flush(self.mock_log[0], everything=True)

    def handle_quit(self, sig: int, frame: Any) -> None:
        """Ctrl-C (SIGINT, to the whole process group; the master passes it on as SIGQUIT) lets the request in hand
        finish, as SIGTERM does. gunicorn's quick exit raised SystemExit inside it: a create already stored was
        answered with gunicorn's HTML 500, and a client that sent it again got 409 for its own campaign."""
        self.handle_exit(sig, frame)  # type: ignore[attr-defined]

    def notify(self) -> None:  # the worker loop calls it between requests, and when idle at least every half timeout
        super().notify()  # type: ignore[misc]
        if self.repeated is not None:
            self.repeated.flush(self.log.error_log)
        if self.mock_log is not None:
            self.mock_log[1].flush(self.mock_log[0])

    def handle_request(self, *args: Any) -> Any:
        read_deadline.lift()  # the head is in: from here the app bounds what it reads (the body)
        request = args[self.request_at]
        if request.version >= (1, 1) and not any(name == "HOST" for name, _ in request.headers):
            raise MissingHost()  # answered as the parse errors are (handle_error), before the app sees it
        if request.uri[:1] != "/" and (host := wire.target_host(request.uri)) is not None:  # absolute form: the
            # target's host wins over Host (RFC 9112, 3.2.2), as werkzeug's server (the in-process mock) has it
            request.headers = [*((name, value) for name, value in request.headers if name != "HOST"), ("HOST", host)]
        if asks_to_close(request.headers):
            request.must_close = True
        if request.version > (1, 1):  # HTTP/1.2...: answered in the highest version served (RFC 9110, 2.5), not echoed
            request.version = (1, 1)
        if request._expected_100_continue:  # gunicorn would send 100 Continue now, before the app has looked
            continue_on_read(request, self.client_socket(args))
        connection.answering(request)
        self.in_hand.add(1)
        try:
            kept = super().handle_request(*args)  # type: ignore[misc]  # gthread: whether the connection is kept
        finally:
            self.in_hand.add(-1)
            connection.answering(None)
        if kept is not True and linger.body_left(request.body):  # answered: sync workers close after every answer
            linger.end_and_drain(self.client_socket(args))
        return kept

    def client_socket(self, args: tuple[Any, ...]) -> Any:
        """The connection's socket, from handle_request's arguments."""
        raise NotImplementedError

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        if isinstance(exc, ssl.SSLError):  # a failed handshake: nothing can be said inside it, and gunicorn's plain
            # HTML 400 would reach the client as garbage; the connection is closed (plain HTTP is answered earlier)
            self.log.warning("TLS handshake with ip=%s failed: %s", (addr or ("",))[0], exc.reason or exc)
            return
        answer = refusal(exc, cors_lines(getattr(self, "wsgi", None), self.head), asked_head(req, exc))
        if answer is None:
            super().handle_error(req, client, addr, exc)  # type: ignore[misc]
            return
        said = quoted_head(exc) or str(exc)  # as the answer quotes it
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], redacted_text(said))
        try:
            util.write_nonblock(client, answer)
        except OSError:
            self.log.debug("Failed to send error message.")


FIRST_BYTES_WAIT = 0.5  # a TLS connection's first bytes arrive with it: a client that waits longer is looked at later
FILES_FULL_PAUSE_S = 1.0  # after an accept refused for want of a file, no connection is taken for this long


def files_full(log: Any, exc: OSError, threads: int) -> bool:
    """Whether an accept was refused for want of a file (the worker's limit on open files, or the whole system's),
    which pauses the worker's taking of connections rather than stop it; said in one line if so. A limit lowered
    below what the worker's own files need (`prlimit --pid`) keeps it paused until it is raised: the line says so,
    where "it takes none for 1 s" left its reader waiting for the worker to take the connections again."""
    if exc.errno not in (errno.EMFILE, errno.ENFILE):
        return False
    short = open_files.short_of_files(threads) if exc.errno == errno.EMFILE else None
    if short:
        log.warning("A worker could not take a connection: %s: %s; it takes none until then (it tries again every"
                    " %g s)", exc.strerror, short, FILES_FULL_PAUSE_S)
    else:
        log.warning("A worker could not take a connection: %s; it takes none for %g s (raise ulimit -n)",
                    exc.strerror, FILES_FULL_PAUSE_S)
    return True


def wait_for_data(conn: Any, timeout: float) -> bool:
    """gunicorn's TConn.wait_for_data (whether a new connection's first bytes arrive within `timeout`), by poll(2),
    which takes no file. gunicorn's made a selector for it, an epoll file: a worker at its limit on open files (the
    accepted connection took its last one, or `prlimit` lowered the limit under it) logged "Socket error processing
    request" with a traceback for every connection, each closed unanswered."""
    if conn.data_ready:
        return True
    try:
        poller = select.poll()
        poller.register(conn.sock, select.POLLIN)
        conn.data_ready = bool(poller.poll(timeout * 1000))
    except (OSError, ValueError):  # gunicorn's answer for a socket closed meanwhile
        return False
    return conn.data_ready


class EnvelopeThreadWorker(EnvelopeErrors, ThreadWorker):
    """gthread, closing a connection whose request stops arriving within the keepalive setting (`--idle-timeout`).

    gthread waits for a request's first bytes in its poller, then reads the rest with blocking reads: headers cut
    off halfway held a thread until the client went away. A receive timeout on the socket (SO_RCVTIMEO, set once
    per connection) bounds each of those reads, and a deadline (mockserver.read_deadline) the whole head, so a client
    trickling it a byte at a time cannot hold the thread either; the poller's non-blocking waits are unaffected.
    """

    request_at = 0
    _room = 0  # the connections it may hold at once (open_files); 0 while it takes none, after an accept failed
    _files_full_at: float | None = None
    _files_bound = False  # whether the limit on open files, not gunicorn's worker_connections, bounds _room
    _files_limit: int | None = None

    def client_socket(self, args: tuple[Any, ...]) -> Any:
        return args[1].sock  # (req, conn)

    def run(self) -> None:
        """Hold no more connections at once than the limit on open files leaves room for (open_files)."""
        self._room, self._files_limit = open_files.connection_room(self.worker_connections, self.cfg.threads)
        if self._room < self.worker_connections:
            self.worker_connections = self._room
            self.max_keepalived = max(0, self._room - self.cfg.threads)
            self._files_bound = True
        super().run()

    def accept(self, listener: Any) -> None:
        """gunicorn's, but a connection refused for want of a file (another file held meanwhile, the whole system's
        limit) stops the taking of connections for FILES_FULL_PAUSE_S, rather than the worker (notify)."""
        try:
            super().accept(listener)
            if self._files_bound and self.nr_conns >= self._room:
                self.log.warning("A worker holds %d connections, as many as its limit of %s open files (ulimit -n)"
                                 " leaves room for: the others wait to be taken; raise the limit for more",
                                 self.nr_conns, self._files_limit)
        except OSError as exc:
            if not files_full(self.log, exc, self.cfg.threads):
                raise
            self._files_full_at = time.monotonic()
            self.worker_connections = 0  # gunicorn's loop stops accepting below it

    def notify(self) -> None:
        super().notify()
        if self._files_full_at is not None and time.monotonic() - self._files_full_at >= FILES_FULL_PAUSE_S:
            self._files_full_at = None
            self.worker_connections = self._room

    def init_process(self) -> None:
        seconds = float(self.cfg.keepalive)
        self._receive_timeout = struct.pack("ll", int(seconds), int(seconds % 1 * 1_000_000))
        super().init_process()

    def load_wsgi(self) -> None:
        super().load_wsgi()
        if hasattr(self.wsgi, "wsgi_app"):  # the mock's Flask app: its own middleware, so self.wsgi stays the app
            self.wsgi.wsgi_app = keep_alive.said(self.wsgi.wsgi_app, self.cfg.keepalive, lambda: not self.alive)

    def handle(self, conn: Any) -> Any:
        worker_log.serving(conn.client)
        if not conn.initialized:
            if hasattr(select, "poll"):  # gunicorn's own wait where there is none
                conn.wait_for_data = functools.partial(wait_for_data, conn)
            read_deadline.bound(conn.sock)
            with contextlib.suppress(OSError):  # a socket closed under us: the handler finds out
                conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, self._receive_timeout)
            read_deadline.send_timeout(conn.sock, self.cfg.keepalive)
            # not yet wrapped: its bytes are the client's. gunicorn waits for a new connection's first bytes in
            # this thread too, so waiting here holds the thread no longer.
            if self.cfg.is_ssl and plain_http_on_tls(conn.sock, wait=FIRST_BYTES_WAIT):
                answer_plain_http(conn.sock, self.log, conn.client, getattr(self, "wsgi", None))
                return False  # gunicorn closes the connection, draining what the client sent
        with read_deadline.within(self.cfg.keepalive):  # the headers, whole, trickled or not
            return super().handle(conn)


def headers_whole(arrived: bytes) -> bool:
    """Whether gunicorn can answer what has arrived: the headers are whole, or a line ends in a bare LF, which
    gunicorn refuses (400) at once, as soon as it reads that line: waiting for a CRLF that will never come would
    close the connection without a word."""
    return b"\r\n\r\n" in arrived or arrived.count(b"\n") != arrived.count(b"\r\n")


# How long a stopping worker (SIGHUP, SIGTERM) waits for the first bytes of a connection it had taken: it closed one
# at once, and a client whose connect the worker took just before the signal, its request not yet sent, got a reset
STOPPING_FIRST_BYTES_S = 0.5
PEEK_BYTES = 16 * 1024  # room for the request line and headers gunicorn accepts (8190 per line) in most requests


class EnvelopeSyncWorker(EnvelopeErrors, SyncWorker):
    """sync, closing a connection whose request does not arrive within the keepalive setting (`--idle-timeout`).

    A sync worker reads a request with a blocking recv(). A connection that is opened and left silent (a
    browser's speculative preconnect, a port probe), or that stops halfway through its headers, would hold the
    worker until the arbiter kills it 30 s later (and the client of a half-sent request got gunicorn's HTML 500);
    two of them stall a two-worker mock for those 30 s. gthread parks silent connections in its poller; a sync
    worker waits a bounded time for the first byte and closes the connection, which is harmless before any
    request was sent on it. Headers that have not all arrived are waited for, unread, until they have (they must
    be complete within the same time of their first byte, so a client trickling a byte at a time cannot hold the
    worker either), and only then handed to gunicorn. Over HTTPS the bytes are TLS records, which say nothing of
    the headers until gunicorn has done the handshake: there each read of the handshake and the headers waits at
    most that time instead (mockserver.tls), and the headers must be whole within it (mockserver.read_deadline). A
    body that stalls or trickles is the app's to answer (408, mockserver.intake.read_raw).
    """

    request_at = 1

    def client_socket(self, args: tuple[Any, ...]) -> Any:
        return args[2]  # (listener, req, client, addr)

    def accept(self, listener: Any) -> None:
        """gunicorn's, but a connection refused for want of a file pauses the worker (files_full) rather than stop
        it: with its store's connections opened, a worker under `ulimit -n 16` died at each first request."""
        try:
            client, addr = listener.accept()
        except OSError as exc:
            if not files_full(self.log, exc, self.cfg.threads):
                raise
            time.sleep(FILES_FULL_PAUSE_S)  # the connection waits in the listening socket's queue meanwhile
            if not self.is_parent_alive():  # gunicorn's loop asks only after an EAGAIN: an orphan would go on
                self.alive = False
            return
        client.setblocking(1)
        util.close_on_exec(client)
        self.handle(listener, client, addr)

    def handle(self, listener: Any, client: Any, addr: Any) -> None:
        worker_log.serving(addr)
        arrived = self._peek(client, self.cfg.keepalive)
        if arrived is None:
            self.log.debug("Closing a connection from %s that sent nothing in %s s", (addr or ("",))[0],
                           self.cfg.keepalive)
            util.close(client)
            return
        if self.cfg.is_ssl:  # the bytes are TLS records until gunicorn wraps the socket: nothing to wait for in them
            if not_tls(arrived):
                answer_plain_http(client, self.log, addr, getattr(self, "wsgi", None))
                util.close_graceful(client)  # drains what the client sent before closing
                return
        elif arrived and not headers_whole(arrived):  # rare: the headers are still coming
            arrived = self._rest_of_headers(client, arrived, time.monotonic() + self.cfg.keepalive)
            if arrived is None:
                self.log.warning(worker_log.TOO_SLOW, (addr or ("",))[0])
                with contextlib.suppress(OSError):  # read what came, so the close is a FIN and not a reset
                    client.recv(PEEK_BYTES, socket.MSG_DONTWAIT)
                util.close(client)
                return
            if not headers_whole(arrived):  # larger than a peek, or the client closed: gunicorn reads on, bounded
                client.settimeout(self.cfg.keepalive)
        self.head = b"" if self.cfg.is_ssl else arrived
        read_deadline.bound(client)
        read_deadline.send_timeout(client, self.cfg.keepalive)
        with read_deadline.within(self.cfg.keepalive):  # over TLS, or beyond a peek: the rest of the headers
            super().handle(listener, client, addr)

    def _rest_of_headers(self, client: Any, arrived: bytes, deadline: float) -> bytes | None:
        """The bytes so far once the headers are all there, the client has closed, or a peek's worth came; None if
        the deadline passed first."""
        while not headers_whole(arrived) and len(arrived) < PEEK_BYTES:
            more = self._peek(client, deadline - time.monotonic(), beyond=len(arrived))
            if more is None or len(more) <= len(arrived):  # no more by the deadline, or closed after what came
                return more
            arrived = more
        return arrived

    def _peek(self, client: Any, seconds: float, beyond: int = 0) -> bytes | None:
        """What the client has sent so far, left unread, once it is more than `beyond` bytes; waits up to `seconds`
        (None if nothing more came). A closed connection returns what there is (b"" before a byte): gunicorn's
        handler deals with it as before.
        """
        deadline = time.monotonic() + seconds
        stopping_deadline: float | None = None  # set once the worker is seen stopping
        if beyond:  # wake only for more than is already there (peeked bytes keep a socket readable)
            with contextlib.suppress(OSError):  # if it cannot be set, the same bytes come back: read on as before
                client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVLOWAT, beyond + 1)
        try:
            while True:
                try:
                    found = client.recv(PEEK_BYTES, socket.MSG_PEEK | socket.MSG_DONTWAIT)
                    if len(found) > beyond or not found:
                        return found
                except BlockingIOError:
                    pass
                except OSError:
                    return b""
                now = time.monotonic()
                if not self.alive and stopping_deadline is None:
                    stopping_deadline = now + STOPPING_FIRST_BYTES_S
                # a stopping worker does not wait out a silent connection, but gives one it took a moment to speak
                left = min(deadline, stopping_deadline or deadline) - now
                if left <= 0:
                    return None
                try:
                    ready, _, _ = select.select([client], [], [], min(left, 1.0))
                except (OSError, ValueError):  # closed under us
                    return b""
                if ready and beyond:  # readable below the low-water mark: the client closed after what it sent
                    with contextlib.suppress(OSError):
                        return client.recv(PEEK_BYTES, socket.MSG_PEEK | socket.MSG_DONTWAIT)
                    return b""
        finally:
            if beyond:
                with contextlib.suppress(OSError):
                    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVLOWAT, 1)
