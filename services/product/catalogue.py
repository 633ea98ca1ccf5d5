"""The category tree as reviewed data (`categories.toml` beside this module): which admission
licences a category needs (PRD-02), which goods are perishable (PRD-09), which have no expiry
date (PRD-01), and which are restricted or prohibited outright (PRD-06).

A category inherits from its ancestors, so a rule set on "食品" binds every food. The loader
refuses a malformed file with every problem named, because a typo here would silently let a
licensed category through: better the service does not start.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from types import MappingProxyType


class Status(StrEnum):
    ALLOWED = "allowed"
    RESTRICTED = "restricted"
    PROHIBITED = "prohibited"

    @property
    def rank(self) -> int:
        return ("allowed", "restricted", "prohibited").index(self.value)


class CategoryFileError(ValueError):
    """A malformed category file; the message names every problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Category:
    """One category with everything it inherits already resolved."""

    key: str
    path: tuple[str, ...]
    """Names from the root, e.g. ("食品", "生鲜", "水产海鲜")."""
    licences: frozenset[str]
    perishable: bool
    notice: str
    """The category's own perishable notice; empty means the configured default."""
    has_expiry: bool
    status: Status
    restricted_licences: frozenset[str]
    basis: str
    """Why it is prohibited (the law), for refusals."""
    prohibited_at: str
    """The key of the nearest category that prohibits (this one or an ancestor)."""

    def within(self, key: str) -> bool:
        """Whether this category is `key` or lies below it."""
        return self.key == key or self.key.startswith(key + ".")


@dataclass(frozen=True)
class Catalogue:
    licence_kinds: Mapping[str, str]
    """Licence kind key -> its name, e.g. "food_business" -> "食品经营许可证"."""
    categories: Mapping[str, Category]

    def get(self, key: str) -> Category | None:
        return self.categories.get(key)

    def licence_name(self, kind: str) -> str:
        return self.licence_kinds.get(kind, kind)


_KEYS = {"name", "licences", "perishable", "notice", "has_expiry", "status", "restricted_licence", "basis"}


def _check_entry(key: str, raw: object, licence_kinds: Mapping[str, str], problems: list[str]) -> dict:
    where = f'[categories."{key}"]'
    if not isinstance(raw, dict):
        problems.append(f"{where} is not a table")
        return {}
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        problems.append(f"{where} has unknown keys: {', '.join(unknown)}")
    if not isinstance(raw.get("name"), str) or not raw["name"].strip():
        problems.append(f"{where} needs a name")
    licences = raw.get("licences", [])
    if not isinstance(licences, list) or not all(isinstance(k, str) for k in licences):
        problems.append(f"{where} licences must be a list of licence kinds")
        licences = []
    for kind in licences:
        if kind not in licence_kinds:
            problems.append(f"{where} names an unknown licence kind {kind!r}")
    for flag in ("perishable", "has_expiry"):
        if flag in raw and not isinstance(raw[flag], bool):
            problems.append(f"{where} {flag} must be true or false")
    if "notice" in raw and (not isinstance(raw["notice"], str) or not raw["notice"].strip()):
        problems.append(f"{where} notice must be non-empty text")
    status = raw.get("status", "allowed")
    if status not in {s.value for s in Status}:
        problems.append(f"{where} status must be allowed, restricted or prohibited, not {status!r}")
        status = "allowed"
    restricted = raw.get("restricted_licence", "")
    if status == "restricted":
        if restricted not in licence_kinds:
            problems.append(f"{where} is restricted and needs restricted_licence naming a known licence kind")
    elif restricted:
        problems.append(f"{where} has restricted_licence but is not restricted")
    if status == "prohibited" and not str(raw.get("basis", "")).strip():
        problems.append(f"{where} is prohibited and needs its basis (the law that prohibits it)")
    return {**raw, "licences": licences, "status": status}


def parse(text: str) -> Catalogue:
    """The catalogue in `text`; CategoryFileError naming every problem otherwise."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CategoryFileError([f"not valid TOML: {error}"]) from None
    problems: list[str] = []
    unknown = sorted(set(document) - {"licences", "categories"})
    if unknown:
        problems.append(f"unknown sections: {', '.join(unknown)}")
    kinds = document.get("licences", {})
    if not isinstance(kinds, dict) or not all(k.strip() and isinstance(v, str) and v.strip() for k, v in kinds.items()):
        problems.append("[licences] must map each licence kind to its name")
        kinds = {}
    raw_categories = document.get("categories", {})
    if not isinstance(raw_categories, dict) or not raw_categories:
        problems.append("[categories] is empty")
        raw_categories = {}
    checked = {key: _check_entry(key, raw, kinds, problems) for key, raw in raw_categories.items()}
    for key in checked:
        parent = key.rpartition(".")[0]
        if parent and parent not in checked:
            problems.append(f'[categories."{key}"] has no parent category "{parent}"')
    if problems:
        raise CategoryFileError(problems)
    categories = {key: _resolve(key, checked) for key in sorted(checked)}
    return Catalogue(MappingProxyType(dict(kinds)), MappingProxyType(categories))


def _resolve(key: str, checked: Mapping[str, dict]) -> Category:
    parts = key.split(".")
    chain = [checked[".".join(parts[: i + 1])] for i in range(len(parts))]
    keys = [".".join(parts[: i + 1]) for i in range(len(parts))]
    perishable, has_expiry, notice = False, True, ""
    status, basis, prohibited_at = Status.ALLOWED, "", ""
    licences: set[str] = set()
    restricted: set[str] = set()
    for at, entry in zip(keys, chain):
        licences.update(entry["licences"])
        perishable = entry.get("perishable", perishable)
        has_expiry = entry.get("has_expiry", has_expiry)
        notice = entry.get("notice", notice)
        own = Status(entry["status"])
        if own is Status.RESTRICTED:
            restricted.add(entry["restricted_licence"])
        if own.rank > status.rank:
            status = own
        if own is Status.PROHIBITED and not prohibited_at:
            basis, prohibited_at = entry["basis"], at
    return Category(
        key=key,
        path=tuple(e["name"] for e in chain),
        licences=frozenset(licences),
        perishable=perishable,
        notice=notice if perishable else "",
        has_expiry=has_expiry,
        status=status,
        restricted_licences=frozenset(restricted),
        basis=basis,
        prohibited_at=prohibited_at,
    )


def load(path: Path | None = None) -> Catalogue:
    """The catalogue in `path`, or the reviewed file shipped beside this module."""
    if path is not None:
        return parse(path.read_text(encoding="utf-8"))
    return parse(resources.files(__package__).joinpath("categories.toml").read_text(encoding="utf-8"))
