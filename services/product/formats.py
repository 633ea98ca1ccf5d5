"""Formats the product service's requests are checked against: ids, digests, object URIs, and
the request-id rule every write follows. Kept apart so every module speaks the same language."""

from __future__ import annotations

import re

from livecommerce.runtime.errors import FieldViolation
from livecommerce.runtime.formats import ID_TOKEN, ID_TOKEN_RULE, SHA256, SHA256_RULE

__all__ = ["ID_TOKEN", "ID_TOKEN_RULE", "MAX_REASON", "check_document"]

URI = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$")
MAX_URI = 2048
MAX_REASON = 1000


def check_document(violations: list[FieldViolation], path: str, uri: str, sha256: str, rule: str = "") -> None:
    """A stored image or document: an absolute URI and the SHA-256 of its bytes."""
    if len(uri) > MAX_URI or not URI.match(uri):
        violations.append(FieldViolation(f"{path}.uri", f"must be an absolute URI of at most {MAX_URI} characters", rule))
    if not SHA256.match(sha256):
        violations.append(FieldViolation(f"{path}.sha256", SHA256_RULE, rule))
