"""Concurrent viewers of live sessions (SES-08): AudienceService, served by the session service."""
