"""A request's header lines read from the client as gunicorn reads them, for the in-process mock.

mockserver.in_process_server reads them here within the limits `mockserver serve` gives gunicorn (mockserver.wire);
Python's http.client held them to its own (64 KiB a line, 99 fields).
"""

from __future__ import annotations

from typing import IO

from mockserver.wire import FIELD_SIZE_MAX, FIELDS_MAX

TOO_MANY = ("http.headers_too_large", "limit request headers fields")  # gunicorn's words for each
TOO_LARGE = ("http.headers_too_large", "limit request headers fields size")


def read_fields(stream: IO[bytes]) -> tuple[list[bytes], tuple[str, str] | None]:
    """The header lines up to the empty one that ends them (each with its line end), and (failure key, detail) of
    the limit the head goes past, or None; reading stops there. A client that closes first ends them too."""
    lines: list[bytes] = []
    while True:
        line = _line(stream)
        if line is None:
            return lines, TOO_LARGE
        if line in (b"\r\n", b"\n", b""):
            return lines, None
        if len(lines) >= FIELDS_MAX:
            return lines, TOO_MANY
        lines.append(line)


def _line(stream: IO[bytes]) -> bytes | None:
    """One header line with its CRLF, or what came before the client closed; None past FIELD_SIZE_MAX (gunicorn
    counts the CRLF)."""
    line = b""
    while not line.endswith(b"\n"):
        piece = stream.readline(FIELD_SIZE_MAX + 1 - len(line))
        if not piece:
            return line
        line += piece
        if len(line) > FIELD_SIZE_MAX:
            return None
    return line
