"""The admin API's numeric ids in the path, a journal entry's and a fault rule's, are read alike by every route that
takes one: leading zeros read past (`007` is 7) and a %-encoded digit read as that digit, as the server decodes every
path. The README said so of a journal entry's alone, though GET, PUT and DELETE /__admin/faults/<id> read
`/__admin/faults/01` as rule 1 too."""

from __future__ import annotations

import pytest

from mockserver import admin_openapi
from mockserver.paths import PROJECT_ROOT

SPELLINGS = ["01", "0001", "%31", "%301"]  # each rule 1, or entry 1


@pytest.fixture
def numbered(client):
    """A fault rule and a journal entry, each with id 1."""
    assert client.post("/__admin/faults", json={"fault": "status=503", "path": "/x"}).get_json()["id"] == 1
    assert client.get("/nowhere").status_code == 404
    assert client.get("/__admin/requests").get_json()["requests"][0]["id"] == 1
    return client


@pytest.mark.parametrize("spelt", SPELLINGS)
@pytest.mark.parametrize("kind", ["faults", "requests"])
def test_every_route_reads_an_id_s_leading_zeros_and_escapes_alike(numbered, kind, spelt):
    assert numbered.get(f"/__admin/{kind}/{spelt}").get_json()["id"] == 1
    if kind == "faults":
        replaced = numbered.put(f"/__admin/faults/{spelt}", json={"fault": "drop", "path": "/x"})
        assert (replaced.status_code, replaced.get_json()["id"], replaced.get_json()["fault"]) == (200, 1, "drop")
    assert numbered.delete(f"/__admin/{kind}/{spelt}").get_json() == {"deleted": 1}
    assert numbered.get(f"/__admin/{kind}/1").status_code == 404


def _row(readme: str, request: str) -> str:
    return next(line for line in readme.splitlines() if line.startswith(f"| `{request}") or
                line.startswith("| ") and f", `{request}`" in line.split(" | ")[0])


@pytest.mark.parametrize("request_line", ["GET /__admin/requests/<id>", "PUT /__admin/faults/<id>",
                                          "DELETE /__admin/faults/<id>"])
def test_the_readme_says_so_where_it_says_what_an_id_must_be(request_line):
    """The rows that name the ids refused 400 `admin.id` (the others say "as `GET` answers them")."""
    row = _row((PROJECT_ROOT / "README.md").read_text(encoding="utf-8"), request_line)
    assert "`admin.id`" in row and "leading zeros are read past" in row, row


@pytest.mark.parametrize("parameter", [admin_openapi.REQUEST_ID, admin_openapi.RULE_ID])
def test_the_admin_document_says_so_of_each_id(parameter):
    assert "Leading zeros are read past (`007` is 7" in parameter["description"]
