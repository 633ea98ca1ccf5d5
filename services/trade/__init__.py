"""The trade service (rules TRD-01..06): order docking, shipping, after-sales, retention. Not built yet."""
