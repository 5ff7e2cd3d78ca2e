"""Every way the mock can refuse a request: status, error code and message, in one table.

The vendor documents only the 401 / code 4002 answers ("Invalid SDK credentials", "Invalid JWT token"), in its
general API documentation rather than on the endpoint's page, as it does the envelope and the rate limit.
Every other row is an assumption of this project; the README lists them all (see `failure_table_markdown`).
Errors travel in the vendor's envelope: {"errors": [{"msg": ..., "code": ...}]}. The mock adds "field"
(the dotted path of the offending field) where there is one, so clients and the contract suite can act on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Failure:
    key: str
    status: int
    code: int
    message: str  # str.format template
    documented: bool = False  # True only where the vendor's documentation states it
    sample: dict[str, Any] | None = None  # values for the README's sample message
    headers: dict[str, str] | None = None  # response headers its answer carries, saying what would be accepted

    def sample_message(self) -> str:
        """The message filled with `sample`, as the README's table shows it (`field` where the sample names none)."""
        return self.message.format(**{"field": "field", **(self.sample or {})})

    def sample_item(self) -> dict[str, Any]:
        """The error entry `sample` makes, as the OpenAPI documents show it: naming a field where the sample does."""
        return self.item(**{"field": None, **(self.sample or {})})

    def item(self, field: str | None = None, **params: Any) -> dict[str, Any]:
        entry: dict[str, Any] = {"msg": self.message.format(field=field, **params), "code": self.code}
        if field is not None:
            entry["field"] = field
        return entry


# A connection a fault dropped answers nothing; its journal entry (a 444) carries an error of this code saying which
# drop it was (mockserver.faults), here so that `mockserver journal` can lead a line with it without importing Flask
DROPPED_CODE = 4044  # the 444's, as 4029 is a 429's
RATE_LIMIT_MESSAGE = "You've exceeded the per-minute rate limit. Please wait for sometime before retrying."

_ROWS = [
    # 1. authentication (documented by the vendor)
    Failure("auth.missing", 401, 4002, "Invalid SDK credentials", documented=True),
    Failure("auth.malformed", 401, 4002, "Invalid JWT token", documented=True),
    Failure("auth.signature", 401, 4002, "Invalid JWT token", documented=True),
    Failure("auth.algorithm", 401, 4002, "Invalid JWT token", documented=True),
    Failure("auth.expired", 401, 4002, "Invalid JWT token", documented=True),
    Failure("auth.unknown_app", 401, 4002, "Invalid SDK credentials", documented=True),
    # 2. account, stream and headers
    Failure(
        "header.repeated", 400, 4000, "{field} header is given more than once: give it once",
        sample={"field": "accountid"},
    ),
    Failure("account.missing", 400, 4000, "{field} {where} is required",
            sample={"field": "accountid", "where": "header"}),
    Failure(
        "account.mismatch", 400, 4000,
        "accountId query parameter ({query}) and accountid header ({header}) must be equal",
        sample={"field": "accountid", "query": "'acc-1'", "header": "'acc-2'"},
    ),
    Failure(
        "account.forbidden", 403, 4003,
        "The app of this token does not belong to account {account} but to {own}: send a token of an app of {account}",
        sample={"field": "accountid", "account": "'acc-2'", "own": "'acc-1'"},
    ),
    Failure(
        "stream.forbidden", 403, 4003, "Stream {stream} does not belong to account {account}",
        sample={"field": "streamId", "stream": "'st-x'", "account": "'acc-1'"},
    ),
    Failure("iid.missing", 400, 4000, "iid header is required", sample={"field": "iid"}),
    Failure(
        "iid.mismatch", 400, 4000, "iid header ({iid}) must equal the streamId in the path ({stream})",
        sample={"field": "iid", "iid": "'st-x'", "stream": "'st-y'"},
    ),
    # any other header the generated headers schema declares (mockserver.parameters)
    Failure("header.missing", 400, 4000, "{field} header is required", sample={"field": "x-request-id"}),
    Failure(
        "header.invalid", 400, 4000, "{field} header {rule}",
        sample={"field": "x-request-id", "rule": "must be at most 64 characters (got 65)"},
    ),
    # 3. query
    Failure(
        "query.repeated", 400, 4000, "{field} query parameter is given {count} times: give it once",
        sample={"field": "accountId", "count": 2},
    ),
    Failure(
        "query.campaign_type", 400, 4000, "campaignType query parameter must be 'voice' (got {got})",
        sample={"field": "campaignType", "got": "'sms'"},
    ),
    # any other query parameter the generated query schema declares (mockserver.parameters)
    Failure("query.missing", 400, 4000, "{field} query parameter is required", sample={"field": "region"}),
    Failure(
        "query.invalid", 400, 4000, "{field} query parameter {rule}",
        sample={"field": "region", "rule": "must be one of us, eu, apac (got 'mars')"},
    ),
    # 4. body framing
    Failure(
        "body.media_type", 415, 4015, "Content-Type must be application/json (got {got})",
        sample={"got": "'text/plain'"}, headers={"Accept": "application/json"},  # RFC 9110, 15.5.16
    ),
    Failure(
        "body.content_encoding", 415, 4015,
        "Content-Encoding {got} is not supported: send the JSON body uncompressed",
        sample={"got": "'gzip'"}, headers={"Accept-Encoding": "identity"},  # RFC 7694
    ),
    Failure(
        "body.transfer_coding", 501, 5001,
        "{detail}: send the body chunked, or with a Content-Length; the mock decodes no other transfer coding",
        sample={"detail": "Unsupported transfer coding: 'gzip, chunked'"},
    ),
    Failure("body.too_large", 413, 4013, "Request body exceeds {limit} bytes", sample={"limit": 65536}),
    Failure(
        "body.timeout", 408, 4008,
        "Request body stopped arriving: Content-Length announced {expected} bytes, and no more came for"
        " {seconds} s (does Content-Length describe the body actually sent?)",
        sample={"expected": 1234, "seconds": 5},
    ),
    Failure("body.timeout_chunked", 408, 4008, "Request body stopped arriving: no more of it came for {seconds} s",
            sample={"seconds": 5}),
    Failure(
        "body.too_slow", 408, 4008,
        "Request body did not arrive whole within {seconds} s (it came too slowly; the mock's --body-timeout)",
        sample={"seconds": 20},
    ),
    Failure("body.incomplete", 400, 4000, "Request body ended before it was whole: {detail}",
            sample={"detail": "the connection closed after 8 of the 1000 bytes Content-Length announced"}),
    Failure("body.encoding", 400, 4000, "Request body is not valid UTF-8"),
    Failure(
        "body.charset", 400, 4000,
        "Request body is not valid UTF-8: JSON is read as UTF-8 (RFC 8259) whatever the Content-Type says, so its"
        " charset={charset} is not used",
        sample={"charset": "'utf-16'"},
    ),
    Failure(
        "body.malformed", 400, 4000, "Request body is not valid JSON: {detail}",
        sample={"detail": "Expecting value: line 1 column 1 (char 0)"},
    ),
    Failure(
        "body.not_object", 400, 4000, "Request body must be a JSON object (got {got})",
        sample={"got": "an array"},
    ),
    # 5. schema
    Failure(
        "body.invalid", 400, 4000, "{field} {rule}",
        sample={"field": "dialingStrategy.maxRingTime", "rule": "must be between 5 and 120 (got 121)"},
    ),
    Failure(
        "body.unlisted", 400, 4000, "{count}: an answer lists at most {limit}; correct those and send it again",
        sample={"count": "900 or more violations not listed", "limit": 100},
    ),
    # 6. what JSON Schema cannot say
    Failure(
        "body.time_order", 400, 4000, "{field} start ({start}) must be before end ({end}){why}",
        sample={"field": "dialingStrategy.callingHours.days[0]", "start": "6:00 PM", "end": "9:00 AM", "why": ""},
    ),
    Failure(
        "body.unknown_reference", 400, 4001, "{field} {what} {value} does not exist in this account",
        sample={"field": "contactLists[0]", "what": "contact list", "value": "'Nope'"},
    ),
    Failure(
        "body.unverified_caller_id", 400, 4001, "{field} {value} is not a verified caller ID",
        sample={"field": "dialingStrategy.callerId.phoneNumber", "value": "'+14155550100'"},
    ),
    Failure(
        "body.campaign_type", 400, 4000,
        "campaignType in the body ({got}) must match the campaignType query parameter ('voice')",
        sample={"field": "campaignType", "got": "'sms'"},
    ),
    Failure(
        "body.dialing_mode", 422, 4022,
        "dialingMode {got} is not supported here: this contract covers Progressive mode only",
        sample={"field": "dialingMode", "got": "'Preview'"},
    ),
    Failure(
        "campaign.duplicate", 409, 4009,
        "A campaign named {name} already exists (id {id}): send it under another name, or free this one"
        " (DELETE /__admin/campaigns/{bare_id}; POST /__admin/reset frees all)",
        sample={"field": "name", "name": "'Spring Outreach'", "id": "'cd-c153b645-450c-4263-948f-932242dcb460'",
                "bare_id": "cd-c153b645-450c-4263-948f-932242dcb460"},
    ),
    # the mock's own
    Failure("rate.limited", 429, 4029, RATE_LIMIT_MESSAGE),
    Failure("route.not_found", 404, 4004, "No such endpoint: {method} {path}{near}",
            sample={"method": "GET", "path": "/nope", "near": ""}),
    Failure("route.method", 405, 4005, "Method {method} is not allowed on {path}: send {allowed}",
            sample={"method": "GET", "path": "/campaign/api/v2/public/st-x/campaign", "allowed": "POST"}),
    Failure("admin.parameter", 400, 4000, "{field} query parameter must be a whole number from 0 to {most} (got {got})",
            sample={"field": "limit", "most": 10000, "got": "'all'"}),
    Failure("admin.filter", 400, 4000, "{field} query parameter must be {wanted} (got {got})",
            sample={"field": "status", "wanted": "a status like 409 or a class like 4xx", "got": "'4**'"}),
    Failure("admin.unknown_parameter", 400, 4000, "{method} {path} has no query parameter {names}: {takes}",
            sample={"field": "accountId", "method": "GET", "path": "/__admin/faults", "names": "'accountId'",
                    "takes": "it takes none"}),
    Failure("admin.body", 400, 4000, "{method} {path} takes no body (it sent {framing}){narrowed}",
            sample={"field": "body", "method": "POST", "path": "/__admin/reset", "framing": "Content-Length: 22",
                    "narrowed": ": it is narrowed by its query alone, ?accountId=ID"}),
    Failure("admin.id", 400, 4000, "{field} in the path must be {wanted} (got {got})",
            sample={"field": "requestId", "wanted": "a journal entry's id, a whole number from 1 to 2**63-1",
                    "got": "'abc'"}),
    Failure("admin.unauthorized", 401, 4002,
            "The admin API needs the mock's admin token: send Authorization: Bearer <token> (serve --admin-token)"),
    Failure("admin.cross_origin", 403, 4003,
            "{who} cannot change the admin API: send the request from a script, curl or your test code (no Origin),"
            " or from a page on the mock's own origin, {own}",
            sample={"field": "Origin", "who": "A web page on 'http://evil.example'", "own": "http://localhost:8080"}),
    Failure("admin.not_found", 404, 4004, "No {what} with id {id}{why}",
            sample={"what": "campaign", "id": "'cd-nope'", "why": ""}),
    Failure("admin.fault_rules_full", 409, 4009,
            "The mock holds {most:,} fault rules, the most it keeps: remove some (DELETE /__admin/faults/<id>, or"
            " DELETE /__admin/faults) before adding another", sample={"most": 1000}),
    Failure("fault.forced", 500, 5000, "Injected fault: status {status}", sample={"status": 500}),
    Failure("fault.bad_gateway", 502, 5002, "Bad gateway (injected fault)"),
    Failure("fault.unavailable", 503, 5003, "Service unavailable (injected fault)"),
    Failure("fault.gateway_timeout", 504, 5004, "Gateway timeout (injected fault)"),
    Failure("fault.unauthorized", 401, 4002,
            "X-Mock-Fault needs the mock's admin token here, as the admin API does: send Authorization: Bearer"
            " <token> with it (serve --admin-token)"),
    Failure("fault.invalid", 400, 4000, "{field} not understood: {detail}",
            sample={"field": "X-Mock-Fault",
                    "detail": "unknown directive 'slow' (known: latency, status, drop, retry-after)"}),
    # the HTTP server's, for requests that are not valid HTTP (mockserver.wire)
    Failure("http.malformed", 400, 4000, "Not a valid HTTP request: {detail}",
            sample={"detail": "Invalid HTTP Header: 'CONTENT-LENGTH' (given more than once, not a whole number, or sent"
                              " with Transfer-Encoding)"}),
    Failure("http.line_too_long", 414, 4014, "Request line too long: {detail}",
            sample={"detail": "Request Line is too large (5049 > 4094)"}),
    Failure("http.headers_too_large", 431, 4031, "Request headers too large: {detail}",
            sample={"detail": "limit request headers fields size"}),
    Failure("http.expectation", 417, 4017,
            "Expect {detail} cannot be met: the mock meets only Expect: 100-continue (send that, or no Expect)",
            sample={"detail": "'200-ok'"}),
    Failure("http.version", 505, 5005, "HTTP version {detail} is not supported: send HTTP/1.1",
            sample={"detail": "'HTTP/9.9'"}),
    Failure("http.tls_required", 400, 4000,
            "This port speaks HTTPS (the mock was started with --certfile): send the request to https://, not"
            " http://"),
    Failure("store.unavailable", 503, 5003, "The mock's database cannot be used just now: {detail}",
            sample={"detail": "database or disk is full; the disk that holds it is full: whoever runs the mock can"
                              " free some room, and it answers again once there is"}),
    Failure("internal", 500, 5000, "Internal error in the mock: {detail}", sample={"detail": "KeyError"}),
]

FAILURES: dict[str, Failure] = {row.key: row for row in _ROWS}


def failure(key: str) -> Failure:
    return FAILURES[key]


def error_text(error: Any) -> str:
    """An error entry as one line of text: its message, and after it a 401's hint (which check failed), as the
    request log (`serve -v`) and `mockserver journal` show it."""
    if not isinstance(error, dict):
        return str(error)
    message = str(error.get("msg", error))
    return f"{message}: {error['hint']}" if error.get("hint") else message


def envelope(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"errors": items}


MAX_LISTED = 100  # error entries in one answer: a 60 KB body can break 45,000 rules, for the answer, journal and log


def listed(items: list[dict[str, Any]], cut: bool = False) -> list[dict[str, Any]]:
    """At most MAX_LISTED entries, then one that says how many more there are (`cut`: the search for them stopped
    early, so there may be more than were found)."""
    more = len(items) - MAX_LISTED
    if more <= 0 and not cut:
        return items
    if more <= 0:
        count = "More violations may exist, not searched for"
    elif cut:
        count = f"{more} or more violations not listed"
    else:
        count = f"{more} more violation{'s' * (more != 1)} not listed"
    return [*items[:MAX_LISTED], failure("body.unlisted").item(count=count, limit=MAX_LISTED)]


def failure_table_markdown() -> str:
    """The README's table of failure classes, generated from this module so the two never drift."""
    lines = ["| failure | status | code | sample message | source |", "| --- | --- | --- | --- | --- |"]
    for row in _ROWS:
        msg = row.sample_message()
        source = "vendor" if row.documented else "assumption"
        lines.append(f"| `{row.key}` | {row.status} | {row.code} | {msg} | {source} |")
    return "\n".join(lines)
