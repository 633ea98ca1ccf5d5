"""An anchor's profile sealed for storage (PLT-06): one AES-256-GCM ciphertext per file version,
bound to (anchor, version) so a ciphertext copied to another row does not open; and the keyed
digest of the identity document that finds a second registration of one person (ANC-01)
without storing the number in clear.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass

from livecommerce.runtime.pii import FieldCipher
from services.anchor.files.domain import Document, DocumentKind, DocumentType, Guardian, Identity, Profile


def _profile_to_dict(profile: Profile) -> dict:
    data = asdict(profile)
    data["documents"] = [asdict(d) for d in profile.documents]
    return data


def _identity_from_dict(data: dict) -> Identity:
    return Identity(**{**data, "document_type": DocumentType(data["document_type"])})


def _profile_from_dict(data: dict) -> Profile:
    guardian = data.get("guardian")
    return Profile(
        **{
            **data,
            "identity": _identity_from_dict(data["identity"]),
            "documents": tuple(Document(DocumentKind(d["kind"]), d["uri"], d["sha256"]) for d in data["documents"]),
            "guardian": Guardian(**{**guardian, "identity": _identity_from_dict(guardian["identity"])}) if guardian else None,
        }
    )


@dataclass(frozen=True)
class ProfileCodec:
    cipher: FieldCipher

    def seal(self, profile: Profile, *, anchor_id: uuid.UUID, version: int) -> bytes:
        return self.cipher.seal(json.dumps(_profile_to_dict(profile), ensure_ascii=False), context=f"anchor:{anchor_id}:{version}")

    def open(self, sealed: bytes, *, anchor_id: uuid.UUID, version: int) -> Profile:
        return _profile_from_dict(json.loads(self.cipher.open(sealed, context=f"anchor:{anchor_id}:{version}")))

    def identity_digest(self, identity: Identity) -> bytes:
        return self.cipher.lookup_digest(identity.document_number, kind=f"identity:{identity.document_type}")


