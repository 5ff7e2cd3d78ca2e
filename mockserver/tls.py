"""HTTPS for `mockserver serve`: the certificate checked at start-up, and TLS sockets whose reads are bounded.

gunicorn serves TLS itself once given --certfile. Two things it leaves open are closed here:
- it loads the certificate and key in every handshake, so a wrong file fails only then; `check_tls` loads them once
  before any worker starts, and `server_context` builds each worker's context once and reuses it until the files
  change;
- a blocking TLS socket ignores the receive timeout (SO_RCVTIMEO) that bounds a plain connection's reads: on a
  timed-out read CPython's ssl module simply reads again. A client that completes the handshake and then sends
  nothing, or half its headers, would hold a gthread thread for ever. The sockets made here turn "blocking" into
  "blocking for at most --idle-timeout", so such a client is dropped like a plain one. That timeout also bounds
  the handshake as a whole (CPython counts it from the handshake's start), so a trickled handshake is dropped too.
A plain HTTP request sent to the HTTPS port is answered by the workers (mockserver.workers).
"""

from __future__ import annotations

import functools
import logging
import os
import select
import socket
import ssl
import struct
from dataclasses import dataclass
from typing import Any

from mockserver.errors import ConfigError
from mockserver.read_deadline import DeadlineReads
from mockserver.regular_files import not_regular

TLS_HANDSHAKE = 0x16  # the first byte a TLS client sends: the content type of a handshake record
PEM_READ_AT_MOST = 1024 * 1024  # a certificate chain and a key are a few KB


def _pem(path: str, option: str) -> str:
    if (why := not_regular(path)) is not None:  # a named pipe held the start, waiting for a writer
        raise ConfigError(f"cannot read {option}: {why}", where=path)
    try:
        with open(path, "rb") as handle:
            return handle.read(PEM_READ_AT_MOST).decode("ascii", errors="replace")
    except OSError as exc:
        raise ConfigError(f"cannot read {option}: {exc.strerror}", where=path) from None


def _encrypted(pem: str) -> bool:
    """Whether a PEM key is encrypted (PKCS#8, or OpenSSL's traditional format): loading it would ask for a
    passphrase on the terminal, which a server must not wait at."""
    return "-----BEGIN ENCRYPTED PRIVATE KEY-----" in pem or "Proc-Type: 4,ENCRYPTED" in pem


ENCRYPTED_KEY = ("the private key is encrypted, and the mock cannot ask for its passphrase: write it out unencrypted "
                 "(openssl pkey -in KEY -out plain-key.pem)")


def check_tls(certfile: str | None, keyfile: str | None) -> None:
    """Load the certificate and key once, so a wrong path, a file of another kind or a key that does not match
    fails here in one line naming the file, rather than in each worker's first handshake."""
    if keyfile and not certfile:
        raise ConfigError("--keyfile needs --certfile (the certificate it belongs to)")
    if not certfile:
        return
    if "-----BEGIN CERTIFICATE-----" not in _pem(certfile, "--certfile"):
        raise ConfigError("--certfile holds no PEM certificate (-----BEGIN CERTIFICATE-----)", where=certfile)
    key_pem = _pem(keyfile or certfile, "--keyfile" if keyfile else "--certfile")
    if "PRIVATE KEY-----" not in key_pem:
        raise ConfigError("--keyfile holds no PEM private key" if keyfile else
                          "--certfile holds no private key: give the key with --keyfile", where=keyfile or certfile)
    if _encrypted(key_pem):
        raise ConfigError(ENCRYPTED_KEY, where=keyfile or certfile)
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(certfile, keyfile)
    except ssl.SSLError as exc:
        detail = exc.reason.lower().replace("_", " ") if exc.reason else str(exc)
        raise ConfigError(f"the certificate and the key do not go together: {detail}", where=certfile) from None
    except OSError as exc:  # changed on disk since it was read
        raise ConfigError(f"cannot read the certificate or the key: {exc.strerror}", where=certfile) from None


def plain_http_on_tls(client: socket.socket, wait: float = 0.0) -> bool:
    """Whether the connection's first bytes, once they arrive (waiting up to `wait` s for them), are not a TLS
    handshake: a plain HTTP request. The bytes stay unread."""
    try:
        if wait and not select.select([client], [], [], wait)[0]:
            return False  # nothing yet: the server waits for it as for any connection
        first = client.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except (OSError, ValueError):  # nothing yet, or gone: the TLS handshake deals with it
        return False
    return not_tls(first)


def not_tls(arrived: bytes) -> bool:
    """Whether a connection's first bytes (some, at least) are not a TLS handshake: a plain HTTP request."""
    return bool(arrived) and arrived[0] != TLS_HANDSHAKE


def shutdown(sock: socket.socket, how: int) -> None:
    """Shut down one or both directions of a connection, plain or TLS. SSLSocket.shutdown also drops the TLS
    layer, so what the server wrote next (a 408, say) would reach the client in clear, which it cannot read."""
    socket.socket.shutdown(sock, how)


def reset(sock: socket.socket) -> None:
    """Reset a connection, plain or TLS (the client's next read fails with ECONNRESET), leaving the server's socket
    object as `shutdown` leaves it: its writes fail (EPIPE) and its reads see the end. With SO_LINGER 0, closing the
    connection's last descriptor sends a reset; the server still holds it, so it is replaced in place (dup2) by one
    end of a shut-down socket pair, which the server's own close closes later. Where descriptors cannot be
    replaced so (Windows sockets, only the in-process mock runs there), the connection is shut down as `drop` does."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    spare, other = socket.socketpair()
    with spare, other:
        spare.shutdown(socket.SHUT_RDWR)
        try:
            os.dup2(spare.fileno(), sock.fileno())
        except OSError:
            shutdown(sock, socket.SHUT_RDWR)


class BoundedSSLSocket(DeadlineReads, ssl.SSLSocket):
    """An SSLSocket on which "blocking" means waiting at most `idle_timeout` seconds for each read or write, and
    whose reads honour the request's deadline (mockserver.read_deadline)."""

    idle_timeout: float = 5.0

    def settimeout(self, value: float | None) -> None:
        super().settimeout(self.idle_timeout if value is None else value)

    def setblocking(self, flag: bool) -> None:
        self.settimeout(None if flag else 0.0)


@functools.cache
def bounded_socket_class(idle_timeout: float) -> type[BoundedSSLSocket]:
    return type("BoundedSSLSocket", (BoundedSSLSocket,), {"idle_timeout": float(idle_timeout)})


log = logging.getLogger("gunicorn.error")  # the workers' log, with their filters (mockserver.worker_log)


@dataclass
class Loaded:
    context: ssl.SSLContext
    files: tuple[tuple[int, int, int], ...] | None  # the files' (inode, size, mtime) when it was built


_contexts: dict[tuple[Any, ...], Loaded] = {}


def _files(*paths: str | None) -> tuple[tuple[int, int, int], ...] | None:
    """What tells a rewritten or replaced file from the one loaded; None if one cannot be read (being replaced)."""
    try:
        return tuple((st.st_ino, st.st_size, st.st_mtime_ns) for st in (os.stat(path) for path in paths if path))
    except OSError:
        return None


def preload_context(arbiter: Any) -> None:
    """gunicorn's on_starting hook: build the context in the master, before any worker is forked, so that every
    worker starts with the certificate checked at start-up to fall back on. Built lazily instead, a worker whose
    first handshake came while a renewal was half written had none, and failed every handshake until it loaded."""
    from gunicorn import sock  # here: the app imports this module, and needs no gunicorn

    try:
        sock.ssl_context(arbiter.cfg)
    except (OSError, ssl.SSLError) as exc:  # changed since check_tls read it, a moment ago
        raise ConfigError(f"cannot load --certfile/--keyfile: {exc}", where=arbiter.cfg.certfile) from None


def server_context(conf: Any, default_ssl_context_factory: Any) -> ssl.SSLContext:
    """gunicorn's `ssl_context` hook: its own context (certificate, ALPN, ciphers), making bounded sockets, built
    once per worker process and again when the certificate or key file changes (a renewed certificate is served
    from the next handshake, by every worker). A new file that does not load (half written, or a certificate
    whose key is not written yet) leaves the previous context in use until the files change again; the first
    context is built in the master (preload_context), so every worker has one."""
    key = (conf.certfile, conf.keyfile, conf.keepalive)
    files = _files(conf.certfile, conf.keyfile)  # two stat() calls per handshake, against ~1 ms of handshake
    loaded = _contexts.get(key)
    if loaded is not None and (files is None or files == loaded.files):
        return loaded.context
    try:  # two threads may both build it: the same context either way
        if loaded is not None and _encrypted(_pem(conf.keyfile or conf.certfile, "the key")):
            raise ssl.SSLError(ENCRYPTED_KEY)  # OpenSSL would ask for the passphrase on the terminal
        context = default_ssl_context_factory()
    except (OSError, ssl.SSLError, ConfigError) as exc:
        if loaded is None:  # checked at start-up (check_tls): the files changed since
            raise
        log.warning("The changed certificate or key did not load (%s): still serving the previous one", exc)
        _contexts[key] = Loaded(loaded.context, files)
        return loaded.context
    context.sslsocket_class = bounded_socket_class(conf.keepalive)
    if loaded is not None:
        log.info("Loaded the changed certificate %s", conf.certfile)
    _contexts[key] = Loaded(context, files)
    return context
