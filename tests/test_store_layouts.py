"""A database written by an earlier version of the mock is served by this one, with its campaigns, journal and
fault rules: a sandbox's --db lives for months while the mock is upgraded. tests/store_layouts/layout-N.sql is
the SCHEMA of each layout the mock has had, oldest first."""

from __future__ import annotations

import json
import re
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
        # a name filter reads the (account, name) index, whatever SQLite named it in that layout
        assert [c["campaign"] for c in store.campaigns(lname="made long ago")] == [CAMPAIGN]
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


def stamped(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as conn:
        found = conn.execute("PRAGMA application_id").fetchone()[0], conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()
    return found


def test_a_database_says_which_layout_it_has_once_the_mock_opened_it(tmp_path):
    from mockserver.store_layout import APPLICATION_ID, LAYOUT

    assert LAYOUT == len(LAYOUTS)
    written_by(LAYOUTS[0], tmp_path / "old.sqlite3")
    for name in ("old.sqlite3", "new.sqlite3"):
        SqliteStore(str(tmp_path / name)).close()
        assert stamped(tmp_path / name) == (APPLICATION_ID, LAYOUT)


def changed(path: Path, *statements: str) -> None:
    with sqlite3.connect(path) as conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


def refusal(path: Path) -> str:
    from mockserver.app import open_store
    from mockserver.errors import ConfigError

    before, files = stamped(path), {p.name for p in path.parent.iterdir()}
    with pytest.raises(ConfigError) as refused:
        open_store(str(path))
    assert stamped(path) == before  # left as it was, with no lock file made beside it (a reader's -wal and -shm may be)
    assert {p.name for p in path.parent.iterdir()} - files <= {f"{path.name}-wal", f"{path.name}-shm"}
    return str(refused.value)


def test_a_database_of_a_newer_layout_is_refused_saying_so(tmp_path):
    """Served by the version before the one that wrote it (a rollback): the newer layout's table read as another
    program's, and a column it added to a table was not noticed at all."""
    from mockserver.store_layout import LAYOUT

    path = tmp_path / "mock.sqlite3"
    SqliteStore(str(path)).close()
    changed(path, f"PRAGMA user_version = {LAYOUT + 1}", "CREATE TABLE tags (name)")
    assert refusal(path) == (
        f"{path}: cannot open the database: it was written by a newer version of the mock (database layout"
        f" {LAYOUT + 1}; this version knows layouts 1 to {LAYOUT}): serve it with that version or a later one, or"
        " give --db a new file")


@pytest.mark.parametrize(("statement", "words"), [
    ("ALTER TABLE campaigns ADD COLUMN tags TEXT NOT NULL DEFAULT ''", "column(s) campaigns.tags"),
    ("CREATE TABLE tags (name)", "table(s) tags"),
])
def test_a_mock_database_changed_since_is_refused_naming_what_the_mock_does_not_make(tmp_path, statement, words):
    """A column the mock does not make was not noticed: one it does not fill (NOT NULL without a default) had every
    create answered 500 while /__admin/health said ok."""
    path = tmp_path / "mock.sqlite3"
    SqliteStore(str(path)).close()
    changed(path, statement)
    assert refusal(path).endswith(f"it holds {words} the mock does not make, though the mock made it (changed since"
                                  " by hand or by another program): give --db a new file, or undo the change")


def test_another_program_s_database_with_its_application_id_is_refused(tmp_path):
    path = tmp_path / "theirs.gpkg"
    changed(path, "PRAGMA application_id = 1196444487", "CREATE TABLE campaigns (x)")  # a GeoPackage's ("GPKG")
    assert refusal(path).endswith("it is another program's database (its application id is 0x47504b47): give --db a"
                                  " new file, or one the mock made")


def test_a_damaged_file_of_an_earlier_layout_is_refused_before_it_is_upgraded(tmp_path):
    """serve read the file for damage once the store had opened it, and so upgraded it (columns added, its layout
    stamped) first: a file it then refused as damaged, telling its user to keep a copy, was no longer as it was."""
    from mockserver.commands.serve import check_config
    from mockserver.errors import ConfigError

    path = tmp_path / "mock.sqlite3"
    written_by(LAYOUTS[0], path)
    with open(path, "r+b") as file:  # the header's count of free pages, which opening the file does not read
        file.seek(36)
        file.write((3).to_bytes(4, "big"))
    before = path.read_bytes()
    with pytest.raises(ConfigError) as refused:
        check_config({"DATABASE": str(path), "RATE_LIMIT": None})
    # SQLite's words: "Main freelist" up to 3.4x, "Freelist" in 3.53
    assert re.search("PRAGMA quick_check found: (Main f|F)reelist: size is 0 but should be 3", str(refused.value))
    assert path.read_bytes() == before
