"""Live sessions: scheduling, the room, and the real-time content patrol (SES-01..10)."""
