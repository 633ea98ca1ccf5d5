"""Vocabulary the anchor service's sub-domains share: the violation categories, severities and
risk levels of discipline and credit (ANC-06..13, RSK-01), the text formats every request is
checked against (ids, digests, e-mail addresses), and the request-id rule every write follows.

Kept apart from the modules that use it, so the sanction ladder, the credit score, the Annex A
risk assessment and the registration checks speak the same language.
"""

from __future__ import annotations

import re
from enum import StrEnum

from livecommerce.runtime.formats import ID_TOKEN, ID_TOKEN_RULE, SHA256
from livecommerce.runtime.requests import check_request_id

__all__ = ["EMAIL", "ID_TOKEN", "ID_TOKEN_RULE", "SHA256", "check_request_id"]

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


class SubjectKind(StrEnum):
    """Whose credit archive (ANC-10): an anchor or an agency (直播营销服务机构)."""

    ANCHOR = "anchor"
    AGENCY = "agency"


class Severity(StrEnum):
    """How grave one violation is (ANC-06); weights the credit score."""

    MINOR = "minor"
    MAJOR = "major"
    SEVERE = "severe"


class ViolationCategory(StrEnum):
    """What a violation was about (ANC-06); Annex A's risk points look at categories."""

    BANNED_CONTENT = "banned_content"  # OPS 7.4.6.1: flags, anthem, state organs, vulgarity ...
    ABSOLUTE_TERMS = "absolute_terms"  # "国家级", "最佳" and kin: advertising law
    FALSE_ADVERTISING = "false_advertising"  # exaggerated efficacy, disguised special-goods ads
    PRICE_FRAUD = "price_fraud"  # fictitious original prices (PRD-08)
    PRODUCT_QUALITY = "product_quality"  # fake or substandard goods, sample mismatch
    OFF_PLATFORM_LURE = "off_platform_lure"  # luring viewers to trade or pay off the platform
    PRIVACY_LEAK = "privacy_leak"  # ID numbers, phone numbers shown on air
    MINORS = "minors"  # minors' protection (CREDIT 8.2.3.8)
    IP_INFRINGEMENT = "ip_infringement"  # unauthorised material, infringing goods
    DIGITAL_HUMAN_UNLABELLED = "digital_human_unlabelled"  # ANC-13
    CONSUMER_DECEPTION = "consumer_deception"  # broken promises, refused after-sales
    OTHER = "other"


class RiskLevel(StrEnum):
    """CREDIT 8.4 Table 1: high needs immediate correction, medium continued attention, low as needed."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return ("low", "medium", "high").index(self.value)
