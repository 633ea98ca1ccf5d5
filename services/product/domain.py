"""Product rules as plain Python, no I/O: what a submission must contain (PRD-01), the licences
(PRD-02), intellectual property (PRD-03) and prohibited-list checks (PRD-06) a product must pass
at submission, at review and while listed, and the price rules (PRD-08, in `pricing`).

`check_details` refuses a submission with every malformed or missing field at once
(INVALID_ARGUMENT), then with the first rule the product breaks at that moment
(FAILED_PRECONDITION naming the rule); `compliance_blocks` lists every such rule, and the listing
decision (`listing`) reuses it. Every function takes the moment it reasons about.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from livecommerce.runtime.clock import platform_date
from livecommerce.runtime.errors import FieldViolation, InvalidArgument, PreconditionFailed
from services.product.catalogue import Catalogue, Category, Status
from services.product.formats import ID_TOKEN, ID_TOKEN_RULE, check_document
from services.product.links import Link, LinkRefused, classify_link
from services.product.pricing import DocumentRef, PriceEvidence, check_crossed_out_price, check_price
from services.product.prohibited import CompiledList, EntryKind
from services.product.rules_config import ProductRules

MAX_NUMBER = 64
MAX_HOLDER = 200

#: PRD-01: what review needs (OPS 7.3.1), field path -> what it is, in the order refusals name them.
REQUIRED_TEXT = {
    "title": "标题",
    "category": "类目",
    "origin": "产地",
    "producer": "生产者",
    "performance_and_use": "性能、用途",
    "specification": "规格",
    "ingredients": "成分",
}


class IpKind(StrEnum):
    TRADEMARK = "trademark"
    PATENT = "patent"
    COPYRIGHT = "copyright"
    GEOGRAPHICAL_INDICATION = "geographical_indication"


class PatentStatus(StrEnum):
    APPLICATION = "application"
    GRANTED = "granted"
    LAPSED = "lapsed"


_PATENT_STANDING: dict[PatentStatus | None, str] = {PatentStatus.APPLICATION: "only applied for, not granted", PatentStatus.LAPSED: "lapsed"}


@dataclass(frozen=True)
class IpRight:
    kind: IpKind | None
    number: str
    holder: str
    owned_by_merchant: bool
    authorization_id: str = ""
    patent_status: PatentStatus | None = None
    valid_until: datetime | None = None


@dataclass(frozen=True)
class Details:
    """One version of a product file, as submitted."""

    title: str
    category: str
    origin: str
    producer: str
    performance_and_use: str
    specification: str
    ingredients: str
    price_fen: int
    expiry_date: str
    images: tuple[DocumentRef, ...] = ()
    ip_rights: tuple[IpRight, ...] = ()
    licence_ids: tuple[str, ...] = ()
    crossed_out_price_fen: int = 0
    crossed_out_price_evidence: PriceEvidence | None = None
    link_url: str = ""
    description: str = ""

    def texts(self) -> dict[str, str]:
        """The texts the prohibited list is matched against, field path -> text."""
        return {
            "details.title": self.title,
            "details.description": self.description,
            "details.ingredients": self.ingredients,
            "details.specification": self.specification,
            "details.performance_and_use": self.performance_and_use,
        }


@dataclass(frozen=True)
class Licence:
    """An admission licence on file (PRD-02)."""

    licence_id: str
    merchant_id: str
    kind: str
    number: str
    valid_from: datetime
    valid_until: datetime
    """Exclusive."""
    issuer: str = ""
    holder: str = ""

    def valid_at(self, at: datetime) -> bool:
        return self.valid_from <= at < self.valid_until


@dataclass(frozen=True)
class IpAuthorization:
    """A rights holder's written authorization on file (PRD-03)."""

    authorization_id: str
    merchant_id: str
    holder: str
    right_numbers: tuple[str, ...]
    valid_from: datetime
    valid_until: datetime
    """Exclusive."""

    def valid_at(self, at: datetime) -> bool:
        return self.valid_from <= at < self.valid_until


@dataclass(frozen=True)
class OnFile:
    """What the merchant has on file, as the checks see it: other merchants' records are absent."""

    merchant_id: str
    licences: Mapping[str, Licence]
    authorizations: Mapping[str, IpAuthorization]

    def licence(self, licence_id: str) -> Licence | None:
        found = self.licences.get(licence_id)
        return found if found is not None and found.merchant_id == self.merchant_id else None

    def authorization(self, authorization_id: str) -> IpAuthorization | None:
        found = self.authorizations.get(authorization_id)
        return found if found is not None and found.merchant_id == self.merchant_id else None


@dataclass(frozen=True)
class Block:
    """A rule that keeps a product out: its ID, why, and the field it is about."""

    rule_id: str
    reason: str
    field: str = ""


@dataclass(frozen=True)
class CheckedDetails:
    details: Details
    category: Category
    expiry: date | None
    link: Link | None


def _text(violations: list[FieldViolation], path: str, value: str, *, limit: int, required: bool) -> None:
    if required and not value.strip():
        violations.append(FieldViolation(path, "is required", "PRD-01"))
    elif len(value) > limit:
        violations.append(FieldViolation(path, f"is longer than {limit} characters", "PRD-01"))


def _check_expiry(violations: list[FieldViolation], details: Details, category: Category | None, today: date) -> date | None:
    path = "details.expiry_date"
    if not details.expiry_date:
        if category is None or category.has_expiry:
            violations.append(FieldViolation(path, "is required as YYYY-MM-DD", "PRD-01"))
        return None
    try:
        expiry = date.fromisoformat(details.expiry_date)
    except ValueError:
        violations.append(FieldViolation(path, "must be a date as YYYY-MM-DD", "PRD-01"))
        return None
    if len(details.expiry_date) != 10:
        violations.append(FieldViolation(path, "must be a date as YYYY-MM-DD", "PRD-01"))
        return None
    if expiry <= today:
        violations.append(FieldViolation(path, f"is not after today ({today.isoformat()}): the goods have expired", "PRD-01"))
    return expiry


def _check_ip_shape(violations: list[FieldViolation], details: Details, on_file: OnFile, limit: int) -> None:
    """PRD-03: at least one right; each well-formed; an authorization on file, from the holder, covering it."""
    if not details.ip_rights:
        violations.append(
            FieldViolation("details.ip_rights", "needs the product's own trademark, patent or copyright, or a rights holder's authorization", "PRD-03")
        )
    if len(details.ip_rights) > limit:
        violations.append(FieldViolation("details.ip_rights", f"at most {limit} rights"))
    for index, right in enumerate(details.ip_rights):
        path = f"details.ip_rights[{index}]"
        if right.kind is None:
            violations.append(FieldViolation(f"{path}.kind", "must be TRADEMARK, PATENT, COPYRIGHT or GEOGRAPHICAL_INDICATION", "PRD-03"))
        if not right.number.strip() or len(right.number) > MAX_NUMBER:
            violations.append(FieldViolation(f"{path}.number", f"is required (at most {MAX_NUMBER} characters)", "PRD-03"))
        if not right.holder.strip() or len(right.holder) > MAX_HOLDER:
            violations.append(FieldViolation(f"{path}.holder", f"is required (at most {MAX_HOLDER} characters)", "PRD-03"))
        if right.kind is IpKind.PATENT and right.patent_status is None:
            violations.append(FieldViolation(f"{path}.patent_status", "is required for a patent", "PRD-03"))
        if right.owned_by_merchant:
            continue
        if not right.authorization_id:
            violations.append(
                FieldViolation(f"{path}.authorization_id", "is required for a right the merchant does not hold", "PRD-03")
            )
            continue
        authorization = on_file.authorization(right.authorization_id)
        if authorization is None:
            violations.append(FieldViolation(f"{path}.authorization_id", "names no authorization on file", "PRD-03"))
        elif authorization.holder != right.holder:
            violations.append(
                FieldViolation(
                    f"{path}.authorization_id",
                    f"is from {authorization.holder!r}, not from the rights holder {right.holder!r}",
                    "PRD-03",
                )
            )
        elif right.number not in authorization.right_numbers:
            violations.append(FieldViolation(f"{path}.authorization_id", f"does not cover {right.number}", "PRD-03"))


def _check_licence_ids(violations: list[FieldViolation], details: Details, on_file: OnFile, limit: int) -> None:
    if len(details.licence_ids) > limit:
        violations.append(FieldViolation("details.licence_ids", f"at most {limit} licences"))
    seen: set[str] = set()
    for index, licence_id in enumerate(details.licence_ids):
        path = f"details.licence_ids[{index}]"
        if not ID_TOKEN.match(licence_id):
            violations.append(FieldViolation(path, ID_TOKEN_RULE))
        elif licence_id in seen:
            violations.append(FieldViolation(path, "is named twice"))
        elif on_file.licence(licence_id) is None:
            violations.append(FieldViolation(path, "names no licence on file", "PRD-02"))
        seen.add(licence_id)


def check_details(
    details: Details,
    *,
    on_file: OnFile,
    catalogue: Catalogue,
    rules: ProductRules,
    prohibited: CompiledList | None,
    now: datetime,
) -> CheckedDetails:
    """PRD-01..03, PRD-05, PRD-06, PRD-08 at submission and revision: every malformed or missing
    field at once (InvalidArgument), then the first rule the product breaks now (PreconditionFailed)."""
    limits = rules.submission
    violations: list[FieldViolation] = []
    details = replace(
        details,
        **{name: getattr(details, name).strip() for name in (*REQUIRED_TEXT, "description", "link_url")},
    )
    for name in REQUIRED_TEXT:
        limit = limits.max_title_chars if name == "title" else limits.max_text_chars
        _text(violations, f"details.{name}", getattr(details, name), limit=limit, required=True)
    _text(violations, "details.description", details.description, limit=limits.max_text_chars, required=False)
    category = catalogue.get(details.category) if details.category else None
    if details.category and category is None:
        violations.append(FieldViolation("details.category", f"{details.category!r} is not in the category tree", "PRD-01"))
    check_price(violations, details.price_fen, limits)
    expiry = _check_expiry(violations, details, category, platform_date(now))
    if not details.images:
        violations.append(FieldViolation("details.images", "needs at least one image", "PRD-01"))
    elif len(details.images) > limits.max_images:
        violations.append(FieldViolation("details.images", f"at most {limits.max_images} images"))
    for index, image in enumerate(details.images):
        check_document(violations, f"details.images[{index}]", image.uri, image.sha256, "PRD-01")
    _check_ip_shape(violations, details, on_file, limits.max_ip_rights)
    _check_licence_ids(violations, details, on_file, limits.max_licences)
    check_crossed_out_price(
        violations,
        price_fen=details.price_fen,
        crossed_out_fen=details.crossed_out_price_fen,
        evidence=details.crossed_out_price_evidence,
        submission=limits,
        pricing=rules.pricing,
        now=now,
    )
    link = None
    if details.link_url:
        try:
            link = classify_link(details.link_url, rules.links)
        except LinkRefused as refused:
            violations.append(FieldViolation("details.link_url", str(refused), "PRD-05"))
    if violations:
        raise InvalidArgument(violations)
    assert category is not None
    blocks = compliance_blocks(details, category, on_file=on_file, catalogue=catalogue, prohibited=prohibited, at=now)
    if blocks:
        first = blocks[0]
        raise PreconditionFailed(first.rule_id, "product", first.reason, field=first.field or None)
    return CheckedDetails(details, category, expiry, link)


def _licence_blocks(
    details: Details, kinds: frozenset[str], rule: str, category: Category, on_file: OnFile, catalogue: Catalogue, at: datetime
) -> list[Block]:
    """Each licence kind in `kinds` needs a licence among the product's, on file and valid at `at`."""
    blocks = []
    named = [(i, on_file.licence(lid)) for i, lid in enumerate(details.licence_ids)]
    for kind in sorted(kinds):
        name = catalogue.licence_name(kind)
        candidates = [(i, licence) for i, licence in named if licence is not None and licence.kind == kind]
        if any(licence.valid_at(at) for _, licence in candidates):
            continue
        if not candidates:
            blocks.append(Block(rule, f"{'/'.join(category.path)} needs {name} ({kind}) on file", "details.licence_ids"))
            continue
        index, licence = candidates[-1]
        if at < licence.valid_from:
            reason = f"{name} {licence.number} is valid only from {licence.valid_from.isoformat()}"
        else:
            reason = f"{name} {licence.number} expired at {licence.valid_until.isoformat()}"
        blocks.append(Block(rule, reason, f"details.licence_ids[{index}]"))
    return blocks


def _ip_blocks(details: Details, on_file: OnFile, at: datetime) -> list[Block]:
    """PRD-03: a patent shown is granted and in force; every right in force; every authorization valid."""
    blocks = []
    if not details.ip_rights:
        blocks.append(Block("PRD-03", "no own trademark, patent or copyright and no rights holder's authorization", "details.ip_rights"))
    for index, right in enumerate(details.ip_rights):
        path = f"details.ip_rights[{index}]"
        if right.kind is IpKind.PATENT and right.patent_status is not PatentStatus.GRANTED:
            status = _PATENT_STANDING.get(right.patent_status, "of unknown status")
            blocks.append(Block("PRD-03", f"patent {right.number} is {status}: only a granted patent in force may be shown", f"{path}.patent_status"))
        if right.valid_until is not None and right.valid_until <= at:
            kind = right.kind.value if right.kind else "right"
            blocks.append(Block("PRD-03", f"{kind} {right.number} is no longer in force (ended {right.valid_until.isoformat()})", f"{path}.valid_until"))
        if right.owned_by_merchant:
            continue
        authorization = on_file.authorization(right.authorization_id)
        if authorization is None or authorization.holder != right.holder or right.number not in authorization.right_numbers:
            blocks.append(Block("PRD-03", f"{right.number} has no authorization on file from {right.holder}", f"{path}.authorization_id"))
        elif at < authorization.valid_from:
            blocks.append(Block("PRD-03", f"the authorization for {right.number} is valid only from {authorization.valid_from.isoformat()}", f"{path}.authorization_id"))
        elif at >= authorization.valid_until:
            blocks.append(Block("PRD-03", f"the authorization for {right.number} expired at {authorization.valid_until.isoformat()}", f"{path}.authorization_id"))
    return blocks


def _prohibited_blocks(
    details: Details, category: Category, on_file: OnFile, catalogue: Catalogue, prohibited: CompiledList | None, at: datetime
) -> list[Block]:
    """PRD-06: prohibited categories and list entries refuse; restricted ones need their licence."""
    blocks = []
    if category.status is Status.PROHIBITED:
        blocks.append(Block("PRD-06", f"category {category.prohibited_at} ({'/'.join(category.path)}) is prohibited: {category.basis}", "details.category"))
    blocks += _licence_blocks(details, category.restricted_licences, "PRD-06", category, on_file, catalogue, at)
    if prohibited is None:
        return blocks
    for hit in prohibited.match(category.key, details.texts()):
        where = f"prohibited-goods list {hit.version}, entry {hit.entry.entry_id}"
        if hit.entry.kind is EntryKind.PROHIBITED:
            blocks.append(Block("PRD-06", f"{where} prohibits it: {hit.matched!r} in {hit.field} ({hit.entry.basis})", hit.field))
        else:
            for block in _licence_blocks(details, frozenset({hit.entry.licence_kind}), "PRD-06", category, on_file, catalogue, at):
                blocks.append(replace(block, reason=f"{where} restricts it ({hit.matched!r} in {hit.field}): {block.reason}"))
    return blocks


def compliance_blocks(
    details: Details, category: Category, *, on_file: OnFile, catalogue: Catalogue, prohibited: CompiledList | None, at: datetime
) -> list[Block]:
    """Every licence (PRD-02), IP (PRD-03) and prohibited-goods (PRD-06) rule the product breaks at `at`."""
    return [
        *_licence_blocks(details, category.licences, "PRD-02", category, on_file, catalogue, at),
        *_ip_blocks(details, on_file, at),
        *_prohibited_blocks(details, category, on_file, catalogue, prohibited, at),
    ]
