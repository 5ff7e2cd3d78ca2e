"""What API clients that import the OpenAPI documents (Postman, Insomnia, Swagger UI, Redoc) show of them: each
request is named by its operation's `summary`, so a summary is a short name and what it leaves out is the
operation's `description`."""

from __future__ import annotations

import pytest

from mockserver import admin_openapi, openapi
from mockserver.failures import FAILURES

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


# Postman saves each response as an example named after the response's description.
MAX_RESPONSE_NAME = 80


def responses(document):
    return [(f"{name} {status}", response) for name, op in operations(document)
            for status, response in op["responses"].items()]


def test_every_response_description_is_a_short_name(document):
    long = [(name, response["description"]) for name, response in responses(document)
            if len(response["description"]) > MAX_RESPONSE_NAME]
    assert not long, f"a response's description names its saved example in an API client: {long}"


def test_each_failure_class_of_a_refusal_is_an_example_of_its_own(document):
    """One example per failure class, named by its key, its value the answer that class gives: Swagger UI and
    Redoc offer them to pick from, where a single example showed the first class only."""
    classes = {row.key: row for row in FAILURES.values()}
    seen = set()
    for name, response in responses(document):
        if not name.split()[-1].startswith(("4", "5")):
            continue
        examples = response["content"]["application/json"]["examples"]
        assert "example" not in response["content"]["application/json"], name
        for key, named in examples.items():
            assert named == {"$ref": f"#/components/examples/{key}"}, name
            example = document["components"]["examples"][key]
            row = classes[key]
            assert name.endswith(f" {row.status}"), (name, key)
            assert example["summary"] == key
            assert example["value"] == {"errors": [row.sample_item()]}
            assert example["description"].startswith("Documented by the vendor" if row.documented else "An assumption")
            seen.add(key)
    assert seen == set(document["components"]["examples"]), "every example is some refusal's, and only those"


def test_a_status_is_named_as_rfc_9110_names_it_whatever_the_python(contract):
    """The names came from Python's http.HTTPStatus, which 3.13 renamed after RFC 9110 (413 "Request Entity Too
    Large" became "Content Too Large"): the committed document then drifted on one Python or the other."""
    described = {status: response["description"] for status, response in
                 next(iter(openapi.build_document(contract)["paths"].values()))["post"]["responses"].items()}
    assert described["413"].startswith("Refused: Content Too Large, ")
    assert described["414"].startswith("Refused: URI Too Long, ")
    assert described["422"].startswith("Refused: Unprocessable Content, ")
