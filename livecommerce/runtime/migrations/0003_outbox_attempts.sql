-- A row JetStream refuses (no stream covers its subject, a payload over max_payload) must neither
-- block the rows behind it nor vanish: the relay counts its attempts, keeps the last error and
-- retries it later, with a growing delay; `lc status` shows rows with many attempts as stuck.
ALTER TABLE outbox
    ADD COLUMN attempts integer NOT NULL DEFAULT 0,
    ADD COLUMN last_error text,
    ADD COLUMN next_attempt_at timestamptz;
