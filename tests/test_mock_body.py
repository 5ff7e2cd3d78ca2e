"""Step 4 and bad input: whatever bytes arrive, the answer is a 4xx in the error envelope, never a 500."""

from __future__ import annotations

import gzip
import io
import json

import pytest
import requests


@pytest.mark.parametrize(
    ("raw", "status", "words"),
    [
        (b"", 400, "not valid JSON: the body is empty: send the campaign as a JSON object"),
        (b" \r\n\t", 400, "not valid JSON: the body is empty: send the campaign as a JSON object"),
        (b"{", 400, "not valid JSON"),
        (b'{"name": "x",}', 400, "not valid JSON"),
        (b"[1, 2]", 400, "must be a JSON object (got an array)"),
        (b'"text"', 400, "must be a JSON object (got a string)"),
        (json.dumps(json.dumps({"name": "x"})).encode(), 400,
         "must be a JSON object (got a string holding a JSON object: the body was encoded as JSON twice; send the"
         " object itself, not a string of it)"),
        (b'[{"name": "x"}]', 400,
         "must be a JSON object (got an array holding one object: send the object itself, without the brackets)"),
        (b'"{name: x}"', 400, "must be a JSON object (got a string)"),  # braces around no JSON object
        (b"42", 400, "must be a JSON object (got a number)"),
        (b"null", 400, "must be a JSON object (got null)"),
        (b"\xff\xfe{}", 400, "not valid UTF-8"),
        (b'{"a": NaN}', 400, "NaN is not allowed"),
        (b'{"a": 1e999}', 400, "out of range"),
        (b'{"a": ' + b"9" * 5000 + b"}", 400, "not valid JSON: a number has more than 4,300 digits"),
        (b'{"a": 1, "a": 2}', 400, "duplicate key 'a'"),
        (b"[" * 20000 + b"]" * 20000, 400, "not valid JSON"),
        (b"\xef\xbb\xbf{}", 400, "starts with a UTF-8 byte order mark (EF BB BF): send the JSON without one"),
    ],
    ids=["empty", "blank", "truncated", "trailing comma", "array", "string", "json encoded twice", "array of one",
         "string in braces", "number", "null", "bad utf-8", "NaN",
         "huge float", "huge int", "duplicate key", "deep nesting", "byte order mark"],
)
def test_bad_bodies_get_a_clear_400(post, raw, status, words):
    response = post(raw, environ_overrides={"CONTENT_LENGTH": str(len(raw))})  # as a client sends it: 0 for b""
    assert response.status_code == status
    [error] = response.get_json()["errors"]
    assert words in error["msg"]


def test_wrong_content_type(post, sample_body):
    response = post(json.dumps(sample_body), content_type="text/plain")
    assert response.status_code == 415
    assert response.get_json()["errors"] == [{"msg": "Content-Type must be application/json (got 'text/plain')",
                                              "code": 4015}]


def test_no_content_type_is_said_in_words_not_as_none(client, url, headers, sample_body):
    response = client.post(url, data=json.dumps(sample_body), headers=headers)
    assert response.get_json()["errors"][0]["msg"] == "Content-Type must be application/json (got nothing)"


@pytest.mark.parametrize("number", ["30.0", "3e1", "3.0E1"])
def test_a_whole_number_written_with_a_fraction_is_read_as_an_integer(post, sample_body, number):
    """As a JavaScript service reads it: echoed as 30, which a client decoding into an integer can read."""
    raw = json.dumps(dict(sample_body, name=f"Ring {number}")).replace('"maxRingTime": 30', f'"maxRingTime": {number}')
    assert f'"maxRingTime": {number}' in raw
    response = post(raw.encode())
    assert response.status_code == 200, response.get_json()
    assert b'"maxRingTime":30,' in response.data or b'"maxRingTime":30}' in response.data


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br", "gzip, identity"])
def test_a_compressed_body_is_refused_naming_its_encoding(post, sample_body, headers, coding):
    compressed = gzip.compress(json.dumps(sample_body).encode())
    response = post(compressed, headers=headers | {"Content-Encoding": coding})
    assert response.status_code == 415
    [error] = response.get_json()["errors"]
    assert error == {"msg": f"Content-Encoding {coding!r} is not supported: send the JSON body uncompressed",
                     "code": 4015}


@pytest.mark.parametrize("coding", ["identity", "Identity ", ""])
def test_identity_encoding_is_no_encoding(post, sample_body, headers, coding):
    assert post(json.dumps(sample_body).encode(), headers=headers | {"Content-Encoding": coding}).status_code == 200


def test_json_with_charset_is_fine(post, sample_body):
    assert post(json.dumps(sample_body).encode(), content_type="application/json; charset=utf-8").status_code == 200


def test_oversized_body_is_413(post, sample_body):
    sample_body["description"] = "x" * 70_000
    response = post(sample_body)
    assert response.status_code == 413
    assert "exceeds 65536 bytes" in response.get_json()["errors"][0]["msg"]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("name", 12), ("name", None), ("name", ["a"]), ("priority", 5), ("contactLists", "CL Only 2020 Dec 4"),
        ("contactLists", [1, None]), ("dncLists", "DNC"), ("dialingStrategy", []),
        ("dialingStrategy.callingHours", 7), ("dialingStrategy.callingHours.days", {"day": "MO"}),
        ("dialingStrategy.callingHours.days", [1, "x", None]), ("dialingStrategy.maxRingTime", "30"),
        ("dialingStrategy.maxRingTime", True), ("dialingStrategy.maxRingTime", 30.5),
        ("dialingStrategy.callingHours.timezone", 5), ("name", "x" * 60_000),
    ],
)
def test_wrong_types_anywhere_are_400_naming_the_field(post, sample_body, path, value, error_fields):
    target = sample_body
    *parents, last = path.split(".")
    for key in parents:
        target = target[key]
    target[last] = value
    response = post(sample_body)
    assert response.status_code in (400, 413)
    if response.status_code == 400:
        assert any(f and f.startswith(path) for f in error_fields(response)), response.get_json()


def test_unknown_route_and_method_use_the_envelope(client, url):
    assert client.get("/nope").get_json()["errors"][0]["code"] == 4004
    response = client.get(url)
    assert response.status_code == 405
    assert "errors" in response.get_json()


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_every_unknown_path_is_a_404_and_a_long_one_is_not_echoed_whole(client, method):
    """Flask's default /static/<path> route made DELETE /static/x a 405 where any other unknown path is a 404, and
    a 4 KB path came back whole in the message."""
    for path in ("/static/x", "/nope", "/" + "x" * 4000):
        response = client.open(path, method=method)
        assert response.status_code == 404, path
        [error] = response.get_json()["errors"]
        assert error["msg"].startswith(f"No such endpoint: {method} {path[:50]}")
        assert len(error["msg"]) < 260


@pytest.mark.parametrize(("charset", "encoding"), [("utf-16", "utf-16"), ("ISO-8859-1", "latin-1")])
def test_a_body_in_the_charset_it_names_is_told_that_json_is_read_as_utf8(post, sample_body, charset, encoding):
    """It was told only "not valid UTF-8", as if the charset it named had not been seen."""
    raw = json.dumps(dict(sample_body, name="Café Outreach"), ensure_ascii=False).encode(encoding)
    response = post(raw, content_type=f"application/json; charset={charset}")
    assert response.status_code == 400
    said = f"whatever the Content-Type says, so its charset={charset!r} is not used"
    expected = f"Request body is not valid UTF-8: JSON is read as UTF-8 (RFC 8259) {said}"
    assert response.get_json()["errors"] == [{"msg": expected, "code": 4000}]


def test_the_charset_is_quoted_back_as_every_value_a_request_sent_is(post, sample_body):
    """It was echoed raw, cut at 40 characters without a mark: a control or bidi character went out as sent."""
    raw = json.dumps(dict(sample_body, name="Café Outreach"), ensure_ascii=False).encode("latin-1")
    for charset, quoted in (("utf-16\x07", "'utf-16\\x07'"), ("x" * 100, "'" + "x" * 60 + "...")):
        response = post(raw, content_type=f'application/json; charset="{charset}"')
        [error] = response.get_json()["errors"]
        assert f"so its charset={quoted} is not used" in error["msg"], error["msg"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_a_utf16_body_of_ascii_text_is_told_its_charset_is_not_used(post, sample_body, encoding):
    """ASCII text in UTF-16 without a byte order mark is valid UTF-8 (each NUL byte is U+0000), so it was answered
    "not valid JSON: Expecting property name enclosed in double quotes", which says nothing of the charset."""
    raw = json.dumps(sample_body).encode(encoding)
    response = post(raw, content_type="application/json; charset=utf-16")
    assert response.status_code == 400
    [error] = response.get_json()["errors"]
    assert error["msg"].startswith("Request body is not valid UTF-8: JSON is read as UTF-8"), error["msg"]
    assert "charset='utf-16' is not used" in error["msg"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-be"])
def test_a_utf16_body_without_a_charset_is_named_as_such(post, sample_body, client, encoding):
    raw = json.dumps(sample_body).encode(encoding)
    response = post(raw)
    assert response.status_code == 400
    [error] = response.get_json()["errors"]
    assert error == {"msg": "Request body is not valid JSON: it starts with NUL bytes (00), as UTF-16 or UTF-32 text"
                            " does: send it in UTF-8 (RFC 8259)", "code": 4000}
    (entry,) = client.get("/__admin/requests?limit=1").get_json()["requests"]
    assert entry["body"] == raw.decode("utf-8")  # what arrived, its NUL bytes included


def test_a_nul_byte_inside_a_utf8_body_is_named_as_the_control_character_it_is(post, sample_body):
    raw = json.dumps(sample_body).encode().replace(b"Service", b"Ser\x00vice", 1)
    [error] = post(raw).get_json()["errors"]
    assert error["msg"].startswith("Request body is not valid JSON: Invalid control character at"), error["msg"]


def test_an_ascii_body_under_another_charset_is_read_as_it_is(post, sample_body):
    """ASCII is the same in Latin-1 and UTF-8: some HTTP clients label every body ISO-8859-1."""
    response = post(json.dumps(sample_body).encode(), content_type="application/json; charset=ISO-8859-1")
    assert response.status_code == 200


def test_a_repeated_key_is_named_by_its_path(post, sample_body):
    """It was named alone ("duplicate key 'maxRingTime'"), which in a larger body cannot be found."""
    raw = json.dumps(sample_body).replace('"maxRingTime": 30', '"maxRingTime": 30, "maxRingTime": 31')
    response = post(raw.encode())
    assert response.status_code == 400
    assert response.get_json()["errors"] == [{
        "msg": "Request body is not valid JSON: duplicate key 'maxRingTime' in dialingStrategy", "code": 4000,
        "field": "dialingStrategy.maxRingTime"}]
    raw = json.dumps(sample_body).replace('{"day": "TU"', '{"day": "TU", "day": "WE"')
    assert post(raw.encode()).get_json()["errors"][0]["field"] == "dialingStrategy.callingHours.days[1].day"


@pytest.mark.parametrize(("levels", "words"), [(511, "must be a string (got an array)"),
                                               (512, "not valid JSON: nested more than 512 levels deep")])
def test_a_body_may_nest_512_levels_served_or_in_process_alike(post, sample_body, levels, words, shared_mock):
    """How deep a body could nest was Python's recursion limit, so it depended on the call stack under the parser:
    978 levels in-process, 969 under gunicorn. The body itself is the first level."""
    raw = json.dumps(dict(sample_body, description="DEEP")).replace('"DEEP"', "[" * levels + "]" * levels)
    in_process = post(raw.encode())
    server = shared_mock("--db", ":memory:")
    served = requests.post(server.url + in_process.request.full_path, data=raw.encode(), timeout=10,
                           headers=dict(in_process.request.headers))
    assert in_process.status_code == served.status_code == 400
    assert in_process.get_json()["errors"] == served.json()["errors"]
    assert words in served.json()["errors"][0]["msg"]


def test_a_chunked_body_one_byte_over_the_limit_is_413(client, url, headers, sample_body):
    """A body with no Content-Length (chunked) is read up to the limit and one byte more: that byte is what says it
    is too large. A valid campaign padded to 65,537 bytes was otherwise accepted whole."""
    raw = json.dumps(sample_body).encode()
    raw = raw[:-1] + b" " * (65_536 + 1 - len(raw)) + b"}"

    def send(body: bytes):  # no Content-Length: as a chunked body arrives
        return client.post(url, headers=headers | {"Content-Type": "application/json"}, input_stream=io.BytesIO(body),
                           environ_overrides={"wsgi.input_terminated": True, "CONTENT_LENGTH": ""})

    response = send(raw)
    assert response.status_code == 413
    assert "exceeds 65536 bytes" in response.get_json()["errors"][0]["msg"]
    assert send(raw[:-2] + b"}").status_code == 200  # 65,536 bytes: at the limit


def test_a_lone_surrogate_in_a_key_is_refused_as_in_a_value(post, sample_body):
    """The check walked the keys as well as the values: an unknown top-level key is allowed (and dropped), so a key
    holding half of a surrogate pair reached the journal and the store unnoticed."""
    raw = json.dumps(sample_body)[:-1] + ', "note\\ud800": 1}'
    response = post(raw.encode())
    assert response.status_code == 400
    assert "half of a UTF-16 surrogate pair" in response.get_json()["errors"][0]["msg"]


def test_a_duplicate_key_deep_in_long_keys_is_named_by_a_field_cut_to_200_characters(post):
    """The field an error names is cut as its message is: a repeated key under keys of 5,000 characters named a
    field of 10,000 in the answer and the journal."""
    long = "k" * 5000
    response = post(json.dumps({long: {long: 1}})[:-2] + f', "{long}": 2}}}}')
    assert response.status_code == 400
    [error] = response.get_json()["errors"]
    assert "duplicate key" in error["msg"]
    assert len(error["field"]) == 200 and error["field"].endswith("...") and error["field"].startswith("kkk")


def test_a_duplicate_key_under_a_lone_surrogate_key_is_named_without_the_surrogate(client, url, headers, sample_body):
    """The field and message named the path with the key's half surrogate pair in it, the one character the mock
    refuses because UTF-8 cannot carry it: the answer then held a \\ud800 escape that strict clients cannot read."""
    raw = json.dumps(sample_body)[:-1] + ', "x\\ud800": {"a": 1, "a": 2}}'
    response = client.post(url, data=raw.encode(), headers=headers, content_type="application/json")
    assert response.status_code == 400
    [error] = json.loads(response.data)["errors"]
    assert (error["field"] + error["msg"]).encode("utf-8")  # no half pair: UTF-8 cannot encode one
    assert error["field"] == "x\\ud800.a"
    assert error["msg"] == "Request body is not valid JSON: duplicate key 'a' in x\\ud800"


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ('"maxRingTime": 30', '"maxRingTime": 1e400', "dialingStrategy.maxRingTime", "number out of range (1e400)"),
        ('"maxRingTime": 30', '"maxRingTime": -' + "9" * 5000, "dialingStrategy.maxRingTime",
         "a number has more than 4,300 digits"),
        ('"day": "TU"', '"day": "T\\udc55"', "dialingStrategy.callingHours.days[1].day",
         "a \\u escape names half of a UTF-16 surrogate pair"),
        ('"isSchedulingEnabled"', '"is\\ud800"', "schedule.is\\ud800",
         "a \\u escape names half of a UTF-16 surrogate pair"),
    ],
    ids=["out-of-range", "too-many-digits", "lone-surrogate-value", "lone-surrogate-key"],
)
def test_a_number_or_string_json_cannot_carry_is_named_by_its_field(post, sample_body, old, new, field, words):
    """Refused without a field, where a repeated key is named by its path: a client was told only that the body
    "is not valid JSON", with no hint of where in a body of 50 values."""
    raw = json.dumps(sample_body).replace(old, new, 1)
    assert new in raw
    [error] = post(raw.encode()).get_json()["errors"]
    assert error["field"] == field
    assert error["msg"] == f"Request body is not valid JSON: {words}, in {field}"


def test_a_body_that_is_a_lone_surrogate_names_no_field(post):
    [error] = post(b'"\\ud800"').get_json()["errors"]
    assert error == {"msg": "Request body is not valid JSON: a \\u escape names half of a UTF-16 surrogate pair",
                     "code": 4000}


def test_a_long_number_out_of_range_is_quoted_cut_not_as_a_shorter_number(post, sample_body):
    """It was quoted in its first 20 characters: 10^400 written out read "number out of range (10000000000000000000)",
    a number well in range."""
    raw = json.dumps(sample_body).replace('"maxRingTime": 30', '"maxRingTime": 1' + "0" * 400 + ".5")
    [error] = post(raw.encode()).get_json()["errors"]
    assert error["msg"] == ("Request body is not valid JSON: number out of range (10000000000000000...), in"
                            " dialingStrategy.maxRingTime")


@pytest.mark.parametrize(("content_type", "said"), [
    ("text/plain;charset=UTF-8", "fetch gives a string body that type by default: send the header Content-Type:"
                                 " application/json"),
    ("application/x-www-form-urlencoded", "curl -d and axios give a string body that type by default: send the header"
                                          " Content-Type: application/json (curl --json sends it, and axios does for"
                                          " an object)"),
], ids=["fetch", "curl-and-axios"])
def test_a_client_s_default_content_type_is_named_as_such(client, url, headers, sample_body, content_type, said):
    """fetch sends a string body as text/plain;charset=UTF-8, curl -d (the README's curl without its -H) and axios
    one as application/x-www-form-urlencoded: a developer who never wrote either read "(got 'text/plain;charset=UTF-8')"
    without learning where it came from, or what in their client to change."""
    response = client.post(url, data=json.dumps(sample_body), headers={**headers, "Content-Type": content_type})
    assert response.status_code == 415
    expected = f"Content-Type must be application/json (got {content_type!r}; {said})"
    assert response.get_json()["errors"][0]["msg"] == expected
