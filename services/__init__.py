"""The livecommerce services, one package each with the same rooms (style.md, habit 1)."""
