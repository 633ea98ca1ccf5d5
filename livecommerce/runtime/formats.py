"""Text formats every service checks requests against: client-chosen ids and SHA-256 digests.

One definition, so "1-64 letters, digits or ._:-" means the same in every service's refusals."""

from __future__ import annotations

import re
import uuid

from livecommerce.runtime.errors import FieldViolation, InvalidArgument

ID_TOKEN = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
"""Client-chosen ids: request, agency, session, course, licence and list-entry ids."""
ID_TOKEN_RULE = "must be 1-64 letters, digits or ._:-"
SHA256 = re.compile(r"^[0-9a-f]{64}$")
"""A document's, image's or evidence's digest, lower-case hex."""
SHA256_RULE = "must be 64 lower-case hex digits (SHA-256)"


def parse_uuid(text: str, field: str, description: str = "must be a UUID", rule: str = "") -> uuid.UUID:
    """A service-assigned id from a request: anything that is not a UUID names no record and is
    refused naming the field (INVALID_ARGUMENT)."""
    try:
        return uuid.UUID(text)
    except ValueError:
        raise InvalidArgument([FieldViolation(field, description, rule)]) from None
