"""Times, dates and time zones: the body's zone, calling hours, --clock, and a token's time claims."""

from __future__ import annotations

import copy
import importlib.resources
import shutil
import time
import zoneinfo

import jwt
import pytest

from contract_tests.cases import Expectation
from contract_tests.checks import Response
from contract_tests.suite import load_suite
from mockserver import cli, validation
from mockserver import store as store_module
from mockserver.ratelimit import Count, RateLimit, count
from mockserver.store import JournalEntry


@pytest.fixture
def machine_zones(tmp_path):
    """A machine tz database of our own, in place of the system's: zoneinfo reads TZPATH at each look."""
    folder = tmp_path / "zoneinfo"
    (folder / "Mars").mkdir(parents=True)
    with importlib.resources.as_file(importlib.resources.files("tzdata.zoneinfo").joinpath("UTC")) as source:
        shutil.copyfile(source, folder / "Mars" / "Olympus_Mons")  # any TZif file will do
    zoneinfo.reset_tzpath([str(folder)])
    validation.iana_zones.cache_clear()
    yield folder
    zoneinfo.reset_tzpath()
    validation.iana_zones.cache_clear()


def test_the_zone_names_accepted_do_not_depend_on_the_machines_tz_database(machine_zones):
    """The names came from the machine's tz database as well as the tzdata package: a file in /usr/share/zoneinfo
    (a distribution's newer or older tz release, or anything put there) made a name valid on one machine only."""
    assert not validation.is_iana_zone("Mars/Olympus_Mons")
    assert validation.is_iana_zone("Asia/Kolkata")


def test_zone_names_are_known_on_a_machine_without_a_tz_database(tmp_path):
    zoneinfo.reset_tzpath([str(tmp_path)])
    validation.iana_zones.cache_clear()
    try:
        assert all(validation.is_iana_zone(name) for name in ("Asia/Kolkata", "US/Eastern", "UTC", "Etc/GMT+5"))
    finally:
        zoneinfo.reset_tzpath()
        validation.iana_zones.cache_clear()


@pytest.mark.parametrize(("zone", "day", "start", "end"), [
    ("America/New_York", "SU", "2:00 AM", "2:59 AM"),  # the second Sunday of March skips these times
    ("Europe/London", "SU", "1:00 AM", "1:59 AM"),  # the last Sunday of October has them twice
    ("America/Santiago", "SA", "11:00 PM", "11:59 PM"),  # a change at midnight: some Saturdays end an hour early
])
def test_a_block_that_a_dst_change_skips_or_repeats_on_some_dates_is_accepted_as_sent(post, sample_body, zone, day,
                                                                                       start, end):
    """Calling hours are wall-clock times in the body's zone, week after week, not times on a date: so no block is
    in a DST gap or overlap as such (a README assumption)."""
    hours = sample_body["dialingStrategy"]["callingHours"]
    hours.update(timezone=zone, days=[{"day": day, "start": start, "end": end}])
    response = post(sample_body)
    assert response.status_code == 200, response.get_json()
    echoed = response.get_json()["data"]["dialingStrategy"]["callingHours"]
    assert (echoed["timezone"], echoed["days"]) == (zone, [{"start": start, "end": end, "day": day}])


@pytest.mark.parametrize(("zone", "meant"), [("america/new_york", "America/New_York"), ("ASIA/KOLKATA", "Asia/Kolkata"),
                                             ("utc", "UTC"), ("us/eastern", "US/Eastern")])
def test_a_zone_name_in_the_wrong_case_is_refused_naming_the_zone_meant(post, sample_body, error_fields, zone, meant):
    """Zone names are case-sensitive here, where JavaScript's Intl and moment-timezone find `america/new_york`: the
    refusal said only that it must be an IANA zone, which it reads as."""
    sample_body["dialingStrategy"]["callingHours"]["timezone"] = zone
    response = post(sample_body)
    assert response.status_code == 400
    assert response.get_json()["errors"] == [{
        "msg": f"dialingStrategy.callingHours.timezone must be an IANA time zone such as 'Asia/Kolkata' (got"
               f" {zone!r}; zone names are case-sensitive: send {meant!r})",
        "code": 4000, "field": "dialingStrategy.callingHours.timezone"}]


def test_a_long_zone_name_costs_its_refusal_one_lowering_not_one_per_zone():
    """The zone meant was looked for by lowering the value once for each of the ~600 zone names: a body's 60 KB
    zone held a worker 0.1 s per request, where any other field's refusal took 2 ms. A 2 MB value, one lowering of
    which takes about 25 ms and ~600 took 3.6 s: the bound sits far from both, so neither a stall on a loaded
    machine nor a faster machine decides the test (at 200 KB and 0.3 s, the old code took 0.36 s)."""
    validation.iana_zones()
    started = time.perf_counter()
    said = validation.zone_refused("\u00df" * 2_000_000)
    assert time.perf_counter() - started < 1.0
    assert "case-sensitive" not in said


ETC = "IANA names no offsets and its Etc/GMT zones have the sign inverted: send 'Etc/GMT{}' or a city's zone"


@pytest.mark.parametrize(("zone", "words"), [
    ("UTC+5", ETC.format("-5")),
    ("GMT-3", ETC.format("+3")),
    ("+05:00", ETC.format("-5")),
    ("UTC+0", "IANA names no offsets: send 'UTC' or a city's zone"),
    ("GMT+5:30", "IANA names no offsets and its Etc/GMT zones are whole hours: send a city's zone"),
    ("+05:30", "IANA names no offsets and its Etc/GMT zones are whole hours: send a city's zone"),
    ("UTC+15", "IANA names no offsets: send a city's zone"),  # no Etc/GMT-15 to name
    ("America/New York", "a space is written '_': send 'America/New_York'"),
    ("Asia/Kolkata ", "it has white space at its end: send 'Asia/Kolkata'"),
    ("\tUTC\n", "it has white space at its start and end: send 'UTC'"),
    (" america/new york", "it has white space at its start, a space is written '_' and zone names are"
                          " case-sensitive: send 'America/New_York'"),
])
def test_an_offset_or_a_zone_spelled_with_spaces_is_refused_saying_what_to_send(post, sample_body, zone, words):
    """`UTC+5`, `+05:30`, `America/New York` and `Asia/Kolkata ` were refused as any other text: the offset's
    Etc/GMT name has its sign inverted, which no tester guesses, and a trailing space cannot be seen in the quote."""
    sample_body["dialingStrategy"]["callingHours"]["timezone"] = zone
    [error] = post(sample_body).get_json()["errors"]
    assert error["msg"] == ("dialingStrategy.callingHours.timezone must be an IANA time zone such as 'Asia/Kolkata'"
                            f" (got {zone!r}; {words})")


@pytest.mark.parametrize("zone", ["Etc/GMT-5", "Etc/GMT+3", "UTC", "America/New_York", "Asia/Kolkata"])
def test_the_zones_an_offset_or_spacing_refusal_names_are_accepted(post, sample_body, zone):
    sample_body["dialingStrategy"]["callingHours"]["timezone"] = zone
    assert post(sample_body).status_code == 200


@pytest.mark.parametrize("zone", ["IST", "Asia /Kolkata", "5", "EST5EDT+1", "Mars/Olympus_Mons"])
def test_a_zone_that_names_no_offset_nor_a_zone_gets_no_suggestion(post, sample_body, zone):
    sample_body["dialingStrategy"]["callingHours"]["timezone"] = zone
    [error] = post(sample_body).get_json()["errors"]
    assert error["msg"].endswith(f"(got {zone!r})")


@pytest.mark.parametrize(("start", "end"), [("9:00 PM", "12:00 AM"), ("12:00 AM", "12:00 AM"), ("9:00 AM", "12:00 AM")])
def test_a_block_that_ends_at_midnight_is_told_to_end_at_1159_pm(post, sample_body, start, end):
    """`12:00 AM` is the day's start (a README assumption): a block written to run to midnight was told only that its
    start must be before its end, which reads as nonsense of 9:00 PM to 12:00 AM."""
    sample_body["dialingStrategy"]["callingHours"]["days"] = [{"day": "FR", "start": start, "end": end}]
    response = post(sample_body)
    assert response.status_code == 400
    assert response.get_json()["errors"] == [{
        "msg": f"dialingStrategy.callingHours.days[0] start ({start}) must be before end ({end}): 12:00 AM is the"
               " start of the day, so a block that runs to midnight ends at 11:59 PM",
        "code": 4000, "field": "dialingStrategy.callingHours.days[0]"}]


def test_a_block_backwards_not_at_midnight_gets_no_word_of_midnight(post, sample_body):
    sample_body["dialingStrategy"]["callingHours"]["days"] = [{"day": "FR", "start": "6:00 PM", "end": "9:00 AM"}]
    [error] = post(sample_body).get_json()["errors"]
    assert error["msg"] == "dialingStrategy.callingHours.days[0] start (6:00 PM) must be before end (9:00 AM)"


HOURS = "dialingStrategy.callingHours.days[0]"
TWELVE = "times are on a 12-hour clock"


@pytest.mark.parametrize(("start", "end", "start_words", "end_words"), [
    ("9:00", "18:00", f"; {TWELVE}: send '9:00 AM', or '9:00 PM' for the evening", f"; {TWELVE}: send '6:00 PM'"),
    ("0:00", "24:00", f"; {TWELVE}: send '12:00 AM' for the day's start, '11:59 PM' for its end",
     f"; {TWELVE} and the day's last minute is 11:59 PM: send '11:59 PM'"),
    ("12:30", "23:59", f"; {TWELVE}: send '12:30 PM'", f"; {TWELVE}: send '11:59 PM'"),
    (" 18:00", "18:00 ", f"; it has white space at its start and {TWELVE}: send '6:00 PM'",
     f"; it has white space at its end and {TWELVE}: send '6:00 PM'"),
    ("24:30", "24:01", "", ""),  # no such time
])
def test_a_24_hour_time_is_told_its_12_hour_form(post, sample_body, start, end, start_words, end_words):
    """`18:00` was told only to match the form '6:00 PM', leaving the tester to convert it (and to find that 24:00
    cannot be written at all)."""
    sample_body["dialingStrategy"]["callingHours"]["days"] = [{"day": "FR", "start": start, "end": end}]
    errors = post(sample_body).get_json()["errors"]
    assert [error["msg"] for error in errors] == [
        f"{HOURS}.end must match the form '6:00 PM' (got {end!r}{end_words})",
        f"{HOURS}.start must match the form '9:00 AM' (got {start!r}{start_words})"]


@pytest.mark.parametrize(("sent", "words"), [
    ("9:00 am", "AM and PM go in capitals: send '9:00 AM'"),
    ("9:00AM", "a space goes before AM or PM: send '9:00 AM'"),
    ("09:00pm", "AM and PM go in capitals and a space goes before AM or PM: send '09:00 PM'"),
    ("9:00 AM ", "it has white space at its end: send '9:00 AM'"),
])
def test_a_12_hour_time_written_otherwise_is_told_the_form_taken(post, sample_body, sent, words):
    """`9:00 am`, `9:00AM` and `"9:00 AM "` were told only the form '9:00 AM', as a day's `"MO "` was told nothing,
    where a zone or a contact list with a space around it is told what to send."""
    sample_body["dialingStrategy"]["callingHours"]["days"] = [{"day": "FR", "start": sent, "end": "11:59 PM"}]
    [error] = post(sample_body).get_json()["errors"]
    assert error["msg"] == f"{HOURS}.start must match the form '9:00 AM' (got {sent!r}; {words})"
    sample_body["dialingStrategy"]["callingHours"]["days"][0]["start"] = words.split("send ")[1].strip("'")
    assert post(sample_body).status_code == 200


@pytest.mark.parametrize(("start", "end"), [("9:00 AM", "6:00 PM"), ("12:00 AM", "11:59 PM"), ("12:30 PM", "11:59 PM")])
def test_the_12_hour_forms_a_refusal_names_are_accepted(post, sample_body, start, end):
    sample_body["dialingStrategy"]["callingHours"]["days"] = [{"day": "FR", "start": start, "end": end}]
    assert post(sample_body).status_code == 200


def test_a_24_hour_time_refused_by_a_pattern_of_another_form_gets_no_12_hour_form():
    """Only a pattern that takes the 12-hour form is told it: '9:00 AM' would not pass `^[0-9]{2}:[0-9]{2}$`."""
    pattern = "^[0-9]{2}:[0-9]{2}$"
    validator = validation.SchemaValidator({"type": "object", "properties": {"at": {"pattern": pattern}}})
    [violation] = validator.violations({"at": "9:00"})
    assert str(violation) == f"at must match the pattern {pattern} (got '9:00')"


@pytest.mark.parametrize(("sent", "read"), [("2026-11-26T10:30:00+01:00", "2026-11-26T10:30:00 01:00"),
                                            ("2026-11-26T10:30:00.5+05:30", "2026-11-26T10:30:00.5 05:30")])
def test_a_since_whose_plus_was_read_as_a_space_is_told_to_send_it_as_2b(client, sent, read):
    """A + in a query string is a space (HTML forms' encoding, which werkzeug reads): `since=...+01:00` typed into a
    curl URL, as the refusal's own example writes it, was refused showing a space and saying nothing of why."""
    response = client.get(f"/__admin/requests?since={sent}")
    assert response.status_code == 400
    assert response.get_json()["errors"] == [{
        "msg": "since query parameter must be an RFC 3339 time, e.g. 2026-11-26T09:30:00Z or"
               f" 2026-11-26T10:30:00.5+01:00 (got {read!r}: a + in a query string is read as a space; send it as"
               " %2B)",
        "code": 4000, "field": "since"}]
    assert client.get(f"/__admin/requests?since={sent.replace('+', '%2B')}").status_code == 200


@pytest.mark.parametrize("ttl", ["1_0", "+5", "\u0661\u0660", "1e3", "", "abc"])
def test_a_token_ttl_is_a_whole_number_of_seconds_in_ascii_digits(ttl, capsys):
    """argparse's int() took `1_0` as 10, `+5`, and Arabic-Indic digits, which `--seed` and every number the admin
    API reads refuse: a typo minted a token with another lifetime than meant."""
    with pytest.raises(SystemExit) as stopped:
        cli.main(["token", "--ttl", ttl])
    assert stopped.value.code == 2
    assert "--ttl" in capsys.readouterr().err


@pytest.mark.parametrize(("ttl", "lasts"), [("-60", -60), (" 60 ", 60), ("3600", 3600)])
def test_a_token_ttl_sets_exp_that_many_seconds_after_iat(ttl, lasts, capsys):
    assert cli.main(["token", "--ttl", ttl]) in (0, None)
    claims = jwt.decode(capsys.readouterr().out.strip(), options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == lasts


def test_a_read_waits_for_other_workers_batches_a_second_at_most_when_the_wall_clock_steps_back(workers,
                                                                                               monkeypatch):
    """The wait was measured on the wall clock: stepped back an hour (NTP, a VM resumed) while a read waited for a
    batch another worker held, the read waited until that batch was written, however long."""
    first, second = workers
    monkeypatch.setattr(first._journal, "_delay", 5.0)  # held for 5 s
    first.record(JournalEntry(method="GET", path="/held", query="", headers={}, body="", status=404, errors=[],
                              latency_ms=1.0, at="2020-01-01T00:00:00.000Z"))
    real, calls = time.time, []

    def stepped_back() -> float:
        calls.append(1)
        return real() - (0 if len(calls) == 1 else 3600)

    monkeypatch.setattr(store_module.time, "time", stepped_back)
    started = time.monotonic()
    second.count_journal()
    assert time.monotonic() - started < store_module.BATCH_WAIT_S * 2


@pytest.mark.parametrize("field", ["createdAt", "updatedAt"])
@pytest.mark.parametrize("value", ["Thu, 04 Dec 2025 10:50:56 GMT", "2025-12-04 10:50:56", "1764845456762",
                                   "2025-12-04T10:50:56.762"])
def test_the_contract_suite_holds_created_and_updated_at_to_an_iso_8601_time(field, value):
    """The page gives both as "(ISO 8601)", which no schema said: a service answering `Thu, 04 Dec 2025 10:50:56 GMT`
    passed every contract check. They are RFC 3339 date-times now (JSON Schema's ISO 8601 profile, which the sample's
    2025-12-04T10:50:56.762Z is), checked as the admin API's `since` is read."""
    checker = load_suite().checker
    document = copy.deepcopy(checker.sample_response)
    document["data"][field] = value
    problems = checker.problems("(body)", Expectation(200), Response(200, document, "", 1.0),
                                {"name": document["data"]["name"]})
    assert [p.field for p in problems] == [f"data.{field}"], problems
    assert "must be an RFC 3339 time" in problems[0].message


def test_the_response_schema_declares_created_and_updated_at_date_times(contract):
    data = contract.response["properties"]["data"]["properties"]
    assert data["createdAt"]["format"] == data["updatedAt"]["format"] == "date-time"


def test_a_rate_limit_window_does_not_outlast_a_wall_clock_stepped_back(tmp_path, make_app):
    """A window ended `period` seconds after its start on the wall clock: stepped back an hour (NTP, a resumed VM),
    every request counted in the window open before the step, so an account over its limit was refused for an hour
    while Retry-After said 60 s."""
    store = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")}).extensions["mock"].store
    rate = RateLimit(2, 60)
    assert count(rate, store, "acc", now=10_002.0).exceeded is False
    assert count(rate, store, "acc", now=10_003.0).exceeded is False
    assert count(rate, store, "acc", now=10_004.0).exceeded
    assert count(rate, store, "acc", now=10_004.0 - 3600) == Count(limit=2, hits=1, reset=60)
    assert count(rate, store, "acc", now=10_005.0 - 3600).hits == 2  # the new window counts as any does


def test_the_contract_suite_asks_the_service_whether_zone_names_are_case_sensitive():
    """The mock refuses `america/new_york` (a README assumption); a case of the suite lets a run against the service
    show whether it agrees, as the other zone assumptions' cases do."""
    [case] = [case for case in load_suite().cases if case.id == "semantic/timezone-wrong-case"]
    assert case.request["set"] == {"dialingStrategy.callingHours.timezone": "america/new_york"}
    assert case.expect.status == 400


def test_entries_answered_after_a_clear_are_kept_when_the_wall_clock_steps_back(tmp_path, monkeypatch, make_app):
    """A clear drops the entries other workers still held, by comparing each entry's time with the clear's: with the
    wall clock stepped back after the clear (NTP, a resumed VM), every request answered until it caught up again was
    dropped from the journal too, without a word."""
    client = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")}).test_client()
    client.get("/before-the-clear")
    assert client.delete("/__admin/requests").status_code == 200
    monkeypatch.setattr("mockserver.routes.journal.timestamp", lambda *args: "2000-01-01T00:00:00.000Z")
    client.get("/after-the-clear")
    monkeypatch.undo()
    assert [entry["path"] for entry in client.get("/__admin/requests").get_json()["requests"]] == ["/after-the-clear"]


@pytest.mark.parametrize("zone", ["localtime", "right/UTC", "posixrules", "../etc/passwd"])
def test_only_iana_zone_names_are_time_zones(post, sample_body, zone):
    sample_body["dialingStrategy"]["callingHours"]["timezone"] = zone
    assert post(sample_body).status_code == 400
