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

from mockserver.head_lines import TOO_LARGE, TOO_MANY
from mockserver.wire import FIELD_SIZE_MAX, FIELDS_MAX, fields_problem

LINE_MAX = 8190  # bytes of a chunk-size line, gunicorn's limit
# bytes of a trailer section, gunicorn's limit (its max_buffer_headers); each field is then held to the head's limits
TRAILERS_MAX = FIELDS_MAX * (FIELD_SIZE_MAX + 2) + 4
CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]+")  # any number of digits, as gunicorn reads it (leading zeros too)
_TOKEN = rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_QUOTED = rb'"(?:[\t !#-\[\]-~\x80-\xff]|\\[\t -~\x80-\xff])*"'
# RFC 9112 (7.1.1): `;name` or `;name=value`, blanks around each part; gunicorn's pattern
CHUNK_EXTENSIONS = re.compile(rb"(?:[ \t]*;[ \t]*" + _TOKEN + rb"(?:[ \t]*=[ \t]*(?:" + _TOKEN + rb"|" + _QUOTED
                              + rb"))?)*")


class MalformedBody(ValueError):
    """A request body whose framing cannot be read: the rest of the connection is no request either. `key` is the
    failure row it is answered with (a trailer section past gunicorn's limits: http.headers_too_large)."""

    def __init__(self, detail: str, key: str = "http.malformed") -> None:
        super().__init__(detail)
        self.key = key


class Dechunked(io.RawIOBase):
    def __init__(self, rfile: IO[bytes]) -> None:
        self._rfile = rfile
        self._left = 0  # bytes of the current chunk still to read
        self._done = False

    def readable(self) -> bool:
        return True

    def _line(self, most: int) -> bytes | None:
        """A line up to its CRLF, as gunicorn reads one (a bare LF does not end it), the CRLF left off; None once
        more than `most` bytes came without one."""
        line = b""
        while not line.endswith(b"\r\n"):
            piece = self._rfile.readline(most + 2 - len(line))
            if not piece:
                raise ClientDisconnected()
            line += piece
            if len(line) > most + 1 and not line.endswith(b"\r\n"):
                return None
        return line[:-2]

    def _next_chunk(self) -> None:
        """The next chunk's size, read in gunicorn's order and words; at the last chunk, the trailer section."""
        line = self._line(LINE_MAX)
        if line is None:
            raise MalformedBody(f"Invalid chunk size: {b'line over %d bytes with no terminator' % LINE_MAX!r}")
        size, *extensions = line.split(b";", 1)
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
            self._trailers()
            self._done = True

    def _trailers(self) -> None:
        """The trailer section, up to the empty line that ends the body, held to what gunicorn takes: a field it
        refuses, 400; past its limits (the section's size, then the head's: 100 fields, 8,190 bytes a line), 431.
        A trailer line of 20,000 bytes was refused as a chunk size, and 200 trailer fields were taken."""
        lines: list[str] = []
        left = TRAILERS_MAX
        while (line := self._line(max(left, 0))) != b"":
            if line is None:
                raise MalformedBody("limit request trailer section size", key=TOO_LARGE[0])
            left -= len(line) + 2
            lines.append(line.decode("latin-1"))
        for index, text in enumerate(lines):  # in gunicorn's order: field by field, its form, then its size
            if index >= FIELDS_MAX:
                raise MalformedBody(TOO_MANY[1], key=TOO_MANY[0])
            folded = lines[index + 1:index + 2] and lines[index + 1].startswith((" ", "\t"))
            problem = fields_problem(lines[index:index + 2] if folded else [text], trailer=True)
            if problem is not None:
                raise MalformedBody(problem)
            if len(text) + 2 > FIELD_SIZE_MAX:
                raise MalformedBody(TOO_LARGE[1], key=TOO_LARGE[0])

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
                if not end:  # the connection ended where the chunk's CRLF was due: no malformed request
                    raise ClientDisconnected()
                raise MalformedBody(f"Invalid chunk terminator is not '\\r\\n': {end!r}")
        return read

