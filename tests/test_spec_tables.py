"""Tables are read by meaning: the test pages vary headings, column titles and order, backticks, `</br>`,
bullets and escapes, and must read the same as each other."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from frozen_page import FROZEN_SOURCE

from mockserver.spec import build, markdown
from mockserver.spec.markdown import parse_page
from mockserver.spec.model import Page, TypeSpec

PAGES = Path(__file__).parent / "pages"
VARIANTS = sorted(PAGES.glob("variant-*.md"))
REAL = FROZEN_SOURCE / "create-voice-campaign-progressive-v2.md"


def _parse(path: Path) -> Page:
    return parse_page(path.read_text(encoding="utf-8"), path.name)


def _fields(page: Page, kind: str) -> list[tuple[str, TypeSpec, bool | None]]:
    return [(f.name, f.type, f.required) for f in page.tables[kind].fields]


@pytest.fixture(params=VARIANTS, ids=[p.stem for p in VARIANTS])
def variant(request: pytest.FixtureRequest) -> Page:
    return _parse(request.param)


def test_there_are_variant_pages() -> None:
    assert len(VARIANTS) >= 2


def test_every_table_is_found(variant: Page) -> None:
    assert list(variant.tables) == ["path", "query", "headers", "body", "response"]


def test_body_fields(variant: Page) -> None:
    # A row that does not say "required" is optional, whether it says "optional", "No" or nothing.
    assert [(name, type_, bool(required)) for name, type_, required in _fields(variant, "body")] == [
        ("name", TypeSpec("string"), True),
        ("tags", TypeSpec("array", "string"), False),
        ("mode", TypeSpec("string"), False),
        ("window.start", TypeSpec("string"), True),
        ("window.slots", TypeSpec("number"), False),
    ]


def test_other_tables(variant: Page) -> None:
    assert _fields(variant, "path") == [("streamId", TypeSpec("string"), True)]
    assert _fields(variant, "query") == [("campaignType", TypeSpec("string"), True)]
    assert _fields(variant, "headers") == [("auth", TypeSpec("string"), True), ("iid", TypeSpec("string"), True)]
    assert _fields(variant, "response") == [("status", TypeSpec("string"), None),
                                            ("data.id", TypeSpec("string", note="uuid"), None)]


def test_descriptions_are_cleaned(variant: Page) -> None:
    body = {f.name: f.description for f in variant.tables["body"].fields}
    assert body["name"] == "Name & title (short). The name must be a maximum of 10 characters."
    assert body["tags"] == "Tags for the campaign: • first tag • second tag"
    query = variant.tables["query"].fields[0].description
    assert query in ('Type of campaign. Use "voice"', "Type of campaign. Use “voice”")


def test_endpoint_and_samples(variant: Page) -> None:
    assert variant.endpoint.method == "POST"
    assert variant.endpoint.path_template == "/campaign/api/v2/public/{streamId}/campaign"
    assert variant.endpoint.query == {"campaignType": "voice"}
    assert variant.endpoint.auth_header == "auth"
    assert variant.endpoint.content_type == "application/json"
    assert variant.sample_headers and variant.sample_headers.value == {"auth": "<token>", "iid": "{{streamId}}"}
    assert variant.sample_request and variant.sample_request.value["window"] == {"start": "9:00 AM", "slots": 2}
    assert variant.sample_response and variant.sample_response.value["data"] == {"id": "cd-1"}


def _summary(page: Page, kind: str) -> list[tuple[object, ...]]:
    plain = str.maketrans("“”", '""')
    return [(f.name, f.type, bool(f.required), f.description.translate(plain)) for f in page.tables[kind].fields]


def test_variants_read_the_same() -> None:
    first, second = (_parse(p) for p in VARIANTS[:2])
    for kind in first.tables:
        assert _summary(first, kind) == _summary(second, kind)


def test_rows_keep_their_line(variant: Page) -> None:
    lines = (PAGES / variant.file).read_text(encoding="utf-8").splitlines()
    for table in variant.tables.values():
        for field in table.fields:
            assert field.name.split(".")[-1] in lines[field.source.line - 1]


def test_the_vendor_page() -> None:
    page = _parse(REAL)
    assert page.title == "Create Voice Campaign API - Progressive Mode-v2"
    assert [t.heading for t in page.tables.values()] == [
        "Path Parameters", "Query Parameter", "Headers", "Body Parameters", "Response Parameters"]
    assert [f.name for f in page.tables["headers"].fields] == ["auth", "IId", "accountId"]
    assert page.tables["headers"].fields[2].type == TypeSpec("string")  # the cell says only "required"
    assert len(page.tables["body"].fields) == 17 and len(page.tables["response"].fields) == 29


def test_a_table_that_lists_no_parameters_is_ignored() -> None:
    text = REAL.read_text(encoding="utf-8") + "\n## Error Codes\n\n| Code | Meaning |\n| --- | --- |\n| 400 | Bad |\n"
    assert list(parse_page(text, REAL.name).tables) == ["path", "query", "headers", "body", "response"]


def test_a_field_called_method_does_not_make_a_metadata_table() -> None:
    row = "| `campaignType` | Type of campaign. Must be"
    text = REAL.read_text(encoding="utf-8").replace(row, "| `method` | How to call. | string |\n" + row)
    page = parse_page(text, REAL.name)
    assert page.endpoint.method == "POST" and page.tables["body"].fields[-2].name == "method"


@pytest.mark.parametrize("path", VARIANTS, ids=[p.stem for p in VARIANTS])
def test_a_variant_generates_the_same_request_schema(path: Path) -> None:
    request = json.loads(build.generate_page(path)["request.schema.json"])
    assert request["required"] == ["name", "window"]
    assert request["properties"]["window"]["properties"]["slots"]["type"] == "integer"
    assert request["properties"]["mode"]["enum"] == ["A", "B", "C"]


@pytest.mark.parametrize("lines", [range(106, 107), range(104, 123)], ids=["one-row", "whole-table"])
def test_rows_without_outer_pipes_read_the_same(lines: range, tmp_path: Path) -> None:
    """GFM tables need no outer pipes: a row (or a whole table) written without them reads as with them."""
    text = REAL.read_text(encoding="utf-8").splitlines()
    for line in lines:
        text[line - 1] = text[line - 1].strip().removeprefix("| ").removesuffix(" |")
    shutil.copytree(REAL.parent, tmp_path / "source")
    (tmp_path / "source" / REAL.name).write_text("\n".join(text) + "\n", encoding="utf-8")
    assert build.generate_page(tmp_path / "source" / REAL.name) == build.generate_page(REAL)


@pytest.mark.parametrize("fence", ["~~~", "````", "~~~~~"], ids=["tildes", "four-backticks", "five-tildes"])
def test_code_fences_of_tildes_or_longer_runs_read_the_same(fence: str, tmp_path: Path) -> None:
    """CommonMark fences are three or more backticks or tildes, closed by a run of the same character at least as
    long. A page that fenced its samples with ~~~ lost them: the samples' lines were read as prose."""
    text = REAL.read_text(encoding="utf-8").splitlines()
    fenced = [i for i, line in enumerate(text) if line.strip().startswith("```")]
    assert fenced and len(fenced) % 2 == 0
    for i in fenced:
        text[i] = text[i].replace("```", fence, 1)
    shutil.copytree(REAL.parent, tmp_path / "source")
    (tmp_path / "source" / REAL.name).write_text("\n".join(text) + "\n", encoding="utf-8")
    assert build.generate_page(tmp_path / "source" / REAL.name) == build.generate_page(REAL)


def test_a_fence_is_closed_only_by_its_own_kind() -> None:
    """Inside a ```` fence, a ``` line and a ~~~ line are content."""
    page = "# T\n\n````json\n{\"a\": \"```\"}\n```\n~~~\n````\n"
    blocks = markdown._blocks(page.splitlines(), markdown._Reader("t.md", "t.md"))
    [code] = [block for block in blocks if isinstance(block, markdown._Code)]
    assert code.text == "{\"a\": \"```\"}\n```\n~~~"
