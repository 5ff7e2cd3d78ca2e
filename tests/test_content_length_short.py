"""A body longer than its Content-Length, as Node's http.request sends one given `'Content-Length': body.length`
(JavaScript counts a string's characters, not its UTF-8 bytes): the JSON stops unfinished where the length ends, the
refusal says what to check, and the rest of the body is not read as the client's next request."""

from __future__ import annotations

import json
import socket

import pytest
from network import parsed

WORKER_KINDS = {"sync": ("--threads", "1"), "gthread": ("--threads", "2")}


@pytest.fixture(params=list(WORKER_KINDS))
def mock(request, shared_mock):
    return shared_mock("--db", ":memory:", *WORKER_KINDS[request.param])


def create(minted: dict[str, str], body: bytes, length: int) -> bytes:
    path = f"/campaign/api/v2/public/{minted['streamId']}/campaign?accountId={minted['accountId']}&campaignType=voice"
    return (f"POST {path} HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\nauth: {minted['token']}\r\n"
            f"accountid: {minted['accountId']}\r\niid: {minted['streamId']}\r\nContent-Length: {length}\r\n\r\n"
            ).encode() + body


def answers(sock: socket.socket, count: int) -> list[tuple[int, dict[str, str], bytes]]:
    """The next `count` answers on `sock` (fewer if it closes first)."""
    got, buffer = [], b""
    while len(got) < count:
        while b"\r\n\r\n" not in buffer or len(buffer.partition(b"\r\n\r\n")[2]) < int(
                parsed(buffer)[1].get("content-length", 0)):
            chunk = sock.recv(65536)
            if not chunk:
                return got
            buffer += chunk
        status, headers, body = parsed(buffer)
        got.append((status, headers, body))
        buffer = buffer.partition(b"\r\n\r\n")[2][len(body):]
    return got


NEXT = b"GET /__admin/health HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\r\n"  # sent right
CASES = {  # the name sent, and the refusal's words after "Request body is not valid JSON: "
    "characters": ("Café Müller", "Unterminated string starting at: line 1 column {column} (char {char}); the JSON"
                                  " stops where Content-Length ends ({length} bytes): does it count the body's bytes?"
                                  " JavaScript's string.length counts characters: use Buffer.byteLength(body)"),
    "ascii": ("Cafe Muller", "Unterminated string starting at: line 1 column {column} (char {char})"),
    "cut-character": ("Café Müller ü", "it stops inside a character's UTF-8 bytes, where Content-Length ends"
                                      " ({length} bytes): does it count the body's bytes? JavaScript's string.length"
                                      " counts characters: use Buffer.byteLength(body)"),
}


@pytest.mark.parametrize("kind", CASES)
def test_a_body_longer_than_its_content_length_is_named_and_not_read_as_the_next_request(mock, minted, contract,
                                                                                        kind):
    """On gthread workers the 400 said only "Unterminated string starting at: line 1 column 870 (char 869)" (or,
    cut inside a character, "not valid UTF-8") and kept the connection, whose next request, sent right, was refused
    "Invalid HTTP method: '\\"}POST'"."""
    name, said = CASES[kind]
    text = json.dumps({**contract.sample_request, "name": name}, ensure_ascii=False)
    body = text.encode()
    short = {"characters": len(text), "ascii": len(body) - 2}.get(kind)
    if kind == "cut-character":  # the body ends in the name's last character: cut in its 2 bytes
        rest = {k: v for k, v in contract.sample_request.items() if k != "name"}
        text = json.dumps({**rest, "name": name}, ensure_ascii=False)[:-2]
        body, short = text.encode(), len(text.encode()) - 1
    with socket.create_connection(mock.address, timeout=10) as sock:
        sock.sendall(create(minted, body, short) + NEXT)
        [(status, headers, answer), *after] = answers(sock, 2)
    assert (status, headers["connection"], headers.get("keep-alive")) == (400, "close", None) and after == []
    [error] = json.loads(answer)["errors"]
    start = body[:short].rindex(b'"', 0, short - 1) if kind != "cut-character" else 0
    column = len(body[:start].decode()) + 1
    assert error["msg"] == "Request body is not valid JSON: " + said.format(column=column, char=column - 1,
                                                                            length=short)


HINT = ("the JSON stops where Content-Length ends ({length} bytes): does it count the body's bytes? JavaScript's"
        " string.length counts characters: use Buffer.byteLength(body)")


@pytest.mark.parametrize(("cut", "at"), [("false", 3), ("false", 1), ("\\u0007", 4)])
def test_a_body_cut_inside_a_word_or_an_escape_is_named_and_not_read_as_the_next_request(mock, minted, contract,
                                                                                        cut, at):
    """JSON.stringify's body cut where its character count ends may stop inside `false` or a \\u escape: that was
    "Expecting value" alone, and on gthread workers the rest ('se},...') led the next request, refused."""
    sample = {**contract.sample_request, "name": "Café Müller \u0007"}
    body = json.dumps(sample, ensure_ascii=False, separators=(",", ":")).encode()
    short = body.index(cut.encode()) + at
    with socket.create_connection(mock.address, timeout=10) as sock:
        sock.sendall(create(minted, body, short) + NEXT)
        [(status, headers, answer), *after] = answers(sock, 2)
    assert (status, headers["connection"], after) == (400, "close", [])
    [error] = json.loads(answer)["errors"]
    assert error["msg"].endswith("; " + HINT.format(length=short)), error["msg"]


@pytest.mark.parametrize("text", ['{"name": "Café"}\u00a0', "\u3000", '{"name": "Café"}\u2028'])
def test_a_whole_document_and_white_space_json_does_not_read_is_no_body_cut_short(text):
    """A no-break space or another white space str.rstrip() takes and json.loads does not, after a whole document or
    alone, was told the JSON stops where Content-Length ends, which it does not."""
    from mockserver.intake import Refusal, parse_json

    raw = text.encode()
    with pytest.raises(Refusal) as refused:
        parse_json(raw, None, len(raw))
    [item] = refused.value.items
    assert "Content-Length" not in item["msg"], item["msg"]


@pytest.mark.parametrize("charset", ["iso-8859-1", "windows-1252"])
def test_a_body_in_another_charset_ending_at_its_content_length_is_told_its_charset(charset):
    """A Latin-1 body ending in é (E9, which UTF-8 reads as the first of 3 bytes) where its Content-Length ends was
    told it stops inside a character's UTF-8 bytes, and to use Buffer.byteLength, instead of that its charset is not
    used."""
    from mockserver.intake import Refusal, parse_json

    raw = '{"name": "Café'.encode("latin-1")
    with pytest.raises(Refusal) as refused:
        parse_json(raw, charset, len(raw))
    [item] = refused.value.items
    assert item["msg"] == ("Request body is not valid UTF-8: JSON is read as UTF-8 (RFC 8259) whatever the"
                           f" Content-Type says, so its charset='{charset}' is not used"), item["msg"]


@pytest.mark.parametrize("charset", ["iso-8859-1", "us-ascii"])
def test_a_body_cut_inside_a_character_closes_its_connection_whatever_its_charset_says(mock, minted, contract,
                                                                                        charset):
    """Said to be in another charset, a UTF-8 body cut inside a character at its Content-Length (its charset
    mislabelled: every byte of it is UTF-8's) kept the connection on gthread workers, and the rest of the body began
    the next request: "Invalid HTTP method: '\\u00a9\\"}GET'", the request sent right after it lost."""
    rest = {k: v for k, v in contract.sample_request.items() if k != "name"}
    body = json.dumps({**rest, "name": "Café é"}, ensure_ascii=False)[:-2].encode()  # ends in é, cut in its 2 bytes
    head = create(minted, body, len(body) - 1).replace(b"application/json", f"application/json; charset={charset}"
                                                       .encode())
    with socket.create_connection(mock.address, timeout=10) as sock:
        sock.sendall(head + NEXT)
        [(status, headers, answer), *after] = answers(sock, 2)
    assert (status, headers["connection"], headers.get("keep-alive")) == (400, "close", None) and after == []
    assert json.loads(answer)["errors"][0]["msg"] == ("Request body is not valid UTF-8: JSON is read as UTF-8 (RFC"
                                                      " 8259) whatever the Content-Type says, so its"
                                                      f" charset='{charset}' is not used")
