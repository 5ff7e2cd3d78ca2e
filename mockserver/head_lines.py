"""A request's header lines read from the client as gunicorn reads them, for the in-process mock.

mockserver.in_process_server reads them here within the limits `mockserver serve` gives gunicorn (mockserver.wire);
Python's http.client held them to its own (64 KiB a line, 99 fields).
"""

from __future__ import annotations

from typing import IO

from mockserver.wire import FIELD_SIZE_MAX, FIELDS_MAX, TOKEN, invalid_header, invalid_name

TOO_MANY = ("http.headers_too_large", "limit request headers fields")  # gunicorn's words for each
TOO_LARGE = ("http.headers_too_large", "limit request headers fields size")


def read_fields(stream: IO[bytes]) -> tuple[list[bytes], tuple[str, str] | None]:
    """The header lines up to the empty one that ends them (each with its CRLF), and (failure key, detail) of the
    limit the head goes past or the line gunicorn refuses for a bare CR or LF in it, or None; reading stops there. A
    client that closes first ends them too."""
    lines: list[bytes] = []
    while True:
        line = _line(stream)
        if line is None:
            return lines, TOO_LARGE
        if line in (b"\r\n", b""):
            return lines, None
        if len(lines) >= FIELDS_MAX:
            return lines, TOO_MANY
        if b"\r" in line[:-2] or b"\n" in line[:-2]:
            return lines, ("http.malformed", broken_line(line[:-2].decode("latin-1")))
        lines.append(line)


def broken_line(text: str) -> str:
    """The detail of a header line holding a bare CR or LF, which gunicorn, ending lines at CRLF alone, takes for part
    of the line (Python's parser took it for a line end): a line with no name before a colon, a name that is no
    token, or a value holding a control character."""
    name, colon, _ = text.partition(":")
    if not colon or not name:
        return invalid_header(text)
    return invalid_name(name) if not TOKEN.fullmatch(name) else invalid_header(name.upper())


def _line(stream: IO[bytes]) -> bytes | None:
    """One header line up to its CRLF, as gunicorn splits them (a bare LF does not end one), or what came before the
    client closed; None past FIELD_SIZE_MAX (gunicorn counts the CRLF)."""
    line = b""
    while not line.endswith(b"\r\n"):
        piece = stream.readline(FIELD_SIZE_MAX + 1 - len(line))
        if not piece:
            return line
        line += piece
        if len(line) > FIELD_SIZE_MAX:
            return None
    return line
