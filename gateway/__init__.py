"""The gRPC gateway (PLT-04, PLT-05): mutual TLS, role policy, audit, byte forwarding. Issue 3."""
