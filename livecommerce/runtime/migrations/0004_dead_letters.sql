-- A consumer's message that failed max_deliver times, or could not be decoded, lands here instead
-- of being abandoned by the broker: an SRE sees it (`lc dead-letters`) and, once the cause is
-- mended, asks for a replay; the active replica's consumer then runs it through the same handler
-- (its inbox still dedupes) and stamps replayed_at.
CREATE TABLE dead_letters (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consumer text NOT NULL,
    event_id uuid,  -- NULL when the envelope could not be decoded
    subject text NOT NULL,
    envelope bytea NOT NULL,
    deliveries integer NOT NULL,
    last_error text NOT NULL,
    first_seen timestamptz NOT NULL DEFAULT now(),
    last_seen timestamptz NOT NULL DEFAULT now(),
    replay_requested_at timestamptz,
    replayed_at timestamptz,
    UNIQUE (consumer, event_id)
);

-- What a consumer polls for when idle: replays asked for and not yet done.
CREATE INDEX dead_letters_replay_requested ON dead_letters (consumer, id)
    WHERE replay_requested_at IS NOT NULL AND replayed_at IS NULL;
