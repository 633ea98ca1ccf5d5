"""Process settings, built once from the environment in `__main__` and passed down (style.md, habit 5).

Nothing else in the code base reads `os.environ`. Tests construct `Settings` directly.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from livecommerce.runtime.tls import TlsFiles

DEFAULT_LEASE_TTL_SECONDS = 2.0
TRACE_EXPORTERS = ("none", "console", "otlp")
DEFAULT_OTLP_ENDPOINT = "http://localhost:4317"
"""OpenTelemetry's default for OTLP over gRPC."""


class Secret:
    """A value that never shows itself in `repr`, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: bytes) -> None:
        self._value = value

    def reveal(self) -> bytes:
        return self._value

    def __repr__(self) -> str:
        return "Secret(****)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def default_replica_id() -> str:
    """Host and process: unique among the replicas of one service."""
    return f"{os.uname().nodename}-{os.getpid()}"


@dataclass(frozen=True)
class TraceExport:
    """Where finished spans go, from OpenTelemetry's standard variables (read here, like every
    other variable): OTEL_TRACES_EXPORTER (none, the default: nothing recorded; console: JSON on
    stderr, the local stack's choice; otlp: OTLP over gRPC to a collector),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_INSECURE,
    OTEL_EXPORTER_OTLP_CERTIFICATE and OTEL_EXPORTER_OTLP_HEADERS (k=v,k=v; often a credential)."""

    exporter: str = "none"
    endpoint: str = DEFAULT_OTLP_ENDPOINT
    insecure: bool | None = None
    """None: as the endpoint's scheme says (http:// plaintext, https:// TLS)."""
    certificate: Path | None = None
    headers: Secret | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TraceExport:
        names = [n.strip().lower() for n in (env.get("OTEL_TRACES_EXPORTER") or "none").split(",") if n.strip()]
        exporter = next((n for n in names if n != "none"), "none")
        if exporter not in TRACE_EXPORTERS or len({n for n in names if n != "none"}) > 1:
            raise SystemExit(f"OTEL_TRACES_EXPORTER must be one of {', '.join(TRACE_EXPORTERS)}, not {env.get('OTEL_TRACES_EXPORTER')!r}")
        insecure = (env.get("OTEL_EXPORTER_OTLP_TRACES_INSECURE") or env.get("OTEL_EXPORTER_OTLP_INSECURE") or "").strip().lower()
        certificate = env.get("OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE") or env.get("OTEL_EXPORTER_OTLP_CERTIFICATE")
        headers = env.get("OTEL_EXPORTER_OTLP_TRACES_HEADERS") or env.get("OTEL_EXPORTER_OTLP_HEADERS")
        return cls(
            exporter=exporter,
            endpoint=env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or DEFAULT_OTLP_ENDPOINT,
            insecure={"true": True, "false": False}.get(insecure),
            certificate=Path(certificate) if certificate else None,
            headers=Secret(headers.encode()) if headers else None,
        )


@dataclass(frozen=True)
class Settings:
    service: str
    """Service name, e.g. "anchor": names the database schema, the stream and the NATS subjects."""

    database_url: str
    """asyncpg DSN, e.g. postgresql://user@127.0.0.1:5432/livecommerce."""

    nats_url: str
    """NATS server URL with JetStream enabled, e.g. nats://127.0.0.1:4222."""

    pii_key: Secret
    """32-byte AES-256-GCM key for personal information at rest (PLT-06)."""

    tls: TlsFiles | None = None
    """Server certificate, key and the CA that client certificates must chain to; None only in plumbing tests."""

    grpc_host: str = "127.0.0.1"
    grpc_port: int = 0
    """0 picks a free port (tests); the chosen port is logged."""

    replica_id: str = field(default_factory=default_replica_id)
    """Names this process among the replicas of one service (active/standby)."""

    subject_root: str = "lc"
    """First token of every subject and the stream-name prefix; tests use a unique one per run."""

    stream_replicas: int = 1
    """JetStream replicas of each service's stream: 1 on a single server (local stack, tests), 3 on
    a cluster of three, so a lost server leaves every stream available (deploy/k8s sets it)."""

    lease_ttl_seconds: float = DEFAULT_LEASE_TTL_SECONDS
    """How long the active replica's lease lasts unrenewed: the failover time (PLT-03)."""

    rules_file: Path | None = None
    """The service's business-rule configuration (thresholds, durations, weights); None: the defaults."""

    retention_minimums: Mapping[str, str] = field(default_factory=dict)
    """Record kind -> minimum age (a PostgreSQL interval, e.g. "90 days") where it is to be kept
    longer than its rule's default (SES-07, TRD-02); shorter than the rule stops the start-up."""
    retention_purge_seconds: float = 300.0
    """How often the active replica purges records past their minimum."""
    retention_batch_rows: int = 1000
    """Rows per purge transaction: bounds lock time and a transaction's size."""

    db_pool_size: int = 10
    log_level: str = "INFO"
    otel_console: bool = False
    """Print finished spans as JSON on stderr (no collector needed in development)."""
    traces: TraceExport = field(default_factory=TraceExport)
    """Where spans are exported (OTEL_* variables); `otel_console` is its console case."""

    metrics_host: str = "127.0.0.1"
    metrics_port: int = 0
    """The ops port (plaintext HTTP: /metrics, /livez, /readyz); 0 picks a free port (tests), logged."""

    @property
    def session_limits(self) -> dict[str, str]:
        """PostgreSQL limits for this process's sessions, derived from the lease TTL (PLT-03)."""
        return session_limits(self.lease_ttl_seconds)

    @property
    def stream_name(self) -> str:
        return self.stream_for(self.service)

    def stream_for(self, service: str) -> str:
        """The stream holding every event of `service` (each service's own, or one it consumes)."""
        return f"{self.subject_root}_{service}".upper().replace(".", "_").replace("-", "_")

    @property
    def schema(self) -> str:
        return self.service

    @classmethod
    def from_env(cls, service: str, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        required = ("DATABASE_URL", "NATS_URL", "PII_KEY", "TLS_CERT_FILE", "TLS_KEY_FILE", "TLS_CA_FILE")
        missing = [name for name in required if not env.get(name)]
        if missing:
            raise SystemExit(f"{service}: missing environment variables: {', '.join(missing)}")
        return cls(
            service=service,
            database_url=env["DATABASE_URL"],
            nats_url=env["NATS_URL"],
            pii_key=Secret(decode_key(env["PII_KEY"])),
            tls=TlsFiles(cert=Path(env["TLS_CERT_FILE"]), key=Path(env["TLS_KEY_FILE"]), ca=Path(env["TLS_CA_FILE"])),
            grpc_host=env.get("GRPC_HOST", "127.0.0.1"),
            grpc_port=int(env.get("GRPC_PORT", "0")),
            replica_id=env.get("REPLICA_ID") or default_replica_id(),
            subject_root=env.get("SUBJECT_ROOT", "lc"),
            rules_file=Path(env["RULES_FILE"]) if env.get("RULES_FILE") else None,
            db_pool_size=int(env.get("DB_POOL_SIZE", "10")),
            stream_replicas=int(env.get("NATS_STREAM_REPLICAS", "1")),
            retention_minimums=parse_minimums(env.get("RETENTION_MINIMUMS", "")),
            retention_purge_seconds=float(env.get("RETENTION_PURGE_SECONDS", "300")),
            retention_batch_rows=int(env.get("RETENTION_BATCH_ROWS", "1000")),
            lease_ttl_seconds=float(env.get("LEASE_TTL_SECONDS", DEFAULT_LEASE_TTL_SECONDS)),
            log_level=env.get("LOG_LEVEL", "INFO"),
            otel_console=TraceExport.from_env(env).exporter == "console",
            traces=TraceExport.from_env(env),
            metrics_host=env.get("METRICS_HOST") or env.get("GRPC_HOST", "127.0.0.1"),
            metrics_port=int(env.get("METRICS_PORT", "0")),
        )


def session_limits(lease_ttl_seconds: float) -> dict[str, str]:
    """Bounds on every service transaction, so a stalled replica (SIGSTOP, a long pause, a lost
    client) cannot hold row locks, the lease row's above all, for much longer than one lease TTL:
    PostgreSQL ends a session idle in a transaction after one TTL, gives up a lock wait after one
    TTL and a statement after five (the lease renewal and the fence set tighter ones locally)."""
    ttl_ms = max(1, round(lease_ttl_seconds * 1000))
    return {
        "idle_in_transaction_session_timeout": str(ttl_ms),
        "lock_timeout": str(ttl_ms),
        "statement_timeout": str(5 * ttl_ms),
    }


def parse_minimums(text: str) -> dict[str, str]:
    """RETENTION_MINIMUMS, e.g. "room_updates=90 days; orders=4 years" (checked against the rules
    at start-up, where the record kinds are known)."""
    minimums = {}
    for entry in filter(None, (part.strip() for part in text.split(";"))):
        kind, sep, interval = entry.partition("=")
        if not sep or not kind.strip() or not interval.strip():
            raise SystemExit(f"RETENTION_MINIMUMS: {entry!r} is not kind=interval")
        minimums[kind.strip()] = interval.strip()
    return minimums


def decode_key(text: str) -> bytes:
    """PII_KEY is 32 bytes, base64-encoded (urlsafe or standard)."""
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError as error:
        raise SystemExit(f"PII_KEY is not base64: {error}") from None
    if len(key) != 32:
        raise SystemExit(f"PII_KEY must decode to 32 bytes, got {len(key)}")
    return key
