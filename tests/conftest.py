from __future__ import annotations

import copy
from typing import Any

import pytest

from mockserver.app import create_app
from mockserver.auth import mint_token
from mockserver.contract import load_contract
from mockserver.tenant import load_tenant

pytest_plugins = ["pytester"]

CLOCK = "2025-12-04T10:50:56.762Z"


@pytest.fixture(scope="session")
def contract():
    return load_contract()


@pytest.fixture(scope="session")
def tenant():
    return load_tenant()


@pytest.fixture
def app(tmp_path):
    return create_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "SEED": 7, "CLOCK": CLOCK})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def account(tenant):
    return tenant.default_account


@pytest.fixture
def token(account):
    app = account.apps[0]
    return mint_token(app.client_id, app.client_secret)


@pytest.fixture
def sample_body(contract) -> dict[str, Any]:
    return copy.deepcopy(contract.sample_request)


@pytest.fixture
def url(account):
    return f"/campaign/api/v2/public/{account.streams[0]}/campaign?accountId={account.account_id}&campaignType=voice"


@pytest.fixture
def headers(token, account):
    return {"auth": token, "accountid": account.account_id, "iid": account.streams[0]}


@pytest.fixture
def post(client, url, headers):
    """POST a body (a dict or list is sent as JSON) with the default tenant's valid credentials, or overrides."""
    default_url, default_headers = url, headers

    def send(body: Any = None, *, url: str | None = None, headers: dict | None = None, **kwargs: Any):
        sent = dict(default_headers if headers is None else headers)
        if isinstance(body, dict | list):
            return client.post(url or default_url, json=body, headers=sent, **kwargs)
        kwargs.setdefault("content_type", "application/json")
        return client.post(url or default_url, data=body, headers=sent, **kwargs)

    return send


def error_fields(response) -> list[str | None]:
    return [e.get("field") for e in response.get_json()["errors"]]


@pytest.fixture(name="error_fields")
def error_fields_fixture():
    return error_fields
