"""The complaint service (rules CMP-01..06): intake, workflow, credit feedback. Not built yet."""
