"""The gateway's role policy (PLT-04): data, not code; deny by default; reloaded when it changes.

`Policy.decide(method, role)` answers whether a role may call a full method name
("/package.Service/Method" as gRPC writes it, or without the leading slash).
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from livecommerce.runtime.identity import ROLES
from livecommerce.runtime.reloading import ReloadingFile

DEFAULT_POLICY = Path(__file__).parent / "policy.toml"
ANY_ROLE = "*"


class PolicyError(ValueError):
    """A policy file the gateway refuses to load; the previous policy stays in force."""


@dataclass(frozen=True)
class Rule:
    pattern: str
    roles: frozenset[str]

    @property
    def specificity(self) -> tuple[bool, int]:
        return ("*" not in self.pattern, len(self.pattern.replace("*", "")))


@dataclass(frozen=True)
class Policy:
    rules: tuple[Rule, ...]
    _decisions: dict[tuple[str, str], bool] = field(default_factory=dict, compare=False, repr=False)
    """Memo of decide(): a policy never changes (a reload makes a new one), and a scan of the
    patterns per call would cost more than forwarding the call."""

    @classmethod
    def parse(cls, text: str) -> Policy:
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise PolicyError(f"policy is not valid TOML: {error}") from None
        methods = document.get("methods")
        if not isinstance(methods, dict) or not methods:
            raise PolicyError("policy needs a non-empty [methods] table")
        problems, rules = [], []
        for pattern, roles in methods.items():
            if "/" not in pattern:
                problems.append(f"{pattern!r}: a key is 'package.Service/Method' (wildcards allowed)")
            if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
                problems.append(f"{pattern!r}: roles must be a list of strings")
                continue
            unknown = sorted(set(roles) - set(ROLES) - {ANY_ROLE})
            if unknown:
                problems.append(f"{pattern!r}: unknown roles {unknown}")
            rules.append(Rule(pattern.lstrip("/"), frozenset(roles)))
        if problems:
            raise PolicyError("; ".join(problems))
        return cls(tuple(sorted(rules, key=lambda r: r.specificity, reverse=True)))

    @classmethod
    def load(cls, path: Path = DEFAULT_POLICY) -> Policy:
        return cls.parse(path.read_text())

    def rule_for(self, method: str) -> Rule | None:
        method = method.lstrip("/")
        return next((r for r in self.rules if fnmatch.fnmatchcase(method, r.pattern)), None)

    def decide(self, method: str, role: str) -> bool:
        decision = self._decisions.get((method, role))
        if decision is None:
            rule = self.rule_for(method)
            decision = rule is not None and (role in rule.roles or (ANY_ROLE in rule.roles and role in ROLES))
            if len(self._decisions) < 65536:  # methods x roles is small; unknown methods cannot grow it without bound
                self._decisions[(method, role)] = decision
        return decision


class ReloadingPolicy(ReloadingFile[Policy]):
    """The policy file, re-read when it changes; a bad file keeps the old policy (logged)."""

    def __init__(self, path: Path = DEFAULT_POLICY, *, check_every: float = 0.5) -> None:
        super().__init__(path, lambda data: Policy.parse(data.decode()), check_every=check_every)
