"""Business rules as configuration (RULES_FILE, TOML): the one way a service turns a section of
its rules file into the frozen dataclass that holds that section's defaults.

Every service keeps its own `rules_config.py` (which sections it has, how values convert) and
calls `section` for each, so an unknown key is refused the same way everywhere.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


def section(cls: type[T], name: str, values: dict[str, Any], **converted: Any) -> T:
    """`cls` built from `values` (keys the file gave) and `converted` (values the caller already
    turned into their types); a key `cls` does not have is a ValueError naming the section."""
    known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(f"[{name}] has unknown keys: {', '.join(unknown)}")
    return cls(**{**values, **converted})
