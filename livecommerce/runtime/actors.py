"""Who acted, as every service stores and shows it: a `Caller` as a JSON column (`*_by`, `actor`)
and that column as the API's `livecommerce.common.v1.Actor`."""

from __future__ import annotations

import json

from livecommerce.common.v1 import identity_pb2
from livecommerce.runtime.identity import Caller


def actor_json(caller: Caller) -> str:
    """A caller as the stores' `*_by` / `actor` JSON columns hold it."""
    return json.dumps({"principal": caller.principal, "role": caller.role, "tenant": caller.tenant})


def actor_pb(data: dict | None) -> identity_pb2.Actor | None:
    """A stored actor column (as a dict) as the API shows it; None (the field stays unset) when
    nobody acted yet, so a client can tell "not reviewed" from a reviewer with empty fields."""
    return identity_pb2.Actor(**data) if data else None
