"""How a value a request sent is quoted in a message, a log line or the journal: on one line, cut where a character
ends, escaped where it would forge a line or drive a terminal, its bytes as they arrived."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

MAX_SHOWN = 64  # characters of a value a request sent, quoted back in a message (ids and names are shorter)


def sent(value: str | None) -> str:
    """What a request sent, for a message: quoted, so that spaces and quotes in it show and control or invisible
    characters are escaped, and cut to MAX_SHOWN characters; `nothing` when it sent none (not Python's None)."""
    if value is None:
        return "nothing"
    return clipped(value, MAX_SHOWN)


def clipped(value: object, limit: int, write: Callable[[object], str] = repr) -> str:
    """`value` as `write` writes it (repr, json.dumps), in at most `limit` characters, cut by clip() where a
    character ends whole: a string is cut before it is written, so that no escape is split; any other value is
    cut in its written form."""
    if isinstance(value, str):
        return clip(value, limit, lambda text: write(text)[:-1], close=write(value)[-1])
    return clip(write(value), limit)


def clip(text: str, limit: int, show: Callable[[str], str] = str, close: str = "") -> str:
    """`show(text) + close` in at most `limit` characters; when longer, the longest start of `text` whose shown form
    fits with "..." after it, cut where a character ends whole: never inside an escape `show` writes (`\\x1b`),
    nor between a letter and a mark that combines with it, the two halves of a flag, or the parts of an emoji
    joined by a zero-width joiner, so what is shown reads as the start of what was sent, whatever its script."""
    whole = show(text)
    if len(whole) + len(close) <= limit:
        return whole + close
    room, low, high = limit - 3, 0, min(len(text), limit - 3)  # every character shows as one or more
    while low < high:  # the longest start that fits
        middle = (low + high + 1) // 2
        low, high = (middle, high) if len(show(text[:middle])) <= room else (low, middle - 1)
    cut = low
    while 0 < cut < len(text) and _joins(text, cut):
        cut -= 1
    return show(text[: cut or low]) + "..."


ZERO_WIDTH_JOINER = "\u200d"


def _regional(char: str) -> bool:
    return "\U0001f1e6" <= char <= "\U0001f1ff"


def _joins(text: str, at: int) -> bool:
    """Whether text[at] belongs with the character before it, so that a cut between them would break one character
    as a reader sees it (a grapheme cluster, near enough for a message)."""
    char, before = text[at], text[at - 1]
    if unicodedata.category(char) in ("Mn", "Mc", "Me") or ZERO_WIDTH_JOINER in (char, before):
        return True
    if "\ufe00" <= char <= "\ufe0f" or "\U0001f3fb" <= char <= "\U0001f3ff" or "\U000e0020" <= char <= "\U000e007f":
        return True  # a variation selector, a skin tone, a tag
    if _regional(char) and _regional(before):
        run = at
        while run > 0 and _regional(text[run - 1]):
            run -= 1
        return (at - run) % 2 == 1  # a flag's second half
    return False


def printable(text: str) -> str:
    """`text` on one line: each character that is not printable (a newline, a terminal's escape) as Python escapes
    it, so that what a client sent cannot forge lines, or drive the terminal, where a log or the journal shows it."""
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def header_text(value: str | None) -> str | None:
    """A header's value as the client sent it. A WSGI server hands a header's bytes over decoded as Latin-1, so
    UTF-8 text arrives as mojibake (status=5\u0660\u0660 read as '5\u00d9\\xa0\u00d9\\xa0'): its bytes are read
    again as UTF-8, any that are not UTF-8 shown as U+FFFD. For a message that shows what a request sent."""
    if value is None or value.isascii():
        return value
    try:
        raw = value.encode("latin-1")
    except UnicodeEncodeError:  # not a server's Latin-1 (Flask's test client puts the text in as it is)
        return value
    return raw.decode("utf-8", errors="replace")


def received(raw: bytes, most: int | None = None) -> str:
    """Bytes a request sent, as the journal keeps them: UTF-8 read as text, each byte that is not UTF-8 written as
    the escape `\\xNN` (which JSON text never holds), so that what arrived can be told, a Latin-1 letter from an
    overlong "/"; cut to `most` bytes where a character ends, not inside one."""
    if most is not None and len(raw) > most:
        cut = most
        while cut > most - 3 and 0x80 <= raw[cut] < 0xC0:  # raw[cut] continues the character before it
            cut -= 1
        raw = raw[:cut]
    return raw.decode("utf-8", errors="backslashreplace")


def received_header(value: str) -> str:
    """A header's value as the journal keeps it: its bytes (a WSGI server hands them over decoded as Latin-1) read
    as `received` reads a body's."""
    if value.isascii():
        return value
    try:
        return received(value.encode("latin-1"))
    except UnicodeEncodeError:  # not a server's Latin-1 (Flask's test client puts the text in as it is)
        return value
