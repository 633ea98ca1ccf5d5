"""The patrol lexicon's versions in the session service (SES-04): stored in PostgreSQL (`store`),
proposed and published by compliance officers (`commands`), swapped into every replica's engine
without a restart (`live`), translated to and from `livecommerce.session.v1` (`convert`), and the
chunks checked against the live version with verdicts handed to the session core (`checks`)."""
