"""The gRPC gateway (PLT-04, PLT-05): mutual TLS, identity from certificates, role policy, audit,
byte forwarding. Active/standby routing and revocation come next (issue 3)."""
