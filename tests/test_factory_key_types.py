"""A factory key's value of the wrong type or out of range, given to create_app, running_mock or a kore_mock marker:
refused in one line naming the key, never a traceback from deep inside (an AttributeError, a TypeError)."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from mockserver.app import DEFAULTS, create_app
from mockserver.errors import ConfigError
from mockserver.testing import SERVE_OWN, UnknownOption, running_mock

# Values no key takes: each key's refusal of them shows it is checked, where a key added without a check is used as
# given (a traceback from deep inside, or a value read for its truth)
WRONG = {"bytes": b"x", "float": 1.5, "nan": float("nan"), "list": [], "dict": {}, "object": object(), "tuple": (None,)}
CASES = [pytest.param(key, value, id=f"{key}={kind}") for key in DEFAULTS for kind, value in WRONG.items()]
OWN = [pytest.param(name, value, id=f"{name}={kind}") for name in ("tenant", "seed", "clock", "database")
       for kind, value in WRONG.items()]

# The keys no command-line option sets (serve fills in TENANT_TEXT and DATABASE_FILE_ID for its workers; tests name
# their own SCHEMAS_DIR), each with a value refused and what is wrong with it
SERVE_KEYS = [
    ("TENANT_TEXT", 5, "must be the tenant file's text, a str (got 5)"),
    ("TENANT_TEXT", b"{}", "must be the tenant file's text, a str (got b'{}')"),
    ("SCHEMAS_DIR", 5, "must be a folder name (str or Path) (got 5)"),
    ("SCHEMAS_DIR", "", "must be a folder name, not empty"),
    ("SCHEMAS_DIR", [], "must be a folder name (str or Path) (got [])"),
    ("DATABASE_FILE_ID", 5, "must be the DATABASE file's (device, inode), two whole numbers from 0 as os.stat gives"
                            " them (got 5)"),
    ("DATABASE_FILE_ID", ("a", 1), "must be the DATABASE file's (device, inode), two whole numbers from 0 as os.stat"
                                   " gives them (got ('a', 1))"),
]


@pytest.mark.parametrize(("key", "value", "said"), SERVE_KEYS, ids=[f"{key}={value!r}" for key, value, _ in SERVE_KEYS])
def test_a_key_no_option_sets_is_checked_too(key, value, said, tmp_path):
    """TENANT_TEXT=5 was an AttributeError ('int' object has no attribute 'strip'), SCHEMAS_DIR=5 a TypeError from
    os.fspath, DATABASE_FILE_ID=5 one from the store ('int' object is not iterable); SCHEMAS_DIR="" served the
    project's own schemas without a word, and DATABASE_FILE_ID=("a", 1) was refused as a database file replaced."""
    with pytest.raises(ConfigError) as refused:
        create_app({"DATABASE": str(tmp_path / "mock.sqlite3"), key: value})
    assert str(refused.value) == f"config {key} {said}"
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("key", DEFAULTS)
def test_a_huge_value_is_quoted_clipped(key, tmp_path):
    """A value is quoted back cut to MAX_SHOWN characters: CLOCK, CORS, RATE_LIMIT and the whole numbers' and
    switches' refusals quoted a 100,000-character string whole, and DATABASE's the file made beside it."""
    config = {"DATABASE": str(tmp_path / "mock.sqlite3"), key: "y" * 100_000}
    with pytest.raises(ConfigError) as refused:
        create_app(config)
    assert len(str(refused.value)) < 500 and "\n" not in str(refused.value)


@pytest.mark.parametrize(("key", "value"), CASES)
def test_the_factory_refuses_a_wrong_type_for_every_key_in_one_line(key, value, tmp_path):
    """Every DEFAULTS key, so that a key added later without a check fails here: TENANT_TEXT=[] was an
    AttributeError, SCHEMAS_DIR=1.5 and DATABASE_FILE_ID=1.5 TypeErrors, SCHEMAS_DIR=[] or RATE_LIMIT={} taken for
    none."""
    with pytest.raises(ConfigError) as refused:
        create_app({"DATABASE": str(tmp_path / "mock.sqlite3"), key: value})
    said = str(refused.value)
    assert re.search(rf"\bconfig {key}\b", said) and "\n" not in said and len(said) < 500, said
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(("name", "value"), [*CASES, *OWN])
def test_running_mock_refuses_a_wrong_type_for_every_option_in_one_line(name, value, tmp_path, monkeypatch):
    """As the factory does, naming the option as it was given; serve's own keys are no options of running_mock."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises((ConfigError, UnknownOption)) as refused:
        with running_mock(**{name: value}):
            pass
    said = str(refused.value)
    if name in SERVE_OWN:
        assert isinstance(refused.value, UnknownOption) and said.startswith(f"running_mock() got {name}, ")
    else:
        assert isinstance(refused.value, ConfigError) and said.startswith(f"running_mock({name}=...)"), said
    assert "\n" not in said and len(said) < 500, said
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(("key", "value", "takes"), [
    ("SERVER_NAME", 5, "a host name (str), or None"),
    ("APPLICATION_ROOT", None, "a path (str)"),
    ("TRUSTED_HOSTS", "mock.example", "a list of host names (str), or None"),
    ("TRUSTED_HOSTS", [5], "a list of host names (str), or None"),
])
def test_a_flask_key_every_request_reads_is_checked_at_the_start(key, value, takes, tmp_path, monkeypatch):
    """Flask's own keys are taken as they are; SERVER_NAME=5, APPLICATION_ROOT=None and TRUSTED_HOSTS=5 started the
    mock, and each request was then a 500 with a traceback ('int' object has no attribute 'lower')."""
    if key not in Flask.default_config:  # TRUSTED_HOSTS came with Flask 3.1: before it, an unknown key, refused so
        pytest.skip(f"this Flask has no {key}")
    with pytest.raises(ConfigError) as refused:
        create_app({"DATABASE": str(tmp_path / "mock.sqlite3"), key: value})
    assert str(refused.value) == f"config {key} must be {takes}, as Flask reads it (got {value!r})"
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match=rf"^running_mock\({key}=\.\.\.\) must be "):
        with running_mock(**{key: value}):
            pass
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(("caller", "name"), [("running_mock()", "DATABASE"), ("@pytest.mark.kore_mock", "database"),
                                              ("@pytest.mark.kore_mock", "DATABASE")])
def test_a_database_of_none_is_a_fresh_one_in_either_spelling(caller, name, tmp_path, monkeypatch):
    """running_mock(database=None) is a fresh database, but DATABASE=None, and a marker's database=None, were
    refused as "must be a file name (str or Path) (got None)"; tenant, seed and clock take None in both."""
    from mockserver.testing import started

    monkeypatch.chdir(tmp_path)
    for options in ({name: None}, {name.lower(): None, "SEED": None, "CLOCK": None, "TENANT": None}):
        with started(options, caller) as mock:
            assert mock.campaigns() == []
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("given", ["file:zz.sqlite3", "file:zz.sqlite3?mode=ro", "file::memory:"])
def test_an_sqlite_uri_as_database_is_refused_as_serve_refuses_it(given, tmp_path, monkeypatch):
    """create_app({"DATABASE": "file:zz.sqlite3"}) made zz.sqlite3 through SQLite's URI, without the store's file
    checks, its lock or its mode (the store takes `file:` names as its in-memory database's)."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as refused:
        create_app({"DATABASE": given})
    assert str(refused.value) == (f"--db (config DATABASE) must be a file's path or :memory:, not an SQLite URI"
                                  f" (file:...) (got {given!r}; a file of that name: send {'./' + given!r})")
    assert list(tmp_path.iterdir()) == []


def test_a_path_named_file_colon_is_that_file(tmp_path, monkeypatch):
    """A Path names a file whatever its name: Path("./file:x") is Path("file:x"), so it could not be given otherwise."""
    from pathlib import Path

    monkeypatch.chdir(tmp_path)
    app = create_app({"DATABASE": Path("file:zz.sqlite3")})
    try:
        assert app.extensions["mock"].store.database == str(tmp_path / "file:zz.sqlite3")
    finally:
        app.extensions["mock"].store.close()
    assert (tmp_path / "file:zz.sqlite3").is_file()


@pytest.mark.parametrize("caller", ["create_app", "running_mock"])
def test_a_database_under_the_home_folder_is_there_as_serve_takes_it(caller, tmp_path, monkeypatch):
    """create_app({"DATABASE": "~/x.sqlite3"}) made the folder ~ in the current one and the file ./~/x.sqlite3, where
    `serve --db '~/x.sqlite3'` opened it in the home folder."""
    home, here = tmp_path / "home", tmp_path / "here"
    home.mkdir(), here.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(here)
    if caller == "create_app":
        create_app({"DATABASE": "~/x.sqlite3"}).extensions["mock"].store.close()
    else:
        with running_mock(database="~/x.sqlite3") as mock:
            assert mock.campaigns() == []
    assert (home / "x.sqlite3").is_file()
    assert list(here.iterdir()) == []


def test_a_database_under_an_unknown_user_s_home_is_refused_as_serve_refuses_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    given = "~nosuchuser4242/x.sqlite3"
    with pytest.raises(ConfigError) as refused:
        create_app({"DATABASE": given})
    assert str(refused.value) == ("--db (config DATABASE) cannot be opened: ~nosuchuser4242 names no home folder (no"
                                  f" such user here): give the folder's path, or ./{given} for a folder named"
                                  " ~nosuchuser4242")
    with pytest.raises(ConfigError, match=r"^running_mock\(database=\.\.\.\) cannot be opened: ~nosuchuser4242 names"):
        with running_mock(database=given):
            pass
    assert list(tmp_path.iterdir()) == []
