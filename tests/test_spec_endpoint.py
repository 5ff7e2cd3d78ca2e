"""endpoint.json: method, URL template, content type, auth header and the curl's headers."""

from __future__ import annotations

import json

from frozen_page import FROZEN_SOURCE

from mockserver.spec import build
from mockserver.spec.markdown import parse_page

STEM = "create-voice-campaign-progressive-v2"


def test_endpoint_json_holds_the_pages_method_url_query_and_sample_headers() -> None:
    endpoint = json.loads(build.generate_page(FROZEN_SOURCE / f"{STEM}.md")["endpoint.json"])
    assert endpoint.pop("x-source")["method"] == f"{STEM}.md:7"
    assert endpoint == {
        "title": "Create Voice Campaign API - Progressive Mode-v2",
        "method": "POST",
        "pathTemplate": "/campaign/api/v2/public/{streamId}/campaign",
        "hostPlaceholder": "url",
        "query": {"accountId": "{accountId}", "campaignType": "voice"},
        "contentType": "application/json",
        "authHeader": "auth",
        "sampleHeaders": {
            "auth": "<token>",
            "content-type": "application/json",
            "accountid": "{{accountId}}",
            "iid": "{{streamId}}",
        },
    }


def test_the_samples_are_the_pages_code_blocks() -> None:
    generated = build.generate_page(FROZEN_SOURCE / f"{STEM}.md")
    request, response = json.loads(generated["sample-request.json"]), json.loads(generated["sample-response.json"])
    assert request["name"] == "Service Renewal Outreach Campaign61" and request["schedule"] == {
        "isSchedulingEnabled": False}
    assert list(request) == ["name", "description", "contactLists", "dncLists", "priority", "dialingMode",
                             "dialingStrategy", "schedule", "queue_name", "campaignType"]
    assert response["data"]["dialingStrategy"]["useSystemMappings"] is False


def test_a_method_the_curl_agrees_with() -> None:
    """The Method row is read case-blind; the sample curl's -X (or --data: POST, -G: GET) must say the same."""
    lines = (FROZEN_SOURCE / f"{STEM}.md").read_text(encoding="utf-8").splitlines()
    lines[6] = lines[6].replace("POST", "put")
    lines[29] = lines[29].replace("curl ", "curl --request PUT ")
    assert parse_page("\n".join(lines), f"{STEM}.md").endpoint.method == "PUT"
    lines[6] = lines[6].replace("put", "GET")
    lines[29] = lines[29].replace("--request PUT ", "-G ")
    assert parse_page("\n".join(lines), f"{STEM}.md").endpoint.method == "GET"


def test_a_query_parameter_named_like_an_html_entity_is_read_as_written() -> None:
    """`&region=eu` in the Endpoint row was read as "®ion=eu" (HTML5's legacy entity &reg, which needs no ";"), so
    the URL sent `campaignType` as "voice®ion=eu" and no `region`; an entity in Markdown ends with ";"."""
    lines = (FROZEN_SOURCE / f"{STEM}.md").read_text(encoding="utf-8").splitlines()
    lines[8] = lines[8].replace("campaignType=voice", "campaignType=voice&region=eu&notify=true")
    endpoint = parse_page("\n".join(lines), f"{STEM}.md").endpoint
    assert endpoint.query == {"accountId": "{accountId}", "campaignType": "voice", "region": "eu", "notify": "true"}


def test_a_content_type_row_spelt_otherwise_is_read() -> None:
    """"Content Type" or "content_type" names the Content-Type row too: the row was skipped, and the OpenAPI document
    then gave the request body the media type null."""
    lines = (FROZEN_SOURCE / f"{STEM}.md").read_text(encoding="utf-8").splitlines()
    for title in ("**Content Type**", "content_type", "**Content-type:**"):
        edited = [*lines[:9], lines[9].replace("**Content-Type**", title), *lines[10:]]
        assert parse_page("\n".join(edited), f"{STEM}.md").endpoint.content_type == "application/json", title
