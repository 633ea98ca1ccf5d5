"""The product service (rules PRD-01..10): review, licences, listing, take-down. Not built yet."""
