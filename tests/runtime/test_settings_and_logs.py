"""Settings come from the environment once and hide secrets; logs are JSON lines."""

from __future__ import annotations

import base64
import json
import logging

import pytest

from livecommerce.runtime.settings import Settings
from livecommerce.runtime.telemetry import JsonFormatter

KEY = base64.urlsafe_b64encode(b"k" * 32).decode()
ENV = {
    "DATABASE_URL": "postgresql://u@h/db",
    "NATS_URL": "nats://h:4222",
    "PII_KEY": KEY,
    "TLS_CERT_FILE": "/tls/tls.crt",
    "TLS_KEY_FILE": "/tls/tls.key",
    "TLS_CA_FILE": "/tls/ca.crt",
}


def test_settings_from_env_and_the_key_never_shows():
    settings = Settings.from_env("anchor", ENV)
    assert settings.pii_key.reveal() == b"k" * 32
    assert KEY not in repr(settings) and "kkkk" not in repr(settings)
    assert settings.subject_root == "lc" and settings.schema == "anchor"
    assert settings.stream_name == "LC_ANCHOR"


def test_missing_settings_are_named():
    with pytest.raises(SystemExit, match="PII_KEY, TLS_CERT_FILE"):
        Settings.from_env("anchor", {k: v for k, v in ENV.items() if k not in ("PII_KEY", "TLS_CERT_FILE")})


def test_a_short_pii_key_is_refused():
    with pytest.raises(SystemExit, match="32 bytes"):
        Settings.from_env("anchor", {**ENV, "PII_KEY": base64.b64encode(b"short").decode()})


def test_log_records_are_json_with_extra_fields():
    record = logging.makeLogRecord({"msg": "refused %s", "args": ("x",), "levelname": "INFO", "name": "t", "method": "/a/B"})
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "refused x" and entry["method"] == "/a/B" and entry["level"] == "INFO"


def test_PLT_03_stream_replicas_come_from_the_environment_and_default_to_one():
    assert Settings.from_env("anchor", ENV).stream_replicas == 1
    assert Settings.from_env("anchor", {**ENV, "NATS_STREAM_REPLICAS": "3"}).stream_replicas == 3
