"""A request's header lines read from the client as gunicorn reads them, for the in-process mock.

mockserver.in_process_server reads them here within the limits `mockserver serve` gives gunicorn (mockserver.wire);
Python's http.client held them to its own (64 KiB a line, 99 fields).
"""

from __future__ import annotations

from typing import IO

from mockserver.wire import BARE_LF, FIELD_SIZE_MAX, FIELDS_MAX, fields_problem, invalid_header

TOO_MANY = ("http.headers_too_large", "limit request headers fields")  # gunicorn's words for each
TOO_LARGE = ("http.headers_too_large", "limit request headers fields size")


class CutOff(Exception):
    """The client closed before the empty line that ends the headers: gunicorn closes the connection unanswered."""


def read_fields(stream: IO[bytes]) -> tuple[list[bytes], tuple[str, str] | None]:
    """The header lines up to the empty one that ends them (each with its CRLF), and (failure key, detail) of the
    first thing gunicorn refuses in them (mockserver.wire.fields_problem), or of the limit the head goes past, or
    None; reading stops at the limit. A client that closes first raises CutOff, as gunicorn answers no head cut off
    (the in-process mock served one, what had come of it read as the whole), unless a line of it ends in a bare LF,
    which gunicorn refuses as it reads."""
    lines: list[bytes] = []
    limit = None
    while limit is None:
        line = _line(stream)
        if line == b"\r\n":
            break
        if line is not None and not line.endswith(b"\r\n"):
            if b"\n" in b"".join([*lines, line]).replace(b"\r\n", b""):
                return lines, ("http.malformed", invalid_header(BARE_LF))
            raise CutOff
        if line is None or len(lines) >= FIELDS_MAX:
            limit = TOO_LARGE if line is None else TOO_MANY
        else:
            lines.append(line)
    problem = fields_problem([line[:-2].decode("latin-1") for line in lines])
    return lines, ("http.malformed", problem) if problem is not None else limit


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
