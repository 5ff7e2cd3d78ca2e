"""HTTP/1.1 framing rules both servers hold a request to before the app sees it, and their answers in the envelope.

`mockserver serve` (gunicorn, mockserver.workers) and the in-process mock (werkzeug, mockserver.in_process_server)
parse requests differently; what they refuse, and in which words, comes from here, so a client meets one mock.
No gunicorn here: the in-process mock runs where there is none.
"""

from __future__ import annotations

import email.utils
import json
import re
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from mockserver.failures import envelope, failure
from mockserver.redaction import redacted_text
from mockserver.shown_text import clipped, header_text

# What an invalid header means, by the header's name: gunicorn says only "Invalid HTTP Header: 'CONTENT-TYPE'"
WHY_INVALID = {
    "CONTENT-TYPE": "given more than once, or its value holds a control character",
    "HOST": "given more than once, or its value holds a control character",
    "CONTENT-LENGTH": "given more than once, not a whole number, or sent with Transfer-Encoding",
    "TRANSFER-ENCODING": "chunked given twice or not last, no chunked, or chunked in HTTP/1.0",
}
SINGLETONS = ("HOST", "CONTENT-TYPE")  # RFC 9110 5.3: fields of one member, which a repeat makes ambiguous
# RFC 9110 6.5.1: fields a trailer section may not carry (they frame, route or authenticate the request); gunicorn's
# set, which it refuses as an "Invalid HTTP header name"
FORBIDDEN_TRAILERS = frozenset(("HOST", "CONTENT-LENGTH", "TRANSFER-ENCODING", "TRAILER", "AUTHORIZATION", "TE"))
KNOWN_CODINGS = ("chunked", "identity", "compress", "deflate", "gzip")  # gunicorn's: any other is a 501
MISSING_HOST = "an HTTP/1.1 request needs a Host header"

# How large a request's head may be, for both servers: `mockserver serve` gives them to gunicorn (mockserver.server),
# whose defaults they are; the in-process mock holds a request to them as gunicorn does (Python's own limits were
# 64 KiB a line and 99 fields). Past them: 414 http.line_too_long, 431 http.headers_too_large.
REQUEST_LINE_MAX = 4094  # bytes of the request line, its CRLF not counted (gunicorn's limit_request_line)
FIELDS_MAX = 100  # header fields (limit_request_fields)
FIELD_SIZE_MAX = 8190  # bytes of a header line, its CRLF counted (limit_request_field_size)


TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9a-zA-Z]+")  # RFC 9110 5.6.2: a method, or a field's name
METHOD_SHAPE = re.compile(r"[A-Z0-9!$%&'*+\-.^_`|~]{3,20}")  # gunicorn's: no lower case, 3 to 20 characters
VERSION = re.compile(r"HTTP/(\d)\.(\d)")  # gunicorn's: one digit each
TARGET_INVALID = re.compile(r"[^\x21-\x7e]")  # RFC 9112 3.2: a target is printable ASCII, anything else %-encoded
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # RFC 9110 5.5: never in a field's value
# Half of a UTF-16 surrogate pair: JSON's "\ud800" decodes to one, and UTF-8 has no bytes for it, so no request
# (and no HMAC key) can carry it as text
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def surrogate_problem(text: str) -> str | None:
    """Why `text` cannot be sent as text, with the code point of its first lone surrogate; None when it can."""
    if (found := LONE_SURROGATE.search(text)) is None:
        return None
    return f"holds a lone UTF-16 surrogate (U+{ord(found.group()):04X}), which no request can carry"


def surrogates_escaped(text: str) -> str:
    """`text` with each lone surrogate written as JSON escapes it (\\ud800): in a message, one is no character a
    terminal, a file or a report writer takes."""
    return LONE_SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def line_problem(request_line: str) -> tuple[str, str] | None:
    """(failure key, detail) of a request line gunicorn refuses, in its order and words: not three parts split at a
    space, its method, its target (not printable ASCII, empty, `*` but for OPTIONS, authority form but for CONNECT),
    its version (not HTTP/digit.digit: 400; 2.0 or later: 505)."""
    parts = request_line.split(" ", 2)
    if len(parts) != 3:
        return "http.malformed", invalid_line(request_line)
    method, target, version = parts
    if not METHOD_SHAPE.fullmatch(method):
        return "http.malformed", f"Invalid HTTP method: {method!r}"
    if (TARGET_INVALID.search(target) or not target or (target == "*" and method != "OPTIONS")
            or (method != "CONNECT" and target != "*" and not target.startswith("/") and "://" not in target)):
        return "http.malformed", invalid_line(request_line)
    matched = VERSION.fullmatch(version)
    if matched is None:
        return "http.malformed", f"Invalid HTTP Version: {version!r}"
    numbers = (int(matched[1]), int(matched[2]))
    if numbers >= (2, 0):
        return "http.version", version_text(numbers)
    return ("http.malformed", f"Invalid HTTP Version: {numbers}") if numbers < (1, 0) else None


def invalid_line(request_line: str) -> str:
    """The detail of a request line refused for its target, quoted as the client wrote it: both servers read the
    line as Latin-1, which showed a UTF-8 `cd-\u00fc` as `cd-\u00c3\u00bc`."""
    return f"Invalid HTTP request line: {header_text(request_line)!r}{beyond_ascii(request_line, TARGET_ADVICE)}"


def invalid_name(name: str) -> str:
    return f"Invalid HTTP header name: {header_text(name)!r}{beyond_ascii(name, NAME_ADVICE)}"


TARGET_ADVICE = "a request target is ASCII: %-encode other characters as UTF-8"
NAME_ADVICE = "a header name is ASCII letters, digits and !#$%&'*+-.^_`|~ (RFC 9110)"


def beyond_ascii(text: str, advice: str) -> str:
    """Words on what to send instead, for a request line or header name holding characters beyond ASCII (none
    otherwise); for a target, with the %-encoding of its first such character."""
    if text.isascii():
        return ""
    first = next(char for char in header_text(text) if not char.isascii())
    if advice is TARGET_ADVICE and first != "\ufffd":
        advice += f" ({first} is {''.join(f'%{byte:02X}' for byte in first.encode())})"
    return f": {advice}"


def fields_problem(lines: list[str], trailer: bool = False) -> str | None:
    """The detail of the first header field gunicorn refuses (400 http.malformed) among `lines` (each line as sent,
    split at CRLF alone), in its order and words: no name before the colon, a name that is no token (or, in a
    trailer section, one a trailer may not carry), a value folded onto the next line (obsolete, RFC 9112 5.2) or
    holding a control character (a bare CR or LF among them)."""
    for index, line in enumerate(lines):
        name, colon, value = line.partition(":")
        if not colon or not name:
            return invalid_header(line, no_colon=True)
        if not TOKEN.fullmatch(name):
            return invalid_name(name)
        if trailer and name.upper() in FORBIDDEN_TRAILERS:  # framing or routing
            return forbidden_trailer(name.upper())
        if lines[index + 1:index + 2] and lines[index + 1].startswith((" ", "\t")):
            return f"Obsolete line folding is unacceptable: {name.upper()!r}"
        if CONTROL.search(value):
            return invalid_header(name.upper(), no_colon=False)
    return None


# Why any other field is refused: its value holds a control character (a token read from a file with its CRLF, say;
# gunicorn names the field in capitals), or its line has no `name:` (the rest of a value that went on to a new line;
# gunicorn names the line); its own words said neither, nor what to send
IN_THE_VALUE = ("its value holds a control character, such as a carriage return or line break at its end: send the"
                " value alone, on one line")
NO_FIELD = ("not a header line, which is name: value: is this the rest of a value split over two lines? send it on"
            " one line")
NO_FIELD_SHOWN = 16  # characters of such a line quoted: enough to tell it, too few to carry a credential
BARE_LF = "bare LF as line terminator"  # gunicorn's words, for a head whose lines end in LF alone


def invalid_header(found: str, no_colon: bool | None = None) -> str:
    """The detail of an invalid header's refusal: what gunicorn names (a field's name in capitals, or a line that
    is no field), and what makes it invalid. `no_colon` says which it is; None when that is not known, where a line
    of capitals alone (`X-NOTE`) is taken for a name."""
    if not no_colon and (found in WHY_INVALID or found == BARE_LF):
        why = WHY_INVALID.get(found)
        return f"Invalid HTTP Header: {found!r}" + (f" ({why})" if why else "")
    if no_colon is None:
        no_colon = not (TOKEN.fullmatch(found) and found == found.upper())
    why = NO_FIELD if no_colon else IN_THE_VALUE
    # quoted in its first characters: the line may be the rest of a token (one of capitals and digits reads as a
    # name), which the answer and the log would show, and a name runs to 8 KiB
    return f"Invalid HTTP Header: {clipped(found, NO_FIELD_SHOWN)} ({why})"


def forbidden_trailer(name: str) -> str:
    """The detail of a refused trailer field: gunicorn's "Invalid HTTP header name: 'CONTENT-LENGTH'" read as a
    name that is not a name, when it is one that belongs in the headers."""
    spelt = "-".join(part.capitalize() for part in name.split("-")) if name != "TE" else "TE"
    return (f"the chunked body's trailer section holds {spelt}, which a trailer may not carry (RFC 9110, 6.5.1):"
            " send it in the headers, or not at all")


def version_text(version: tuple[int, int]) -> str:
    return repr(f"HTTP/{version[0]}.{version[1]}")


def head_problem(headers: Iterable[tuple[str, str]], version: tuple[int, int]) -> tuple[str, str] | None:
    """(failure key, detail) of the first thing in a request's head that gunicorn refuses before its app runs (headers
    as (NAME in capitals, value)), in gunicorn's order: each field as it comes (a repeated singleton, an expectation
    other than 100-continue), then the framing (Content-Length, Transfer-Encoding), then a missing Host."""
    seen: set[str] = set()
    lengths: list[str] = []
    codings: list[str] | None = None
    for name, value in headers:
        if name in SINGLETONS:
            if name in seen:
                return "http.malformed", invalid_header(name)
            seen.add(name)
        if name == "EXPECT" and value.strip(" \t").lower() != "100-continue":
            return "http.expectation", clipped(value, 62)
        if name == "CONTENT-LENGTH":
            lengths.append(value)
        elif name == "TRANSFER-ENCODING":
            codings = [*(codings or []), *(c.strip(" \t").lower() for c in value.split(","))]
            if any(coding not in KNOWN_CODINGS for coding in codings):
                return "body.transfer_coding", f"Unsupported transfer coding: {value!r}"
    if len(lengths) > 1:
        return "http.malformed", invalid_header("CONTENT-LENGTH")
    if codings is not None:
        chunked_at = [index for index, coding in enumerate(codings) if coding == "chunked"]
        if len(chunked_at) != 1 or chunked_at[0] != len(codings) - 1 or version < (1, 1):
            return "http.malformed", invalid_header("TRANSFER-ENCODING")
        if lengths:
            return "http.malformed", invalid_header("CONTENT-LENGTH")
    elif lengths and not lengths[0].strip(" \t").isdigit():
        return "http.malformed", invalid_header("CONTENT-LENGTH")
    if version >= (1, 1) and "HOST" not in seen:
        return "http.malformed", MISSING_HOST
    return None


def raw_answer(key: str, server: str, cors: str = "", *, to_head: bool = False, **params: Any) -> bytes:
    """A whole HTTP response in the vendor's envelope, for a refusal made before the app sees the request: with the
    Server and Date the app's answers carry (RFC 9110 asks a Date of every 4xx), closing the connection, and `cors`'s
    header lines (mockserver.cors.Cors.before_the_app). A credential in a quoted query reads `<redacted>`. `to_head`:
    the request was a HEAD, whose answer is its head alone (RFC 9110, 9.3.2), the Content-Length a GET's would say."""
    row = failure(key)
    # a detail that quotes the request line says `<redacted>` for a credential in its query, as the log does
    params = {name: redacted_text(value) if isinstance(value, str) else value for name, value in params.items()}
    body = json.dumps(envelope([row.item(**params)])).encode()
    head = (f"HTTP/1.1 {row.status} {HTTPStatus(row.status).phrase}\r\nServer: {server}\r\n"
            f"Date: {email.utils.formatdate(usegmt=True)}\r\nConnection: close\r\n{cors}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode("latin-1") + (b"" if to_head else body)


def asks_head(head: bytes) -> bool:
    """Whether the request whose head starts with `head`, as far as it was read, is a HEAD request: one empty line
    before its request line is passed over, as both servers pass it over (RFC 9112, 2.2). A refusal of a HEAD
    request whose head is unreadable after its method (a bad header, a line too long) carries no content either: its
    client reads none, and the bytes would be taken for the start of the next answer."""
    return head.removeprefix(b"\r\n").startswith(b"HEAD ")


def origin_in(head: bytes) -> str | None:
    """The Origin header in a request's raw head, as far as it has arrived (None if it is not there)."""
    for line in head.partition(b"\r\n\r\n")[0].split(b"\r\n")[1:]:
        name, colon, value = line.partition(b":")
        if colon and name.strip().lower() == b"origin":
            return value.strip().decode("latin-1")
    return None


def target_host(target: str) -> str | None:
    """The host of a request target in absolute form (`http://host:port/path`), which an origin server uses in place
    of the Host header (RFC 9112, 3.2.2); None for any other form."""
    scheme, sep, rest = target.partition("://")
    if not sep or "/" in scheme or "?" in scheme:
        return None
    host = rest.split("/", 1)[0].split("?", 1)[0].rpartition("@")[2]
    return host or None


CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


class ContinueOnRead:
    """A request body (wsgi.input) that sends `100 Continue` when the app first reads it, not before: a request that
    asked `Expect: 100-continue` and is refused on its headers alone (a bad token, a wrong account) is answered at
    once, without asking the client for a body that will not be read (RFC 9110, 10.1.1), as Go's net/http and
    WireMock's Jetty do. `send` writes the 100."""

    def __init__(self, stream: Any, send: Callable[[], None]) -> None:
        self._stream = stream
        self._send: Callable[[], None] | None = send

    @property
    def asked(self) -> bool:
        """Whether the 100 was sent: until it is, the client holds its body back."""
        return self._send is None

    def _continue(self) -> None:
        send, self._send = self._send, None
        if send is not None:
            send()

    def read(self, *args: Any) -> bytes:
        self._continue()
        return self._stream.read(*args)

    def readline(self, *args: Any) -> bytes:
        self._continue()
        return self._stream.readline(*args)

    def readlines(self, *args: Any) -> list[bytes]:
        self._continue()
        return self._stream.readlines(*args)

    def readinto(self, buffer: Any) -> int:
        self._continue()
        return self._stream.readinto(buffer)

    def __iter__(self) -> Any:
        self._continue()
        return iter(self._stream)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def body_held_back(environ: dict[str, Any]) -> bool:
    """Whether the client waits for a `100 Continue` (ContinueOnRead) no read of the body has sent yet."""
    stream = environ.get("wsgi.input")
    return isinstance(stream, ContinueOnRead) and not stream.asked
