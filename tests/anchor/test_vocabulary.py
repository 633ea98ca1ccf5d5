"""The vocabulary every anchor sub-domain shares: the request-id rule of every write and the order
of risk levels (RSK-01: an attestation raises a level, never lowers it)."""

from __future__ import annotations

import pytest

from livecommerce.runtime.errors import InvalidArgument
from services.anchor.vocabulary import ID_TOKEN_RULE, RiskLevel, check_request_id


def refusal(request_id: str) -> tuple[str, str]:
    with pytest.raises(InvalidArgument) as refused:
        check_request_id(request_id)
    [violation] = refused.value.violations
    return violation.field, violation.description


def test_a_missing_request_id_is_refused_saying_why_one_is_needed():
    field, description = refusal("")
    assert field == "request_id"
    assert description == "is required: 1-64 letters, digits or ._:-, one per intended write, so a retry takes effect once"


@pytest.mark.parametrize("bad", ["has space", "x" * 65, "中文", "a/b"])
def test_a_malformed_request_id_is_refused_with_the_format(bad):
    assert refusal(bad) == ("request_id", ID_TOKEN_RULE)


@pytest.mark.parametrize("good", ["r", "x" * 64, "req-1.2:3_4"])
def test_a_well_formed_request_id_passes(good):
    check_request_id(good)


def test_RSK_01_risk_levels_rank_low_medium_high():
    assert [level.rank for level in (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH)] == [0, 1, 2]
