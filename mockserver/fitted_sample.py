"""The vendor page's sample request as one account of the tenant can send it: RunningMock.sample_request() (for
for_account's account) and `mockserver sample --account-id` build it here, so the two give the same body."""

from __future__ import annotations

import copy
from typing import Any

from mockserver.semantics import Reference, values_at
from mockserver.tenant import Account


def fitted_sample(sample: dict[str, Any], references: list[Reference], account: Account) -> dict[str, Any]:
    """A fresh copy of `sample` with each tenant resource it names that the account lacks (or has unverified, where it
    must be verified) replaced by one the account has: the page's sample names the default account's. A collection
    the account has nothing fitting in is left as it is."""
    body = copy.deepcopy(sample)
    for ref in references:
        known = account.resource_ids(ref.collection)
        fitting = [name for name, value in known.items() if ref.kind != "verified" or value is True]
        for index, (at, value) in enumerate(list(values_at(body, ref.pattern))):
            if value not in fitting and fitting:
                *parents, last = at
                node = body
                for key in parents:
                    node = node[key]
                node[last] = fitting[index % len(fitting)]
    return body
