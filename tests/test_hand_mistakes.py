"""Mistakes a tester makes driving the mock by hand (curl, Postman, Insomnia), copying from the vendor's page and
the README: each answer says in one line what to change."""

from __future__ import annotations

import json

import pytest

from mockserver.failures import failure
from mockserver.intake import _malformed_refusal


def set_at(body, path, value):
    """`body` with `value` at `path`, a tuple of keys and list indexes."""
    *parents, last = path
    for key in parents:
        body = body[key]
    body[last] = value


def test_a_duplicate_name_says_how_to_send_it_again(post, sample_body, client):
    """The 409 said only that the name exists: not which campaign holds it, nor how to create it again."""
    created = post(sample_body).get_json()["data"]["id"]
    [error] = post(sample_body).get_json()["errors"]
    assert error["msg"] == (
        "A campaign named 'Service Renewal Outreach Campaign61' already exists (id " + repr(created) + "): send it"
        f" under another name, or free this one (DELETE /__admin/campaigns/{created}; POST /__admin/reset frees all)"
    )
    assert client.delete(f"/__admin/campaigns/{created}").status_code in (200, 204)
    assert post(sample_body).status_code == 200


def test_a_get_to_the_create_url_names_the_method_to_send(client, url):
    """A 405 said only that GET is not allowed, leaving the method that is to the Allow header, which curl and Postman
    keep out of sight."""
    response = client.get(url)
    path = url.split("?")[0]
    assert response.status_code == 405
    assert response.get_json()["errors"] == [
        {"msg": f"Method GET is not allowed on {path}: send POST", "code": 4005}
    ]


def test_a_405_on_an_admin_path_names_every_method_it_takes(client):
    assert client.put("/__admin/faults").get_json()["errors"][0]["msg"] == (
        "Method PUT is not allowed on /__admin/faults: send DELETE, GET or POST"
    )


STRAIGHT = 'JSON takes straight double quotes (")'


@pytest.mark.parametrize(("body", "detail"), [
    ('{\u201cname\u201d: "x"}', "a typographic quote (\u201c) at line 1 column 2: " + STRAIGHT),
    ('{"name": \u2018x\u2019}', "a typographic quote (\u2018) at line 1 column 10: " + STRAIGHT),
    ("{'name': 'x'}", "a single quote at line 1 column 2: JSON takes double quotes (\") around keys and strings"),
    ('{"name": "x",}', "a trailing comma before } at line 1 column 14: JSON allows none, remove it"),
    ('{"contactLists": ["a",\r\n\t]}', "a trailing comma before ] at line 2 column 2: JSON allows none, remove it"),
    ('{\n// the name\n"name": "x"}', "a comment at line 2 column 1: JSON has none, remove it"),
    ('{"name": "x" /* n */}', "a comment at line 1 column 14: JSON has none, remove it"),
    ('{"name": "x", ...}', "the page's placeholder ... at line 1 column 15: put in the fields it stands for,"
                           " or remove it"),
    ('{"isFiltersEnabled": True}', "True at line 1 column 22: JSON writes true, false and null in lower case"),
    ("name=x&priority=5", "a form-encoded body (name=value) at line 1 column 1: send the fields as a JSON object"),
    ("fault=status%3D503", "a form-encoded body (name=value) at line 1 column 1: send the fields as a JSON object"),
])
def test_a_body_pasted_with_a_common_slip_says_what_to_change(post, body, detail):
    """Python's own words ("Expecting property name enclosed in double quotes: line 1 column 14") named neither the
    slip nor what to do about it."""
    response = post(body)
    assert response.status_code == 400
    assert response.get_json()["errors"] == [failure("body.malformed").item(detail=detail)]



@pytest.mark.parametrize(("body", "comma", "detail"), [
    ('{"name": "x",}', 12, "a trailing comma before } at line 1 column 14: JSON allows none, remove it"),
    ('{"contactLists": ["a",\r\n\t]}', 21, "a trailing comma before ] at line 2 column 2: JSON allows none, remove it"),
])
def test_a_trailing_comma_is_told_alike_where_the_parser_stops_at_the_comma(body, comma, detail):
    """Python 3.13's json stops at the trailing comma itself ("Illegal trailing comma before end of object: line 1
    column 13"), where 3.11's stopped at the bracket after it: the hint was lost there, and the body refused in the
    parser's words. The comma is told as on 3.11, at the bracket it stands before."""
    stopped = json.JSONDecodeError("Illegal trailing comma before end of object", body, comma)
    assert _malformed_refusal(body, stopped).items == [failure("body.malformed").item(detail=detail)]

def test_a_body_with_another_syntax_error_keeps_the_parser_s_words(post):
    assert post('{"name" "x"}').get_json()["errors"] == [
        failure("body.malformed").item(detail="Expecting ':' delimiter: line 1 column 9 (char 8)")
    ]


BRACES = " (the page's {streamId} and {accountId} are placeholders: put the ids in, without the braces)"


def test_a_stream_id_copied_with_its_braces_says_to_drop_them(post, account):
    stream = account.streams[0]
    url = f"/campaign/api/v2/public/{{{stream}}}/campaign?accountId={account.account_id}&campaignType=voice"
    [error] = post({}, url=url).get_json()["errors"]
    assert error["msg"] == f"Stream '{{{stream}}}' does not belong to account '{account.account_id}'" + BRACES


def test_the_page_s_placeholders_with_the_braces_curl_drops_say_to_put_the_ids_in(post, account):
    """curl reads {accountId} in a URL as a glob and sends `accountId`: the answer quoted the placeholder's name back
    as if it were an id, with nothing to say it was the page's."""
    words = (" (the page's {streamId} and {accountId} are placeholders, and curl drops their braces: put the ids in"
             " their place)")
    url = "/campaign/api/v2/public/streamId/campaign?accountId=accountId&campaignType=voice"
    [error] = post({}, url=url).get_json()["errors"]
    assert error["msg"] == (f"accountId query parameter ('accountId') and accountid header ('{account.account_id}')"
                            " must be equal" + words)
    url = f"/campaign/api/v2/public/streamId/campaign?accountId={account.account_id}&campaignType=voice"
    [error] = post({}, url=url).get_json()["errors"]
    assert error["msg"] == f"Stream 'streamId' does not belong to account '{account.account_id}'" + words


def test_the_page_s_account_placeholder_left_in_the_query_says_to_put_the_id_in(post, account, headers):
    url = f"/campaign/api/v2/public/{account.streams[0]}/campaign?accountId={{accountId}}&campaignType=voice"
    [error] = post({}, url=url).get_json()["errors"]
    assert error["msg"] == (f"accountId query parameter ('{{accountId}}') and accountid header ('{account.account_id}')"
                            " must be equal" + BRACES)


def test_an_iid_copied_with_its_braces_says_to_drop_them(post, account, headers):
    [error] = post({}, headers={**headers, "iid": "{streamId}"}).get_json()["errors"]
    assert error["msg"] == f"iid header ('{{streamId}}') must equal the streamId in the path ('{account.streams[0]}')" \
        + BRACES


def test_an_id_without_braces_gets_no_word_of_them(post, account, headers):
    [error] = post({}, headers={**headers, "iid": "st-nope"}).get_json()["errors"]
    assert "braces" not in error["msg"]


@pytest.mark.parametrize("quote", ['"', "'"])
def test_a_token_pasted_in_quotes_says_to_drop_them(post, headers, token, quote):
    """It was "the auth header is not a JWT (three base64url parts, dot-separated)", though it was one, quoted."""
    [error] = post({}, headers={**headers, "auth": f"{quote}{token}{quote}"}).get_json()["errors"]
    assert error["hint"] == "the auth header holds the JWT in quotes: send it without them"


def test_the_token_command_s_json_pasted_whole_says_to_send_the_token_alone(post, headers, token, account):
    """The JSON's commas read as a repeated header: "the auth header is given more than once (or holds a comma)"."""
    pasted = json.dumps({"token": token, "accountId": account.account_id, "streamId": account.streams[0]})
    [error] = post({}, headers={**headers, "auth": pasted}).get_json()["errors"]
    assert error["hint"] == ("the auth header holds mockserver token --json's whole output: send the value of its"
                             " token alone")


ENDPOINT_NOTE = " (the campaign endpoint is POST /campaign/api/v2/public/{streamId}/campaign)"


@pytest.mark.parametrize("path", [
    "/campaign/api/public/st-1/campaign",  # without /v2/
    "/campaign/api/v2/public//st-1/campaign",  # a doubled slash
    "/campaign/api/v2/public/st-1/campaign/",  # a trailing slash
    "/https://{host}/campaign/api/v2/public/st-1/campaign",  # the page's host left in
])
def test_a_404_near_the_campaign_endpoint_names_it(client, path):
    """"No such endpoint" alone left the tester to find the one slip in a 60-character URL."""
    [error] = client.post(path).get_json()["errors"]
    assert error["msg"] == f"No such endpoint: POST {path}" + ENDPOINT_NOTE


@pytest.mark.parametrize("path", ["/nope", "/__admin/campaignz"])
def test_a_404_elsewhere_names_no_endpoint(client, path):
    assert client.get(path).get_json()["errors"][0]["msg"] == f"No such endpoint: GET {path}"


@pytest.mark.parametrize("path", ["//openapi.json", "//__admin/health", "//campaign/api/v2/public/st-1/campaign"])
def test_a_leading_doubled_slash_is_no_such_endpoint(client, path):
    """A base URL with a trailing slash (`http://127.0.0.1:8080/` + `/campaign/...`) was served as if the slash were
    one, though any other doubled slash is a 404 (the test client reads `//x` as a host, so the path is set here as a
    server sets it)."""
    response = client.open("/", method="GET", environ_overrides={"PATH_INFO": path, "RAW_URI": path})
    assert response.status_code == 404
    assert response.get_json()["errors"][0]["msg"].startswith(f"No such endpoint: GET {path}")


@pytest.mark.parametrize("path", ["//nope", "///campaign/api/v2/public/st-1/campaign", "//__admin/reset"])
def test_a_leading_doubled_slash_is_journaled_as_sent_and_is_no_admin_path(make_app, tmp_path, path):
    """The journal kept werkzeug's path, one slash dropped: a 404 for `//campaign/...` (a gateway's `%2F` decoded)
    was listed under the endpoint's own path; and `//__admin/reset` met the admin token's check (401), as if it
    were the admin API, which it is not."""
    client = make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "ADMIN_TOKEN": "s3cret"}).test_client()
    response = client.open("/", method="POST", environ_overrides={"PATH_INFO": path, "RAW_URI": path})
    assert response.status_code == 404
    listed = client.get("/__admin/requests", headers={"Authorization": "Bearer s3cret"}).get_json()["requests"]
    assert [(entry["path"], entry["status"]) for entry in listed] == [(path, 404)]


DAYS = "must be one of MO, TU, WE, TH, FR, SA, SU"
DAY = ("dialingStrategy", "callingHours", "days", 0, "day")
SHORT = "days are written as their first 2 letters"


@pytest.mark.parametrize(("path", "value", "rule"), [
    (("dialingMode",), "progressive",
     "must be one of Agentless, Progressive, Preview (got 'progressive'; values are case-sensitive: send"
     " 'Progressive')"),
    (("dialingStrategy", "callingHours", "frequency"), "weekly",
     "must be one of WEEKLY, DAILY, CUSTOM (got 'weekly'; values are case-sensitive: send 'WEEKLY')"),
    (("campaignType",), "Voice", "must be one of voice, sms (got 'Voice'; values are case-sensitive: send 'voice')"),
    (DAY, "mo", f"{DAYS} (got 'mo'; values are case-sensitive: send 'MO')"),
    (DAY, "monday", f"{DAYS} (got 'monday'; {SHORT}: send 'MO')"),
    (DAY, "Thu", f"{DAYS} (got 'Thu'; {SHORT}: send 'TH')"),
    (DAY, "Fri.", f"{DAYS} (got 'Fri.')"),
    (DAY, "weekend", f"{DAYS} (got 'weekend')"),  # no Wednesday: a word that starts as a value is no form of it
    (DAY, "mobile", f"{DAYS} (got 'mobile')"),
    (DAY, "thurs", f"{DAYS} (got 'thurs'; {SHORT}: send 'TH')"),
    (("priority",), "11", "must be one of 1, 2, 3, 4, 5 (got '11')"),
    (DAY, "MO ", f"{DAYS} (got 'MO '; it has white space at its end: send 'MO')"),
    (DAY, " mo\t", f"{DAYS} (got ' mo\\t'; it has white space at its start and end and values are case-sensitive:"
                   " send 'MO')"),
    (DAY, " monday", f"{DAYS} (got ' monday'; it has white space at its start and {SHORT}: send 'MO')"),
    (("priority",), "5 ", "must be one of 1, 2, 3, 4, 5 (got '5 '; it has white space at its end: send '5')"),
    (("priority",), " 11", "must be one of 1, 2, 3, 4, 5 (got ' 11')"),
    (("dialingMode",), " Progressive",
     "must be one of Agentless, Progressive, Preview (got ' Progressive'; it has white space at its start: send"
     " 'Progressive')"),
])
def test_an_enum_value_written_otherwise_names_the_one_meant(post, sample_body, path, value, rule):
    """"must be one of MO, TU, ..." left the tester to match 'monday' or 'progressive' to the list."""
    set_at(sample_body, path, value)
    [error] = post(sample_body).get_json()["errors"]
    field = ".".join(str(part) for part in path).replace(".0.", "[0].")
    assert error["msg"] == f"{field} {rule}"
    assert_taken(post, sample_body, path, rule)


def assert_taken(post, body, path, rule):
    """The value a refusal says to send (`...: send 'MO')`), sent, is taken."""
    if ": send " in rule:
        suggested = rule.rsplit(": send ", 1)[1][:-1]
        set_at(body, path, json.loads(suggested) if suggested[0] != "'" else suggested[1:-1])
        assert post(body).status_code == 200


@pytest.mark.parametrize(("path", "value", "rule"), [
    (("dialingStrategy", "maxRingTime"), "120", "must be an integer (got '120'; numbers go without quotes: send 120)"),
    (("dialingStrategy", "maxRingTime"), " 120\n",
     "must be an integer (got ' 120\\n'; numbers go without quotes: send 120)"),
    (("schedule", "isSchedulingEnabled"), "true",
     "must be true or false (got 'true'; true and false go without quotes: send true)"),
    (("dialingStrategy", "maxRingTime"), "two", "must be an integer (got 'two')"),
    (("dialingStrategy", "maxRingTime"), "500", "must be an integer (got '500')"),  # 500 would be refused too
    (("dialingStrategy", "maxRingTime"), "060",
     "must be an integer (got '060'; numbers go without quotes: send 60)"),  # JSON writes no 060
    (("priority",), 5, 'must be a string (got 5; strings go in quotes: send "5")'),  # the page lists them bare: 1 to 5
    (("name",), 12, 'must be a string (got 12; strings go in quotes: send "12")'),
    (("priority",), 6, "must be a string (got 6)"),  # "6" would be refused too: no advice to send it
    (("priority",), True, "must be a string (got true)"),
])
def test_a_value_sent_as_the_other_of_string_and_number_says_how_to_send_it(post, sample_body, path, value, rule):
    """"must be an integer (got '120')" left the tester to see that the quotes were the fault."""
    set_at(sample_body, path, value)
    [error] = post(sample_body).get_json()["errors"]
    assert error["msg"] == f"{'.'.join(path)} {rule}"
    assert_taken(post, sample_body, path, rule)


@pytest.mark.parametrize(("path", "field", "value"), [
    (("dialingStrategy", "callingHours", "days", 0, "start"), "dialingStrategy.callingHours.days[0].start", 9),
    (("dialingStrategy", "callingHours", "timezone"), "dialingStrategy.callingHours.timezone", 5),
])
def test_a_number_whose_quoted_form_the_field_refuses_gets_no_advice_to_quote_it(post, sample_body, path, field,
                                                                                  value):
    """`"start": 9` was told to send "9", which the field's pattern refuses next, as a zone's format refuses "5"."""
    set_at(sample_body, path, value)
    [error] = post(sample_body).get_json()["errors"]
    assert error["msg"] == f"{field} must be a string (got {value})"
    set_at(sample_body, path, str(value))
    assert post(sample_body).status_code == 400  # what the advice would have had sent
