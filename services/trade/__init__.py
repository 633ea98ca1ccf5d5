"""The trade service: orders docked from merchant trading platforms (TRD-01) and reconciled with
their figures (PLT-01)."""
