"""A database file with another name (a hard link, `ln a.sqlite3 b.sqlite3`): SQLite's -wal and -shm, and the mock's
.lock and -faults, are named from the name opened, so a mock on each name shared neither fault rules nor SQLite's
write lock (SQLite calls such a file's use undefined). `serve` says so as it starts, and create_app warns
(HardLinkWarning); nothing did. A symbolic link, followed to the file, is not warned of."""

from __future__ import annotations

import os

import pytest

from mockserver import process, store_checkpoints
from mockserver.app import create_app
from mockserver.errors import ConfigError
from mockserver.store_hard_links import HardLinkWarning
from mockserver.testing import running_mock

SAID = ("has 1 other name (hard links): SQLite keeps its -wal and -shm, and the mock its .lock and -faults, beside the"
        " name it is opened by, so a mock on another name would see none of this one's fault rules, and the two would"
        " write at once, which can damage the file; serve it by one name (a symbolic link is followed to the file,"
        " and shares them), and keep a backup as a copy (a hard link changes as the mock writes)")


@pytest.fixture
def linked(tmp_path, make_app):
    """a.sqlite3, a mock's database, and b.sqlite3, another name for it."""
    first = tmp_path / "a.sqlite3"
    make_app({"DATABASE": str(first)}).extensions["mock"].store.close()
    os.link(first, tmp_path / "b.sqlite3")
    return tmp_path


@pytest.mark.parametrize("name", ["a.sqlite3", "b.sqlite3"])
def test_create_app_warns_of_a_file_with_another_name(linked, make_app, name):
    with pytest.warns(HardLinkWarning) as warned:
        make_app({"DATABASE": str(linked / name)})
    assert str(warned[0].message) == f"the database file {linked / name} {SAID}"
    assert warned[0].filename.endswith("conftest.py")  # where make_app called create_app


def test_running_mock_warns_where_it_was_called(linked):
    """The warning pointed at mockserver/testing.py, create_app's caller, which the user's test never called."""
    with pytest.warns(HardLinkWarning) as warned, running_mock(database=linked / "b.sqlite3"):
        pass
    assert warned[0].filename == __file__, warned[0].filename


def test_the_kore_mock_fixture_warns_at_the_test(linked, pytester):
    pytester.makepyfile(test_client=f"""
        import pytest

        @pytest.mark.kore_mock(database={str(linked / "b.sqlite3")!r})
        def test_the_fixture(kore_mock):
            pass
        """)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:randomly", "-W",
                                          "default::mockserver.store_hard_links.HardLinkWarning")
    result.assert_outcomes(passed=1)  # (in a worker that imported the package, pytest warns it cannot rewrite it)
    said = result.stdout.str()
    assert said.count("HardLinkWarning:") == 1 and "test_client.py:3: HardLinkWarning" in said, said


def test_a_symbolic_link_and_a_file_with_one_name_are_not_warned_of(tmp_path, make_app):
    make_app({"DATABASE": str(tmp_path / "a.sqlite3")}).extensions["mock"].store.close()
    os.symlink(tmp_path / "a.sqlite3", tmp_path / "link.sqlite3")
    make_app({"DATABASE": str(tmp_path / "link.sqlite3")})  # filterwarnings = error: any warning fails it
    make_app({"DATABASE": ":memory:"})


def test_a_second_name_opened_in_one_process_is_said_as_such(tmp_path, make_app, monkeypatch):
    """SQLite answers "disk I/O error" for a second name while the first's -wal holds writes (in one process both
    read one index of the -wal, each its own -wal), which the mock's advice read as a full or failing disk."""
    monkeypatch.setattr(store_checkpoints, "CHECKPOINT_EVERY_S", 3600)  # the -wal keeps the new file's tables
    make_app({"DATABASE": str(tmp_path / "a.sqlite3")})
    os.link(tmp_path / "a.sqlite3", tmp_path / "b.sqlite3")
    with pytest.raises(ConfigError) as refused:
        create_app({"DATABASE": str(tmp_path / "b.sqlite3")})
    assert str(refused.value).endswith("disk I/O error; the database file has 1 other name (hard links), and this"
                                       " process may hold it open by another, whose -wal SQLite does not read by"
                                       " this name: open it by one name"), refused.value


def test_serve_says_it_once_as_it_starts(linked):
    with process.running("--db", str(linked / "b.sqlite3"), "--workers", "2") as server:
        output = "".join(server.output)
    assert output.count(SAID) == 1 and "HardLinkWarning" not in output, output
    assert f"mockserver: the database file {linked / 'b.sqlite3'} {SAID}\n" in output
