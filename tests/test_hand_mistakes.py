"""Mistakes a tester makes driving the mock by hand (curl, Postman, Insomnia), copying from the vendor's page and
the README: each answer says in one line what to change."""

from __future__ import annotations


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
