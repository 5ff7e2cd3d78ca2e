"""A database written by an earlier version of the mock is served by this one, with its campaigns, journal and
fault rules: a sandbox's --db lives for months while the mock is upgraded. tests/store_layouts/layout-N.sql is
the SCHEMA of each layout the mock has had, oldest first."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from mockserver.store import DuplicateName, JournalFilter, SqliteStore

LAYOUTS = sorted(Path(__file__).with_name("store_layouts").glob("layout-*.sql"), key=lambda p: int(p.stem[7:]))
CAMPAIGN = {"id": "cd-old", "name": "Made long ago", "createdAt": "2025-01-02T03:04:05.678Z"}


def written_by(layout: Path, path: Path) -> None:
    """A file as that layout's mock left it: one campaign, one journal entry, one fault rule where it had them."""
    with sqlite3.connect(path) as conn:
        conn.executescript(layout.read_text(encoding="utf-8"))
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("INSERT INTO campaigns (id, account_id, stream_id, lname, created_at, data)"
                     " VALUES ('cd-old', 'acc-1', 'st-1', 'made long ago', ?, ?)",
                     (CAMPAIGN["createdAt"], json.dumps(CAMPAIGN)))
        conn.execute("INSERT INTO journal (at, method, path, query, headers, body, status, errors, latency_ms)"
                     " VALUES ('2025-01-02T03:04:05.700Z', 'POST', '/campaign', 'accountId=acc-1', ?, '{}', 200, '[]',"
                     " 1.5)", (json.dumps({"accountid": "acc-1"}),))
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'fault_rules'").fetchone():
            conn.execute("INSERT INTO fault_rules (fault, method, path, probability, remaining) VALUES"
                         " ('status=503', 'POST', '/campaign/*', 1.0, 2)")
    conn.close()


@pytest.mark.parametrize("layout", LAYOUTS[:-1], ids=lambda p: p.stem)
def test_a_database_of_an_earlier_layout_is_served_with_what_it_holds(tmp_path, layout):
    path = tmp_path / "mock.sqlite3"
    written_by(layout, path)
    store = SqliteStore(str(path))
    try:
        assert [c["campaign"] for c in store.campaigns()] == [CAMPAIGN]
        assert store.campaign("cd-old")["accountId"] == "acc-1"
        with pytest.raises(DuplicateName):
            store.add_campaign("acc-1", "st-1", "made long ago", {"id": "cd-2", "createdAt": "2026-01-01T00:00:00Z"})
        store.add_campaign("acc-1", "st-1", "made now", {"id": "cd-3", "createdAt": "2026-01-01T00:00:00.000Z"})
        [entry] = store.journal()
        assert (entry["id"], entry["status"], entry["body"]) == (1, 200, "{}")
        assert store.count_journal(JournalFilter(account_id="acc-1")) == 1
        rules = store.fault_rules()
        assert rules == [] or [(r["fault"], r["remaining"], r["accountId"]) for r in rules] == [("status=503", 2, None)]
        assert store.integrity_check() == "ok"
        store.reset()
        assert store.count_campaigns() == 0
    finally:
        store.close()


def test_the_newest_layout_is_the_schema_the_mock_makes():
    """A change to SCHEMA is a new layout: add it as the next layout-N.sql, so the test above serves the one before
    it, and raise store_layout.LAYOUT."""
    from mockserver.store_layout import SCHEMA

    assert LAYOUTS[-1].read_text(encoding="utf-8") == SCHEMA.lstrip("\n")
