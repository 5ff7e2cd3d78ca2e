"""POST /campaign/api/v2/public/<streamId>/campaign: the endpoint this project imitates.

Its method and path are the generated endpoint.json's, as the contract suite and the OpenAPI document read them, so
that a page that moves the endpoint moves the mock once `mockserver schemas` has run; a path whose parameters are
not the one the checks read (the stream) is refused in one line.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, current_app, g, jsonify, request

from mockserver import intake
from mockserver.contract import Contract
from mockserver.errors import ConfigError
from mockserver.failures import failure, listed
from mockserver.intake import Refusal
from mockserver.responses import Facts, lowercased, success
from mockserver.semantics import campaign_type_errors, dialing_mode_error, reference_errors, time_order_errors
from mockserver.store import DuplicateName
from mockserver.validation import field_order

STREAM = "streamId"  # the path's one parameter, which intake.check_scope reads as the stream
BLUEPRINT, VIEW = "campaigns", "create_campaign"
ENDPOINT = f"{BLUEPRINT}.{VIEW}"  # Flask's name for the endpoint (request.endpoint), as blueprint() names it


def route(contract: Contract) -> tuple[str, str]:
    """(Flask rule, method) of the endpoint endpoint.json describes; ConfigError if the mock cannot serve it."""
    template = contract.endpoint["pathTemplate"]
    names = re.findall(r"\{(\w+)\}", template)
    if names != [STREAM]:
        named = ", ".join(repr(name) for name in names) or "none"
        where = str(contract.folder / "endpoint.json") if contract.folder else "endpoint.json"
        raise ConfigError(f"the mock serves a path with one parameter, {STREAM!r} (it names {named}): the page changed"
                          " what the endpoint takes, which the mock's code has to follow"
                          " (mockserver/routes/campaigns.py)", where=where)
    return template.replace(f"{{{STREAM}}}", "<stream_id>"), contract.endpoint["method"]


def blueprint(contract: Contract) -> Blueprint:
    rule, method = route(contract)
    bp = Blueprint(BLUEPRINT, __name__)
    bp.add_url_rule(rule, VIEW, create_campaign, methods=[method])
    return bp


def _validated_body(mock: Any, stream_id: str) -> tuple[dict[str, Any], Any]:
    req = request._get_current_object()  # the proxy costs a lookup per use, and this is the hot path
    who = intake.caller(req, mock.tenant, mock.tokens)
    intake.check_scope(req, stream_id, who)
    intake.check_query(req)
    if mock.parameters is not None:  # None on the vendor's page as it is: it declares only the hand-checked ones
        mock.parameters.check(req)
    try:
        g.raw_body = intake.read_raw(req, mock.max_body, mock.idle_timeout, mock.body_timeout)
    except intake.CutShort as cut:  # journaled with what came (a reset or a chunked body's cut loses it: null)
        g.raw_body = cut.received
        raise
    if not g.raw_body:
        intake.check_framed(req)
    body = intake.parse_object(g.raw_body, req.mimetype_params.get("charset"), req.content_length)
    violations = mock.request_validator.violations(body)
    if violations:
        items = [failure("body.invalid").item(v.field, rule=v.rule) for v in violations]
        raise Refusal("body.invalid", listed(items, violations.cut))
    mode_error = dialing_mode_error(body)
    if mode_error:
        raise Refusal("body.dialing_mode", [mode_error])
    problems = campaign_type_errors(body) + time_order_errors(body)
    problems += reference_errors(body, mock.references, who.account)
    if problems:
        problems.sort(key=lambda item: field_order(item["field"]))
        raise Refusal("body.unknown_reference", listed(problems))
    return body, who


def create_campaign(stream_id: str):
    mock = current_app.extensions["mock"]
    body, who = _validated_body(mock, stream_id)
    account_id, lname = who.account.account_id, lowercased(body["name"])
    facts = Facts(body=body, account=who.account, campaign_id=mock.campaign_id(account_id, lname),
                  now=mock.now())
    data = mock.shape(body, facts)
    try:
        mock.store.add_campaign(account_id, stream_id, lname, data)
    except DuplicateName as exc:
        bare_id = exc.held_id or "<id>"  # the campaign that held the name as the create was refused
        raise Refusal("campaign.duplicate", field="name", name=repr(body["name"]), id=repr(bare_id),
                      bare_id=bare_id) from None
    return jsonify(success(data))
