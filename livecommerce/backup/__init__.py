"""Offsite backup and restore of the site (PLT-03's second half): pgBackRest's repository and the
SRE commands over it (`site.py`), used by `lc backup|backups|restore|replay` and `./dev up`."""
