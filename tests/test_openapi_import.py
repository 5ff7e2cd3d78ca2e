"""What API clients that import the OpenAPI documents (Postman, Insomnia, Swagger UI, Redoc) show of them: each
request is named by its operation's `summary`, so a summary is a short name and what it leaves out is the
operation's `description`."""

from __future__ import annotations

import pytest

from mockserver import admin_openapi, openapi

# The endpoint's summary is the vendor page's title (47 characters); the longest a request name should be.
MAX_SUMMARY = 50
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture(scope="module", params=["endpoint", "admin"])
def document(request, contract):
    build = openapi.build_document if request.param == "endpoint" else admin_openapi.build_document
    return build(contract)


def operations(document):
    return [(f"{method.upper()} {path}", operation) for path, item in document["paths"].items()
            for method, operation in item.items() if method in METHODS]


def test_every_summary_is_a_short_name(document):
    long = [(name, op["summary"]) for name, op in operations(document)
            if len(op["summary"]) > MAX_SUMMARY or "\n" in op["summary"] or op["summary"].endswith(".")]
    assert not long, f"a summary is a request's name in an API client, not a sentence: {long}"


def test_every_admin_operation_says_what_its_summary_leaves_out(contract):
    bare = [name for name, op in operations(admin_openapi.build_document(contract)) if not op.get("description")]
    assert not bare, f"no description: {bare}"
