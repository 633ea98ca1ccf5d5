-- The session core: projections of the anchor and product services' events (SES-01, ANC-09,
-- PRD-10), sessions with their line-up (SES-01, SES-02, SES-09), every room change as a
-- gap-free sequence (WatchRoom), patrol hits for the review (SES-05), promises (SES-10) and the
-- history of every session (PLT-02).

-- What the anchor service said about each anchor, as of its events (never a call).
CREATE TABLE anchor_projection (
    anchor_id text PRIMARY KEY,
    approved boolean NOT NULL DEFAULT false,
    agency_id text NOT NULL DEFAULT '',
    digital_human boolean NOT NULL DEFAULT false,
    adult_on date,
    onboarded boolean NOT NULL DEFAULT false,
    -- The sanction in force (ANC-09): its rule, standing, start and exclusive end (NULL: never ends).
    sanction_rule text,
    sanction_standing text,
    sanction_starts_at timestamptz,
    sanction_until timestamptz,
    -- The last expiry seen: a sanction that started before it is over, whatever order events came in.
    sanction_expired_at timestamptz,
    updated_at timestamptz NOT NULL
);

-- The product service's listing of each product as of its newest event (`as_of`: event time).
CREATE TABLE product_projection (
    product_id text PRIMARY KEY,
    merchant_id text NOT NULL,
    listed boolean NOT NULL,
    -- A serialized livecommerce.product.v1.ProductListing; empty until one arrived.
    listing bytea NOT NULL,
    as_of timestamptz NOT NULL
);

CREATE TABLE sessions (
    session_id uuid PRIMARY KEY,
    merchant_id text NOT NULL,
    anchor_id text NOT NULL,
    agency_id text NOT NULL,
    room_id text NOT NULL,
    title text NOT NULL,
    planned_start timestamptz NOT NULL,
    status text NOT NULL CHECK (status IN ('scheduled', 'ready', 'live', 'ended', 'stopped')),
    -- [{"item": "equipment", "at": ..., "by": {...}}]
    checklist jsonb NOT NULL DEFAULT '[]'::jsonb,
    scheduled_at timestamptz NOT NULL,
    opened_at timestamptz,
    ended_at timestamptz,
    -- {"rule_id", "reason", "operator": {...}, "at"} once stopped (SES-05 a, SES-06).
    stop jsonb,
    -- The room as it stands: a serialized livecommerce.session.v1.RoomState (line-up, labels,
    -- hidden messages, muted viewers), and the sequence of its last change.
    room bytea NOT NULL,
    room_sequence bigint NOT NULL DEFAULT 0
);
CREATE INDEX sessions_by_start ON sessions (planned_start DESC, session_id DESC);
CREATE INDEX sessions_by_merchant ON sessions (merchant_id, planned_start DESC, session_id DESC);
CREATE INDEX sessions_live_by_anchor ON sessions (anchor_id) WHERE status = 'live';
-- SES-02: one live session per room at a time, enforced where no race can pass it.
CREATE UNIQUE INDEX sessions_one_live_per_room ON sessions (room_id) WHERE status = 'live';

-- Which sessions still show a product (not ended), so a take-down finds them with one index scan.
CREATE TABLE session_products (
    session_id uuid NOT NULL REFERENCES sessions,
    product_id text NOT NULL,
    PRIMARY KEY (session_id, product_id)
);
CREATE INDEX session_products_by_product ON session_products (product_id);

-- Every change of a room, committed with the change: WatchRoom's gap-free sequence from 1.
CREATE TABLE room_updates (
    session_id uuid NOT NULL REFERENCES sessions,
    sequence bigint NOT NULL,
    -- Serialized livecommerce.session.v1.RoomUpdate (sequence, state after, change).
    update bytea NOT NULL,
    PRIMARY KEY (session_id, sequence)
);

-- Every patrol hit in a session (SES-05), one per (session, chunk, position in the chunk).
CREATE TABLE session_hits (
    -- The order found, for the review's pages.
    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    hit_id uuid PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES sessions,
    chunk_id text NOT NULL,
    hit_index integer NOT NULL,
    source text NOT NULL,
    term text NOT NULL,
    category text NOT NULL,
    grade text NOT NULL,
    lexicon_version text NOT NULL,
    at timestamptz NOT NULL,
    -- Set when the hit counts as a violation: grade a at once, others when a review confirms it.
    violation_id uuid UNIQUE,
    UNIQUE (session_id, chunk_id, hit_index)
);
CREATE INDEX session_hits_by_session ON session_hits (session_id, seq);

-- Chunks already acted on: a retried verdict batch changes nothing more.
CREATE TABLE session_chunks (
    session_id uuid NOT NULL REFERENCES sessions,
    chunk_id text NOT NULL,
    PRIMARY KEY (session_id, chunk_id)
);

-- SES-10: promises made on air, bound to the party that must honour them.
CREATE TABLE promises (
    promise_id uuid PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES sessions,
    kind text NOT NULL,
    text text NOT NULL,
    product_id text NOT NULL,
    responsible text NOT NULL CHECK (responsible IN ('merchant', 'agency')),
    responsible_id text NOT NULL,
    made_at timestamptz NOT NULL,
    recorded_by jsonb NOT NULL,
    recorded_at timestamptz NOT NULL
);
CREATE INDEX promises_by_session ON promises (session_id, made_at DESC, promise_id DESC);

-- PLT-02: who changed what and when (runtime/history.py).
CREATE TABLE session_history (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES sessions,
    at timestamptz NOT NULL,
    actor jsonb NOT NULL,
    action text NOT NULL,
    version integer NOT NULL,
    changes jsonb NOT NULL,
    reason text NOT NULL
);
CREATE INDEX session_history_by_session ON session_history (session_id, seq);
