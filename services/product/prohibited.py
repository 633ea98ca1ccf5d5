"""The prohibited and restricted goods list (禁限售商品, PRD-06) as a versioned value: validation
of a proposed version, matching a product against it, and the re-check a publication runs over
every listed product.

Entries match by category (a product in the category or below it) and by keyword. Keywords are
matched on text folded by the shared normaliser (`livecommerce.text.normalise`, the patrol
engine's), so "仿 真 槍" is caught as 仿真枪; an entry's allow phrases ("象牙白" for 象牙) are
masked before matching, so a colour name is not ivory. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from livecommerce.runtime.errors import FieldViolation, InvalidArgument
from livecommerce.text.normalise import SEPARATOR, Normaliser, get_normaliser
from services.product.catalogue import Catalogue
from services.product.formats import ID_TOKEN, ID_TOKEN_RULE

MAX_ENTRIES = 5000
MAX_WORD = 50
MAX_BASIS = 500


class EntryKind(StrEnum):
    PROHIBITED = "prohibited"
    RESTRICTED = "restricted"


@dataclass(frozen=True)
class Entry:
    entry_id: str
    kind: EntryKind | None
    categories: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    licence_kind: str = ""
    """For RESTRICTED: the licence kind a matching product needs."""
    basis: str = ""


@dataclass(frozen=True)
class ProhibitedList:
    version: str
    entries: tuple[Entry, ...]
    description: str = ""


@dataclass(frozen=True)
class ListHit:
    """One entry that matches a product: where and by what."""

    version: str
    entry: Entry
    matched: str
    """The category key or the keyword as written in the list."""
    field: str
    """The product field that matched, e.g. "details.title" or "details.category"."""


def check_list(proposed: ProhibitedList, catalogue: Catalogue, normaliser: Normaliser | None = None) -> None:
    """Refuses a malformed version with one field violation per problem (PRD-06)."""
    fold = (normaliser or get_normaliser()).normalise
    violations: list[FieldViolation] = []
    if not ID_TOKEN.match(proposed.version):
        violations.append(FieldViolation("list.version", ID_TOKEN_RULE, "PRD-06"))
    if not proposed.entries:
        violations.append(FieldViolation("list.entries", "needs at least one entry", "PRD-06"))
    if len(proposed.entries) > MAX_ENTRIES:
        violations.append(FieldViolation("list.entries", f"at most {MAX_ENTRIES} entries"))
    seen: set[str] = set()
    for index, entry in enumerate(proposed.entries):
        path = f"list.entries[{index}]"
        if not ID_TOKEN.match(entry.entry_id):
            violations.append(FieldViolation(f"{path}.entry_id", ID_TOKEN_RULE, "PRD-06"))
        elif entry.entry_id in seen:
            violations.append(FieldViolation(f"{path}.entry_id", f"repeats entry {entry.entry_id!r}", "PRD-06"))
        seen.add(entry.entry_id)
        if entry.kind is None:
            violations.append(FieldViolation(f"{path}.kind", "must be PROHIBITED or RESTRICTED", "PRD-06"))
        if not entry.categories and not entry.keywords:
            violations.append(FieldViolation(path, "needs a category or a keyword to match by", "PRD-06"))
        for i, key in enumerate(entry.categories):
            if catalogue.get(key) is None:
                violations.append(FieldViolation(f"{path}.categories[{i}]", f"{key!r} is not in the category tree", "PRD-06"))
        for name in ("keywords", "allow"):
            for i, word in enumerate(getattr(entry, name)):
                if len(word) > MAX_WORD:
                    violations.append(FieldViolation(f"{path}.{name}[{i}]", f"is longer than {MAX_WORD} characters"))
                elif not fold(word):
                    violations.append(
                        FieldViolation(f"{path}.{name}[{i}]", "has no letters or digits left after folding", "PRD-06")
                    )
        folded_keywords = [fold(k) for k in entry.keywords]
        for i, phrase in enumerate(entry.allow):
            if not any(k and k in fold(phrase) for k in folded_keywords):
                violations.append(FieldViolation(f"{path}.allow[{i}]", "contains none of the entry's keywords", "PRD-06"))
        if entry.kind is EntryKind.RESTRICTED and entry.licence_kind not in catalogue.licence_kinds:
            violations.append(
                FieldViolation(f"{path}.licence_kind", "a restricted entry names the licence kind it needs", "PRD-06")
            )
        if entry.kind is EntryKind.PROHIBITED and entry.licence_kind:
            violations.append(FieldViolation(f"{path}.licence_kind", "a prohibited entry admits no licence", "PRD-06"))
        if not entry.basis.strip() or len(entry.basis) > MAX_BASIS:
            violations.append(
                FieldViolation(f"{path}.basis", f"is required (the law or policy, at most {MAX_BASIS} characters)", "PRD-06")
            )
    if violations:
        raise InvalidArgument(violations)


@dataclass(frozen=True)
class _CompiledEntry:
    entry: Entry
    keywords: tuple[tuple[str, str], ...]
    """(folded, as written)."""
    allow: tuple[str, ...]
    """Folded, longest first."""


class CompiledList:
    """A version ready to match: keywords and allow phrases folded once."""

    def __init__(self, source: ProhibitedList, normaliser: Normaliser | None = None) -> None:
        self.source = source
        self.version = source.version
        self._fold = (normaliser or get_normaliser()).normalise
        self._entries = tuple(
            _CompiledEntry(
                entry,
                tuple((self._fold(k), k) for k in entry.keywords if self._fold(k)),
                tuple(sorted({self._fold(a) for a in entry.allow if self._fold(a)}, key=len, reverse=True)),
            )
            for entry in source.entries
        )

    def match(self, category: str, texts: Mapping[str, str]) -> list[ListHit]:
        """Every entry the product matches, in list order, each once: by its category (the
        product's or an ancestor) first, else by the first keyword found in `texts`
        (field path -> text, in the order the caller wants them named)."""
        folded = {path: self._fold(text) for path, text in texts.items()}
        hits = []
        for compiled in self._entries:
            hit = self._match_entry(compiled, category, folded)
            if hit is not None:
                hits.append(hit)
        return hits

    def _match_entry(self, compiled: _CompiledEntry, category: str, folded: Mapping[str, str]) -> ListHit | None:
        entry = compiled.entry
        for key in entry.categories:
            if category == key or category.startswith(key + "."):
                return ListHit(self.version, entry, key, "details.category")
        for path, text in folded.items():
            for phrase in compiled.allow:
                text = text.replace(phrase, SEPARATOR)
            for keyword, written in compiled.keywords:
                if keyword in text:
                    return ListHit(self.version, entry, written, path)
        return None


@dataclass(frozen=True)
class Listed:
    """A listed product as the re-check sees it."""

    product_id: str
    merchant_id: str
    category: str
    texts: Mapping[str, str]
    licensed_kinds: frozenset[str] = frozenset()
    """The licence kinds it holds on file and valid at the moment of the re-check."""


def recheck(compiled: CompiledList, products: Iterable[Listed]) -> list[tuple[Listed, ListHit]]:
    """PRD-06: the listed products a newly published version takes down, each with the entry
    that does: the first prohibiting one, else the first restricting one whose licence the
    product does not hold. The publication delists them in the same step."""
    found = []
    for product in products:
        hits = compiled.match(product.category, product.texts)
        prohibiting = [h for h in hits if h.entry.kind is EntryKind.PROHIBITED]
        unlicensed = [h for h in hits if h.entry.kind is EntryKind.RESTRICTED and h.entry.licence_kind not in product.licensed_kinds]
        if prohibiting or unlicensed:
            found.append((product, (prohibiting or unlicensed)[0]))
    return found
