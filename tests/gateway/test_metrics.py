"""The gateway's ops port (issue 17) in front of a real anchor service over real mutual TLS: every
call counted by target service, method and code; refusals, audit writes and the CRL; and the
alert rules and dashboard checked against what a real service and gateway export."""

from __future__ import annotations

import contextlib
import json
import re
import uuid
from pathlib import Path

import grpc
import pytest
import yaml

from gateway.__main__ import GatewaySettings
from gateway.audit import AuditLog
from gateway.policy import ReloadingPolicy
from gateway.revocation import RevocationList
from gateway.server import start_gateway
from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import anchor_pb2_grpc
from livecommerce.runtime.certificates import load_certificate
from tests.conftest import bounded, client_tls, server_tls
from tests.metrics_support import get, metric_names_in, scrape

ROOT = Path(__file__).resolve().parents[2]
MONITORING = ROOT / "deploy" / "k8s" / "base" / "monitoring"
GET_ANCHOR = "/livecommerce.anchor.v1.AnchorService/GetAnchor"
REVIEW = "/livecommerce.anchor.v1.AnchorService/ReviewAnchorFile"


@contextlib.asynccontextmanager
async def gateway_with_ops(anchor_port: int, pki, audit_path: Path):
    """(the Gateway, its address): start_gateway as `python -m gateway` runs it, ops port included."""
    audit = AuditLog(audit_path)
    gateway, server = await start_gateway(
        upstreams={"anchor": [f"127.0.0.1:{anchor_port}"]}, tls=server_tls(pki, "gateway"), policy=ReloadingPolicy(), audit=audit,
        revocations=RevocationList(pki["crl"], pki["ca_cert"], check_every=0),
    )  # fmt: skip
    try:
        yield gateway, f"127.0.0.1:{server.port}"
    finally:
        await bounded(server.stop(0.5), "stop the gateway")
        await gateway.close()
        with contextlib.suppress(OSError):
            await audit.close()


def anchors(address: str, pki, role: str) -> tuple[grpc.aio.Channel, anchor_pb2_grpc.AnchorServiceStub]:
    channel = grpc.aio.secure_channel(address, client_tls(pki, role).channel_credentials())
    return channel, anchor_pb2_grpc.AnchorServiceStub(channel)


async def test_PLT_05_every_call_through_the_gateway_is_counted_by_service_method_and_code(anchor_service, pki, tmp_path):
    async with gateway_with_ops(anchor_service.port, pki, tmp_path / "audit.log") as (gateway, address):
        port = gateway.ops.port
        assert await get(port, "/livez") == (200, "alive\n") and (await get(port, "/readyz"))[0] == 200
        channel, officer = anchors(address, pki, "compliance_officer")
        async with channel:
            for _ in range(2):
                with pytest.raises(grpc.aio.AioRpcError) as missing:
                    await officer.GetAnchor(pb.GetAnchorRequest(anchor_id=str(uuid.uuid4())))
            with pytest.raises(grpc.aio.AioRpcError) as unserved:  # a name a client made up
                await channel.unary_unary("/scanner.v1.Probe/Try" + uuid.uuid4().hex)(b"")
        channel, agency = anchors(address, pki, "agency")
        async with channel:
            with pytest.raises(grpc.aio.AioRpcError) as denied:
                await agency.ReviewAnchorFile(pb.ReviewAnchorFileRequest(request_id="r-1", anchor_id=str(uuid.uuid4()), version=1))
        assert (missing.value.code(), unserved.value.code(), denied.value.code()) == (
            grpc.StatusCode.NOT_FOUND, grpc.StatusCode.UNIMPLEMENTED, grpc.StatusCode.PERMISSION_DENIED,
        )  # fmt: skip
        scraped = await scrape(port)
    calls = "livecommerce_gateway_requests_total"
    assert scraped.value(calls, service="anchor", method=GET_ANCHOR, code="NOT_FOUND") == 2  # the service's answer
    assert scraped.value(calls, service="anchor", method=REVIEW, code="PERMISSION_DENIED") == 1  # the gateway's own
    assert scraped.value(calls, service="unknown", method="unknown", code="UNIMPLEMENTED") == 1  # no series per made-up name
    assert scraped.value("livecommerce_gateway_request_duration_seconds_count", service="anchor", method=GET_ANCHOR) == 2
    assert scraped.value("livecommerce_gateway_refusals_total", code="PERMISSION_DENIED") == 1
    assert scraped.value("livecommerce_gateway_refusals_total", code="NOT_FOUND") is None  # refused upstream, not here
    assert scraped.value("livecommerce_gateway_audit_write_duration_seconds_count") == 4  # one entry per call
    assert scraped.value("livecommerce_gateway_audit_refusals_total") == 0
    crl = scraped.value("livecommerce_gateway_crl_age_seconds")
    assert crl is not None and crl >= 0 and scraped.value("livecommerce_gateway_crl_next_update_timestamp_seconds") > 0
    not_after = load_certificate(server_tls(pki, "gateway").cert.read_bytes()).not_valid_after_utc.timestamp()
    assert scraped.value("livecommerce_tls_certificate_expiry_timestamp_seconds", service="gateway", file="cert") == not_after


async def test_PLT_05_calls_the_audit_log_cannot_record_are_refused_and_counted(anchor_service, pki):
    async with gateway_with_ops(anchor_service.port, pki, Path("/dev/full")) as (gateway, address):
        channel, officer = anchors(address, pki, "compliance_officer")
        async with channel:
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await officer.GetAnchor(pb.GetAnchorRequest(anchor_id=str(uuid.uuid4())))
        assert refused.value.code() == grpc.StatusCode.UNAVAILABLE and "PLT-05" in refused.value.details()
        scraped = await scrape(gateway.ops.port)
    assert scraped.value("livecommerce_gateway_audit_refusals_total") == 1
    assert scraped.value("livecommerce_gateway_requests_total", service="anchor", method=GET_ANCHOR, code="UNAVAILABLE") == 1


def test_the_gateway_settings_read_the_ops_port_and_the_otel_variables():
    env = {
        "GATEWAY_UPSTREAMS": "anchor=127.0.0.1:1", "TLS_CERT_FILE": "c", "TLS_KEY_FILE": "k", "TLS_CA_FILE": "a", "CRL_FILE": "crl",
        "AUDIT_FILE": "audit", "METRICS_PORT": "9464", "OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://otel:4317",
    }  # fmt: skip
    settings = GatewaySettings.from_env(env)
    assert (settings.metrics_port, settings.traces.exporter, settings.traces.endpoint) == (9464, "otlp", "http://otel:4317")


# --- the alert rules and the dashboard name only what the processes export ---------------------


def alert_rules() -> list[dict]:
    manifest = yaml.safe_load((MONITORING / "prometheusrule.yaml").read_text())
    assert manifest["kind"] == "PrometheusRule" and manifest["apiVersion"] == "monitoring.coreos.com/v1"
    return [rule for group in manifest["spec"]["groups"] for rule in group["rules"]]


def dashboard_queries() -> list[tuple[str, str]]:
    dashboard = json.loads((MONITORING / "dashboard.json").read_text())
    panels = [p for row in dashboard["panels"] for p in (row.get("panels") or [row])]
    return [(panel["title"], target["expr"]) for panel in panels for target in panel.get("targets", [])]


def runbook_anchors() -> set[str]:
    """GitHub's anchors of docs/operations.md's headings."""
    headings = re.findall(r"^#+ (.+)$", (ROOT / "docs" / "operations.md").read_text(), flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}


async def test_every_alert_and_dashboard_query_names_metrics_a_real_service_and_gateway_export(anchor_service, pki, tmp_path):
    async with gateway_with_ops(anchor_service.port, pki, tmp_path / "audit.log") as (gateway, _):
        exported = (await scrape(anchor_service.ops.port)).exported_names() | (await scrape(gateway.ops.port)).exported_names()
    rules = alert_rules()
    assert len(rules) >= 8
    for rule in rules:
        used = metric_names_in([rule["expr"]])
        assert used, f"{rule['alert']} names none of our metrics"
        assert used <= exported, f"{rule['alert']} names metrics nobody exports: {sorted(used - exported)}"
    queries = dashboard_queries()
    assert queries
    for title, expression in queries:
        used = metric_names_in([expression])
        assert used and used <= exported, f"panel {title!r} names metrics nobody exports: {sorted(used - exported)}"


def test_every_alert_has_a_severity_and_a_runbook_section_in_docs_operations():
    anchors_in_doc = runbook_anchors()
    for rule in alert_rules():
        assert rule["labels"]["severity"] in ("critical", "warning"), rule["alert"]
        url = rule["annotations"]["runbook_url"]
        assert "docs/operations.md#" in url, rule["alert"]
        assert url.rsplit("#", 1)[1] in anchors_in_doc, f"{rule['alert']}: no section {url.rsplit('#', 1)[1]} in docs/operations.md"
        assert rule["annotations"]["summary"] and rule["annotations"]["description"]


def test_the_monitoring_kustomization_lists_the_rules_and_the_dashboard_configmap():
    kustomization = yaml.safe_load((MONITORING / "kustomization.yaml").read_text())
    assert "prometheusrule.yaml" in kustomization["resources"]
    [generated] = kustomization["configMapGenerator"]
    assert generated["files"] == ["dashboard.json"]
    assert generated["options"]["labels"]["grafana_dashboard"] == "1"
