"""Agency rules, pure: what registering an agency (直播营销服务机构) needs. Its unified social
credit code is checked against GB 32100, so who answers for an anchor is a real company (ANC-01).
"""

from __future__ import annotations

from livecommerce.runtime.credit_code import parse_credit_code
from livecommerce.runtime.errors import FieldViolation, InvalidArgument
from services.anchor.vocabulary import EMAIL, ID_TOKEN

MAX_LEGAL_NAME = 200


def check_registration(*, agency_id: str, legal_name: str, credit_code: str, contact_email: str) -> str:
    """Every problem named at once; returns the normalised credit code."""
    violations = []
    if not ID_TOKEN.match(agency_id):
        violations.append(FieldViolation("agency_id", "must be 1-64 letters, digits or ._:-"))
    if not legal_name.strip() or len(legal_name) > MAX_LEGAL_NAME:
        violations.append(FieldViolation("legal_name", f"is required, at most {MAX_LEGAL_NAME} characters"))
    code = ""
    try:
        code = parse_credit_code(credit_code)
    except ValueError as error:
        violations.append(FieldViolation("credit_code", f"is not a unified social credit code (GB 32100): {error}"))
    if contact_email and (len(contact_email) > 254 or not EMAIL.match(contact_email)):
        violations.append(FieldViolation("contact_email", "is not an e-mail address"))
    if violations:
        raise InvalidArgument(violations)
    return code
