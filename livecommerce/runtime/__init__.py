"""The runtime every service shares: settings, clock, database, outbox, consumers, gRPC server,
errors, identity, PII protection and telemetry. Each mechanism lives here once (style.md, habit 2)."""
