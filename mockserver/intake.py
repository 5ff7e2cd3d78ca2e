"""Steps 1-4 of a create request: who is calling, for which account and stream, and what body they sent.

Each step raises Refusal naming a row of mockserver.failures; the first refusal answers the request.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import socket
import sys
from typing import Any

from werkzeug.exceptions import ClientDisconnected
from werkzeug.wrappers import Request

from mockserver import read_deadline, tls, wire
from mockserver.auth import TOKEN_HEADER, AuthFailure, Caller, TokenCache, authenticate
from mockserver.connection import close_after_response
from mockserver.dechunk import MalformedBody
from mockserver.failures import failure
from mockserver.send_instead import send_instead
from mockserver.shown_text import clip, clipped, header_text, sent
from mockserver.strict_json import (
    Mark,
    dotted,
    first_mark,
    lone_surrogate,
    lone_surrogate_path,
    no_constant,
    no_repeated_keys,
)
from mockserver.tenant import Tenant


class Refusal(Exception):
    """The request is refused; `items` are the envelope's error entries."""

    def __init__(self, key: str, items: list[dict[str, Any]] | None = None, **params: Any) -> None:
        super().__init__(key)
        self.status = failure(key).status
        self.headers = failure(key).headers  # what the row's answer says would be accepted, if anything
        self.items = items if items is not None else [failure(key).item(**params)]


class CutShort(Refusal):
    """body.incomplete, with the bytes that came before the client closed its side: the journal keeps them, as
    what the client sent."""

    def __init__(self, received: bytes, **params: Any) -> None:
        super().__init__("body.incomplete", **params)
        self.received = received


def caller(request: Request, tenant: Tenant, cache: TokenCache | None = None) -> Caller:
    try:
        return authenticate(request.headers.get(TOKEN_HEADER), tenant, cache)
    except AuthFailure as exc:
        hint = exc.hint
        if exc.key == "auth.missing" and request.headers.get("Authorization"):
            hint = "no auth header: this API reads the JWT from a header named auth, not from Authorization"
        elif exc.key == "auth.missing":
            hint += came_elsewhere(request, TOKEN_HEADER, "header")
        raise Refusal(exc.key, [{**failure(exc.key).item(), "hint": hint}]) from None


def query_value(request: Request, name: str) -> str | None:
    """A query parameter given at most once: twice leaves the client's intent unknown (a README assumption)."""
    values = request.args.getlist(name)
    if len(values) > 1:
        raise Refusal("query.repeated", field=name, count=len(values))
    return values[0] if values else None


def other_case(request: Request, name: str) -> str:
    """Words to add to a refusal saying a query parameter is missing, when the query has it in another case
    (`AccountId=`): query parameter names are case-sensitive, where header names are not, so the mock does not
    take it, but says so. Empty when there is none."""
    given = next((sent_name for sent_name in request.args if sent_name != name and sent_name.lower() == name.lower()),
                 None)
    if given is None:
        return ""
    why = ["query parameter names are case-sensitive, unlike headers"]
    return f" (the query has {sent(header_text(given))}; {send_instead(why, repr(name))})"


HEADER, QUERY = ["the mock reads it from the headers"], ["the mock reads it from the query"]


def came_elsewhere(request: Request, name: str, where: str) -> str:
    """Words to add to a refusal saying a header is missing, when the query has a parameter of its name (`?iid=`), or
    saying a query parameter is missing, when a header of its name came (`campaignType: voice`): the mock reads each
    in its one place, and the refusal alone read as if it had not been sent at all. Empty when neither."""
    if where == "header":
        given = next((sent_name for sent_name in request.args if sent_name.lower() == name.lower()), None)
        if given is None:
            return ""
        return f" (the query has {sent(header_text(given))}; {send_instead(HEADER, f'{name}: <value> as a header')})"
    if name not in request.headers:
        return ""
    return f" (it came as a header; {send_instead(QUERY, f'{name}=<value> in the query')})"


def with_words(item: dict[str, Any], words: str) -> dict[str, Any]:
    """An error entry whose message ends in `words`."""
    return {**item, "msg": item["msg"] + words} if words else item


def header_value(request: Request, name: str) -> str | None:
    """A header given at most once. The server joins a repeated header's values with commas, which no account or
    stream id holds: "must equal" of "acc-1,acc-1" would not say what is wrong."""
    value = header_text(request.headers.get(name))  # as sent: a message may quote it
    if value is not None and "," in value:
        raise Refusal("header.repeated", field=name)
    return value


PLACEHOLDERS = " (the page's {streamId} and {accountId} are placeholders: put the ids in, without the braces)"


# The page's placeholders as curl sends them from a URL pasted whole: its URL globbing takes `{streamId}` for a set
# of one and drops the braces, so no brace is left to tell
UNBRACED = (" (the page's {streamId} and {accountId} are placeholders, and curl drops their braces: put the ids in"
            " their place)")
PLACEHOLDER_NAMES = ("streamId", "accountId")


def braced(*values: str | None) -> str:
    """Words to add to a refusal naming an account or stream id, when one of them is still in braces, as the vendor
    page writes its placeholders (`{streamId}`, or an id pasted into one: `{st-...}`), or is a placeholder's name
    with its braces gone. Empty when none is."""
    if any(value and value.startswith("{") and value.endswith("}") for value in values):
        return PLACEHOLDERS
    return UNBRACED if any(value in PLACEHOLDER_NAMES for value in values) else ""


def _refused_scope(key: str, field: str, *ids: str | None, **params: str) -> Refusal:
    return Refusal(key, [with_words(failure(key).item(field, **params), braced(*ids))])


def check_scope(request: Request, stream_id: str, who: Caller) -> None:
    query_account = query_value(request, "accountId")
    header_account = header_value(request, "accountid")
    given = (("accountId", query_account, "query parameter"), ("accountid", header_account, "header"))
    for name, value, where in given:
        if not value:
            words = other_case(request, name) if where == "query parameter" and value is None else ""
            raise Refusal("account.missing", [with_words(failure("account.missing").item(name, where=where), words)])
    if query_account != header_account:
        raise _refused_scope("account.mismatch", "accountid", query_account, header_account,
                             query=sent(query_account), header=sent(header_account))
    if header_account != who.account.account_id:
        raise _refused_scope("account.forbidden", "accountid", header_account, account=sent(header_account),
                             own=sent(who.account.account_id))  # a token pasted from another tenant's shell
    if stream_id not in who.account.streams:
        raise _refused_scope("stream.forbidden", "streamId", stream_id, header_account, stream=sent(stream_id),
                             account=sent(header_account))
    iid = header_value(request, "iid")
    if not iid:
        words = came_elsewhere(request, "iid", "header")
        raise Refusal("iid.missing", [with_words(failure("iid.missing").item("iid"), words)])
    if iid != stream_id:
        raise _refused_scope("iid.mismatch", "iid", iid, stream_id, iid=sent(iid), stream=sent(stream_id))


def check_query(request: Request) -> None:
    campaign_type = query_value(request, "campaignType")
    if campaign_type != "voice":
        item = failure("query.campaign_type").item("campaignType", got=sent(campaign_type))
        words = ((other_case(request, "campaignType") or came_elsewhere(request, "campaignType", "query"))
                 if campaign_type is None else "")
        raise Refusal("query.campaign_type", [with_words(item, words)])


SAFE_INTEGER = 2**53  # the integers a JavaScript service reads exactly


def out_of_range(text: str) -> str:
    """Words for a number beyond a float's range, cut as a long value is (a number cut short reads as a smaller one)."""
    return f"number out of range ({text if len(text) <= 20 else text[:17] + '...'})"


def _number(text: str) -> float | int:
    """A JSON number with a fraction or an exponent: refused when out of range, and read as the integer it equals
    when it is a whole number (`30.0`, `3e1`), as a JavaScript service reads it, so the answer echoes 30, which a
    client decoding the field into an integer (a Go int, say) can read. A README assumption."""
    value = float(text)
    if math.isinf(value):
        raise ValueError(out_of_range(text))
    return int(value) if value.is_integer() and abs(value) < SAFE_INTEGER else value


def document_field(path: list[str | int]) -> str:
    """A field named by the body's own keys, for an answer: cut to 200 characters, and a key's half surrogate pair
    (which JSON lets a \\u escape write) written as that escape, since UTF-8, and so the answer, cannot carry it."""
    field = dotted([part.encode("utf-8", "backslashreplace").decode() if isinstance(part, str) else part
                    for part in path])
    return clip(field, 200)


UTF8_BOM = b"\xef\xbb\xbf"
# How deep a body may nest (arrays and objects), the same however the mock runs: left to Python's recursion limit,
# it depended on the call stack under the parser (about 978 levels in-process, 969 under gunicorn).
MAX_DEPTH = 512
_NESTING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')  # a string (skipped whole) or a bracket


def nesting_depth(text: str, most: int) -> int:
    """How deep `text` nests, counted up to `most` + 1 (enough to say it is too deep)."""
    depth = deepest = 0
    for token in _NESTING.finditer(text):
        mark = token.group()[0]
        if mark in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > most:
                break
        elif mark in "]}":
            depth -= 1
    return deepest


def _marking(convert: Any, problem: Any) -> Any:
    """A json.loads number hook that returns a Mark, saying `problem(text)`, where `convert` raises."""
    def hook(text: str) -> Any:
        try:
            return convert(text)
        except ValueError:
            return Mark(problem(text))
    return hook


NUMBER_HOOKS = {
    "parse_float": _marking(_number, out_of_range),
    "parse_int": _marking(int, lambda text: f"a number has more than {sys.get_int_max_str_digits():,} digits"),
    "parse_constant": lambda name: Mark(f"{name} is not allowed in JSON"),
}


TYPOGRAPHIC_QUOTES = "\u201c\u201d\u201e\u201f\u2018\u2019\u201a\u201b\u00ab\u00bb"
PYTHON_CONSTANTS = ("True", "False", "None")
ELLIPSIS = "\u2026"
# `curl -d 'fault=status=503'`, requests' `data={...}`: a form's first name and its `=`
FORM_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-\[\]%]*=")


def slip(text: str, at: int) -> str | None:
    """What a hand-written body most likely got wrong where json.loads stopped reading it, and what to do, or None:
    a body pasted from a word processor or chat (typographic quotes), from Python or JavaScript (single quotes,
    a trailing comma, comments, True), or from the vendor page's sample with its `...` left in."""
    char, rest = text[at : at + 1], text[at:]
    before = text[:at].rstrip()
    if char and char in TYPOGRAPHIC_QUOTES:
        return f"a typographic quote ({char}) at {{where}}: JSON takes straight double quotes (\")"
    if char == "'":
        return "a single quote at {where}: JSON takes double quotes (\") around keys and strings"
    if char in ("}", "]") and before.endswith(","):
        return f"a trailing comma before {char} at {{where}}: JSON allows none, remove it"
    if rest.startswith(("//", "/*", "#")):
        return "a comment at {where}: JSON has none, remove it"
    if rest.startswith(("...", ELLIPSIS)):
        shown = ELLIPSIS if char == ELLIPSIS else "..."
        return f"the page's placeholder {shown} at {{where}}: put in the fields it stands for, or remove it"
    for name in PYTHON_CONSTANTS:
        if rest.startswith(name):
            return f"{name} at {{where}}: JSON writes true, false and null in lower case"
    if at == 0 and FORM_FIELD.match(text):
        return "a form-encoded body (name=value) at {where}: send the fields as a JSON object"
    return None


JSON_WHITESPACE = " \t\n\r"


def past_trailing_comma(text: str, at: int) -> int:
    """Where json.loads stopped, moved from a trailing comma to the bracket after it: Python 3.13's json stops at the
    comma ("Illegal trailing comma before end of object"), 3.11's at the bracket, and the hint names the bracket."""
    if text[at : at + 1] != ",":
        return at
    after = len(text) - len(text[at + 1 :].lstrip(JSON_WHITESPACE))
    return after if text[after : after + 1] in ("}", "]") else at


def line_and_column(text: str, at: int) -> str:
    """`line L column C` of a position, counted as json.JSONDecodeError counts them."""
    line, start = text.count("\n", 0, at) + 1, text.rfind("\n", 0, at)
    return f"line {line} column {at - start}"


def _malformed_refusal(text: str, exc: ValueError) -> Refusal:
    """The refusal of a body json.loads refused, naming the field where it first goes wrong when that can be told
    (a repeated key, a number out of range, NaN), as a schema violation is named."""
    found = first_mark(text, **NUMBER_HOOKS)
    if found is None:
        detail = str(exc)
        at = past_trailing_comma(text, exc.pos) if isinstance(exc, json.JSONDecodeError) else None
        hint = slip(text, at) if at is not None else None
        if hint:
            detail = hint.replace("{where}", line_and_column(text, at))
        if "integer string conversion" in detail:  # Python's advice (sys.set_int_max_str_digits) is no use to a client
            detail = f"a number has more than {sys.get_int_max_str_digits():,} digits"
        return Refusal("body.malformed", detail=clip(detail, 200))
    path, mark = found
    field = document_field(path)
    if not path:
        return Refusal("body.malformed", detail=clip(mark.problem, 200))
    if mark.key is not None:  # a repeated key: named in the object that holds it
        inside = f" in {document_field(path[:-1])}" if len(path) > 1 else ""
        return Refusal("body.malformed", field=field, detail=clip(f"{mark.problem}{inside}", 200))
    return Refusal("body.malformed", field=field, detail=clip(f"{mark.problem}, in {field}", 200))


# What json.loads stops at when the text ends inside a token, which more text would finish: true, false or null cut
# short, a number's sign, a number's fraction or exponent cut short (after a digit), a \u escape cut short
CUT_WORD = re.compile(r"t(?:ru?)?|f(?:a(?:ls?)?)?|n(?:ul?)?|-")
CUT_NUMBER = re.compile(r"\.|[eE][-+]?")
CUT_ESCAPE = re.compile(r"u[0-9a-fA-F]{0,3}")


def _unfinished(text: str, exc: ValueError) -> bool:
    """Whether json.loads refused `text` for ending before its document does (not for a slip inside it): what is
    left where it stopped is JSON's white space (not a no-break space after a whole document) or a token cut short."""
    if not isinstance(exc, json.JSONDecodeError):  # a repeated key, a number out of range: the text is whole
        return False
    if exc.msg.startswith("Unterminated string"):
        return True
    left = text[exc.pos:].rstrip(JSON_WHITESPACE)
    return (not left or CUT_WORD.fullmatch(left) is not None
            or (CUT_NUMBER.fullmatch(left) is not None and text[exc.pos - 1 : exc.pos].isdigit())
            or (CUT_ESCAPE.fullmatch(left) is not None and exc.msg.startswith("Invalid \\uXXXX escape")))


def counted_in_characters(raw: bytes) -> str:
    """Words for a body of text beyond ASCII that stops unfinished where its Content-Length ends: likely a length
    counted in characters (JavaScript's string.length counts UTF-16 code units, fewer than UTF-8's bytes), whose
    rest came after it, to be read as a next request."""
    return (f"where Content-Length ends ({len(raw)} bytes): does it count the body's bytes? JavaScript's"
            " string.length counts characters: use Buffer.byteLength(body)")


def check_framed(request: Request) -> None:
    """An empty body is refused naming the cause when the request gave neither Content-Length nor Transfer-Encoding,
    which leaves it no body (RFC 9112, 6.3); whatever the client sent after its headers cannot be told from a next
    request, so the connection is closed after the answer rather than read on."""
    if request.content_length is None and "Transfer-Encoding" not in request.headers:
        close_after_response()
        raise Refusal("body.malformed",
                      detail="the request has no body: it sent neither Content-Length nor Transfer-Encoding: chunked")


def _other_charset(charset: str | None) -> bool:
    """Whether the Content-Type names a charset other than UTF-8."""
    return bool(charset) and charset.strip().lower() not in ("utf-8", "utf8")


def _not_utf8(charset: str | None, detail: str | None = None) -> Refusal:
    """The refusal of a body in another encoding than UTF-8: naming the Content-Type's charset, when it gives one
    other than UTF-8, as not used; else `detail` (body.malformed), or that the bytes are not UTF-8."""
    if _other_charset(charset):
        return Refusal("body.charset", charset=sent(header_text(charset)))
    return Refusal("body.malformed", detail=detail) if detail else Refusal("body.encoding")


def parse_json(raw: bytes, charset: str | None = None, announced: int | None = None) -> Any:
    """The body as JSON; `charset` is the Content-Type's, which only words the answer to a body that is not UTF-8,
    and `announced` its Content-Length, which words the answer to one whose JSON stops unfinished where it ends."""
    if not raw.strip():  # json's "Expecting value: line 1 column 1" hides that nothing came (curl's @missing-file)
        raise Refusal("body.malformed", detail="the body is empty: send the campaign as a JSON object")
    if raw.startswith(UTF8_BOM):  # RFC 8259 lets a parser refuse it; the vendor page is silent (README assumption)
        raise Refusal("body.malformed", detail="it starts with a UTF-8 byte order mark (EF BB BF): send the JSON"
                      " without one")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if announced == len(raw) and exc.reason == "unexpected end of data":  # a character cut in two at the end
            # The rest may be on its way, and cannot be told from a next request, whatever charset the body is said
            # to be in (mislabelled, it is UTF-8 all the same); the words are not said of a body said to be in
            # another, whose bytes (Latin-1's é) may read as the start of a UTF-8 character.
            close_after_response()
            if not _other_charset(charset):
                raise Refusal("body.malformed", detail=f"it stops inside a character's UTF-8 bytes,"
                                                       f" {counted_in_characters(raw)}") from None
        raise _not_utf8(charset) from None
    if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH and nesting_depth(text, MAX_DEPTH) > MAX_DEPTH:
        raise Refusal("body.malformed", detail=f"nested more than {MAX_DEPTH} levels deep")
    try:
        document = json.loads(
            text, object_pairs_hook=no_repeated_keys, parse_float=_number, parse_constant=no_constant
        )
    except RecursionError:
        raise Refusal("body.malformed", detail="nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, duplicate keys, numbers out of range, NaN
        if b"\x00" in raw[:4]:  # UTF-16 or UTF-32 of ASCII, which is valid UTF-8 (RFC 4627's test: JSON's first two
            # characters are ASCII, so NUL bytes among the first four say the encoding)
            raise _not_utf8(charset, "it starts with NUL bytes (00), as UTF-16 or UTF-32 text does: send it in UTF-8"
                                     " (RFC 8259)") from None
        if announced == len(raw) and _unfinished(text, exc):
            close_after_response()  # the rest may be on its way, and cannot be told from a next request
            if not raw.isascii():
                words = f"{clip(str(exc), 80)}; the JSON stops {counted_in_characters(raw)}"
                raise Refusal("body.malformed", detail=words) from None
        raise _malformed_refusal(text, exc) from None
    if "\\u" in text and lone_surrogate(document) is not None:  # only an escape can make one
        words = "a \\u escape names half of a UTF-16 surrogate pair"
        path = lone_surrogate_path(document)
        if not path:  # the body is that string
            raise Refusal("body.malformed", detail=words)
        field = document_field(path)
        raise Refusal("body.malformed", field=field, detail=clip(f"{words}, in {field}", 200))
    return document


try:  # gunicorn's chunked reader meeting the end of the connection: in a chunk, or where a CRLF was due
    from gunicorn.http.errors import ChunkMissingTerminator, NoMoreData
except ImportError:  # no gunicorn where there is no POSIX (Windows): the in-process mock serves with werkzeug
    NoMoreData = ChunkMissingTerminator = ClientDisconnected
CUT_SHORT = (ConnectionError, NoMoreData, ClientDisconnected)  # the client went away halfway through the body


# The Content-Type an HTTP client gives a string body unless told otherwise, as it writes it: a 415 for it says where
# it came from, since the developer never wrote it
CLIENT_DEFAULTS = {
    "text/plain;charset=utf-8": ("fetch gives a string body that type by default", ""),
    "application/x-www-form-urlencoded": ("curl -d and axios give a string body that type by default",
                                          " (curl --json sends it, and axios does for an object)"),
}


def read_raw(request: Request, limit: int, stall: float | None = None, within: float | None = None) -> bytes:
    """The body's bytes (read_body), once the content type is JSON and the body is not compressed."""
    if request.mimetype != "application/json":
        raise media_type_refusal(header_text(request.headers.get("Content-Type")))
    check_codings(request)
    return read_body(request, limit, stall, within)


def media_type_refusal(content_type: str | None) -> Refusal:
    """The 415 of a body that is not said to be JSON, telling what to send where a client's default is to blame."""
    default = CLIENT_DEFAULTS.get((content_type or "").replace(" ", "").lower())
    if default is None:
        return Refusal("body.media_type", got=sent(content_type))
    why, aside = default
    hint = send_instead([why], "the header Content-Type: application/json")
    return Refusal("body.media_type", got=f"{sent(content_type)}; {hint}{aside}")


def check_codings(request: Request) -> None:
    """A body in a content coding (gzip, br...) is refused (415), and one in a transfer coding other than chunked
    (501, as RFC 9112 has it), for the endpoint and the admin API alike: the mock decodes none, and compressed bytes
    would be judged "not valid UTF-8", or plain ones taken for what they are not."""
    coding = header_text(request.headers.get("Content-Encoding", "identity"))
    # a list of codings (RFC 9110, 8.4), applied in order: `identity, identity` is none, as `identity` is
    if any(c.strip(" \t").lower() not in ("", "identity") for c in coding.split(",")):
        raise Refusal("body.content_encoding", got=clipped(coding, 42))
    transfer = header_text(request.headers.get("Transfer-Encoding", "chunked"))
    codings = [c.strip(" \t").lower() for c in transfer.split(",")]
    if [c for c in codings if c not in ("", "identity")] != ["chunked"]:  # gunicorn lets gzip... before chunked by
        close_after_response()
        raise Refusal("body.transfer_coding", detail=f"Unsupported transfer coding: {sent(transfer)}")


def read_body(request: Request, limit: int, stall: float | None = None, within: float | None = None) -> bytes:
    """The body's bytes, if there are at most `limit` of them (413 above it).

    Served by gunicorn, a body that stops arriving for `stall` seconds is refused (408), so one shorter than its
    Content-Length (computed for another version of the payload, say) cannot hold the worker: a sync one until
    gunicorn's arbiter kills it, a gthread thread for ever. So is a body not whole `within` seconds after the
    app starts reading it, so a client trickling it a byte at a time cannot hold the worker either.
    """
    # the connection's socket, served by gunicorn or by the in-process mock's werkzeug (not by Flask's test client)
    sock = (request.environ.get("gunicorn.socket") or request.environ.get("werkzeug.socket")) if stall else None
    if sock is not None:
        sock.settimeout(stall)
    try:
        with read_deadline.within(within):
            if request.content_length is not None and request.content_length > limit:
                _drain(request)
                raise Refusal("body.too_large", limit=limit)
            raw = request.stream.read(limit + 1)
            if len(raw) > limit:
                _drain(request)
                raise Refusal("body.too_large", limit=limit)
            if request.content_length is not None and len(raw) < request.content_length:
                close_after_response()
                raise CutShort(raw, detail=f"the connection closed after {len(raw)} of the"
                                           f" {request.content_length} bytes Content-Length announced")
            return raw
    except TimeoutError as exc:
        raise _timed_out(exc, request, sock, stall, within) from None
    except CUT_SHORT as exc:  # the client's doing, not the mock's: no 500, no traceback
        if isinstance(exc.__context__, TimeoutError):  # werkzeug's LimitedStream (in-process) says so of a timeout
            raise _timed_out(exc.__context__, request, sock, stall, within) from None
        close_after_response()
        raise Refusal("body.incomplete", detail=_cut_short(exc, request.content_length)) from None
    except ChunkMissingTerminator as exc:
        if exc.term != b"":  # bytes that are not the CRLF due: malformed, in gunicorn's words (errors.py)
            raise
        # the connection ended where a CRLF was due (after a chunk's data, or to end the trailer section): gunicorn
        # said "Invalid chunk terminator is not '\\r\\n': b''", a request the client did not send
        close_after_response()
        raise Refusal("body.incomplete", detail=_cut_short(exc, request.content_length)) from None
    except MalformedBody as exc:  # the in-process mock's chunked reader; gunicorn's raise ParseException (errors.py)
        close_after_response()
        raise Refusal(exc.key, detail=clip(str(exc), 200)) from None
    finally:
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.settimeout(None)


def _timed_out(exc: TimeoutError, request: Request, sock: Any, stall: float | None, within: float | None) -> Refusal:
    """The refusal of a body that stopped arriving (408), the connection to be closed without reading the rest."""
    close_after_response()
    if sock is not None:
        with contextlib.suppress(OSError):
            tls.shutdown(sock, socket.SHUT_RD)  # the rest is not coming: the server must not wait to drain it
    if isinstance(exc, read_deadline.DeadlinePassed):
        return Refusal("body.too_slow", seconds=f"{within:g}")
    if request.content_length is None:
        return Refusal("body.timeout_chunked", seconds=f"{stall:g}")
    return Refusal("body.timeout", expected=request.content_length, seconds=f"{stall:g}")


def _cut_short(exc: BaseException, announced: int | None) -> str:
    """What became of a body the client stopped sending halfway, for body.incomplete."""
    if isinstance(exc, ConnectionError) or isinstance(exc.__context__, ConnectionError):  # werkzeug's LimitedStream
        return "the connection was reset"  # (in-process) raises ClientDisconnected from it
    if announced is None:
        return "the connection closed before the chunked body's end"
    return f"the connection closed before the {announced} bytes Content-Length announced had come"


DRAIN_AT_MOST = 1024 * 1024


def _drain(request: Request) -> None:
    """Read and drop a refused body of moderate size, so the server can keep the connection alive (gunicorn would
    read it before the next request, for as long as it takes to come). A larger one is left for the close, and so
    is one the client holds back for a `100 Continue`: the refusal is its answer (RFC 9110, 10.1.1)."""
    if (request.content_length or 0) > DRAIN_AT_MOST or wire.body_held_back(request.environ):
        close_after_response()  # never wait for a body that large (it may never come), nor ask for one to drop it
        return
    left = DRAIN_AT_MOST
    try:
        while left > 0 and (chunk := request.stream.read(min(left, 64 * 1024))):
            left -= len(chunk)
    except (TimeoutError, *CUT_SHORT) as exc:  # the rest stalled or came too slowly: still a 413
        if not isinstance(exc, TimeoutError) and not isinstance(exc.__context__, TimeoutError):
            raise  # werkzeug's LimitedStream (in-process) raises ClientDisconnected from a timeout: it said 408
        close_after_response()
        return
    if left <= 0:  # a chunked body larger than the drain: more may follow
        close_after_response()


def parse_object(raw: bytes, charset: str | None = None, announced: int | None = None) -> dict[str, Any]:
    document = parse_json(raw, charset, announced)
    if not isinstance(document, dict):
        kind = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(type(document))
        raise Refusal("body.not_object", got=(kind or "a number") + wrapped(document))
    return document


def wrapped(document: Any) -> str:
    """Words for a body that holds the object, but wrapped: in a string (encoded twice: `json=json.dumps(body)` in
    Python's requests, JSON.stringify twice in JavaScript) or in a list of one; else empty."""
    if isinstance(document, list) and len(document) == 1 and isinstance(document[0], dict):
        return " holding one object: send the object itself, without the brackets"
    if isinstance(document, str) and document.strip().startswith("{") and _holds_object(document):
        return " holding a JSON object: the body was encoded as JSON twice; send the object itself, not a string of it"
    return ""


def _holds_object(text: str) -> bool:
    """Whether a string is the JSON text of an object, read as a body is (a string in braces may be none)."""
    try:
        return isinstance(parse_json(text.encode("utf-8")), dict)
    except (Refusal, UnicodeEncodeError):
        return False
