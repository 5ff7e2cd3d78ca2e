"""Why a fault rule's path can match no create, and the path to send: a path without `*` is matched whole (as
WireMock's urlPath), so `/campaign`, meant as a prefix, faults no create and the client's test passes untouched.

Such a rule is kept (a client may really call that path), and adding it answers `warnings`. Only a path that looks
meant for the endpoint's is warned of: a part of its start (`/campaign`, `/campaign/api/v2/public`, one stream's path
cut short), or a create's path with white space at its end, a #fragment, a query string, %-escapes, another case, a
`/` at its end, its start left out (`/api/v2/public/st-1/campaign`) or the template's placeholder (`{streamId}`) as
its stream; and a glob with a query string (`/campaign/*?accountId=x`). A create's path for any stream, and every
other glob, is left alone. Apart from creates, any path or glob with %-escapes (`/a%2Fb`) is warned of: matched as
written against the request's path decoded, it meets only a request that sent them encoded twice (`/a%252Fb`); and
so is the journal's path filter, matched in the same way. Each warning names a path or glob to send that draws no
warning itself (its escapes decoded, its query string left out), or none: `/a%252Fb` decoded once is `/a%2Fb`,
warned of again, and `/a%20b?x=%2F` is told `/a b`, not `/a b?x=/`, which would be read as a query string.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from urllib.parse import unquote

from mockserver.send_instead import got, listed, send_instead
from mockserver.shown_text import clipped

PLACEHOLDER = re.compile(r"\{\w+\}|<\w+>|:\w+|\$\{\w+\}")  # a template's stream as docs and tools write it


@dataclass(frozen=True)
class CreatePath:
    """The endpoint's path template, `head` + stream + `tail`: `/campaign/api/v2/public/` + `st-1` + `/campaign`."""

    head: str
    tail: str

    @classmethod
    def of(cls, template: str) -> CreatePath:
        head, _, tail = re.split(r"\{(\w+)\}", template, maxsplit=1)
        return cls(head, tail)

    def stream(self, path: str) -> str | None:
        """The stream a create to `path` names, or None when no create has that path (Flask's `<stream_id>`: a
        segment, no `/`)."""
        middle = path[len(self.head):len(path) - len(self.tail)] if len(path) > len(self.head) + len(self.tail) else ""
        ok = path.startswith(self.head) and path.endswith(self.tail) and middle and "/" not in middle
        return middle if ok else None

    def cut_short(self, path: str) -> bool:
        """Whether `path` is a proper prefix of some stream's create path: before the stream, cut at a `/` (`/camp`
        or `/c` may be another path a client calls); from the stream on, anywhere."""
        if len(path) <= len(self.head):
            whole = len(path) == len(self.head) or "/" in (path[-1:], self.head[len(path)])
            return self.head.startswith(path) and whole
        stream, slash, after = path[len(self.head):].partition("/")
        return path.startswith(self.head) and (not slash or bool(stream) and self.tail.startswith(slash + after))

    def shown(self) -> str:
        return f"{self.head}<streamId>{self.tail}"


def _blank(path: str, _: CreatePath) -> str | None:
    return path.rstrip() if path.rstrip() != path else None


def _fragment(path: str, _: CreatePath) -> str | None:
    return path.partition("#")[0] if "#" in path else None


def _query(path: str, _: CreatePath) -> str | None:
    return path.partition("?")[0] if "?" in path else None


def _decoded(path: str) -> str | None:
    return unquote(path) if re.search("%[0-9A-Fa-f]{2}", path) and unquote(path) != path else None


def _escaped(path: str, _: CreatePath | None = None) -> str | None:
    """The path decoded, unless decoding makes a `*` (`%2A`), which a rule reads as a wildcard, or leaves %-escapes
    (`%252F`, encoded twice), which would be warned of again."""
    decoded = _decoded(path)
    ok = decoded is not None and decoded.count("*") == path.count("*") and _decoded(decoded) is None
    return decoded if ok else None


def _before_query(path: str) -> str | None:
    """The path before its query string, a `?` with a `=` after it (`/campaign/*?accountId=x`), which no request's
    path holds (its query string is apart); None when it has none. A `?` alone may be a path's own, sent as `%3F`."""
    before, mark, query = path.partition("?")
    return before if mark and "=" in query else None


def _cased(path: str, create: CreatePath) -> str | None:
    """The path with its fixed parts in the template's case, where only their case differs (a `/` at its end kept,
    for _slashed to say)."""
    core = path.rstrip("/") or path
    lowered, ends = core.lower(), path[len(core):]
    if (lowered.startswith(create.head.lower()) and lowered.endswith(create.tail.lower())
            and len(core) > len(create.head) + len(create.tail)):
        fixed = create.head + core[len(create.head):len(core) - len(create.tail)] + create.tail
    elif create.head.lower().startswith(lowered):
        fixed = create.head[:len(core)]
    else:
        return None
    return fixed + ends if fixed != core else None


def _slashed(path: str, create: CreatePath) -> str | None:
    return path.rstrip("/") if path.endswith("/") and create.stream(path.rstrip("/")) else None


def _headless(path: str, create: CreatePath) -> str | None:
    """The whole path, for one that starts inside the head (`/api/v2/public/st-1/campaign`, a base URL taken for the
    path's start): at a `/` of it, past the first segment and before the stream."""
    for cut in (at for at, char in enumerate(create.head) if char == "/" and 0 < at < len(create.head) - 1):
        if create.stream(create.head[:cut] + path):
            return create.head[:cut] + path
    return None


# Each reading of a path meant for a create, in turn: (the path it reads, or None; why, in a warning's words)
QUERY = "a rule's path is matched without the query string"
DECODED = "a rule's path is matched against the request's path decoded"
KEPT_DECODED = "the journal keeps a request's path decoded"  # the journal's path filter, matched as a rule's path is
KEPT_QUERY = "the journal keeps a request's query string apart from its path"
READINGS: list[tuple[Callable[[str, CreatePath], str | None], str]] = [
    (_blank, "it has white space at its end"),
    (_fragment, "a client sends no #fragment"),
    (_query, QUERY),
    (_escaped, DECODED),
    (_cased, "paths are case-sensitive"),
    (_slashed, "a create's path has no / at its end"),
    (_headless, "a rule's path is the request's whole path"),
]
WHOLE = "a path without * is matched whole"
MOST_SHOWN = 240  # characters of a path quoted, or sent back: a create's with a query string is 100 or more


def warnings(path: str | None, create: CreatePath | None, streams: Collection[str]) -> list[str]:
    """Every warning of a rule's path: why it matches no create though it looks meant for one (`create` None: the
    rule's method is not a create's), and its %-escapes. Each names a path or glob to send that draws no warning
    itself, or none: then the create's warning and the escapes' are both said."""
    if path is None:
        return []
    if create is None:
        return escape_warnings(path)
    quiet = functools.partial(_quiet, create=create, streams=streams)
    read = _create_reading(path, create, streams)
    if read is not None and quiet(read[1]):
        return [_said(path, *read, create)]  # its readings took in the path's escapes and its query string
    return ([] if read is None else [_said(path, read[0], None, create)]) + escape_warnings(path, quiet=quiet)


def _quiet(meant: str, create: CreatePath, streams: Collection[str]) -> bool:
    """Whether a rule for creates with this path draws no warning."""
    return _clean(meant) and _create_reading(meant, create, streams) is None


def _create_reading(path: str, create: CreatePath, streams: Collection[str]) -> tuple[list[str], str] | None:
    """Why a path matches no create though it looks meant for one, and the path or glob meant; None when it does not
    (a glob, or a create's path, is warned of for a query string alone)."""
    if "*" in path:
        return _glob_reading(path)
    why, meant = [], path
    for reading, reason in READINGS:
        if (read := reading(meant, create)) is not None and read != meant:
            why, meant = [*why, reason], read
    stream = create.stream(meant)
    if stream is not None and PLACEHOLDER.fullmatch(stream) and stream not in streams:
        why, meant = [*why, f"{stream} is the template's placeholder, no stream"], f"{create.head}*{create.tail}"
    elif stream is None and create.cut_short(meant):
        why, meant = [*why, WHOLE], _glob(meant, create)
    elif not why:
        return None
    if create.stream(meant) is None and "*" not in meant:  # a reading that led nowhere: the path is another's
        return None
    return why, meant


def _glob_reading(path: str) -> tuple[list[str], str] | None:
    """A glob matches some create, or could: warned of only for a query string in it (`/campaign/*?accountId=x`),
    which no request's path holds; what to send is the glob before it, its escapes decoded."""
    before = _before_query(path)
    if before is None:
        return None
    decoded = _escaped(before)
    return ([QUERY], before) if decoded is None else ([QUERY, DECODED], decoded)


def _clean(path: str) -> bool:
    """Whether a path to send draws no warning of its own: no %-escapes and no query string."""
    return _decoded(path) is None and _before_query(path) is None


def escape_warnings(path: str | None, why: str = DECODED, query: str = QUERY,
                    quiet: Callable[[str], bool] = _clean) -> list[str]:
    """A path with %-escapes, any path or glob (`/campaign/a%2Fb`): it is matched as written against the request's
    path decoded (a server decodes `%2F` to `/` before the mock sees it), so it matches only a request that sent each
    escape's `%` encoded again, `%252F`. What to send is the path decoded, without its query string (`query` says
    why), when it is `quiet`, drawing no warning itself: not when decoding makes a `*`, which a rule (or the
    journal's filter, `why` KEPT_DECODED) reads as a wildcard, nor when it leaves escapes (`%252F`)."""
    if path is None or _decoded(path) is None:
        return []
    reasons, meant = [], path
    if (before := _before_query(path)) is not None:
        reasons, meant = [query], before
    if (decoded := _decoded(meant)) is not None and decoded.count("*") == meant.count("*"):
        reasons, meant = [*reasons, why], decoded
    hint = send_instead(reasons, clipped(meant, MOST_SHOWN, _json)) if reasons and quiet(meant) else why
    return [f"path's %-escapes match a request's path only where it sent their % encoded again, as %25"
            f" {got(clipped(path, MOST_SHOWN), hint)}"]


def _said(path: str, why: list[str], meant: str | None, create: CreatePath) -> str:
    """The warning's words: what was sent, why it matches no create and what to send, if anything (an account
    narrowed in the query string is the rule's accountId)."""
    query = path.partition("#")[0].partition("?")[2]
    if re.search(r"(?:^|&)accountId=", query):
        why = [*why, "a rule names its account in accountId"]
    instead = send_instead(why, clipped(meant, MOST_SHOWN, _json)) if meant is not None else listed(why)
    return f"path matches no create, whose path is {create.shown()} {got(clipped(path, MOST_SHOWN), instead)}"


def _json(text: object) -> str:
    return json.dumps(text, ensure_ascii=False)


def _glob(prefix: str, create: CreatePath) -> str:
    """What to send for a create's path cut short: its stream's create path, once the stream is in it; else the glob
    of every create under it (`/campaign/*`; a template whose stream follows no `/` has `/campaign-*`)."""
    stream = prefix[len(create.head):].partition("/")[0] if len(prefix) > len(create.head) else ""
    if stream:
        return f"{create.head}{'*' if PLACEHOLDER.fullmatch(stream) else stream}{create.tail}"
    base = prefix.rstrip("/")
    return f"{base}/*" if create.head.startswith(base + "/") else f"{prefix}*"
