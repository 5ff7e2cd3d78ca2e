"""`mockserver sample`: the vendor page's sample request body fitted to an account of the tenant, as a test suite in
another language sends it from each parallel worker's own account."""

from __future__ import annotations

import json

from mockserver import cli
from mockserver.testing import running_mock


def printed(capsys, *args: str) -> str:
    """What `mockserver ARGS` prints, run in this process; the command must succeed."""
    assert cli.main(list(args)) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def test_every_accounts_body_is_created_by_the_mock_with_that_accounts_token(app, tenant, capsys):
    """The page's sample names the default account's lists, caller ID and queue: a worker on another account had
    to rewrite contactLists, dncLists, the caller ID and the queue itself before the mock would take it."""
    client = app.test_client()
    for account in tenant.accounts:
        body = printed(capsys, "sample", "--account-id", account.account_id)
        token = printed(capsys, "token", "--account-id", account.account_id).strip()
        answer = client.post(f"/campaign/api/v2/public/{account.streams[0]}/campaign?accountId={account.account_id}"
                             "&campaignType=voice", data=body, content_type="application/json",
                             headers={"auth": token, "accountid": account.account_id, "iid": account.streams[0]})
        assert answer.status_code == 200, (account.account_id, answer.get_json())


def test_the_body_is_the_one_for_account_gives(tenant, capsys):
    """One code fits the sample to an account for both: the command and the Python fixture cannot drift apart."""
    with running_mock() as mock:
        for account in tenant.accounts:
            expected = mock.for_account(account.account_id).sample_request()
            assert json.loads(printed(capsys, "sample", "--account-id", account.account_id)) == expected
        assert json.loads(printed(capsys, "sample")) == mock.sample_request()


def test_name_sets_the_campaigns_name_and_tenant_the_accounts_file(tmp_path, tenant, capsys):
    file = tmp_path / "tenant.json"
    raw = {"accounts": [account.public() for account in tenant.accounts]}
    for account in raw["accounts"]:
        account["apps"] = [{**app, "clientSecret": "x" * 40} for app in account["apps"]]
    raw["accounts"][1]["queues"] = [{"id": "qu-1", "name": "Night Shift"}]
    file.write_text(json.dumps(raw), encoding="utf-8")
    body = json.loads(printed(capsys, "sample", "--tenant", str(file), "--account-id", raw["accounts"][1]["accountId"],
                              "--name", "Spring renewals \u00e9"))
    assert (body["name"], body["queue_name"]) == ("Spring renewals \u00e9", "Night Shift")


def test_an_account_the_tenant_lacks_is_refused_in_one_line_naming_its_accounts(tenant, capsys):
    assert cli.main(["sample", "--account-id", "acct-2"]) == 2
    ids = ", ".join(account.account_id for account in tenant.accounts)
    assert capsys.readouterr() == ("", f"mockserver sample: error: no account 'acct-2' in {tenant.source}; its"
                                       f" accounts are {ids}\n")

