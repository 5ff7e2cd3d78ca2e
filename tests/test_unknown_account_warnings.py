"""An admin request narrowed to an account the tenant lacks that matched nothing (a misspelt id) answers 200 with
every count 0, as before, and a warning naming the tenant's accounts; one the journal names is not warned of."""

from __future__ import annotations

import pytest

from mockserver.testing import UnknownAccountWarning, running_mock

MISSPELT = "65f1c0ffee0ddba11a5e0O01"  # a letter O for a zero: the first account's id, misspelt
FOREIGN = "not-an-account"

NARROWED = [("POST", "/__admin/reset"), ("DELETE", "/__admin/requests"), ("DELETE", "/__admin/faults"),
            ("GET", "/__admin/campaigns"), ("GET", "/__admin/requests")]


@pytest.mark.parametrize(("method", "path"), NARROWED)
def test_an_account_the_tenant_lacks_that_matched_nothing_is_warned_of(client, method, path):
    answer = client.open(f"{path}?accountId={FOREIGN}", method=method)
    assert answer.status_code == 200
    assert answer.get_json()["warnings"] == [
        "accountId is not an account of the mock's tenant, and matched nothing (got 'not-an-account'; its accounts:"
        " 65f1c0ffee0ddba11a5e0001, 65f1c0ffee0ddba11a5e0002; GET /__admin/tenant lists them)"]


def test_a_misspelt_account_is_answered_with_the_one_likely_meant(client):
    answer = client.post(f"/__admin/reset?accountId={MISSPELT}").get_json()
    assert answer["deleted"] == {"campaigns": 0, "requests": 0, "faultRules": 0}
    assert answer["warnings"] == ["accountId is not an account of the mock's tenant, and matched nothing (got"
                                  " '65f1c0ffee0ddba11a5e0O01'; it looks misspelt: send '65f1c0ffee0ddba11a5e0001')"]


@pytest.mark.parametrize(("method", "path"), NARROWED)
def test_an_account_of_the_tenant_is_not_warned_of_though_nothing_matched(client, account, method, path):
    assert "warnings" not in client.open(f"{path}?accountId={account.account_id}", method=method).get_json()


@pytest.mark.parametrize(("method", "path"), [("POST", "/__admin/reset"), ("DELETE", "/__admin/requests"),
                                              ("GET", "/__admin/requests")])
def test_an_account_the_journal_names_is_not_warned_of(client, url, headers, sample_body, method, path):
    """A create naming an account the tenant lacks is refused 403 and journalled: clearing it is meaningful."""
    refused = client.post(url.replace(headers["accountid"], FOREIGN), json=sample_body,
                          headers=headers | {"accountid": FOREIGN})
    assert refused.status_code == 403
    answer = client.open(f"{path}?accountId={FOREIGN}", method=method).get_json()
    assert "warnings" not in answer
    assert answer.get("deleted", answer.get("total")) in (1, {"campaigns": 0, "requests": 1, "faultRules": 0})


def test_running_mock_warns_of_an_account_the_tenant_lacks():
    with running_mock() as mock:
        for call in (lambda: mock.reset(account_id=FOREIGN), lambda: mock.campaigns(account_id=FOREIGN),
                     lambda: mock.journal(account_id=FOREIGN), lambda: mock.count_requests(account_id=FOREIGN)):
            with pytest.warns(UnknownAccountWarning, match="accountId is not an account of the mock's tenant"):
                call()
        assert mock.reset(account_id=mock.account_id) == {"campaigns": 0, "requests": 0, "faultRules": 0}


def test_running_mock_s_warning_points_at_the_caller_s_line():
    with running_mock() as mock, pytest.warns(UnknownAccountWarning) as caught:
        mock.reset(account_id=FOREIGN)
        mock.journal(account_id=FOREIGN)
        mock.count_requests(account_id=FOREIGN)
    assert [warning.filename for warning in caught] == [__file__] * 3
