"""Text from outside ASCII, as a team writing German, Turkish, Arabic, Japanese or emoji sends it: what the mock
quotes back of it is cut where a character ends whole, and lengths and names are read one way throughout."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from network import exchange, parsed

from mockserver.shown_text import MAX_SHOWN, clip, sent

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji of five code points
FLAG = "\U0001f1e9\U0001f1ea"  # a flag: two regional indicators
NFD_E = "e\u0301"  # é, decomposed


def _cut_inside_a_cluster(value: str, shown: str) -> bool:
    """Whether `shown` (a start of `value`, then "...") ends where the next character of `value` joins the last one
    kept: a combining mark, the second half of a flag, a joiner or what comes after it."""
    kept = shown.removesuffix("...")
    if not value.startswith(kept) or len(kept) in (0, len(value)):
        return False
    before, after = value[len(kept) - 1], value[len(kept)]
    return (unicodedata.combining(after) > 0 or after == "\u200d" or before == "\u200d"
            or (before in FLAG and after in FLAG and kept.count(before) % 2 == 1 and kept.count(after) % 2 == 0))


@pytest.mark.parametrize("unit", [FAMILY, FLAG, NFD_E, "\u0627\u064e", "\u304b\u3099", "a\u0308\u0301", "x"])
@pytest.mark.parametrize("lead", range(0, 8))
def test_a_long_value_is_cut_where_a_character_ends_whole(unit, lead):
    value = "y" * lead + unit * 70
    shown = sent(value)
    assert len(shown) <= MAX_SHOWN and shown.endswith("...")
    assert not _cut_inside_a_cluster(value, shown[1:]), shown


@pytest.mark.parametrize("char", ["\x1b", "\x00", "\u200b", "\u202e", "\ud800"])
@pytest.mark.parametrize("lead", range(0, 8))
def test_a_cut_never_splits_an_escape(char, lead):
    """repr() writes a control or invisible character as an escape (`\\x1b`, `\\u202e`): a cut inside one left
    `\\x1...`, which reads as another value."""
    shown = sent("y" * lead + char * 40)
    body = shown[1:].removesuffix("...")
    assert body.replace(repr(char)[1:-1], "").strip("y") == "", shown


def test_a_value_that_fits_is_shown_whole_and_an_answer_quoting_it_stays_utf8():
    for value in ("Gr\u00fc\u00dfe aus K\u00f6ln", "\u0645\u0631\u062d\u0628\u0627", "\u65e5\u672c" * 20, FAMILY):
        assert sent(value) == repr(value)
    for value in (FAMILY * 30, "\u0645\u0631\u062d\u0628\u0627 " * 30, "\ud800" * 30):
        json.dumps(sent(value), ensure_ascii=False).encode("utf-8")  # no half surrogate pair in what is quoted


def test_clip_keeps_plain_text_and_cuts_at_a_whole_character():
    assert clip("abc", 10) == "abc"
    assert clip("a" * 20, 10) == "a" * 7 + "..."
    assert clip("a" * 6 + NFD_E * 5, 10) == "a" * 6 + "..."
    assert clip("\x1b" * 10, 12, lambda text: repr(text)[1:-1]) == "\\x1b" * 2 + "..."


def test_a_name_of_combining_marks_is_refused_quoting_it_whole_characters_only(post, sample_body):
    sample_body["priority"] = "9" + NFD_E * 40
    [error] = post(sample_body).get_json()["errors"]
    got = error["msg"].split("(got ", 1)[1].removesuffix(")")
    assert got.endswith("...") and not _cut_inside_a_cluster(sample_body["priority"], got[1:]), got


def _last_entry(client) -> dict:
    (entry,) = client.get("/__admin/requests?limit=1").get_json()["requests"]
    return entry


@pytest.mark.parametrize(("sent_bytes", "kept"), [
    ("M\u00fcller".encode("latin-1"), "M\\xfcller"),  # Latin-1, not UTF-8
    (b"a\xc0\xafb", "a\\xc0\\xafb"),  # an overlong "/"
    (b"a\xed\xa0\x80b", "a\\xed\\xa0\\x80b"),  # a surrogate encoded in UTF-8 (CESU-8)
])
def test_the_journal_keeps_body_bytes_that_are_not_utf8_as_they_came(client, post, sample_body, sent_bytes, kept):
    """They were kept as U+FFFD, so an overlong "/" and a Latin-1 letter read alike: what arrived was lost."""
    raw = json.dumps(sample_body).encode().replace(sample_body["name"].encode(), sent_bytes, 1)
    assert post(raw).status_code == 400
    body = _last_entry(client)["body"]
    assert f'"name": "{kept}"' in body, body


def test_the_journal_cuts_a_long_body_where_a_character_ends(client, post, sample_body):
    """The first 8 KiB of a body of Japanese text ended in half a character, kept as U+FFFD."""
    sample_body["description"] = "\u65e5\u672c\u8a9e" * 3000
    post(sample_body)
    body = _last_entry(client)["body"]
    assert "\ufffd" not in body and "\\x" not in body and body.endswith(("\u65e5", "\u672c", "\u8a9e"))
    assert 8 * 1024 - 3 <= len(body.encode()) <= 8 * 1024


def test_the_journal_keeps_header_bytes_that_are_not_utf8_as_they_came(client, url, headers, sample_body):
    response = client.post(url, json=sample_body, headers={**headers, "iid": "x"},
                           environ_overrides={"HTTP_IID": "st-\u00fc", "HTTP_X_TEAM": "K\u00c3\u00b6ln"})
    assert response.status_code == 400
    kept = _last_entry(client)["headers"]
    assert kept["iid"] == "st-\\xfc" and kept["x-team"] == "K\u00f6ln", kept


# name -> JavaScript's name.toLowerCase() (Node 20), which the service's `lname` evidently is
JAVASCRIPT_LOWERCASE = {
    "\u0130stanbul": "i\u0307stanbul",  # Turkish dotted capital I: i and a combining dot, in no locale's rules
    "I\u011eDIR": "i\u011fdir",  # and dotless I lowercases to i
    "STRA\u1e9eE": "stra\u00dfe",  # capital sharp s
    "\u039f\u0394\u039f\u03a3 \u039a\u0391\u0399": "\u03bf\u03b4\u03bf\u03c2 \u03ba\u03b1\u03b9",  # final sigma
    "\u03a3\u0391\u03a3.": "\u03c3\u03b1\u03c2.",
    "\u0391\u03a3\u0301\u0391": "\u03b1\u03c3\u0301\u03b1",  # not final: a letter follows the accent
    "\u01c5emal": "\u01c6emal",  # a titlecase digraph
    "\u212aelvin": "kelvin",  # the Kelvin sign
}


@pytest.mark.parametrize(("name", "lowered"), JAVASCRIPT_LOWERCASE.items())
def test_lname_is_the_name_lowercased_as_javascript_lowercases_it(post, sample_body, name, lowered):
    sample_body["name"] = name
    response = post(sample_body)
    assert response.status_code == 200
    assert response.get_json()["data"]["lname"] == lowered


@pytest.mark.parametrize(("first", "second", "status"), [
    ("\u039f\u0394\u039f\u03a3", "\u03bf\u03b4\u03bf\u03c2", 409),  # the same lname
    ("Stra\u00dfe", "STRA\u1e9eE", 409),
    ("\u0130stanbul", "istanbul", 200),  # lnames i\u0307stanbul and istanbul
    ("Stra\u00dfe", "STRASSE", 200),  # lowercased, not case-folded: strasse is another lname
    ("\u039f\u0394\u039f\u03a3", "\u03bf\u03b4\u03bf\u03c3", 200),  # a final sigma written as a medial one
    ("Caf\u00e9", "Cafe\u0301", 200),  # the same text to a reader, in two Unicode forms: not normalized
])
def test_a_duplicate_name_is_one_whose_lname_is_taken(client, post, sample_body, first, second, status):
    assert post(dict(sample_body, name=first)).status_code == 200
    assert post(dict(sample_body, name=second)).status_code == status
    # the admin API's name filter compares names as the duplicate check does
    assert client.get("/__admin/campaigns", query_string={"name": second}).get_json()["total"] == 1


def test_a_contract_failure_quotes_a_body_cut_where_a_character_ends():
    from contract_tests.checks import BODY_SHOWN, shown_body

    text = "x" * (BODY_SHOWN - 1) + FLAG * 5
    shown = shown_body(text)
    assert shown.endswith("...)") and not _cut_inside_a_cluster(text, shown.removeprefix(" (body: ")[:-1]), shown
    assert shown_body("\u00fc" * BODY_SHOWN) == " (body: " + "\u00fc" * BODY_SHOWN + ")"


@pytest.fixture(params=["in-process", "served"])
def server(request, shared_mock):
    """The in-process mock (running_mock), or a `mockserver serve`: they refuse a request's head alike."""
    if request.param == "in-process":
        from mockserver.testing import running_mock

        with running_mock() as mock:
            yield mock
    else:
        yield shared_mock("--db", ":memory:")


@pytest.mark.parametrize(("head", "shown", "advice"), [
    ("GET /__admin/campaigns/cd-\u00fc HTTP/1.1\r\nHost: m\r\n\r\n", "/__admin/campaigns/cd-\u00fc HTTP/1.1",
     "%-encode other characters as UTF-8 (\u00fc is %C3%BC)"),
    ("GET /__admin/health?name=\u65e5\u672c HTTP/1.1\r\nHost: m\r\n\r\n", "?name=\u65e5\u672c HTTP/1.1",
     "%-encode other characters as UTF-8"),
    ("GET /__admin/health HTTP/1.1\r\nHost: m\r\nX-Gr\u00fc\u00dfe: 1\r\n\r\n", "'X-Gr\u00fc\u00dfe'",
     "a header name is ASCII"),
])
def test_raw_utf8_in_a_request_head_is_refused_quoting_what_was_sent(server, head, shown, advice):
    """The refusal quoted the bytes read as Latin-1, '/cd-\u00c3\u00bc', with nothing on what to send instead."""
    status, _, answer = parsed(exchange(server.url, head.encode("utf-8")))
    [error] = json.loads(answer)["errors"]
    assert status == 400 and error["code"] == 4000, answer
    assert shown in error["msg"] and advice in error["msg"], error["msg"]


@pytest.mark.parametrize(("head", "mark", "shown"), [
    ("GET /cd-\u00fc HTTP/1.1\r\nHost: m\r\n\r\n", "GET /cd-", "'GET /cd-\u00fc HTTP/1.1': a request target is ASCII"),
    ("GET / HTTP/1.1\r\nHost: m\r\nX-Stra\u00dfe: 1\r\n\r\n", "X-Stra", "'X-Stra\u00dfe': a header name is ASCII"),
])
def test_the_warning_logged_for_raw_utf8_in_a_request_head_quotes_it_as_the_answer_does(shared_mock, head, mark,
                                                                                         shown):
    """gunicorn's warning quoted the bytes read as Latin-1 (cd-\u00c3\u00bc) while the answer quoted cd-\u00fc."""
    import time

    mock = shared_mock("--db", ":memory:")
    exchange(mock.url, head.encode("utf-8"))
    deadline = time.monotonic() + 10
    while not (lines := [line for line in mock.output if "Invalid request from" in line and mark in line]):
        assert time.monotonic() < deadline, mock.output
        time.sleep(0.05)
    assert shown in lines[0] and "\u00c3" not in lines[0], lines


ASCII_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}


@pytest.mark.parametrize("locale", [ASCII_LOCALE, {"LC_ALL": "C.UTF-8", "PYTHONUTF8": "1"}])
def test_journal_filters_typed_in_utf8_work_in_any_locale(locale):
    """In an ASCII locale, `mockserver journal --path '/café*'` (the bytes a UTF-8 terminal sends) ended in a
    UnicodeEncodeError traceback from requests."""
    import os
    import subprocess
    import sys

    import requests

    from mockserver.testing import running_mock

    with running_mock() as mock:
        requests.post(f"{mock.url}/caf%C3%A9", json={}, timeout=10)
        requests.post(f"{mock.url}/other", json={}, timeout=10)
        result = subprocess.run([sys.executable, "-m", "mockserver", "journal", "--url", mock.url, "--json",
                                 b"--path", "/caf\u00e9*".encode(), b"--account-id", "\u00fc".encode()],
                                capture_output=True, env={**os.environ, **locale}, timeout=60)
        assert result.returncode == 0, result.stderr
        assert result.stdout == b"" and b"(no requests match the filters)" in result.stderr
        result = subprocess.run([sys.executable, "-m", "mockserver", "journal", "--url", mock.url, "--json",
                                 b"--path", "/caf\u00e9*".encode()], capture_output=True,
                                env={**os.environ, **locale}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["path"] for line in result.stdout.splitlines()] == ["/caf\u00e9"]


@pytest.mark.parametrize("locale", [ASCII_LOCALE, {"LC_ALL": "C.UTF-8", "PYTHONUTF8": "1"}])
def test_a_journal_filter_that_is_not_utf8_is_one_line(locale, free_port):
    import os
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "mockserver", "journal", "--url", f"http://127.0.0.1:{free_port}",
                             b"--path", b"/caf\xe9*"], capture_output=True, env={**os.environ, **locale}, timeout=60)
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.splitlines() == [b"mockserver journal: error: --path must be UTF-8 text (got '/caf\\xe9*':"
                                          b" a byte that is not UTF-8, as a Latin-1 terminal sends it)"], result.stderr


def test_a_base_url_the_locale_could_not_read_is_refused_saying_so():
    """`--base-url http://bücher.example` in an ASCII locale was refused as having "white space or a control
    character in it (a CI variable read with its line end?)", which it has not."""
    from mockserver.errors import ToolError
    from mockserver.http_client import check_base_url

    typed = "http://b\udcc3\udcbccher.example:8080"  # the bytes a UTF-8 terminal sends, read in an ASCII locale
    with pytest.raises(ToolError) as refused:
        check_base_url(typed)
    said = str(refused.value)
    assert "white space" not in said and "http://b\u00fccher.example:8080" in said, said
    assert "xn--" in said and "%-encode" in said, said


def _create_head(body: dict, headers: dict, target: str, **changed: bytes) -> bytes:
    raw = json.dumps(body).encode()
    sent = {name: value.encode() for name, value in headers.items()} | changed
    lines = [f"POST {target} HTTP/1.1".encode(), b"Host: m", b"Connection: close", b"Content-Type: application/json",
             *(name.encode() + b": " + value for name, value in sent.items()), b"Content-Length: %d" % len(raw)]
    return b"\r\n".join([*lines, b"", raw])


@pytest.mark.parametrize(("change", "status", "quoted"), [
    ({"iid": "st-\u00fc".encode()}, 400, "iid header ('st-\u00fc')"),
    ({"iid": b"st-\xfc"}, 400, "iid header ('st-\ufffd')"),  # Latin-1, not UTF-8
    ({"accountid": "\u65e5\u672c".encode()}, 400, "accountid header ('\u65e5\u672c')"),
    ({"auth": "t\u00f6ken".encode()}, 401, "Invalid JWT token"),
    ({"target": "/campaign/api/v2/public/st-%C3%BC/campaign?accountId={account}&campaignType=voice"}, 403,
     "Stream 'st-\u00fc'"),
    ({"target": "/campaign/api/v2/public/{stream}/campaign?accountId=%D8%B9&campaignType=voice"}, 400,
     "accountId query parameter ('\u0639')"),
])
def test_text_beyond_ascii_in_headers_path_and_query_is_refused_quoting_it(server, sample_body, headers, url, account,
                                                                          change, status, quoted):
    change = dict(change)
    target = change.pop("target", url).format(account=account.account_id, stream=account.streams[0])
    answer_status, _, answer = parsed(exchange(server.url, _create_head(sample_body, headers, target, **change)))
    assert answer_status == status and quoted in json.loads(answer)["errors"][0]["msg"], answer


def _quoting_cuts():
    from contract_tests.cases import shown
    from mockserver.auth import _quoted
    from mockserver.parity import _excerpt

    return [(shown, 80), (_excerpt, 60), (_quoted, 60)]


@pytest.mark.parametrize("unit", [FAMILY, FLAG, NFD_E, "\U0001f44d\U0001f3fd", "\x1b"])
@pytest.mark.parametrize("lead", range(0, 6))
@pytest.mark.parametrize("cut", range(3), ids=["case file", "parity", "token"])
def test_case_file_parity_and_token_quotes_cut_where_a_character_ends(cut, unit, lead):
    """A case file's value of the wrong type, a contract report's malformed record and a token's claim are quoted
    cut short: where a character ends whole, never inside an escape."""
    quote, limit = _quoting_cuts()[cut]
    value = "y" * lead + unit * 40
    shown = quote(value)
    assert len(shown) <= limit and shown.endswith("..."), shown
    kept = shown[1:].removesuffix("...")
    if unit == "\x1b":
        assert kept.replace(quote(unit)[1:-1], "").strip("y") == "", shown
    else:
        assert not _cut_inside_a_cluster(value, shown[1:]), shown
    assert quote(["a" * 100])[-3:] == "..." and len(quote(["a" * 100])) <= limit


def _refusal_text(refuse, value: str) -> str:
    from mockserver.faults import FaultError
    from mockserver.journal_filters import FilterError

    with pytest.raises((FilterError, FaultError)) as refused:
        refuse(value)
    return str(refused.value)


def _quoted_in(said: str) -> str:
    """The quote of a value cut short in a refusal: from its opening quote to the "..." that ends the cut."""
    found = re.search(r"'(?:[ye\u0080-\U0010ffff]|\\x[0-9a-f]{2}|\\u[0-9a-f]{4})*\.\.\.", said)
    assert found, said
    return found[0]


@pytest.mark.parametrize("unit", [FAMILY, FLAG, NFD_E, "\x1b"])
@pytest.mark.parametrize("lead", range(0, 4))
@pytest.mark.parametrize("refuse", ["status", "method", "path", "after", "fault"])
def test_a_refused_filter_or_fault_quotes_the_value_cut_where_a_character_ends(refuse, unit, lead):
    """A journal filter and a fault directive were quoted cut by code points (repr(value[:40]))."""
    from mockserver import faults, journal_filters

    refusing = {"status": journal_filters.statuses, "method": journal_filters.method, "path": journal_filters.path,
                "after": journal_filters.after, "fault": lambda value: faults.parse(f"{value}=1")}[refuse]
    value = "y" * lead + unit * (60 // len(unit) + 1)  # longer than a quote, within a filter's 100 characters
    shown = _quoted_in(_refusal_text(refusing, value))
    if unit == "\x1b":
        assert shown[1:].removesuffix("...").replace("\\x1b", "").strip("y") == "", shown
    else:  # read back from repr's escapes (\u200d) to the characters
        read = shown.encode("ascii", "backslashreplace").decode("unicode_escape")
        assert not _cut_inside_a_cluster(value, read[1:]), shown
