"""A client of the mock or the service over requests (the contract suite, `mockserver journal`): its checks before the
first request, a session that follows no redirect, and what the user is told when a request gets no answer.

The base URL, the proxy and the CA bundle are checked up front; an answer that never came is told by its innermost
reason, the proxy it went through and what to do about a certificate.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mockserver.errors import ToolError
from mockserver.redaction import redact_url
from mockserver.regular_files import not_regular
from mockserver.shown_text import clipped

CA_BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")  # what requests reads, in its order
# The proxy schemes requests speaks (socks ones with PySocks installed).
PROXY_SCHEMES = ("http", "https", "socks4", "socks4a", "socks5", "socks5h")
OPENSSL_CA_VARIABLES = ("SSL_CERT_FILE", "SSL_CERT_DIR")  # what OpenSSL, curl and Python's ssl read; requests does not
MAX_BUNDLE_BYTES = 16 * 1024 * 1024  # certifi's bundle is about 300 KB; a PEM certificate is looked for this far
PEM_CERTIFICATE = (b"-----BEGIN CERTIFICATE-----", b"-----BEGIN TRUSTED CERTIFICATE-----")
UNTRUSTED_CERTIFICATE = ("a self-signed certificate, or one from a private CA? point REQUESTS_CA_BUNDLE at a PEM"
                         " file that trusts it, e.g. REQUESTS_CA_BUNDLE=path/to/ca.pem")


def check_base_url(url: str, what: str = "base URL") -> None:
    """An http(s) URL with a host (and a valid port, if any) and no query or fragment, or a ToolError naming what is
    wrong with it: a service's base URL (the contract suite's), or a mock's (`mockserver journal --url`)."""
    if any("\udc80" <= char <= "\udcff" for char in url):  # bytes the locale's encoding could not read (LANG=C)
        shown = os.fsencode(url).decode("utf-8", "backslashreplace")
        raise ToolError(f"{what} '{redact_url(shown)}' holds bytes this locale's encoding cannot read (LANG=C?): give"
                        " it in ASCII, a host beyond ASCII in its xn-- form and a path's other characters %-encoded")
    shown = clipped(redact_url(url), 202)  # as typed, its password hidden; a pasted file cut short
    if any(char.isspace() or not char.isprintable() for char in url):  # urlsplit drops some, requests fails later
        raise ToolError(f"{what} {shown} has white space or a control character in it (a CI variable read"
                        " with its line end?): give the address alone")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not 0-65535
    except ValueError as exc:
        raise ToolError(f"{what} {shown} is not a URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ToolError(f"{what} {shown} must be http:// or https:// and name a host,"
                        " e.g. http://127.0.0.1:8080")
    if "?" in url or "#" in url:  # each case's path goes after the base URL: behind a query it reaches nothing
        raise ToolError(f"{what} {shown} must not have a query (?...) or fragment (#...): give the"
                        " service's address alone, e.g. http://127.0.0.1:8080")


def unredirected_session() -> Any:
    """A requests.Session that never follows a redirect, nor reads a Location: neither the API nor the admin API
    redirects, so a 3xx is what something in front of them answers, and is handed back as it came. requests read a
    redirect's Location even when told not to follow it, and one that is no URL ("http://[::1") raised a ValueError
    no caller expected: a traceback from `mockserver journal`, an error in every contract case."""
    import requests  # here: `mockserver serve` imports this module in gunicorn's master, which needs no requests

    class Unredirected(requests.Session):
        def get_redirect_target(self, resp: Any) -> None:  # requests' hook: None is "no redirect here"
            return None

    return Unredirected()


def reason(exc: BaseException) -> str:
    """The innermost reason of a requests error ("Connection refused"), without the pool and URL around it."""
    cause: Any = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    cause = getattr(cause, "reason", None) or cause
    if len(getattr(cause, "args", ())) > 1 and isinstance(cause.args[1], BaseException):
        cause = cause.args[1]
    args = getattr(cause, "args", ())
    if len(args) > 1 and isinstance(args[-1], str) and not isinstance(args[0], int | str):  # (connection, message)
        return args[-1][:200]  # a connect timeout's: its str() is the tuple, with the connection's repr
    return str(cause).rsplit("): ", 1)[-1][:200]


def proxy_route(url: str, session: Any = None) -> str:
    """" through the proxy P (VARIABLE; ...)" when requests sends a request for `url` through a proxy the
    environment names (HTTPS_PROXY, HTTP_PROXY or ALL_PROXY, any case, unless NO_PROXY lists the host), its
    credentials `***`; "" when it goes direct, as `session`'s requests do when it does not read the environment
    (trust_env false). A failure of the proxy's reads as one of the target's otherwise."""
    import requests

    if session is not None and not session.trust_env:
        return ""
    proxy = requests.utils.select_proxy(url, requests.utils.get_environ_proxies(url))
    if not proxy:
        return ""
    variable = proxy_variable(url, proxy)
    return f" through the proxy {redact_url(proxy)} ({variable}; NO_PROXY lists the hosts reached directly)"


def proxy_variable(url: str, proxy: str) -> str:
    """The variable that names `proxy` for `url`: its scheme's (HTTPS_PROXY, any case) before ALL_PROXY."""
    scheme = urlsplit(url).scheme.lower()
    chosen = [name for name, value in os.environ.items()
              if name.lower() in (f"{scheme}_proxy", "all_proxy") and value == proxy]
    return min(chosen, key=lambda name: (name.lower() != f"{scheme}_proxy", name), default="the environment")


def check_proxy(url: str) -> None:
    """The proxy the environment names for `url` (as proxy_route finds it) must be a URL requests can use: a port
    that is not a number, no host or a scheme it does not speak fails every request, found at the first one."""
    import requests
    from urllib3.exceptions import LocationParseError
    from urllib3.util import parse_url

    proxy = requests.utils.select_proxy(url, requests.utils.get_environ_proxies(url))
    if not proxy:
        return
    shown = f"{proxy_variable(url, proxy)} {redact_url(proxy)!r}"
    not_a_url = f"{shown} is not a proxy's URL (a host, and a port that is a number)"
    try:  # as requests reads it: without a scheme, http://
        parts = parse_url(requests.utils.prepend_scheme_if_needed(proxy, "http"))
    except LocationParseError:  # its words quote the value, credentials and all
        problem: str | None = not_a_url
    else:
        scheme = (parts.scheme or "").lower()
        if scheme not in PROXY_SCHEMES:
            problem = f"{shown} has the scheme {scheme}://, which requests cannot use for a proxy"
        elif not parts.host:
            problem = f"{shown} names no host"
        elif not all(char.isprintable() and not char.isspace() for char in parts.host):
            problem = not_a_url  # urllib3 2.0 parses a host with spaces; every request then fails
        else:
            problem = None
    if problem:
        raise ToolError(f"{problem}: give the proxy as http://host:port (http://user:password@host:port for one that"
                        " wants credentials; socks5h://host:port with PySocks)")


# What OpenSSL says of a certificate no trusted CA vouches for, and of one that names other hosts.
UNTRUSTED_WORDS = ("self-signed certificate", "self signed certificate", "unable to get local issuer certificate",
                   "unable to get issuer certificate")
MISMATCH_WORDS = ("Hostname mismatch", "IP address mismatch", "doesn't match")
PLAIN_HTTP_WORDS = ("WRONG_VERSION_NUMBER", "wrong version number", "record layer failure")


def untrusted_certificate(exc: BaseException) -> bool:
    """Whether a request failed because this machine does not trust the server's certificate."""
    import requests

    said = str(exc)
    return (isinstance(exc, requests.exceptions.SSLError) and "CERTIFICATE_VERIFY_FAILED" in said
            and any(words in said for words in UNTRUSTED_WORDS))


def untrusted_advice(env: Mapping[str, str]) -> str:
    """What to do about a certificate no CA requests trusts vouches for, given the CA variables set: the bundle
    named does not trust it, or the one named is where OpenSSL and curl look but requests does not."""
    for name in CA_BUNDLE_VARIABLES:
        if env.get(name):
            return (f"{name} names {env[name]}, which does not trust it: add the CA that issued the server's"
                    " certificate to that file")
    for name in OPENSSL_CA_VARIABLES:
        if env.get(name):
            return (f"{name} is set, but requests does not read it: set REQUESTS_CA_BUNDLE={env[name]} to trust the"
                    " CAs it names")
    return UNTRUSTED_CERTIFICATE


def tls_advice(exc: BaseException) -> str | None:
    """What to do about a TLS failure: trust the certificate, name the host it names, or speak plain HTTP to a
    plain-HTTP port; None for any other failure."""
    import requests

    if not isinstance(exc, requests.exceptions.SSLError):
        return None
    said = str(exc)
    if untrusted_certificate(exc):
        return untrusted_advice(os.environ)
    if "CERTIFICATE_VERIFY_FAILED" in said and any(words in said for words in MISMATCH_WORDS):
        url = exc.request.url if exc.request is not None else None
        host = urlsplit(url).hostname if url else None
        return (f"the certificate does not name {host or 'that host'}: give the address by a name the certificate"
                " names, or have the service's certificate name that one")
    if any(words in said for words in PLAIN_HTTP_WORDS):
        return "that port answers plain HTTP, not TLS: give the address with http://"
    return None


def check_ca_bundle(url: str, env: Mapping[str, str], whose: str = "the target's") -> None:
    """For an https:// URL, the CA bundle requests is told to use must exist: otherwise every request raises."""
    if not url.lower().startswith("https://"):
        return
    for name in CA_BUNDLE_VARIABLES:
        path = env.get(name)
        if path and not Path(path).exists():
            raise ToolError(f"{name} names {path}, which does not exist: point it at a PEM file that trusts {whose}"
                            " certificate, or unset it to use requests' own bundle")
        if path and (why := not_regular(path)) is not None:  # a named pipe held every request, waiting for a writer
            raise ToolError(f"cannot read {name}: {why}", where=path)
        if path and Path(path).is_file() and not holds_pem_certificate(Path(path)):
            raise ToolError(f"{name} names {path}, which holds no PEM certificate (-----BEGIN CERTIFICATE-----): point"
                            f" it at a PEM file that trusts {whose} certificate (openssl x509 -inform der -in ca.der"
                            " -out ca.pem converts a DER one)")
        if path:  # requests reads the first one set alone
            return


def holds_pem_certificate(path: Path) -> bool:
    """Whether a CA bundle file holds a PEM certificate; one that cannot be read is left to say so when used."""
    try:
        with path.open("rb") as file:
            return any(marker in file.read(MAX_BUNDLE_BYTES) for marker in PEM_CERTIFICATE)
    except OSError:
        return True
