"""The product service's rules as configuration: submission bounds (PRD-01), the crossed-out price
window (PRD-08), the perishables notice and claim window (PRD-09) and the trading platforms a link
may lead to (PRD-05). Read once at start-up from the TOML file named by RULES_FILE; `rules.toml`
beside this module holds the defaults, and a test keeps it equal to the code's."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from livecommerce.runtime.rules_file import section

DEFAULTS_FILE = Path(__file__).with_name("rules.toml")

DEFAULT_PLATFORMS = MappingProxyType(
    {
        "jd.com": "京东",
        "taobao.com": "淘宝",
        "tmall.com": "天猫",
        "pinduoduo.com": "拼多多",
        "yangkeduo.com": "拼多多",
        "douyin.com": "抖音商城",
        "kuaishou.com": "快手小店",
    }
)


@dataclasses.dataclass(frozen=True)
class SubmissionRules:
    price_ceiling_fen: int = 100_000_000
    """A price above this (1,000,000 yuan) is refused as absurd (PRD-01)."""
    max_title_chars: int = 60
    max_text_chars: int = 2000
    """Origin, producer, performance and use, specification, ingredients, description."""
    max_images: int = 20
    max_ip_rights: int = 20
    max_licences: int = 20


@dataclasses.dataclass(frozen=True)
class PricingRules:
    reference_window_days: int = 7
    """A crossed-out price must have been a real selling price within this many days before (PRD-08)."""


@dataclasses.dataclass(frozen=True)
class PerishableRules:
    notice: str = "生鲜易腐商品：品质易因物流运输受损，请收货时当场验货；如有损坏、变质，请于签收后 48 小时内联系客服处理。"
    """What a room shows for a perishable product whose category has no notice of its own (PRD-09)."""
    claim_window_hours: int = 48
    """Quality claims are accepted this long after delivery, without a return (PRD-09)."""


@dataclasses.dataclass(frozen=True)
class LinkRules:
    own_hosts: tuple[str, ...] = ("shop.livecommerce.example",)
    """The platform's own shop: links to it stay on the platform."""
    platforms: Mapping[str, str] = dataclasses.field(default_factory=lambda: DEFAULT_PLATFORMS)
    """Other trading platforms a link may lead to, host -> name (subdomains included) (PRD-05)."""
    notice: str = "该商品链接将跳转至第三方交易平台「{platform}」，交易及售后在该平台完成，请注意核实商品与直播展示是否一致。"
    """What a viewer sees before a link leaves for another platform; {platform} is its name."""


@dataclasses.dataclass(frozen=True)
class ProductRules:
    submission: SubmissionRules = dataclasses.field(default_factory=SubmissionRules)
    pricing: PricingRules = dataclasses.field(default_factory=PricingRules)
    perishables: PerishableRules = dataclasses.field(default_factory=PerishableRules)
    links: LinkRules = dataclasses.field(default_factory=LinkRules)


def _build(cls, name_of_section: str, values: dict, **converted):
    """The shared section builder, after checking each value has its default's type (a product
    rule is a count, an amount or a text, never a float where an int belongs)."""
    known = {f.name for f in dataclasses.fields(cls)}
    for name, value in values.items():
        if name in converted or name not in known:
            continue
        default = getattr(cls(), name)
        if type(value) is not type(default):
            raise ValueError(f"[{name_of_section}] {name} must be {type(default).__name__}, not {value!r}")
        if isinstance(value, int) and value <= 0:
            raise ValueError(f"[{name_of_section}] {name} must be positive")
    return section(cls, name_of_section, values, **converted)


def parse(text: str) -> ProductRules:
    """Every section is optional; a missing key keeps its default; an unknown one is an error."""
    document = tomllib.loads(text)
    unknown = sorted(set(document) - {"submission", "pricing", "perishables", "links"})
    if unknown:
        raise ValueError(f"unknown sections: {', '.join(unknown)}")
    links = dict(document.get("links", {}))
    converted: dict = {}
    if "own_hosts" in links:
        converted["own_hosts"] = tuple(str(h).lower() for h in links["own_hosts"])
    if "platforms" in links:
        converted["platforms"] = MappingProxyType({str(h).lower(): str(n) for h, n in links["platforms"].items()})
    notice = links.get("notice", "{platform}")
    if isinstance(notice, str) and "{platform}" not in notice:  # not text: _build names the type
        raise ValueError("[links] notice must name the platform with {platform}")
    return ProductRules(
        submission=_build(SubmissionRules, "submission", dict(document.get("submission", {}))),
        pricing=_build(PricingRules, "pricing", dict(document.get("pricing", {}))),
        perishables=_build(PerishableRules, "perishables", dict(document.get("perishables", {}))),
        links=_build(LinkRules, "links", links, **converted),
    )


def load(path: Path | None) -> ProductRules:
    """The rules in `path`, or the defaults when no file is configured."""
    return parse(path.read_text(encoding="utf-8")) if path else ProductRules()
