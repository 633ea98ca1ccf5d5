"""Who may see an anchor's personal information, and what everyone else sees (PLT-06).

Identity numbers, phone numbers, addresses and legal names are shown in clear only to roles whose
work needs them: compliance officers (they review identities), regulators (enforcement), and the
anchor themself. Everyone else gets masked values; every clear-text read is written to an access log.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from livecommerce.runtime.identity import Caller
from livecommerce.runtime.pii import mask_address, mask_document_number, mask_name, mask_phone
from services.anchor.files.domain import Guardian, Identity, Profile

PII_ROLES = frozenset({"compliance_officer", "regulator"})
PII_FIELDS = ("identity.legal_name", "identity.document_number", "address", "phone", "guardian")


def may_see_pii(caller: Caller, anchor_id: str) -> bool:
    return caller.role in PII_ROLES or (caller.role == "anchor" and caller.tenant == anchor_id)


def _mask_identity(identity: Identity) -> Identity:
    return dataclasses.replace(
        identity,
        legal_name=mask_name(identity.legal_name),
        document_number=mask_document_number(identity.document_number),
    )


def masked(profile: Profile) -> Profile:
    guardian = profile.guardian
    if guardian is not None:
        guardian = Guardian(_mask_identity(guardian.identity), guardian.relationship, mask_phone(guardian.phone))
    return dataclasses.replace(
        profile,
        identity=_mask_identity(profile.identity),
        address=mask_address(profile.address),
        phone=mask_phone(profile.phone),
        guardian=guardian,
    )


def flatten(profile: Profile | None) -> dict[str, str]:
    """Field path -> text, for change history; callers pass masked profiles so history holds no PII."""
    if profile is None:
        return {}
    flat: dict[str, str] = {}

    def walk(prefix: str, value: Any) -> None:
        if dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                walk(f"{prefix}.{f.name}" if prefix else f.name, getattr(value, f.name))
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                walk(f"{prefix}[{index}]", item)
        elif value is not None:
            flat[prefix] = str(value)

    walk("", profile)
    return flat


def diff(old: Profile | None, new: Profile) -> list[tuple[str, str, str]]:
    before, after = flatten(old), flatten(new)
    return [
        (name, before.get(name, ""), after.get(name, ""))
        for name in sorted(before.keys() | after.keys())
        if before.get(name) != after.get(name)
    ]
