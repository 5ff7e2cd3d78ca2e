"""A team's hand-written stubs carried over as case files, with the mistakes such a move makes: each is told in one
line naming the file, the case and the fix."""

from __future__ import annotations

import json

import pytest

from contract_tests.mistakes import CaseProblems
from contract_tests.suite import load_suite

# id -> (the case as a team writes it, what its line must say after "<file>: case <id>: ")
CARRIED_OVER = {
    "ok": ({"request": {"set": {"name": "{{run.name}}"}}, "expect": {"status": 200}}, None),
    "misspelt-expect": ({"request": {"set": {"priority": "9"}}, "expected": {"status": 400, "fields": ["priority"]}},
                        "unknown keys ['expected'] ('expected' for 'expect'?); expected some of "),
    "stub-response": ({"request": {"set": {"priority": "9"}}, "response": {"status": 400}},
                      "unknown keys ['response'] ('response' for 'expect'?); expected some of "),
    "quoted-status": ({"request": {"set": {"priority": "9"}}, "expect": {"status": "400"}},
                      'expect.status: an HTTP status, 100 to 599 (got "400"; numbers go without quotes: send 400)'),
    "json-pointer": ({"request": {"set": {"/dialingStrategy/maxRingTime": 500}}, "expect": {"status": 400}},
                     "request: '/dialingStrategy/maxRingTime' is a JSON pointer: write the path dotted,"
                     " dialingStrategy.maxRingTime"),
    "path-typo": ({"request": {"set": {"dialingStrategy.maxRingTme": 500}}, "expect": {"status": 400}},
                  "request.set: dialingStrategy.maxRingTme: neither the base request nor the request schema has this"
                  " field (a typo of dialingStrategy.maxRingTime?)"),
    "no-such-day": ({"request": {"remove": ["dialingStrategy.callingHours.days[9]"]}, "expect": {"status": 400}},
                    "request.remove: dialingStrategy.callingHours.days[9]: nothing to remove:"
                    " dialingStrategy.callingHours.days has 5 items, [0] to [4]: no [9]"),
    "fields-on-success": ({"request": {"set": {"name": "{{run.name}}"}}, "expect": {"status": 200, "fields": ["name"]}},
                          "expect.fields: only a refusal (status 400 or above) names fields"),
    "ok-again": ({"request": {"set": {"priority": "0"}}, "expect": {"status": 400, "fields": ["priority"]}}, None),
}


def test_each_mistake_of_a_carried_over_file_is_one_line_naming_file_case_and_fix(tmp_path):
    cases = [{"id": name, "description": "d", "subject": "priority", **body} for name, (body, _) in
             CARRIED_OVER.items()]
    cases.append({**cases[-1], "description": "pasted twice"})  # a case named twice
    (tmp_path / "dialer.json").write_text(json.dumps({"group": "dialer", "description": "ours", "cases": cases}),
                                          encoding="utf-8")
    with pytest.raises(CaseProblems) as refused:
        load_suite(own=(tmp_path,))
    lines = str(refused.value).splitlines()[1:]
    wanted = {name: said for name, (_, said) in CARRIED_OVER.items() if said}
    wanted["ok-again"] = "case id 'dialer/ok-again' is used twice in this file: give one of the two another id"
    assert len(lines) == len(wanted), "\n".join(lines)
    for line in lines:
        name = line.split(": case ", 1)[1].split(": ", 1)[0]
        assert line.startswith(f"  {tmp_path}/dialer.json: case {name}: {wanted[name]}"), line
