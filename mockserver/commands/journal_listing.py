"""A journal listing read as it arrives, an entry at a time, and its lines kept for printing oldest first.

GET /__admin/requests streams its entries newest first, and `mockserver journal` prints them oldest first: read
whole, a 10,000-entry listing of 8 KiB bodies took the command ~140 MB (the body, its text, then its objects).
Here ijson parses the answer as it comes, so one entry is held at a time, and each entry's printed line goes to a
spool (in memory up to SPOOL_BYTES, in an unnamed temporary file beyond), read back last line first. The last
entry of the answer is the first line printed, so nothing is printed before the whole answer has come.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

SPOOL_BYTES = 1024 * 1024  # lines kept in memory; beyond, on disk
READ_BYTES = 64 * 1024  # of the answer, parsed at a time
HEAD_KEYS = ("total", "newestId", "journal")  # the listing's own fields, read as they come
# of a listing's `warnings` (the mock gives two at most): a service answering thousands is not printed whole
WARNINGS_KEPT = 10
ENTRY_KEYS = {"id", "at", "method", "path", "query", "status", "errors", "latencyMs"}
OPENING = ("start_map", "start_array")
CLOSING = ("end_map", "end_array")


class NotJournal(Exception):
    """The answer is not a mock journal listing (another service's page, a listing of an earlier format)."""


def is_entry(found: Any) -> bool:
    """An entry as the mock writes it, to the types of the values a line shows: another service's object with the
    same keys must be "not a mock journal", not a TypeError where a line formats it."""
    return (isinstance(found, dict) and ENTRY_KEYS <= found.keys()
            and all(_integer(found[key]) for key in ("id", "status"))
            and isinstance(found["latencyMs"], int | float | Decimal) and not isinstance(found["latencyMs"], bool)
            and all(isinstance(found[key], str) for key in ("at", "method", "path"))
            and isinstance(found["query"], str | None) and isinstance(found["errors"], list))


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Spool:
    """Lines added newest first and read back oldest first, with the id of the entry each shows."""

    def __init__(self) -> None:
        self.file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # on disk: unnamed, gone when closed
        self.ids: list[int] = []  # newest first
        self.ends: list[int] = []  # where each line ends in the file

    def add(self, entry_id: int, line: str) -> None:
        self.file.write(line.encode("utf-8", "surrogatepass"))  # a "\ud800" in the JSON is a lone surrogate
        self.ids.append(entry_id)
        self.ends.append(self.file.tell())

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[tuple[int, str]]:
        """(id, line), oldest first."""
        for index in reversed(range(len(self.ids))):
            start = self.ends[index - 1] if index else 0
            self.file.seek(start)
            yield self.ids[index], self.file.read(self.ends[index] - start).decode("utf-8", "surrogatepass")

    def close(self) -> None:
        self.file.close()


class _Reader:
    """A file-like read() over an iterable of byte chunks, as ijson reads its input."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self.chunks = iter(chunks)

    def read(self, size: int = -1) -> bytes:
        return next(self.chunks, b"") if size else b""  # ijson reads 0 bytes first, to tell bytes from text


def read_listing(chunks: Iterable[bytes], keep: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """Parse a listing's JSON from `chunks`, each entry given to keep() as it is whole; the listing's own fields
    returned, `warnings` (the mock's words for an account its tenant lacks that matched nothing, or a path with
    %-escapes) a list of their strings. NotJournal for anything that is not a listing of entries (errors of `chunks`
    go through)."""
    import ijson  # here, not at the top: see mockserver.cli.LAZY

    head: dict[str, Any] = {}
    events = ijson.parse(_Reader(chunks), buf_size=READ_BYTES, use_float=True)
    try:
        if next(events, (None, None, None))[:2] != ("", "start_map"):
            raise NotJournal
        listed = False
        for prefix, event, value in events:
            if prefix in HEAD_KEYS and event not in OPENING + CLOSING:
                head[prefix] = value
            elif prefix == "warnings" and event in OPENING:
                found = _built(event, value, events, ijson.ObjectBuilder())
                head["warnings"] = [text for text in found if isinstance(text, str)][:WARNINGS_KEPT] \
                    if isinstance(found, list) else []
            elif prefix == "requests" and event == "start_array" and not listed:
                listed = True
            elif prefix == "requests" and event != "end_array":
                raise NotJournal  # not a list, or listed twice
            elif prefix == "requests.item":
                entry = _built(event, value, events, ijson.ObjectBuilder())
                if not is_entry(entry):
                    raise NotJournal
                keep(entry)
    except ijson.JSONError:
        raise NotJournal from None
    if not listed or not isinstance(head.get("total"), int):
        raise NotJournal
    return head


def _built(event: str, value: Any, events: Iterator[tuple[str, str, Any]], builder: Any) -> Any:
    """The value whose first event is (event, value), its other events read from `events`."""
    depth = 1 if event in OPENING else 0
    builder.event(event, value)
    while depth:
        _, event, value = next(events)
        depth += (event in OPENING) - (event in CLOSING)
        builder.event(event, value)
    return builder.value
