"""`mockserver parity` between the mock and a service that, like the vendor, sends no error `field` or `hint`."""

from __future__ import annotations

import json

from mockserver.cli import main
from mockserver.testing import serve


def without_field_and_hint(app):
    """The mock behind a front that strips `field` and `hint` from its error envelopes, as the vendor's page shows."""

    def middleware(environ, start_response):
        answered = {}

        def keep(status, headers, *exc_info):
            answered.update(status=status, headers=headers)

        body = b"".join(app(environ, keep))
        document = json.loads(body) if body.startswith(b"{") else None
        if isinstance(document, dict) and isinstance(document.get("errors"), list):
            document["errors"] = [{k: v for k, v in item.items() if k not in ("field", "hint")}
                                  for item in document["errors"]]
            body = json.dumps(document).encode()
        headers = [(k, v) for k, v in answered["headers"] if k.lower() != "content-length"]
        start_response(answered["status"], [*headers, ("Content-Length", str(len(body)))])
        return [body]

    return middleware


def test_a_target_without_error_field_members_does_not_differ_in_fields_named(run_contract_suite, tmp_path, capsys,
                                                                              make_app):
    mock, vendor_like = tmp_path / "mock.json", tmp_path / "vendor-like.json"
    selection = ("-k", "scope or auth or referential")
    with serve(make_app({"DATABASE": str(tmp_path / "a.sqlite3")})) as url:
        run_contract_suite("--base-url", url, "--contract-report", str(mock), *selection)
    with serve(without_field_and_hint(make_app({"DATABASE": str(tmp_path / "b.sqlite3")}))) as url:
        run_contract_suite("--base-url", url, "--contract-report", str(vendor_like), *selection)
    status = main(["parity", str(mock), str(vendor_like)])
    out = capsys.readouterr().out
    assert "error fields named" not in out
    assert status == 0, out
    compared = int(out.splitlines()[-1].split(" of ")[1].split()[0])
    assert compared >= 10
