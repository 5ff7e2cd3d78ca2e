"""The in-process mock's HTTP server (mockserver.testing): werkzeug's, made to speak HTTP on the wire as
`mockserver serve` does.

werkzeug's handler (Python's http.server underneath) served what gunicorn refuses before the app runs (an
expectation other than 100-continue, HTTP/1.1 without Host, two Content-Lengths), answered what it did refuse
(HTTP/9.9, a request line of 64 KiB) with Python's HTML page, sent `100 Continue` twice, before a request it then
refused on its headers, and to HTTP/1.0 clients, read chunked bodies with a reader that took valid ones for broken,
and waited for a stalled body as long as the client kept the connection open. This handler refuses what
mockserver.wire says gunicorn refuses, in the same envelope, sends `100 Continue` once the app reads the body,
reads chunked bodies with mockserver.dechunk, and gives each read from the client `IDLE_TIMEOUT` (a stalled body is
answered 408 by the app, as served).
"""

from __future__ import annotations

import email.parser
import io
from typing import Any
from urllib.parse import unquote

from werkzeug.serving import DechunkedInput, WSGIRequestHandler

from mockserver import wire
from mockserver.dechunk import Dechunked
from mockserver.head_lines import CutOff, read_fields
from mockserver.shown_text import clip


class _ClientReads:
    """The client's stream as the handler reads it, ending at a read that timed out: Python's socket file refuses
    every read after one ("cannot read from timed out object"), and werkzeug's clean-up after the app's 408 to a
    stalled body read once more, so it raised before it closed the answer. The request stayed counted in hand, a
    stop waited its 5 s for it (mockserver.testing.STOP_WAIT_S), and werkzeug logged the error with a traceback."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._timed_out = False
        self.answered = False  # the answer's head is sent: what the app left of the body is werkzeug's to drop

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def _reading(self, method: str, *args: Any) -> Any:
        if self._timed_out:  # nothing more can come: the connection is closed after the answer
            return 0 if method == "readinto" else b""
        try:
            return getattr(self._stream, method)(*args)
        except TimeoutError:
            self._timed_out = True
            raise

    def read(self, *args: Any) -> bytes:
        if self.answered:  # werkzeug's drain after the answer (run_wsgi) reads 10 MB at a time, which waited for that
            # much or the client's close, with no time limit once the app had read the body (mockserver.intake): a
            # 413 to a 2 MB body held the connection and a thread for as long as the client waited for the close
            return self._reading("read1", *args)  # what has come, without waiting for more
        return self._reading("read", *args)

    def readline(self, *args: Any) -> bytes:
        return self._reading("readline", *args)

    def readinto(self, buffer: Any) -> int:
        return self._reading("readinto", buffer)


def _blanks_after_value_left_off(line: bytes) -> bytes:
    """A header line without the spaces and tabs after its value, which are no part of it (RFC 9110, 5.5) and which
    gunicorn leaves off: Python's parser kept them, so `accountid: ID ` was refused in-process as another account
    than the query's, and served by `mockserver serve`."""
    value = line.removesuffix(b"\r\n")
    return value.rstrip(b" \t") + line[len(value):]


ERRORS = {400: "http.malformed", 414: "http.line_too_long", 431: "http.headers_too_large", 505: "http.version"}


def too_long(length: int) -> str:
    """The detail of a request line past wire.REQUEST_LINE_MAX, in gunicorn's words."""
    return f"Request Line is too large ({length} > {wire.REQUEST_LINE_MAX})"


def _version(text: str) -> tuple[int, int]:
    """(major, minor) of "HTTP/1.1", as Python's handler has already checked it."""
    major, _, minor = text.removeprefix("HTTP/").partition(".")
    return (int(major), int(minor)) if major.isdigit() and minor.isdigit() else (0, 9)


class MockRequestHandler(WSGIRequestHandler):
    """No access log: the caller's test output shows its own messages (the journal keeps every request)."""

    timeout: float | None = None  # seconds each read from the client may wait: the app's IDLE_TIMEOUT (serve())
    _expect: str | None = None  # a 100-continue expectation, taken out of the headers werkzeug's run_wsgi reads
    cors: Any = None  # the app's mockserver.cors.Cors, with CORS: a refusal made here lets the pages it allows read it

    def log(self, type: str, message: str, *args: object) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        self.rfile = _ClientReads(self.rfile)

    def run_wsgi(self) -> None:
        """An HTTP/1.0 request answered in HTTP/1.0, as gunicorn answers it: its status line (Python's always said
        1.1), and a body of no announced length (a listing's) sent until the close, where werkzeug chunked it, which
        an HTTP/1.0 message cannot be (RFC 9112, 6.1: its client takes such framing for faulty)."""
        if self.request_version != "HTTP/1.0":
            return super().run_wsgi()
        self.protocol_version = "HTTP/1.0"  # this answer's alone: the class's stays
        try:
            super().run_wsgi()
        finally:
            del self.protocol_version

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Python's refusals (a bad request line or version, a line or header section too long) in the envelope."""
        key = ERRORS.get(code, "http.malformed")
        detail = repr(self.requestline.split()[-1][:40]) if key == "http.version" else (message or str(code))
        if key == "http.line_too_long":  # past Python's own 64 KiB: the bytes read of it
            detail = too_long(len(self.raw_requestline))
        self._refuse(key, detail)

    def _refuse(self, key: str, detail: str, origin: str | None = None) -> None:
        self.close_connection = True
        cors = self.cors.before_the_app(origin) if self.cors is not None else ""
        to_head = wire.asks_head(getattr(self, "raw_requestline", b""))
        self.wfile.write(wire.raw_answer(key, self.version_string(), cors, to_head=to_head, detail=clip(detail, 200)))

    def end_headers(self) -> None:
        super().end_headers()
        if isinstance(self.rfile, _ClientReads):
            self.rfile.answered = True

    def handle_expect_100(self) -> bool:
        return True  # sent when the app reads the body (make_environ), not before

    def parse_request(self) -> bool:
        self._expect = None
        if self.raw_requestline == b"\r\n":  # an empty line before the request line is passed over
            self.raw_requestline = self.rfile.readline(65537)  # (RFC 9112, 2.2), as gunicorn does
        length = len(self.raw_requestline.rstrip(b"\r\n"))
        if length > wire.REQUEST_LINE_MAX:
            self._refuse("http.line_too_long", too_long(length))
            return False
        if not self.raw_requestline.endswith(b"\n"):  # the client closed within the line: gunicorn answers nothing
            self.close_connection = True
            return False
        if self.raw_requestline == b"\r\n":  # a second empty line: Python's handler closed without a word
            self._refuse("http.malformed", wire.invalid_line(""))
            return False
        if self.raw_requestline.endswith(b"\n") and self.raw_requestline[-2:] != b"\r\n":  # a bare LF, which gunicorn
            # refuses and Python took for a line end
            self._refuse("http.malformed", wire.invalid_line("bare LF as line terminator"))
            return False
        problem = wire.line_problem(str(self.raw_requestline, "latin-1").removesuffix("\r\n"))
        if problem is not None:  # before Python's parse, which words them otherwise and served HTTP/1.10
            self._refuse(*problem)
            return False
        if not self._parse_head():
            return False
        problem = self._parse_problem()
        if problem is not None:
            self._refuse(*problem, origin=self.headers.get("Origin"))  # this request's: all read
            return False
        if "Expect" in self.headers:  # 100-continue, the only one left: werkzeug's run_wsgi would send it at once
            self._expect = self.headers["Expect"]
            del self.headers["Expect"]
        return True

    def _parse_head(self) -> bool:
        """Python's parse_request, given the header lines as gunicorn reads them (mockserver.head_lines): its own
        reader held them to 64 KiB a line and 99 fields. False once a refusal is sent."""
        try:
            fields, problem = read_fields(self.rfile)
        except CutOff:  # nothing to answer, as in `mockserver serve`: the client is gone
            self.close_connection = True
            return False
        client, self.rfile = self.rfile, io.BytesIO(b"\r\n")  # the request line alone, with no header
        try:
            if not super().parse_request():
                return False
        finally:
            self.rfile = client
        if problem is not None:
            self._refuse(*problem, origin=wire.origin_in(b"".join([self.raw_requestline, *fields, b"\r\n"])))
            return False
        head = b"".join(map(_blanks_after_value_left_off, fields)).decode("latin-1")
        self.headers = email.parser.Parser(_class=self.MessageClass).parsestr(head)
        connection = self.headers.get("Connection", "").lower()  # as Python's parse_request reads it
        if connection == "close":
            self.close_connection = True
        elif connection == "keep-alive" and self.protocol_version >= "HTTP/1.1":
            self.close_connection = False
        return True

    def _parse_problem(self) -> tuple[str, str] | None:
        """(failure key, detail) of what gunicorn would have refused in this request's head, or None."""
        return wire.head_problem(((name.upper(), value) for name, value in self.headers.items()),
                                 _version(self.request_version))

    def make_environ(self) -> dict[str, Any]:
        environ = super().make_environ()
        sent = self.requestline.split()[1]  # Python's handler makes self.path of `//__admin/health` /__admin/health,
        if sent.startswith("//"):  # so it was served: gunicorn keeps the slashes, and no endpoint serves them (404)
            path = sent.split("?", 1)[0].split("#", 1)[0]
            environ["PATH_INFO"] = unquote(path).encode().decode("latin-1")  # as werkzeug makes it
            environ["RAW_URI"] = sent.encode().decode("latin-1")  # a 404 names the path as sent, as under serve
        if not sent.startswith("/"):  # absolute form: its host stands in for Host as serve has it, without a
            # userinfo (`user:password@`), which werkzeug kept: the journal showed the password, and the OpenAPI
            # document's server was `/`. One with no host (`http://user@/path`) leaves the Host header, as in serve.
            host = wire.target_host(sent) or self.headers.get("Host")
            if host is None:
                environ.pop("HTTP_HOST", None)
            else:
                environ["HTTP_HOST"] = host
        if isinstance(environ["wsgi.input"], DechunkedInput):
            environ["wsgi.input"] = Dechunked(self.rfile)
        if self._expect is not None:
            environ["HTTP_EXPECT"] = self._expect  # the journal shows it as sent
            if _version(self.request_version) >= (1, 1):  # HTTP/1.0's is ignored (RFC 9110, 10.1.1)
                environ["wsgi.input"] = wire.ContinueOnRead(environ["wsgi.input"], self._send_continue)
        return environ

    def _send_continue(self) -> None:
        self.wfile.write(wire.CONTINUE)


def handler_for(app: Any) -> type[MockRequestHandler]:
    """The handler class for serving `app`: reads from the client wait the mock's IDLE_TIMEOUT (none for an app
    that is not the mock's)."""
    extensions = getattr(app, "extensions", {})
    return type("MockRequestHandler", (MockRequestHandler,), {
        "timeout": getattr(extensions.get("mock"), "idle_timeout", None), "cors": extensions.get("cors")})
