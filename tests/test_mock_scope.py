"""Steps 2 and 3: account, stream and iid must agree with the token; campaignType must be voice."""

from __future__ import annotations

import pytest

from mockserver.auth import mint_token


def path(stream, account, campaign_type="voice"):
    query = f"accountId={account}" if account is not None else ""
    if campaign_type is not None:
        query += f"&campaignType={campaign_type}"
    return f"/campaign/api/v2/public/{stream}/campaign?{query}"


def test_missing_account_query(post, sample_body, account):
    """The two messages differed only in a letter's case ("accountId is required", "accountid is required")."""
    response = post(sample_body, url=path(account.streams[0], None))
    assert response.status_code == 400
    assert response.get_json()["errors"] == [{"msg": "accountId query parameter is required", "code": 4000,
                                              "field": "accountId"}]


def test_missing_account_header(post, sample_body, headers):
    response = post(sample_body, headers={k: v for k, v in headers.items() if k != "accountid"})
    assert response.status_code == 400
    assert response.get_json()["errors"] == [{"msg": "accountid header is required", "code": 4000,
                                              "field": "accountid"}]


def test_account_query_and_header_must_match(post, sample_body, headers):
    response = post(sample_body, headers=headers | {"accountid": "65f1c0ffee0ddba11a5e0002"})
    assert response.status_code == 400
    assert "must be equal" in response.get_json()["errors"][0]["msg"]


def test_account_of_another_tenant_is_forbidden(post, sample_body, headers, tenant):
    other = tenant.accounts[1]
    response = post(sample_body, url=path(other.streams[0], other.account_id),
                    headers=headers | {"accountid": other.account_id, "iid": other.streams[0]})
    assert response.status_code == 403
    [error] = response.get_json()["errors"]
    own = tenant.accounts[0].account_id  # the account of the token `headers` sends
    assert error["msg"] == (f"The app of this token does not belong to account '{other.account_id}' but to '{own}':"
                            f" send a token of an app of '{other.account_id}'")


def test_stream_of_another_account_is_forbidden(post, sample_body, headers, tenant, account):
    foreign = tenant.accounts[1].streams[0]
    response = post(sample_body, url=path(foreign, account.account_id), headers=headers | {"iid": foreign})
    assert response.status_code == 403
    assert foreign in response.get_json()["errors"][0]["msg"]


@pytest.mark.parametrize(("stream", "shown"), [
    ("st-1 ", "'st-1 '"),  # the space was invisible at the end of "Stream st-1  does not belong"
    ("st-\u202eevil", "'st-\\u202eevil'"),  # a right-to-left override turned the rest of the line around
    ("st-" + "x" * 3000, "'st-" + "x" * 57 + "..."),  # was echoed whole
])
def test_a_stream_id_is_quoted_back_escaped_and_cut(post, sample_body, headers, account, stream, shown):
    response = post(sample_body, url=path(stream, account.account_id), headers=headers | {"iid": stream})
    assert response.status_code == 403
    [error] = response.get_json()["errors"]
    assert error["msg"] == f"Stream {shown} does not belong to account '{account.account_id}'"


def test_second_stream_of_own_account_is_fine(post, sample_body, headers, account):
    stream = account.streams[1]
    response = post(sample_body, url=path(stream, account.account_id), headers=headers | {"iid": stream})
    assert response.status_code == 200


def test_iid_must_equal_stream(post, sample_body, headers, account):
    response = post(sample_body, headers=headers | {"iid": account.streams[1]})
    assert response.status_code == 400
    assert "iid header" in response.get_json()["errors"][0]["msg"]


def test_iid_missing(post, sample_body, headers):
    response = post(sample_body, headers={k: v for k, v in headers.items() if k != "iid"})
    assert response.status_code == 400


def test_other_tenant_app_works_in_its_own_account(post, sample_body, tenant):
    other = tenant.accounts[1]
    app = other.apps[0]
    sample_body.update(contactLists=["Globex Leads"], dncLists={"name": "Globex DNC"}, queue_name="Globex Queue")
    sample_body["dialingStrategy"]["callerId"]["phoneNumber"] = "+442071838750"
    response = post(sample_body, url=path(other.streams[0], other.account_id), headers={
        "auth": mint_token(app.client_id, app.client_secret), "accountid": other.account_id, "iid": other.streams[0]})
    assert response.status_code == 200, response.get_json()


def test_campaign_type_must_be_voice(post, sample_body, account):
    for value in ("sms", None, "VOICE"):
        response = post(sample_body, url=path(account.streams[0], account.account_id, value))
        assert response.status_code == 400, value
        assert "campaignType" in response.get_json()["errors"][0]["msg"]


def test_scope_errors_name_their_field(post, sample_body, headers, account, tenant):
    foreign = tenant.accounts[1].streams[0]
    cases = [
        ({"headers": headers | {"accountid": "65f1c0ffee0ddba11a5e0002"}}, "accountid"),
        ({"headers": headers | {"iid": account.streams[1]}}, "iid"),
        ({"headers": {k: v for k, v in headers.items() if k != "iid"}}, "iid"),
        ({"url": path(account.streams[0], account.account_id, "sms")}, "campaignType"),
        ({"url": path(foreign, account.account_id), "headers": headers | {"iid": foreign}}, "streamId"),
    ]
    for kwargs, field in cases:
        assert post(sample_body, **kwargs).get_json()["errors"][0]["field"] == field, kwargs


@pytest.mark.parametrize(("name", "query"), [
    ("accountId", "accountId={account}&accountId={account}&campaignType=voice"),
    ("accountId", "accountId={account}&accountId=65f1c0ffee0ddba11a5e0002&campaignType=voice"),
    ("campaignType", "accountId={account}&campaignType=voice&campaignType=sms"),
    ("campaignType", "accountId={account}&campaignType=voice&campaignType=voice&campaignType=voice"),
], ids=["accountId same twice", "accountId two values", "campaignType two values", "campaignType thrice"])
def test_a_query_parameter_given_more_than_once_is_refused(post, sample_body, account, name, query):
    url = f"/campaign/api/v2/public/{account.streams[0]}/campaign?" + query.format(account=account.account_id)
    response = post(sample_body, url=url)
    assert response.status_code == 400
    count = query.count(f"{name}=")
    assert response.get_json() == {"errors": [{
        "msg": f"{name} query parameter is given {count} times: give it once", "code": 4000, "field": name}]}


@pytest.mark.parametrize("name", ["accountid", "iid", "auth"])
def test_a_header_given_twice_is_named_as_repeated(contract, name):
    """The server joins a repeated header's values with a comma: the answer said "must be equal (acc,acc)" or "not
    a JWT", which hides what is wrong."""
    import http.client
    import json
    from urllib.parse import urlsplit

    from mockserver.testing import running_mock

    with running_mock() as mock:
        where = urlsplit(mock.endpoint)
        connection = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
        headers = [*mock.headers.items(), (name, mock.headers[name]), ("Content-Type", "application/json")]
        body = json.dumps(contract.sample_request).encode()
        connection.putrequest("POST", f"{where.path}?{where.query}")
        for header, value in [*headers, ("Content-Length", str(len(body)))]:
            connection.putheader(header, value)
        connection.endheaders(body)
        answer = connection.getresponse()
        [error] = json.loads(answer.read())["errors"]
        connection.close()
    if name == "auth":
        assert (answer.status, error["hint"]) == (401, "the auth header is given more than once (or holds a comma):"
                                                       " send one JWT")
    else:
        assert (answer.status, error["msg"]) == (400, f"{name} header is given more than once: give it once")


def test_an_empty_iid_is_missing_not_a_mismatch(post, sample_body, headers):
    """An empty header is no header, as for accountid: "iid header () must equal the streamId" would not say so."""
    response = post(sample_body, headers=headers | {"iid": ""})
    assert response.status_code == 400
    assert response.get_json()["errors"] == [{"msg": "iid header is required", "code": 4000, "field": "iid"}]


def test_an_iid_sent_in_the_query_is_refused_saying_where_it_came(post, sample_body, headers, account):
    """`?iid=st-...` was answered "iid header is required", as if no iid had been sent at all."""
    url = f"{path(account.streams[0], account.account_id)}&iid={account.streams[0]}"
    response = post(sample_body, url=url, headers={k: v for k, v in headers.items() if k != "iid"})
    assert response.status_code == 400
    assert response.get_json()["errors"] == [{
        "msg": "iid header is required (the query has 'iid'; the mock reads it from the headers: send iid: <value> as a"
               " header)", "code": 4000, "field": "iid"}]


@pytest.mark.parametrize("header", ["campaignType", "campaigntype"])
def test_a_campaign_type_sent_as_a_header_is_refused_saying_where_it_came(post, sample_body, headers, account, header):
    response = post(sample_body, url=path(account.streams[0], account.account_id, None),
                    headers={**headers, header: "voice"})
    assert response.status_code == 400
    assert response.get_json()["errors"] == [{
        "msg": "campaignType query parameter must be 'voice' (got nothing) (it came as a header; the mock reads it from"
               " the query: send campaignType=<value> in the query)", "code": 4000, "field": "campaignType"}]


def test_an_account_in_one_place_alone_gets_no_word_of_the_other(post, sample_body, headers, account):
    """accountId goes in the query and accountid in the headers, both: the one sent is no misplaced other."""
    missing_header = post(sample_body, headers={k: v for k, v in headers.items() if k != "accountid"})
    missing_query = post(sample_body, url=path(account.streams[0], None), headers=headers)
    assert [answer.get_json()["errors"][0]["msg"] for answer in (missing_header, missing_query)] == [
        "accountid header is required", "accountId query parameter is required"]


CASE_HINT = " (the query has {!r}; query parameter names are case-sensitive, unlike headers: send {!r})"


@pytest.mark.parametrize("query, message", [
    ("AccountId={account}&campaignType=voice",
     "accountId query parameter is required" + CASE_HINT.format("AccountId", "accountId")),
    ("accountid={account}&campaignType=voice",
     "accountId query parameter is required" + CASE_HINT.format("accountid", "accountId")),
    ("accountId={account}&CampaignType=voice",
     "campaignType query parameter must be 'voice' (got nothing)" + CASE_HINT.format("CampaignType", "campaignType")),
], ids=["AccountId", "accountid", "CampaignType"])
def test_a_query_parameter_in_another_case_is_refused_saying_so(client, headers, account, query, message):
    """`?AccountId=` was answered "accountId query parameter is required" alone: header names are case-insensitive,
    query parameter names are not, and nothing said that the one sent was that one in another case."""
    path = f"/campaign/api/v2/public/{account.streams[0]}/campaign?{query.format(account=account.account_id)}"
    response = client.post(path, json={}, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["msg"] == message


def test_no_case_words_when_the_parameter_is_simply_missing(client, headers, account):
    response = client.post(f"/campaign/api/v2/public/{account.streams[0]}/campaign?campaignType=voice", json={},
                           headers=headers)
    assert response.get_json()["errors"][0]["msg"] == "accountId query parameter is required"
