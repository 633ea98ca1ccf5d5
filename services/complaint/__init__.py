"""The complaint service (rules CMP-01..06): intake through every channel, promised feedback and
escalation, the workflow with its history, the credit feed, whistle-blowers' privacy, incidents."""
