"""A case asking to send what no HTTP request can carry is refused as its file is read, in one line naming the file,
the case and the value; before, each of these ended its case in a UnicodeEncodeError (or OverflowError) traceback,
an error of the suite's own, and the run went on."""

from __future__ import annotations

import json

import pytest

from contract_tests.cases import load_cases
from mockserver.errors import ConfigError


def case(**changes) -> dict:
    return {"id": "odd", "description": "d", "subject": "x-ours", "expect": {"status": 200}, **changes}


def write(folder, *cases: dict) -> None:
    (folder / "team.json").write_text(json.dumps({"group": "team", "description": "ours", "cases": list(cases)}),
                                      encoding="utf-8")


LATIN_1 = "a header's value is sent as Latin-1, which stops at U+00FF; to send UTF-8 bytes, write each byte as the"
SURROGATE = "holds a lone UTF-16 surrogate (U+D800), which no request can carry; within a JSON value"
UNSENDABLE = [
    ({"headers": {"X-Ours": "日本"}}, f"request.headers.X-Ours: \"日本\" has '日' (U+65E5), and {LATIN_1}"),
    ({"headers": {"X-Ours": "\ud800"}}, f'request.headers.X-Ours: "\\ud800" {SURROGATE}'),
    ({"headers": {"X-Ö": "1"}}, 'request.headers.X-Ö: "X-Ö" is no header name a request can carry'),
    ({"headers": {"X Ours": None}}, 'request.headers.X Ours: "X Ours" is no header name'),
    ({"headers": {"X-Ours:": "1"}}, 'request.headers.X-Ours:: "X-Ours:" is no header name'),
    ({"headers": {"": "1"}}, 'request.headers.: "" is no header name'),
    ({"headers": {"X-Ours": "a\r\nX-Evil: 1"}}, "request.headers.X-Ours: \"a\\r\\nX-Evil: 1\" holds a line break"),
    ({"headers": {"X-Ours": " a"}}, "request.headers.X-Ours: \" a\" starts with a blank"),
    ({"content_type": "application/json; charset=日本"}, f"request.content_type: \"application/json; charset=日本\" has"
                                                         f" '日' (U+65E5), and {LATIN_1}"),
    ({"query": {"": "x"}}, 'request.query.: "" is no query parameter name: give the parameter its name'),
    ({"query": {"": None}}, 'request.query.: "" is no query parameter name'),
    ({"query": {"trace": "\ud800"}}, f'request.query.trace: "\\ud800" {SURROGATE}'),
    ({"query": {"t\ud800": "1"}}, f'request.query.t\\ud800: "t\\ud800" {SURROGATE}'),
    ({"stream": "st-\ud800"}, f'request.stream: "st-\\ud800" {SURROGATE}'),
    ({"body": {"raw": "[\ud800]"}}, f'request.body.raw: "[\\ud800]" {SURROGATE}'),
    ({"token": {"secret": "s\ud800"}}, f'request.token.secret: "s\\ud800" {SURROGATE}'),
    ({"body": {"pad_to": 2**70}}, "request.body.pad_to: 1180591620717411303424 is over 134,217,728 bytes (128 MiB)"),
]


@pytest.mark.parametrize(("request_", "said"), UNSENDABLE, ids=lambda value: json.dumps(value)[:50])
def test_a_value_no_request_can_carry_is_refused_naming_file_case_and_key(tmp_path, request_, said):
    write(tmp_path, case(request=request_))
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path)
    assert str(refused.value).startswith(f"{tmp_path}/team.json: case odd: {said}"), str(refused.value)


def test_a_before_step_is_held_to_the_same(tmp_path):
    write(tmp_path, case(before=[{"headers": {"X-Ours": "日本"}}]))
    with pytest.raises(ConfigError, match=r"case odd: before\[0\]\.headers\.X-Ours: \"日本\" has '日'"):
        load_cases(tmp_path)
    write(tmp_path, case(before=[{"query": {"": "x"}}]))
    with pytest.raises(ConfigError, match=r'case odd: before\[0\]\.query\.: "" is no query parameter name'):
        load_cases(tmp_path)


def test_the_run_stops_in_one_usage_line_with_no_traceback(run_contract_suite, tmp_path):
    write(tmp_path, case(request={"headers": {"X-Ours": "日本"}}))
    result = run_contract_suite("-q", "--contract-cases", str(tmp_path), "-k", "team/")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: contract suite: {tmp_path}/team.json: case odd: request.headers.X-Ours:*"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_what_a_request_can_carry_is_sent_and_judged(run_contract_suite, tmp_path):
    """Latin-1 in a header (UTF-8 bytes written as Latin-1 characters among it), any Unicode in a query parameter or
    a stream id, a lone surrogate inside a JSON value (sent as its \\u escape, which the mock refuses), a token's
    secret beyond ASCII, the largest padding: each case runs and gets its verdict."""
    write(tmp_path,
          case(id="latin-1-header", request={"headers": {"X-Ours": "café Ã©", "X-Tab": "a\tb"}}),
          case(id="unicode-query", undocumented=["trace"], request={"query": {"trace": "日本 \U0001F600"}}),
          case(id="unicode-stream", request={"stream": "st-日本"}, expect={"status": 403}),
          case(id="escaped-surrogate", subject="name", request={"set": {"name": "n\ud800"}},
               expect={"status": 400, "fields": ["name"]}),
          case(id="secret", request={"token": {"secret": "sécret 日本"}}, expect={"status": 401}))
    result = run_contract_suite("-q", "--contract-cases", str(tmp_path), "-k", "team/")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()[-3000:]
    assert result.parseoutcomes()["passed"] == 5
