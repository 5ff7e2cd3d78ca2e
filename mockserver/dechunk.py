"""A chunked request body as the in-process mock's server (werkzeug's) hands it to the app.

werkzeug's own reader took a chunk extension (`1f;name=value`) or a trailer section, both of which RFC 9112 (7.1)
allows and gunicorn reads past, for a broken body, and raised a bare OSError for that and for a body that was
broken, which the app answered as a bug of its own (500). This reader takes what gunicorn takes (a trailer field
that frames or routes the request, Content-Length or Host, refused as gunicorn refuses it), and raises
MalformedBody, which the app answers 400 `http.malformed` as `mockserver serve` does, for what is not chunked
framing; a connection that ends halfway raises ClientDisconnected (400 `body.incomplete`).
"""

from __future__ import annotations

import io
import re
from typing import IO

from werkzeug.exceptions import ClientDisconnected

from mockserver.wire import fields_problem

LINE_MAX = 8190  # bytes of a chunk-size or trailer line, gunicorn's limit for either
CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,16}")
_TOKEN = rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_QUOTED = rb'"(?:[\t !#-\[\]-~\x80-\xff]|\\[\t -~\x80-\xff])*"'
# RFC 9112 (7.1.1): `;name` or `;name=value`, blanks around each part; gunicorn's pattern
CHUNK_EXTENSIONS = re.compile(rb"(?:[ \t]*;[ \t]*" + _TOKEN + rb"(?:[ \t]*=[ \t]*(?:" + _TOKEN + rb"|" + _QUOTED
                              + rb"))?)*")


class MalformedBody(ValueError):
    """A request body whose framing cannot be read: the rest of the connection is no request either."""


class Dechunked(io.RawIOBase):
    def __init__(self, rfile: IO[bytes]) -> None:
        self._rfile = rfile
        self._left = 0  # bytes of the current chunk still to read
        self._done = False

    def readable(self) -> bool:
        return True

    def _line(self) -> bytes:
        """A line up to its CRLF, as gunicorn reads one (a bare LF does not end it), the CRLF left off."""
        line = b""
        while not line.endswith(b"\r\n"):
            piece = self._rfile.readline(LINE_MAX + 2 - len(line))
            if not piece:
                raise ClientDisconnected()
            line += piece
            if len(line) > LINE_MAX + 1 and not line.endswith(b"\r\n"):
                raise MalformedBody(f"Invalid chunk size: {b'line over %d bytes with no terminator' % LINE_MAX!r}")
        return line[:-2]

    def _next_chunk(self) -> None:
        """The next chunk's size, read in gunicorn's order and words; at the last chunk, the trailer section."""
        size, *extensions = self._line().split(b";", 1)
        if extensions:
            if b"\r" in extensions[0]:
                raise MalformedBody("Invalid chunk extension: bare CR not allowed")
            size = size.rstrip(b" \t")  # blanks are allowed before extensions alone
        if not CHUNK_SIZE.fullmatch(size):
            raise MalformedBody(f"Invalid chunk size: {size[:40]!r}")
        if extensions and not CHUNK_EXTENSIONS.fullmatch(b";" + extensions[0]):
            raise MalformedBody("Invalid chunk extension: invalid chunk extension")
        self._left = int(size, 16)
        if self._left == 0:
            trailers = []
            while line := self._line():  # the trailer section, up to the empty line that ends the body
                trailers.append(line.decode("latin-1"))
            problem = fields_problem(trailers, trailer=True)
            if problem is not None:
                raise MalformedBody(problem)
            self._done = True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view, read = memoryview(buffer), 0
        while read < len(view) and not self._done:
            if self._left == 0:
                self._next_chunk()
                continue
            got = self._rfile.readinto(view[read:read + min(len(view) - read, self._left)])  # type: ignore[attr-defined]
            if not got:
                raise ClientDisconnected()
            read += got
            self._left -= got
            if self._left == 0 and (end := self._rfile.read(2)) != b"\r\n":
                raise MalformedBody(f"Invalid chunk terminator is not '\\r\\n': {end!r}")
        return read

