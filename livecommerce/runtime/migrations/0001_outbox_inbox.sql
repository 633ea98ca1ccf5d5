-- The transactional outbox and the consumer inbox (architecture.md, Events).

-- An event row commits in the same transaction as the state change it describes.
-- The relay publishes rows with sent_at IS NULL and sets sent_at only after JetStream acknowledged.
CREATE TABLE outbox (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id uuid NOT NULL UNIQUE,
    subject text NOT NULL,
    envelope bytea NOT NULL,
    headers jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz
);

-- The relay reads unsent rows in commit order; a partial index keeps that scan tiny.
CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL;

-- A consumer records each event id in the same transaction as its effect, so a redelivery is a no-op.
CREATE TABLE inbox (
    consumer text NOT NULL,
    event_id uuid NOT NULL,
    subject text NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
