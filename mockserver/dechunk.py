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

from mockserver.wire import FORBIDDEN_TRAILERS, forbidden_trailer

LINE_MAX = 8190  # bytes of a chunk-size or trailer line, gunicorn's limit for either
CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,16}")


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
        line = self._rfile.readline(LINE_MAX + 2)
        if not line:
            raise ClientDisconnected()
        if not line.endswith(b"\r\n"):
            raise MalformedBody(f"a chunk line is not ended by CRLF: {line[:40]!r}")
        return line[:-2]

    def _next_chunk(self) -> None:
        size = self._line().split(b";", 1)[0].strip(b" \t")  # the extensions are skipped, as gunicorn skips them
        if not CHUNK_SIZE.fullmatch(size):
            raise MalformedBody(f"Invalid chunk size: {size[:40]!r}")
        self._left = int(size, 16)
        if self._left == 0:
            while line := self._line():  # the trailer section, up to the empty line that ends the body
                name = line.split(b":", 1)[0].strip(b" \t").decode("latin-1").upper()
                if name in FORBIDDEN_TRAILERS:  # framing or routing, which gunicorn refuses there too
                    raise MalformedBody(forbidden_trailer(name))
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
            if self._left == 0 and self._rfile.read(2) != b"\r\n":
                raise MalformedBody("chunk data runs past its announced size")
        return read
