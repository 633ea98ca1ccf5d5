"""Personal information protection (PLT-06, GB/T 35273): encryption at rest, lookup digests, masking.

Fields are sealed with AES-256-GCM; the associated data binds a ciphertext to its record and
field, so a ciphertext copied into another row or column fails to open. Equality lookups (is this
ID number registered already?) use a keyed HMAC digest instead of the plaintext.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE_BYTES = 12
_KEY_VERSION = b"\x01"


class FieldCipher:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("FieldCipher needs a 32-byte key")
        self._aead = AESGCM(key)
        # A separate key for digests, derived so one secret stays the only thing to rotate.
        self._digest_key = hmac.digest(key, b"livecommerce.pii.lookup", "sha256")

    def seal(self, plaintext: str, *, context: str) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return _KEY_VERSION + nonce + self._aead.encrypt(nonce, plaintext.encode(), context.encode())

    def open(self, sealed: bytes, *, context: str) -> str:
        if sealed[:1] != _KEY_VERSION:
            raise ValueError("unknown PII key version")
        nonce, ciphertext = sealed[1 : 1 + _NONCE_BYTES], sealed[1 + _NONCE_BYTES :]
        return self._aead.decrypt(nonce, ciphertext, context.encode()).decode()

    def lookup_digest(self, value: str, *, kind: str) -> bytes:
        return hmac.digest(self._digest_key, f"{kind}:{value}".encode(), "sha256")


def mask_document_number(value: str) -> str:
    """110105********0016 style: region and last four stay, so a person can recognise their own."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else value[:2] + "*" * (len(value) - 4) + value[-2:]


def mask_phone(value: str) -> str:
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_address(value: str) -> str:
    """Keeps the first six characters (province and city); hides the street and house number."""
    return value[:6] + "*" * min(8, max(len(value) - 6, 0))


def mask_name(value: str) -> str:
    return value[:1] + "*" * (len(value) - 1) if value else value


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
