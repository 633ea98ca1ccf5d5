"""What a room shows with a product: where its link goes (PRD-05) and the perishables treatment
(PRD-09).

A link leads to the platform's own shop or to a configured trading platform (a host or its
subdomain: "item.jd.com" is 京东, "evil-jd.com" and "jd.com.example.cn" are not); a link that
leaves is flagged and carries the notice the viewer must see. Any other host is refused at
submission: an unknown destination is where viewers get defrauded off the platform. A session's
link resolves to the approved version only. Pure: no I/O, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from services.product.catalogue import Category
from services.product.rules_config import LinkRules, PerishableRules

MAX_LINK = 2048


class LinkRefused(ValueError):
    """A link the rules do not admit; the message says why."""


@dataclass(frozen=True)
class Link:
    url: str
    platform: str
    """The matching configured host, e.g. "jd.com"; the own host for own links."""
    platform_name: str
    """The platform's name for the notice, e.g. "京东"; empty for own links."""
    external: bool
    notice: str
    """What the viewer must see before leaving; empty for own links."""


def _host_matches(host: str, configured: str) -> bool:
    return host == configured or host.endswith("." + configured)


def classify_link(url: str, rules: LinkRules) -> Link:
    """PRD-05: the platform a product link leads to, flagged with its notice when it leaves."""
    if len(url) > MAX_LINK:
        raise LinkRefused(f"is longer than {MAX_LINK} characters")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        raise LinkRefused("is not a URL") from None
    if parts.scheme != "https" or not host:
        raise LinkRefused("must be an https:// URL")
    if parts.username is not None or parts.password is not None:
        raise LinkRefused("must not carry user information")
    for own in rules.own_hosts:
        if _host_matches(host, own):
            return Link(url, own, "", False, "")
    for configured, name in sorted(rules.platforms.items(), key=lambda item: -len(item[0])):
        if _host_matches(host, configured):
            return Link(url, configured, name, True, rules.notice.format(platform=name))
    raise LinkRefused(f"leads to {host}, which is neither the platform's shop nor a known trading platform")


def own_link(product_id: str, rules: LinkRules) -> Link:
    """The platform's own shop page, for a product that names no link."""
    host = rules.own_hosts[0]
    return Link(f"https://{host}/products/{product_id}", host, "", False, "")


@dataclass(frozen=True)
class PerishableTreatment:
    perishable: bool
    notice: str
    strict_after_sales: bool
    claim_window_hours: int


def perishable_treatment(category: Category, rules: PerishableRules) -> PerishableTreatment:
    """PRD-09: perishable food and non-standard farm produce carry a prominent notice (the
    category's own, else the configured default) and a stricter after-sales policy."""
    if not category.perishable:
        return PerishableTreatment(False, "", False, 0)
    return PerishableTreatment(True, category.notice or rules.notice, True, rules.claim_window_hours)


@dataclass(frozen=True)
class LinkResolution:
    approved_version: int
    matches_shown_version: bool
    listed: bool
    """False: the session must not show the link (or must drop it, PRD-10)."""


def resolve_link(*, approved_version: int, shown_version: int, listed: bool) -> LinkResolution:
    """PRD-05: a session's link resolves to the approved version; a session showing another
    version (0 means "whatever is approved") shows a stale product."""
    matches = approved_version > 0 and shown_version in (0, approved_version)
    return LinkResolution(approved_version, matches, listed and approved_version > 0)
