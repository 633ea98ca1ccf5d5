"""Agency registration rules, pure (ANC-01): a valid GB 32100 credit code, a legal name, an id and,
when given, a contact e-mail; every problem named at once, each with what is wrong."""

from __future__ import annotations

import pytest

from livecommerce.runtime.errors import InvalidArgument
from services.anchor.agencies.domain import MAX_LEGAL_NAME, check_registration
from tests.support import credit_code

GOOD = dict(agency_id="ag-9", legal_name="新机构有限公司", credit_code=credit_code(9), contact_email="ops@example.cn")


def refusal(**changes) -> dict[str, str]:
    with pytest.raises(InvalidArgument) as refused:
        check_registration(**(GOOD | changes))
    return {v.field: v.description for v in refused.value.violations}


def test_ANC_01_a_valid_agency_returns_its_normalised_credit_code():
    assert check_registration(**(GOOD | {"credit_code": f"  {credit_code(9).lower()} "})) == credit_code(9)
    assert check_registration(**(GOOD | {"contact_email": ""})) == credit_code(9)  # the e-mail is optional
    assert check_registration(**(GOOD | {"legal_name": "名" * MAX_LEGAL_NAME})) == credit_code(9)


def test_ANC_01_every_problem_is_named_at_once_with_what_is_wrong():
    fields = refusal(agency_id="ag 9", legal_name=" ", credit_code=credit_code(9)[:-1] + "0", contact_email="ops@nowhere")
    assert fields == {
        "agency_id": "must be 1-64 letters, digits or ._:-",
        "legal_name": f"is required, at most {MAX_LEGAL_NAME} characters",
        "credit_code": "is not a unified social credit code (GB 32100): check character does not match (GB 32100)",
        "contact_email": "is not an e-mail address",
    }


def test_ANC_01_a_legal_name_or_an_e_mail_too_long_is_refused():
    assert refusal(legal_name="名" * (MAX_LEGAL_NAME + 1)).keys() == {"legal_name"}
    local = "a" * 64
    address = f"{local}@{'b' * (254 - len(local) - 1 - 4)}.com"
    assert len(address) == 254 and check_registration(**(GOOD | {"contact_email": address}))
    assert refusal(contact_email="a" + address).keys() == {"contact_email"}
    # 255 characters with a local part of at most 64: refused for its length alone.
    assert refusal(contact_email=address[:-4] + "b.com").keys() == {"contact_email"}
