"""Answers "may this pod open this connection?" from rendered NetworkPolicies, the way the
Kubernetes NetworkPolicy semantics do (additive allow rules; a pod selected by no policy of a
direction is open in that direction), for the subset the manifests use: podSelector and
namespaceSelector by matchLabels, ipBlock-free peers, numeric ports with a protocol. Anything
outside that subset fails loudly rather than being guessed at."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NAMESPACE = "livecommerce"


@dataclass(frozen=True)
class Pod:
    """A pod in the cluster (namespace, labels), or, with namespace None, an address outside it."""

    namespace: str | None
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def namespace_labels(self) -> dict[str, str]:
        return {"kubernetes.io/metadata.name": self.namespace} if self.namespace else {}


OUTSIDE = Pod(None)


def _matches(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    assert set(selector) <= {"matchLabels"}, f"selector outside the supported subset: {selector}"
    return all(labels.get(key) == value for key, value in (selector.get("matchLabels") or {}).items())


def _peer_matches(peer: dict[str, Any], pod: Pod) -> bool:
    assert set(peer) <= {"podSelector", "namespaceSelector"}, f"peer outside the supported subset: {peer}"
    if pod.namespace is None:
        return False  # selectors name pods; an outside address matches only an absent from/to
    if "namespaceSelector" in peer:
        if not _matches(peer["namespaceSelector"], pod.namespace_labels):
            return False
    elif pod.namespace != NAMESPACE:
        return False  # a podSelector alone means pods of the policy's own namespace
    return "podSelector" not in peer or _matches(peer["podSelector"], pod.labels)


def _port_matches(ports: list[dict[str, Any]] | None, port: int, protocol: str) -> bool:
    if not ports:
        return True
    for entry in ports:
        assert isinstance(entry.get("port"), int), f"only numeric ports are modelled: {entry}"
        if entry["port"] == port and entry.get("protocol", "TCP") == protocol:
            return True
    return False


def _direction_allows(policies: list[dict[str, Any]], subject: Pod, peer: Pod, port: int, protocol: str, direction: str) -> bool:
    rules_key, peers_key = ("ingress", "from") if direction == "Ingress" else ("egress", "to")
    selecting = [
        p for p in policies
        if subject.namespace == NAMESPACE
        and direction in p["spec"].get("policyTypes", ["Ingress"])
        and _matches(p["spec"]["podSelector"], subject.labels)
    ]
    if not selecting:
        return True
    for policy in selecting:
        for rule in policy["spec"].get(rules_key) or []:
            peers = rule.get(peers_key)
            if (not peers or any(_peer_matches(peer_spec, peer) for peer_spec in peers)) and _port_matches(
                rule.get("ports"), port, protocol
            ):
                return True
    return False


def allowed(policies: list[dict[str, Any]], source: Pod, destination: Pod, port: int, protocol: str = "TCP") -> bool:
    """Whether `source` may connect to `destination` on `port`: the source's egress policies and
    the destination's ingress policies must both allow it (each where it is in the cluster)."""
    egress_ok = source.namespace is None or _direction_allows(policies, source, destination, port, protocol, "Egress")
    ingress_ok = destination.namespace is None or _direction_allows(policies, destination, source, port, protocol, "Ingress")
    return egress_ok and ingress_ok
