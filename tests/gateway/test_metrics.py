"""The gateway's ops port (issue 17) in front of a real anchor service over real mutual TLS: every
call counted by target service, method and code; refusals, audit writes and the CRL; and the
alert rules, the dashboard and docs/operations.md's metric table checked against what every real
service and the gateway export."""

from __future__ import annotations

import contextlib
import fnmatch
import json
import re
import uuid
from pathlib import Path

import grpc
import pytest
import yaml

from gateway.__main__ import GatewaySettings
from gateway.audit import AuditLog
from gateway.metrics import REFUSAL_CODES
from gateway.policy import ReloadingPolicy
from gateway.revocation import RevocationList
from gateway.server import start_gateway
from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import anchor_pb2_grpc
from livecommerce.runtime.certificates import load_certificate
from services.complaint.service import DEFINITION as COMPLAINT
from services.product.service import DEFINITION as PRODUCT
from services.session.service import DEFINITION as SESSION
from services.trade.service import DEFINITION as TRADE
from tests.conftest import bounded, client_tls, server_tls, service_running, service_settings
from tests.metrics_support import Scrape, get, metric_names_in, scrape

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


OTHER_SERVICES = {"complaint": COMPLAINT, "product": PRODUCT, "session": SESSION, "trade": TRADE}


@pytest.fixture
async def every_process_scraped(anchor_service, settings, clock, pki, tmp_path) -> dict[str, Scrape]:
    """process -> its first /metrics: each of the five services (one replica each, on the test's
    database and NATS) and the gateway in front of anchor, freshly started."""
    scraped = {"anchor": await scrape(anchor_service.ops.port)}
    async with contextlib.AsyncExitStack() as stack:
        for name, definition in OTHER_SERVICES.items():
            running = await stack.enter_async_context(
                service_running(definition, service_settings(name, settings.database_url, settings.nats_url, settings.subject_root, pki), clock)
            )
            assert running.ops is not None
            scraped[name] = await scrape(running.ops.port)
        gateway, _ = await stack.enter_async_context(gateway_with_ops(anchor_service.port, pki, tmp_path / "audit.log"))
        scraped["gateway"] = await scrape(gateway.ops.port)
    return scraped


def metric_table() -> dict[str, set[str] | None]:
    """docs/operations.md's metric table: family (as queried: counters with `_total`) -> its labels
    as written (`{service,code}`), None for a row that names none (`process_*`)."""
    doc = (ROOT / "docs" / "operations.md").read_text()
    table = doc.split("| Family | Type | Meaning |", 1)[1].split("\n\n", 1)[0]
    rows: dict[str, set[str] | None] = {}
    for line in table.splitlines()[2:]:
        first_cell = line.split("|")[1]
        for name, labels in re.findall(r"`([a-z_*]+)(?:\{([a-z_,]*)\})?`", first_cell):
            rows[name] = set(labels.split(",")) if labels else (None if "*" in name else set())
    return rows


def queried_name(family) -> str:
    return family.name + "_total" if family.type == "counter" else family.name


async def test_every_family_every_process_exports_is_in_the_docs_table_with_its_labels(every_process_scraped):
    table = metric_table()
    assert "livecommerce_patrol_counted_sessions" in every_process_scraped["session"].families
    assert "livecommerce_patrol_speaker_windows" in every_process_scraped["session"].families
    for process, scraped in every_process_scraped.items():
        for family in scraped.families.values():
            name = queried_name(family)
            row = next((pattern for pattern in table if fnmatch.fnmatchcase(name, pattern)), None)
            assert row is not None, f"{name} ({process}) is not in docs/operations.md's metric table"
            labels = {label for sample in family.samples for label in sample.labels} - {"le", "quantile"}
            if family.samples and table[row] is not None:
                assert labels == table[row], f"{name} ({process}) has labels {sorted(labels)}, docs/operations.md says {sorted(table[row])}"


async def test_every_alert_and_dashboard_query_names_metrics_every_real_process_exports(every_process_scraped):
    exported = set().union(*(scraped.exported_names() for scraped in every_process_scraped.values()))
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


async def test_counters_the_dashboard_and_alerts_rate_are_exported_at_zero_from_the_start(every_process_scraped):
    """`increase()` and `rate()` miss the first increments of a series that appears already non-zero."""
    gateway = every_process_scraped["gateway"]
    for code in REFUSAL_CODES:
        assert gateway.value("livecommerce_gateway_refusals_total", service="gateway", code=code.name) == 0, code
    for process, scraped in every_process_scraped.items():
        if process == "gateway":
            continue  # no scrape-time queries
        for what in ("outbox backlog", "consumer info"):
            assert scraped.value("livecommerce_metrics_refresh_failures_total", service=process, what=what) == 0, (process, what)


def test_the_refusal_codes_exported_at_zero_are_every_code_the_gateway_refuses_with():
    """Every `Refused(grpc.StatusCode.X` the gateway decides itself (admission) and every revocation refusal."""
    sources = "".join((ROOT / "gateway" / name).read_text() for name in ("admission.py", "revocation.py"))
    refused = set(re.findall(r"(?:Refused|Refusal)\(\s*grpc\.StatusCode\.([A-Z_]+)", sources))
    refused |= set(re.findall(r"StatusCode\.([A-Z_]+) if context\.cancelled\(\) else grpc\.StatusCode\.([A-Z_]+)", sources)[0])
    refused.add("UNAVAILABLE")  # the audit log cannot record the call (admission's _record)
    assert refused <= {code.name for code in REFUSAL_CODES}


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
