"""Gateway tests run in front of a real anchor service (its fixtures come from tests/anchor)."""

from tests.anchor.conftest import anchor_service, settings, stub_for  # noqa: F401  (fixtures)
