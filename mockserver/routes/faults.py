"""/__admin/faults: fault rules that every worker applies (mockserver.faults has the syntax and matching)."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from mockserver import faults, intake, path_glob, rule_paths, rule_sent_back
from mockserver.faults import FaultError, rule_from_json
from mockserver.intake import Refusal
from mockserver.routes.admin import check_no_body, check_parameters, path_id, text_filter
from mockserver.routes.admin_auth import own_origin_only
from mockserver.routes.errors import refused
from mockserver.routes.unknown_account import with_warnings
from mockserver.send_instead import got, send_instead
from mockserver.shown_text import clipped, sent

bp = Blueprint("faults", __name__, url_prefix="/__admin/faults")
bp.before_request(own_origin_only)  # first: a page on another origin changes nothing
bp.before_request(check_parameters)  # only DELETE /__admin/faults takes one, accountId
bp.before_request(check_no_body)  # the DELETEs


RULE_ID = "a fault rule's id, a whole number from 0 to 2**63-1"  # MAX_ID; what a rule's id must be, as refused


def _store():
    return current_app.extensions["mock"].store


def _rule_id(raw: str) -> int:
    """A rule's id from the path; one beyond MAX_ID, the admin document's maximum, is refused as `-1` is, as a journal
    entry's is (it was deleted as no rule, and replaced as 404 "No fault rule", as if it could have been given)."""
    rule_id = path_id(raw, "ruleId", RULE_ID, lowest=0)
    if rule_id is None:
        raise Refusal("admin.id", field="ruleId", wanted=RULE_ID, got=clipped(raw, 42))
    return rule_id


@bp.get("")
def list_rules():
    return jsonify({"rules": _store().fault_rules()})


def _rule() -> dict[str, Any]:
    """The rule a request's body gives, checked as every rule is; FaultError when it is wrong."""
    mock = current_app.extensions["mock"]
    # read and parsed as the endpoint's body is (content coding, size, timeouts, nesting), whatever the
    # Content-Type: `curl -d` sends a form type
    intake.check_codings(request)
    raw = intake.read_body(request, mock.max_body, mock.idle_timeout, mock.body_timeout)
    if not raw:
        intake.check_framed(request)  # a body sent without Content-Length is named as such, not read as a request
    # a body of white space alone is no rule either: parse_json's "the body is empty" says to send a campaign
    rule = rule_from_json(intake.parse_json(raw, request.mimetype_params.get("charset")) if raw.strip() else None)
    _check_account(rule["accountId"], mock.tenant)
    return rule


def _answer(stored: dict[str, Any], rule: dict[str, Any], replaced: bool = False) -> dict[str, Any]:
    """The stored rule as answered, with `warnings` when it can fault nothing a tester likely meant: kept (a client
    may call that path; the rule before it may go), but a tester whose test passed for want of a fault is told; and
    when a field it was sent back with was set otherwise (mockserver.rule_sent_back)."""
    found = (_method_warnings(rule["method"]) + _path_warnings(rule) + _shadowed(stored)
             + rule_sent_back.warnings(rule["sentBack"], stored, replaced))
    return {**stored, "warnings": found} if found else stored


# The methods HTTP defines (RFC 9110, PATCH's RFC 5789): another is kept (PURGE, a server's own), but one spelt near
# one of these (PSOT, GTE) is likely a typo, and its rule would fault no request a client sends
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")


def _method_warnings(method: str | None) -> list[str]:
    import difflib  # here, as mockserver.errors does: only a rule with an unknown method needs it

    near = difflib.get_close_matches(method, HTTP_METHODS, 1, 0.6) if method and method not in HTTP_METHODS else []
    return [f"method is none of the methods HTTP defines"
            f" {got(sent(method), send_instead(['it looks misspelt'], json.dumps(near[0])))}"] if near else []


def _path_warnings(rule: dict[str, Any]) -> list[str]:
    """A path, matched whole, that can match no create though it looks meant for one (`/campaign`), and one with
    %-escapes, for any method, which matches only a request that sent them encoded twice. A rule for another method
    than a create's is not about creates."""
    mock = current_app.extensions["mock"]
    endpoint = mock.contract.endpoint
    create = (rule_paths.CreatePath.of(endpoint["pathTemplate"]) if rule["method"] in (None, endpoint["method"])
              else None)
    streams = {stream for account in mock.tenant.accounts for stream in account.streams}
    return rule_paths.warnings(rule["path"], create, streams)


def _shadowed(stored: dict[str, Any]) -> list[str]:
    """A rule that never applies while an earlier one stays: only the first rule that matches and fires applies, so
    a catch-all left from an earlier test (`{"fault": "latency=100"}`, no count) hides every rule added after it."""
    rules = _store().fault_rules()
    place = next((at for at, each in enumerate(rules) if each["id"] == stored["id"]), 0)
    first = next((each for each in rules[:place] if _covers(each, stored)), None)
    if first is None:
        return []
    return [f"fault rule {first['id']} comes first and meets every request this one does, every time (no count,"
            f" probability 1): this one applies only once rule {first['id']} is removed (DELETE"
            f" /__admin/faults/{first['id']}) or narrowed"]


def _covers(first: dict[str, Any], rule: dict[str, Any]) -> bool:
    """Whether `first` meets every request `rule` matches, each time: no count, probability 1, and a method, path and
    account that take all of the rule's (a glob that matches every path the rule's does: `/campaign/*` before
    `/campaign/api/*`, `/campaign/*/x` before `/campaign/a/*/x`)."""
    return (first["remaining"] is None and first["probability"] >= 1 and path_glob.covers(first["path"], rule["path"])
            and first["method"] in (None, rule["method"]) and first["accountId"] in (None, rule["accountId"]))


@bp.post("")
def add_rule():
    try:
        rule = _rule()
        _refuse(rule_sent_back.id_in_post(rule["sentBack"].get("id"), lambda held: _store().fault_rule(held)))
    except FaultError as exc:
        return refused(400, exc.items("rule"))
    stored = _store().add_fault_rule(rule, most=faults.MAX_RULES)
    if stored is None:
        raise Refusal("admin.fault_rules_full", most=faults.MAX_RULES)
    return jsonify(_answer(stored, rule)), 201


# Why no rule has an id: ids are never given twice, so it was removed (by its DELETE, a clear or a reset) or not given
NO_RULE = ": it was removed (by a DELETE or a reset) or never given (GET /__admin/faults lists the rules)"


@bp.get("/<raw_id>")
def one_rule(raw_id: str):
    """One fault rule, as the listing shows it (WireMock's GET /__admin/mappings/{id}, the journal's
    GET /__admin/requests/<id>)."""
    rule_id = _rule_id(raw_id)
    found = _store().fault_rule(rule_id)
    if found is None:
        raise Refusal("admin.not_found", what="fault rule", id=str(rule_id), why=NO_RULE)
    return jsonify(found)


@bp.put("/<raw_id>")
def replace_rule(raw_id: str):
    """As WireMock's PUT /__admin/mappings/{id}: the rule replaced whole, keeping its id; an id no rule has is 404,
    not a rule made under the id the client chose (ids are never given twice)."""
    rule_id = _rule_id(raw_id)
    try:
        rule = _rule()
        sent = rule["sentBack"]
        _refuse(rule_sent_back.id_in_put(sent.get("id"), rule_id))
        # a number `remaining` read with `applied`: not given back once the rule has met requests since
        read = rule_sent_back.guard(sent)
        stored = _store().replace_fault_rule(rule_id, rule, read=read)
        if stored is None and read is not None and (held := _store().fault_rule(rule_id)) is not None:
            _refuse(rule_sent_back.stale(sent, held))
    except FaultError as exc:
        return refused(400, exc.items("rule"))
    if stored is None:
        raise Refusal("admin.not_found", what="fault rule", id=str(rule_id),
                      why=": PUT replaces a rule that exists (POST /__admin/faults adds one)")
    return jsonify(_answer(stored, rule, replaced=True))


def _refuse(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise FaultError(*problems)


def _check_account(account_id: str | None, tenant: Any) -> None:
    """A rule narrowed to an account the tenant lacks would fault nothing (every request naming it is refused
    403 after the fault's turn): most likely a misspelt id, which the tester would take for a client that passed."""
    if account_id is not None and tenant.account(account_id) is None:
        raise FaultError(("accountId", f"{clipped(account_id, 82)} is not an account of the mock's tenant (its"
                                       f" accounts: {tenant.account_list(most=5)}; GET /__admin/tenant lists them)"))


@bp.delete("")
def clear_rules():
    """Every rule removed; with `accountId`, only the rules narrowed to that account."""
    account_id = text_filter("accountId")
    deleted = _store().delete_fault_rules(account_id=account_id)
    return jsonify(with_warnings({"deleted": deleted}, account_id, deleted))


@bp.delete("/<raw_id>")
def delete_rule(raw_id: str):
    return jsonify({"deleted": _store().delete_fault_rules(_rule_id(raw_id))})
