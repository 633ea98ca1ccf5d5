"""`python -m gateway`: run the gateway (wiring only). Settings come from the environment once:

    GATEWAY_UPSTREAMS  anchor=host:port|host:port[,product=...]   each service's replicas (calls go to the active one)
    TLS_CERT_FILE, TLS_KEY_FILE, TLS_CA_FILE                   the gateway's certificate and the platform CA
    CRL_FILE           the CA's revocation list (re-read when it changes)
    CRL_WHEN_STALE     fail-closed (default: refuse client calls while the CRL is past its next update)
                       or fail-open (serve on the stale list); either way logged at ERROR (docs/gateway.md)
    AUDIT_FILE         the hash-chained audit log
    POLICY_FILE        role policy (default: gateway/policy.toml, re-read when it changes)
    GRPC_HOST, GRPC_PORT, LOG_LEVEL
    METRICS_HOST, METRICS_PORT  the ops port: /metrics, /livez, /readyz (plaintext HTTP; default GRPC_HOST, a free port)
    OTEL_TRACES_EXPORTER=console|otlp, OTEL_EXPORTER_OTLP_ENDPOINT, ...  where spans go (livecommerce/runtime/settings.TraceExport)
"""

from __future__ import annotations

import asyncio
import os
import signal
from dataclasses import dataclass
from pathlib import Path

from gateway.audit import AuditLog
from gateway.policy import DEFAULT_POLICY, ReloadingPolicy
from gateway.revocation import FAIL_CLOSED, WHEN_STALE, RevocationList
from gateway.server import start_gateway
from livecommerce.runtime import telemetry
from livecommerce.runtime.heap import freeze_startup_objects
from livecommerce.runtime.settings import TraceExport
from livecommerce.runtime.tls import TlsFiles


@dataclass(frozen=True)
class GatewaySettings:
    upstreams: dict[str, list[str]]
    tls: TlsFiles
    crl: Path
    audit: Path
    crl_when_stale: str = FAIL_CLOSED
    policy: Path = DEFAULT_POLICY
    host: str = "127.0.0.1"
    port: int = 0
    log_level: str = "INFO"
    otel_console: bool = False
    traces: TraceExport = TraceExport()
    metrics_host: str = "127.0.0.1"
    metrics_port: int = 0

    @classmethod
    def from_env(cls, env=os.environ) -> GatewaySettings:
        required = ("GATEWAY_UPSTREAMS", "TLS_CERT_FILE", "TLS_KEY_FILE", "TLS_CA_FILE", "CRL_FILE", "AUDIT_FILE")
        missing = [name for name in required if not env.get(name)]
        if missing:
            raise SystemExit(f"gateway: missing environment variables: {', '.join(missing)}")
        when_stale = env.get("CRL_WHEN_STALE") or FAIL_CLOSED
        if when_stale not in WHEN_STALE:
            raise SystemExit(f"gateway: CRL_WHEN_STALE must be one of {', '.join(WHEN_STALE)}, not {when_stale!r}")
        upstreams = {
            service: targets.split("|") for service, targets in (pair.split("=", 1) for pair in env["GATEWAY_UPSTREAMS"].split(","))
        }
        return cls(
            upstreams=upstreams,
            tls=TlsFiles(cert=Path(env["TLS_CERT_FILE"]), key=Path(env["TLS_KEY_FILE"]), ca=Path(env["TLS_CA_FILE"])),
            crl=Path(env["CRL_FILE"]),
            audit=Path(env["AUDIT_FILE"]),
            crl_when_stale=when_stale,
            policy=Path(env.get("POLICY_FILE") or DEFAULT_POLICY),
            host=env.get("GRPC_HOST", "127.0.0.1"),
            port=int(env.get("GRPC_PORT", "0")),
            log_level=env.get("LOG_LEVEL", "INFO"),
            otel_console=TraceExport.from_env(env).exporter == "console",
            traces=TraceExport.from_env(env),
            metrics_host=env.get("METRICS_HOST") or env.get("GRPC_HOST", "127.0.0.1"),
            metrics_port=int(env.get("METRICS_PORT", "0")),
        )


async def serve(settings: GatewaySettings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    audit = AuditLog(settings.audit)
    gateway, server = await start_gateway(
        upstreams=settings.upstreams,
        tls=settings.tls,
        policy=ReloadingPolicy(settings.policy),
        audit=audit,
        revocations=RevocationList(settings.crl, settings.tls.ca, when_stale=settings.crl_when_stale),
        host=settings.host,
        port=settings.port,
        metrics_host=settings.metrics_host,
        metrics_port=settings.metrics_port,
    )
    freeze_startup_objects()
    assert gateway.ops is not None
    print(f"gateway metrics on http://{settings.metrics_host}:{gateway.ops.port}/metrics", flush=True)
    print(f"gateway ready on {settings.host}:{server.port}", flush=True)
    await stop.wait()
    await server.stop(5)
    await gateway.close()
    await audit.close()


def main() -> None:
    settings = GatewaySettings.from_env()
    telemetry.configure_logging(settings.log_level, service="gateway")
    telemetry.configure_tracing("gateway", exporter=telemetry.exporter_for(settings.traces))
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()
