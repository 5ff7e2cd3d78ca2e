"""Run one case against the target: send its requests over HTTP, check the answer, remember what it created."""

from __future__ import annotations

import json
import math
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.response import BaseHTTPResponse
from urllib3.util.request import ACCEPT_ENCODING

from contract_tests.calls import RANDOM_PART, Call, build_call, secrets_sent
from contract_tests.cases import Case, Expectation, MissingFact
from contract_tests.checks import (
    MAX_ANSWER_DEPTH,
    Problem,
    Response,
    campaign_id,
    credentials_hint,
    refusal_in_body,
    shown_body,
)
from contract_tests.foreign import PROXY_ANSWERS, is_page, page_answer, proxy_answer
from contract_tests.report import Record, record_for
from contract_tests.suite import Suite
from contract_tests.target import Target, redact_url
from mockserver.client_deadline import Deadline, watched
from mockserver.errors import ToolError
from mockserver.http_client import proxy_route, reason, tls_advice, unredirected_session, untrusted_certificate
from mockserver.redaction import REDACTED, redacted_text
from mockserver.shown_text import clipped, printable
from mockserver.strict_json import depth

TIMEOUT_SECONDS = 30.0  # the default of --contract-timeout
MAX_TIMEOUT_SECONDS = 3600  # its highest: far above it (1e300) the socket's own timeout overflowed, in a traceback
SETUP = Expectation(status=200)
# A rate-limited service answers 429 with Retry-After: that is not a case's outcome, so the runner waits as told
# (capped) and sends the request again.
RATE_LIMIT_RETRIES = 5
MAX_WAIT_SECONDS = 65.0
DEFAULT_WAIT_SECONDS = 1.0  # when Retry-After is absent or not usable


# The first cases that send the run's own token all answered 401: the credentials are wrong (or the service no longer
# takes tokens minted as its page says); every case would fail the same way, so the run stops.
REFUSED_TOKENS_STOP = 3
# So many cases in a row without an answer (timeouts, refused connections), answered by a gateway's page, or still
# rate limited after the waits: the target is down (behind its gateway) or throttling the run, and each further case
# would get no verdict either, so the run stops.
UNANSWERED_STOP = 3
# What a gateway in front of a service answers when the service is away; in the service's error envelope they are the
# service's own answers, and judged as such.
GATEWAY_STATUSES = (502, 503, 504)


class TargetError(ToolError):
    """The target cannot be reached or does not speak HTTP: no verdict on the contract is possible."""

    stops_run = False  # True: no later case can get a verdict either, whatever came before


class CredentialsRefused(TargetError):
    stops_run = True


class Unanswered(TargetError):
    """Several cases in a row got no answer, or stayed rate limited: the rest would too."""

    stops_run = True


class NoVerdict(Exception):
    """The infrastructure got in the way of a case (no answer, a gateway's page, a rate limit that did not lift): the
    case says nothing about the contract either way."""

    def __init__(self, reason: str, unanswered: bool, response: Response | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.unanswered = unanswered  # counts towards UNANSWERED_STOP
        self.response = response


class WrongAddress(TargetError):
    """The base URL is not the API's: it redirects, answers a page rather than JSON, or it sent http:// to a port
    that speaks HTTPS."""

    stops_run = True


# requests' errors for an answer that came but could not be read whole: (why a create may have stored its campaign,
# what the line says of the answer)
UNREADABLE = {
    requests.exceptions.ChunkedEncodingError: ("answer cut short", "was cut short (the connection closed mid-answer)"),
    requests.exceptions.ContentDecodingError: ("answer not decodable",
                                               "could not be decoded (its Content-Encoding does not match its body)"),
}
# The Content-Encodings requests decodes (br and zstd with their optional packages); "" is none given.
DECODED = {"", "identity", *(name.lower() for name in BaseHTTPResponse.CONTENT_DECODERS)}

# What to do about a proxy that refused a CONNECT tunnel with 407.
PROXY_CREDENTIALS = ("the proxy wants credentials: give them in its URL, http://user:password@host:port; one that takes"
                     " only a Windows sign-in, Negotiate or NTLM, needs a local relay that speaks it, such as cntlm or"
                     " px, named in the variable instead")
# Added to the advice on a certificate not trusted, behind a proxy: one that intercepts TLS shows its own.
RE_SIGNED = ("; through a proxy that re-signs TLS, the certificate is the proxy's: trust the CA that signs it (your"
             " network's own), in the same way")
# What servers answer (400) to plain HTTP on a port that speaks HTTPS: the mock's `serve --certfile`, nginx.
PLAIN_HTTP_TO_HTTPS = ("This port speaks HTTPS", "The plain HTTP request was sent to HTTPS port")


@dataclass(frozen=True)
class Created:
    name: str
    campaign_id: str
    case_id: str


@dataclass(frozen=True)
class MaybeCreated:
    """A create that got no clear answer (a 5xx, none at all, or a 2xx without the campaign): the service may have
    stored the campaign before its gateway gave up, so the name is listed at the end and --delete-created looks it
    up."""

    name: str
    case_id: str
    why: str  # "answered 504", "no answer"


@dataclass
class Result:
    case: Case
    skipped: str | None = None
    problems: list[Problem] = field(default_factory=list)
    call: Call | None = None
    response: Response | None = None
    no_verdict: str | None = None  # why the case got no verdict: the infrastructure got in the way
    step: str = ""  # the `before` step whose request `call` is, when one failed ("before[0]")


class Runner:
    """Session-wide: one HTTP session, the run's name prefix, the campaigns created and the report records."""

    def __init__(self, suite: Suite, target: Target, prefix: str, allow_writes: bool,
                 timeout: float = TIMEOUT_SECONDS) -> None:
        self.suite = suite
        self.timeout = timeout
        self.target = target
        self.prefix = prefix
        self.allow_writes = allow_writes
        self.http = watched(unredirected_session())
        # The in-process mock is on 127.0.0.1 in this process: an HTTP_PROXY (without NO_PROXY) cannot reach it.
        self.http.trust_env = not target.is_local
        self.created: list[Created] = []
        self.maybe_created: list[MaybeCreated] = []
        self.records: list[Record] = []
        self.waits: list[float] = []  # seconds waited on 429 answers
        self.answered = 0  # requests the target answered, whatever the status
        self.reached = False  # whether the endpoint has answered anything but 404/405 (its path exists there)
        self.own_token = {"accepted": 0, "refused": 0}  # answers to requests sent with the run's credentials
        self.unanswered = 0  # cases in a row without an answer or still rate limited
        self.stopped: str | None = None  # why the run stopped before its last case

    def close(self) -> None:
        self.http.close()

    def run(self, case: Case) -> Result:
        """The case's result; a TargetError when the run cannot go on (nothing ever answered, a wrong address,
        refused credentials, UNANSWERED_STOP cases in a row unanswered), after recording the case."""
        try:
            result = self._run(case)
        except TargetError as exc:
            if exc.stops_run or not self.answered:
                raise
            result = self._no_verdict(case, NoVerdict(str(exc), unanswered=True))
        except NoVerdict as exc:
            result = self._no_verdict(case, exc)
        else:
            self.unanswered = 0
        self.records.append(record_for(result, self.target, self.suite.checker.sample_response))
        if self.unanswered >= UNANSWERED_STOP:
            raise Unanswered(f"{UNANSWERED_STOP} cases in a row got no answer, a gateway's page or a rate limit that"
                             f" did not lift (last: {result.no_verdict}): the target is down or throttling this run,"
                             " and every further case would get no verdict either; run again later")
        return result

    def _no_verdict(self, case: Case, exc: NoVerdict) -> Result:
        self.unanswered = self.unanswered + 1 if exc.unanswered else 0
        return Result(case, response=exc.response, no_verdict=exc.reason)

    def _run(self, case: Case) -> Result:
        reason = self.skip_reason(case)
        if reason:
            return Result(case, skipped=reason)
        seq = self.suite.numbers[case.id]
        try:
            setup = [build_call(self.suite.base, self.target, step, self.prefix, seq) for step in case.before]
            call = build_call(self.suite.base, self.target, case.request, self.prefix, seq)
        except MissingFact as exc:
            return Result(case, skipped=str(exc))
        unprefixed = self._unprefixed(case, setup, call)
        if unprefixed:
            return Result(case, skipped=unprefixed)
        for index, step in enumerate(setup):  # a failed step's request shown, as a failed case's is
            problems = self._setup(case, step, index)
            if problems:
                return Result(case, problems=problems, call=step, step=f"before[{index}]")
        response = self.send(call, case)
        refused = self._judge_credentials(call, response) if case.expect.status != 401 else None
        self._check_verdict_possible(response)
        problems = self.suite.checker.problems(case.subject, case.expect, response, call.json_body,
                                               call.own_token or refused == "credentials",
                                               mock_only=case.mock_only_refusal and not self.target.is_local,
                                               recipe_refused=refused == "recipe",
                                               credentials_check=self.target.facts.credentials_check)
        return Result(case, problems=problems, call=call, response=response)

    def _unprefixed(self, case: Case, setup: list[Call], call: Call) -> str | None:
        """Why a case is skipped on a remote target that would create a campaign without the run's prefix (a `before`
        step, or a request expecting a 2xx, whose name a case of one's own wrote without `{{run.name}}` first), or
        None: every campaign the suite creates there carries it, for the sandbox's people to tell them apart."""
        if self.target.is_local:
            return None
        creates = [(f"before[{index}]", step) for index, step in enumerate(setup)]
        creates += [("request", call)] if 200 <= case.expect.status < 300 else []
        for where, step in creates:
            name = self._name_sent(step)
            if name is not None and not name.casefold().startswith(self.prefix.casefold()):
                return (f"{where} would create a campaign named {clipped(name, 60)}, without the run's prefix"
                        f" ({RANDOM_PART.sub('ct-<8 hex>-', self.prefix)}) that every campaign the suite creates on"
                        f" {self.target.label} carries: start its name with {{{{run.name}}}}")
        return None

    def _name_sent(self, call: Call) -> str | None:
        """The campaign name a call sends: as the case's changes set it, or in a whole body it sends as written
        (body.json, body.raw), which the changes' name is not (a case's "My campaign" there was sent unprefixed)."""
        if call.campaign_name is not None or call.json_body is not None:
            return call.campaign_name
        try:
            document = json.loads(call.body)
        except (ValueError, RecursionError):  # not JSON: no campaign would be created of it
            return None
        name = document.get(self.suite.base.name_field) if isinstance(document, dict) else None
        return name if isinstance(name, str) else None

    def _judge_credentials(self, call: Call, response: Response) -> str | None:
        """Stop the run when the first requests sent with the run's own token were all refused (REFUSED_TOKENS_STOP).
        What a 401 refused: "credentials" (the run's own token), "recipe" (a case's token recipe signed with the
        run's credentials, which the target refused while it takes the run's own token), or None."""
        if call.run_signed and response.status == 401:
            return self._judge_recipe(response)
        if not call.own_token:
            return None
        self._count_own_token(response.status, response.text)
        return "credentials" if response.status == 401 else None

    def _judge_recipe(self, response: Response) -> str | None:
        """A case's own token recipe, signed with the run's credentials (a `kid` header, another `ttl`), answered 401:
        until the run's own token has been taken, ask the target whether it takes that one (a body that creates
        nothing, `{}`), so that a file of such cases is told that its credentials are refused, and stops as one
        that sends the run's token does, rather than fail each case as if the recipe were at fault."""
        if not self.own_token["accepted"]:
            answer = self._own_token_answer()
            if answer is None or answer.status == 429 or answer.status >= 500:  # no word on the token either way
                return None
            self._count_own_token(answer.status, response.text)  # the case's 401 quoted, as the probe's is alike
        return "credentials" if not self.own_token["accepted"] else "recipe"

    def _count_own_token(self, status: int, text: str) -> None:
        self.own_token["refused" if status == 401 else "accepted"] += 1
        if self.own_token == {"accepted": 0, "refused": REFUSED_TOKENS_STOP}:
            raise CredentialsRefused(
                f"{self.target.label} refused the token on each of the first {REFUSED_TOKENS_STOP} cases that send a"
                f" valid one (401; last: {text[:200].strip()}): {self.target.facts.credentials_check} (if"
                " the credentials are right, the service no longer accepts tokens minted as its page says)")

    def skip_reason(self, case: Case) -> str | None:
        if case.skip:
            return case.skip
        if case.skip_remote and not self.target.is_local:
            return f"runs only on the in-process mock: {case.skip_remote}"
        if case.writes and not self.target.is_local and not self.allow_writes:
            if case.mock_only_refusal and not case.before:  # with before steps, it creates one whatever the answer
                return (f"may create a campaign on {self.target.label}, if it accepts what the mock refuses: pass"
                        " --allow-writes to run it")
            return f"creates a campaign on {self.target.label}: pass --allow-writes to run it"
        return None

    def _setup(self, case: Case, call: Call, index: int) -> list[Problem]:
        """Named by the key the case file gives it (`before[0]`), the answer quoted as a status line quotes it:
        "setup request 1" was counted from 1, and its body ran onto a second line."""
        response = self.send(call, case)
        refused = self._judge_credentials(call, response)
        self._check_verdict_possible(response, f"before[{index}]: ")
        if response.status != SETUP.status:
            hint = credentials_hint(response.status, call.own_token or refused == "credentials",
                                    refused == "recipe", self.target.facts.credentials_check)
            return [Problem(case.subject or "(setup)", f"before[{index}] must succeed first: expected status"
                            f" {SETUP.status}, got {response.status}{shown_body(response.text)}{hint}")]
        refusal = refusal_in_body(response.document, self.suite.checker.sample_response)
        if refusal:  # "status": "failure" in a 200: nothing was created for the case to build on
            return [Problem(case.subject or "(setup)", f"before[{index}] must succeed first: a refusal, not the"
                            f" campaign: {refusal}{shown_body(response.text)}")]
        return []

    def _check_verdict_possible(self, response: Response, step: str = "") -> None:
        """Raise NoVerdict for an answer that is the infrastructure's, not the service's: a 429 that outlasted the
        waits, a gateway status (502, 503, 504) whose body is not the error envelope (a proxy's HTML page), or a page
        where the API answers JSON (a sign-in page, a captive portal, a web filter's block page). A 500 page is
        left to be judged: a service's own failure."""
        if response.status == 429:
            raise NoVerdict(f"{step}still rate limited after {RATE_LIMIT_RETRIES} waits", True, response)
        if response.status in GATEWAY_STATUSES and not self.suite.checker.envelope.is_valid(response.document):
            body = f" (body: {response.text[:120].strip()!r})" if response.text.strip() else ""
            raise NoVerdict(f"{step}gateway {response.status}{body}", True, response)
        if response.status < 500 and response.document is None and is_page(response.content_type, response.text):
            raise NoVerdict(f"{step}{page_answer(response.status, response.content_type, response.text)}", True,
                            response)

    def send(self, call: Call, case: Case) -> Response:
        """Send the call; on 429 wait as the answer says and send it again, a few times at most. A wait longer than
        the suite makes (an hourly quota spent) is no verdict at once: waiting part of it would only end the same."""
        waited = 0
        while True:
            response, wait = self._send_once(call, case)
            if response.status != 429 or wait is None or waited == RATE_LIMIT_RETRIES:
                return response
            if wait > MAX_WAIT_SECONDS:
                raise NoVerdict(too_long_a_wait(wait), True, response)
            waited += 1
            self.waits.append(wait)
            time.sleep(wait)

    def _send_once(self, call: Call, case: Case) -> tuple[Response, float | None]:
        recorded = len(self.created)
        try:
            return self._exchange(call, case)
        except KeyboardInterrupt:  # Ctrl-C while the service may already have stored the campaign: anywhere from
            # the send to the answer's record (one read whole and stored went unlisted, its campaign left behind).
            # Unless this very answer was recorded as created: a setup step's campaign of the same name (a duplicate
            # case's) says nothing of this create, which a service that takes duplicates stores beside it
            if len(self.created) == recorded:
                self._maybe(call, case, "interrupted before its answer")
            raise

    def _exchange(self, call: Call, case: Case) -> tuple[Response, float | None]:
        """The call sent once, its answer read whole and remembered (a campaign created, or maybe created)."""
        started = time.perf_counter()
        deadline, status = Deadline(self.timeout), None  # the connection and the whole answer within the timeout
        try:
            with deadline:
                answer = self.http.request(
                    call.method, call.url, params=call.query, headers=call.headers, data=call.body,
                    timeout=self.timeout, allow_redirects=False, stream=True,  # the head is looked at before the body
                )
                status = answer.status_code
                with answer:  # its connection goes back to the pool once the body is read, or at once if it is not
                    self._check_encoding(answer, call, case)
                    answer.content  # noqa: B018 -- read here, where a body cut short or not decodable is caught
        except (requests.RequestException, OSError) as exc:  # OSError: a CA bundle that went missing
            self._maybe(call, case, UNREADABLE.get(type(exc), ("no answer",))[0])
            raise TargetError(self._not_read(call, exc, status, deadline.passed)) from None
        if deadline.passed:  # a body read to the connection's close, which the deadline cut: only part of it came
            self._maybe(call, case, "answer not whole in time")
            raise TargetError(self._not_in_time(call, status))
        latency = (time.perf_counter() - started) * 1000
        # A target that quotes the token back (in a message, a page) must not put it in a failure, JUnit XML or
        # the report: the answer is read with each credential the call sent `<redacted>`.
        secrets = secrets_sent(call)
        text = without(answer.text, secrets)
        self._check_address(answer, text, call, case)
        self.answered += 1
        if answer.status_code == 413:
            # A server that refuses a body it did not read may drop the connection even while answering
            # "keep-alive" (gunicorn does); the next case must not ride on it.
            self.http.close()
        response = Response(answer.status_code, without(_json(answer), secrets), text[:2000], round(latency, 2),
                            content_type(answer))
        self._remember(response, call, case)
        return response, retry_after(answer)

    def _not_read(self, call: Call, exc: BaseException, status: int | None = None, late: bool = False) -> str:
        """The line for a request that got no answer, or one it could not read whole (`status`: its head came),
        naming the proxy it went through; `late`: the deadline cut it."""
        route = proxy_route(call.url, self.http)
        where = f"{self.target.label}{route}"
        said = f"{type(exc).__name__}: {reason(exc)}{hint(exc, bool(route))}"
        if not connect_timed_out(exc) and (late or isinstance(exc, requests.exceptions.ReadTimeout)):
            return self._not_in_time(call, status)
        if route and connect_timed_out(exc):
            said += (f" (the proxy took no connection within --contract-timeout {self.timeout:g} s: an address this"
                     " network does not reach, or a firewall that drops it?)")
        elif isinstance(exc, requests.exceptions.ConnectTimeout) and not route:
            said += (f" (nothing took the connection within --contract-timeout {self.timeout:g} s: a firewall that"
                     " drops it? On a network whose way out is a proxy, name it in"
                     f" {urlsplit(call.url).scheme.upper()}_PROXY)")
        if type(exc) in UNREADABLE:
            return f"the answer from {where} {UNREADABLE[type(exc)][1]}: {said}"
        return f"no answer from {where}: {said}"


    def _not_in_time(self, call: Call, status: int | None) -> str:
        """The line for an answer that did not come, or not whole, within --contract-timeout."""
        where = f"{self.target.label}{proxy_route(call.url, self.http)}"
        if status is None:
            return f"no answer from {where} within --contract-timeout {self.timeout:g} s: give a slow service more"
        return (f"the answer from {where} ({status}) was not whole within --contract-timeout {self.timeout:g} s, which"
                " bounds the connection and the whole answer (it was still coming in: a link this slow, or a target"
                " that trickles it?): give a slow service more")

    def _check_encoding(self, answer: requests.Response, call: Call, case: Case) -> None:
        """An answer in a Content-Encoding requests cannot decode (br without the brotli package: the suite does not
        ask for it) would be judged as a body that is not JSON: it is the transport's failure, not the service's."""
        encoding = answer.headers.get("Content-Encoding", "")
        if all(part.strip().lower() in DECODED for part in encoding.split(",")):
            return
        self._maybe(call, case, f"answered {answer.status_code} in Content-Encoding {encoding}")
        raise TargetError(f"{self.target.label} answered {answer.status_code} with Content-Encoding"
                          f" {printable(encoding)[:80]!r}, which the suite cannot decode (it asks for"
                          f" {ACCEPT_ENCODING}): a gateway that compresses whatever the client asks for?")

    def _check_address(self, answer: requests.Response, text: str, call: Call, case: Case) -> None:
        """Stop at an answer that says the base URL is not the API's, rather than fail every case alike."""
        if answer.status_code == 407:  # only a proxy answers 407: the request never reached the service
            raise TargetError(self._proxy_wants_credentials(call, answer))
        route = proxy_route(call.url, self.http)
        forwarded = route and urlsplit(call.url).scheme == "http"  # not tunnelled: the proxy may answer it itself
        if forwarded and answer.status_code in PROXY_ANSWERS and _json(answer) is None:  # the API's answers are JSON
            self._maybe(call, case, f"answered {answer.status_code} by the proxy")
            said = proxy_answer(answer.status_code, content_type(answer), text)
            raise TargetError(f"{self.target.label}{route} {said}")
        if not self.reached and answer.status_code in (404, 405) and "stream" not in case.request:
            path = urlsplit(call.url).path
            raise WrongAddress(f"the base URL does not reach the endpoint: {call.method} {path} on {self.target.label}"
                               f" got {answer.status_code} ({text[:120].strip()!r}); give the address the"
                               " service's API paths start from as --base-url (without a path like /api?)")
        self.reached = self.reached or answer.status_code not in (404, 405)
        if 300 <= answer.status_code < 400:  # the API never redirects
            raise WrongAddress(self._redirected(answer, call))
        if not self.answered and _json(answer) is None:
            self._check_first_answer(answer, text, call)
        said = next((words for words in PLAIN_HTTP_TO_HTTPS if words in text), None)
        if answer.status_code == 400 and said:
            https = redact_url(urlunsplit(urlsplit(self.target.base_url)._replace(scheme="https")))
            raise WrongAddress(f"{self.target.label} answers 400, {said!r}: that port speaks HTTPS; give the base"
                               f" URL as {https}")

    def _check_first_answer(self, answer: requests.Response, text: str, call: Call) -> None:
        """A first answer that is not JSON (the API's always is), of a status that says the address is not the API's:
        a 2xx (a sign-in page, a web server's own), or a 401 or 403 (a single sign-on or gateway in front of it) to
        the run's own token; to a request without it, only if the run's token is refused so too."""
        status = answer.status_code
        kind = answer.headers.get("Content-Type") or "no Content-Type"
        if 200 <= status < 300:
            raise WrongAddress(f"{self.target.label} answers {status} with a body that is not JSON ({kind}:"
                               f" {text[:80].strip()!r}): that address is not the API (a sign-in page, a web"
                               " server's own page?); give the service's API address as --base-url")
        if status in (401, 403) and (call.own_token or not self._own_token_answered_json()):
            challenge = answer.headers.get("WWW-Authenticate")
            wants = f"; WWW-Authenticate: {printable(challenge)[:60]}" if challenge else ""
            raise WrongAddress(f"{self.target.label} answers {status} with a body that is not JSON ({kind}:"
                               f" {text[:80].strip()!r}{wants}): the API answers JSON, so something in front of that"
                               " address refuses the run (a single sign-on, a gateway that wants credentials of its"
                               " own?)")

    def _own_token_answered_json(self) -> bool:
        """Whether the target answers JSON to the run's own token (a body that creates nothing, `{}`): then a refusal
        in another form, of a request without that token, is the service's own, and judged as such."""
        answer = self._own_token_answer()
        return answer is not None and answer.document is not None

    def _own_token_answer(self) -> Response | None:
        """The target's answer to the run's own token, sent with a body that creates nothing (`{}`); None without
        one."""
        probe = build_call(self.suite.base, self.target, {"body": {"json": {}}}, self.prefix, 0)
        started = time.monotonic()
        try:
            with Deadline(self.timeout), self.http.request(
                    probe.method, probe.url, params=probe.query, headers=probe.headers, data=probe.body,
                    timeout=self.timeout, allow_redirects=False) as answer:
                return Response(answer.status_code, _json(answer), "", (time.monotonic() - started) * 1000)
        except (requests.RequestException, OSError):
            return None

    def _proxy_wants_credentials(self, call: Call, answer: requests.Response) -> str:
        said = "answered 407 Proxy Authentication Required"
        route = proxy_route(call.url, self.http)
        offered = answer.headers.get("Proxy-Authenticate", "")
        if offered and not re.search(r"(^|,)\s*basic\b", offered, re.IGNORECASE):  # requests gives Basic alone
            variable = f"{urlsplit(call.url).scheme.upper()}_PROXY"
            return (f"{self.target.label}{route} {said}: the proxy wants a sign-in requests cannot give"
                    f" (Proxy-Authenticate: {printable(offered)[:60]}; requests gives Basic alone): run a local relay"
                    f" that speaks it, such as cntlm or px, and name it in {variable}")
        if route:
            return (f"{self.target.label}{route} {said}: the proxy wants credentials; give them in the proxy's URL,"
                    " http://user:password@host:port")
        variable = f"{urlsplit(call.url).scheme.upper()}_PROXY"
        return (f"{self.target.label} {said}: a proxy on the way wants credentials; name it with its credentials in"
                f" {variable}, http://user:password@host:port")

    def _redirected(self, answer: requests.Response, call: Call) -> str:
        """What a redirect says: at the first answer, a wrong address; later, something in front of the API (a
        sign-in that expired). A new --base-url is suggested only for a redirect that keeps the path."""
        location = answer.headers.get("Location", "")
        shown = redacted_text(redact_url(location))  # a sign-in's session or token in the query, a user:password@
        where = f"redirecting to {shown[:200]!r}" if location else "with no Location"
        if self.answered:
            said = (f"{self.target.label} answered {answer.status_code}, {where}, after {self.answered} answer(s)"
                    " that did not redirect")
        else:
            said = f"{self.target.label} answers {answer.status_code}, {where}"
        try:
            sent, went = urlsplit(call.url), urlsplit(urljoin(call.url, location))
        except ValueError:  # a Location that is no URL ("http://[::1")
            sent = went = urlsplit(call.url)
        if location and went.path == sent.path and (went.scheme, went.netloc) != (sent.scheme, sent.netloc):
            base = urlunsplit((went.scheme, went.netloc, urlsplit(self.target.base_url).path.rstrip("/"), "", ""))
            return f"{said}: give --base-url {redact_url(base)}"
        return f"{said}: the API never redirects; is a sign-in page or a proxy in front of that address?"

    def _remember(self, response: Response, call: Call, case: Case) -> None:
        made, came = campaign_id(response.document)
        if 200 <= response.status < 300 and made is not None:
            self.created.append(Created(call.campaign_name or "?", made, case.id))
        elif 200 <= response.status < 300 and refusal_in_body(response.document, self.suite.checker.sample_response):
            return  # a refusal said in a 2xx's body ("status": "failure"): a clear answer that nothing was created
        elif 200 <= response.status < 300:  # not the API's answer: a page, or a document without the campaign
            if response.document is None:
                came = f"a body that is not JSON ({response.content_type or 'no Content-Type'})"
            self._maybe(call, case, f"answered {response.status}: expected the campaign's id as data.id, got {came}")
        elif response.status >= 500:
            self._maybe(call, case, f"answered {response.status}")

    def _maybe(self, call: Call, case: Case, why: str) -> None:
        """Note a request that may have created its campaign although no 2xx said so: one of a case that can create
        (its name carries the run's prefix), answered 5xx or not at all."""
        if call.campaign_name and case.writes and all(m.name != call.campaign_name for m in self.maybe_created):
            self.maybe_created.append(MaybeCreated(call.campaign_name, case.id, why))


def without(found: Any, secrets: list[str]) -> Any:
    """An answer's text, or its parsed JSON (each string in it, keys too), with each of `secrets` `<redacted>`."""
    if not secrets:
        return found
    if isinstance(found, str):
        for secret in secrets:
            found = found.replace(secret, REDACTED)
        return found
    if isinstance(found, dict):
        return {without(key, secrets): without(value, secrets) for key, value in found.items()}
    if isinstance(found, list):
        return [without(item, secrets) for item in found]
    return found


def too_long_a_wait(wait: float) -> str:
    """Why a 429 asking to wait `wait` seconds is no verdict, the wait quoted as asked (65.4 s, not 65 s)."""
    asked = f"{wait:.1f}".rstrip("0").rstrip(".")
    return (f"rate limited: the target asks to wait {asked} s (Retry-After), longer than the {MAX_WAIT_SECONDS:g} s"
            " the suite waits")


def retry_after(answer: requests.Response) -> float | None:
    """Seconds a 429 asks to wait (Retry-After in seconds or as an HTTP date); 1 when absent or not usable (not a
    finite non-negative number nor a date: `nan` made time.sleep raise)."""
    if answer.status_code != 429:
        return None
    seconds = wait_seconds(answer.headers.get("Retry-After", ""))
    return DEFAULT_WAIT_SECONDS if seconds is None else seconds


def wait_seconds(value: str) -> float | None:
    """A Retry-After value in seconds from now, or None when it is neither a usable number nor an HTTP date."""
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds()
        except (TypeError, ValueError):
            return None
        return max(seconds, 0.0)  # a date already past: go on at once
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def connect_timed_out(exc: BaseException) -> bool:
    """Whether a request failed because nothing took its connection in time (to the target or to its proxy: requests
    calls the latter a ProxyError)."""
    seen: BaseException | None = exc
    for _ in range(8):  # requests' error, urllib3's MaxRetryError, its ProxyError, the ConnectTimeoutError
        if seen is None or isinstance(seen, NewConnectionError):  # urllib3 makes a refused connection a timeout's kind
            return False
        if isinstance(seen, ConnectTimeoutError | requests.exceptions.ConnectTimeout):
            return True
        inner = seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None
        found = [getattr(seen, "reason", None), getattr(seen, "original_error", None), inner]  # an SSL reason is a str
        seen = next((error for error in found if isinstance(error, BaseException)), None)
    return False


def hint(exc: BaseException, through_proxy: bool = False) -> str:
    """What to do about a failure the message alone does not explain."""
    advice = tls_advice(exc)
    if advice and through_proxy and untrusted_certificate(exc):
        advice += RE_SIGNED
    if isinstance(exc, requests.exceptions.ProxyError) and "407 Proxy Authentication Required" in str(exc):
        advice = PROXY_CREDENTIALS  # a CONNECT refused: requests keeps no Proxy-Authenticate to say more by
    if isinstance(exc, requests.exceptions.InvalidSchema) and "SOCKS" in str(exc):  # a socks5:// proxy variable
        advice = "a SOCKS proxy needs PySocks: pip install 'requests[socks]'"
    return f" ({advice})" if advice else ""


def content_type(answer: requests.Response) -> str:
    """The answer's Content-Type as it says it, "" without one."""
    return answer.headers.get("Content-Type", "")


def _json(answer: requests.Response) -> Any:
    try:
        document = answer.json()
    except (ValueError, RecursionError):  # RecursionError: nested past the parser's limit
        return None
    return None if depth(document) > MAX_ANSWER_DEPTH else document
