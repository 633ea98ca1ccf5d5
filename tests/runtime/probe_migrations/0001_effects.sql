-- A test consumer's effect table: one row per event it handled (redeliveries must not add rows).
CREATE TABLE effects (
    event_id uuid NOT NULL,
    type text NOT NULL,
    subject_id text NOT NULL,
    handled_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
