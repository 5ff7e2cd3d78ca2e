"""Seeded campaign ids: a function of (seed, account, name) alone, the same from one run, worker or Python hash seed
to the next (a Faker release that changed them would fail here), and never shared by two campaigns."""

from __future__ import annotations

from contextlib import closing

import pytest
from faker import Faker

from mockserver.app import Mock, build_mock

ACCOUNT = "65f1c0ffee0ddba11a5e0001"
# Ids a snapshot test holds: what every release of the mock since --seed came has answered for these.
KNOWN = [
    (42, ACCOUNT, "spring outreach", "cd-452b4dcd-a8fd-42a1-a818-7d4584966403"),
    (42, "65f1c0ffee0ddba11a5e0002", "spring outreach", "cd-19939bc3-9bf8-4cd4-bc92-0f5d37b049c9"),
    (-7, ACCOUNT, "spring outreach", "cd-8683e405-722e-47b5-801a-8b76e2cfb249"),
]


def seeded(seed: int) -> closing[Mock]:
    """A mock with the seed, built only for its ids: its store is closed when the block ends."""
    return closing(build_mock({"SEED": seed, "DATABASE": ":memory:"}))


@pytest.mark.parametrize(("seed", "account_id", "lname", "known"), KNOWN)
def test_a_seed_gives_the_ids_it_always_gave(seed, account_id, lname, known):
    with seeded(seed) as mock:
        assert mock.campaign_id(account_id, lname) == known


def test_seeded_ids_are_fakers():
    """The ids are Faker's own `Faker().uuid4()` for the seed (the issue asks for Faker UUIDs), though the mock builds
    only the provider it needs: a Faker release that drew them otherwise fails the test above, rather than change a
    team's snapshots unseen."""
    fake = Faker()
    fake.seed_instance(f"{KNOWN[0][0]}:{KNOWN[0][1]}:{KNOWN[0][2]}")
    assert "cd-" + fake.uuid4() == KNOWN[0][3]


@pytest.mark.parametrize(("first", "second"), [
    (("a", "b:c"), ("a:b", "c")),
    (("a%3A", "c"), ("a:", "c")),
    (("a", "%3Ab:c"), ("a:", "b:c")),
])
def test_two_accounts_names_never_share_an_id(first, second):
    """The seed's text was "seed:account:name", so account "a" naming a campaign "b:c" and account "a:b" naming one
    "c" (a tenant's account ids may hold a colon) were given the same id: two campaigns answered, listed and
    deleted as one."""
    with seeded(1) as mock:
        assert mock.campaign_id(*first) != mock.campaign_id(*second)


def test_a_name_gets_its_id_back_after_a_reset_and_a_restart_meets_it_as_a_duplicate(tmp_path, sample_body, headers,
                                                                                     url, make_app):
    """As README says: no sequence that a reset restarts, and no id that a restart on the same database hands out
    again to another campaign."""
    database = str(tmp_path / "mock.sqlite3")
    app = make_app({"DATABASE": database, "SEED": 9})
    client = app.test_client()
    first = client.post(url, json=sample_body, headers=headers).get_json()["data"]["id"]
    assert client.post("/__admin/reset").status_code == 200
    assert client.post(url, json=sample_body, headers=headers).get_json()["data"]["id"] == first
    app.extensions["mock"].store.close()  # stopped before the restart (make_app closes it again, to no effect)

    again = make_app({"DATABASE": database, "SEED": 9})
    client = again.test_client()
    assert client.post(url, json=sample_body, headers=headers).status_code == 409
    other = client.post(url, json={**sample_body, "name": "Another"}, headers=headers).get_json()["data"]["id"]
    listed = client.get("/__admin/campaigns").get_json()["campaigns"]
    assert [entry["campaign"]["id"] for entry in listed] == [first, other]
