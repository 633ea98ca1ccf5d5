"""Formats the product service's requests are checked against: ids, digests, object URIs, and
the request-id rule every write follows. Kept apart so every module speaks the same language."""

from __future__ import annotations

import re

from livecommerce.runtime.errors import FieldViolation, InvalidArgument

ID_TOKEN = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
"""Client-chosen ids: request, licence, authorization, session and list-entry ids."""
ID_TOKEN_RULE = "must be 1-64 letters, digits or ._:-"
SHA256 = re.compile(r"^[0-9a-f]{64}$")
"""An image's or document's digest, lower-case hex."""
SHA256_RULE = "must be 64 lower-case hex digits (SHA-256)"
URI = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$")
MAX_URI = 2048
MAX_REASON = 1000


def check_request_id(request_id: str) -> None:
    """Every write names its request: the gateway retries a call once on UNAVAILABLE, and only
    the request id makes the retry take effect once."""
    if not request_id:
        raise InvalidArgument(
            [FieldViolation("request_id", "is required: 1-64 letters, digits or ._:-, one per intended write, so a retry takes effect once")]
        )
    if not ID_TOKEN.match(request_id):
        raise InvalidArgument([FieldViolation("request_id", ID_TOKEN_RULE)])


def check_document(violations: list[FieldViolation], path: str, uri: str, sha256: str, rule: str = "") -> None:
    """A stored image or document: an absolute URI and the SHA-256 of its bytes."""
    if len(uri) > MAX_URI or not URI.match(uri):
        violations.append(FieldViolation(f"{path}.uri", f"must be an absolute URI of at most {MAX_URI} characters", rule))
    if not SHA256.match(sha256):
        violations.append(FieldViolation(f"{path}.sha256", SHA256_RULE, rule))
