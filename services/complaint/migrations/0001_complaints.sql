-- Complaints (CMP-01..05), their history (CMP-03, PLT-02), emergency plans and incidents (CMP-06),
-- and the projections of the anchor, product, session and trade services' events that resolve
-- what a complaint concerns (CMP-01).

CREATE TABLE anchor_projection (
    anchor_id text PRIMARY KEY,
    agency_id text NOT NULL
);

CREATE TABLE product_projection (
    product_id text PRIMARY KEY,
    merchant_id text NOT NULL
);

CREATE TABLE session_projection (
    session_id text PRIMARY KEY,
    merchant_id text NOT NULL,
    anchor_id text NOT NULL,
    -- Set by SessionEnded: the session's record is archived, its incidents with it (CMP-06).
    ended_at timestamptz
);

-- Keyed by the trade service's order id; a consumer usually knows the platform's own number.
CREATE TABLE order_projection (
    order_id text PRIMARY KEY,
    external_order_id text NOT NULL,
    session_id text NOT NULL,
    anchor_id text NOT NULL,
    merchant_id text NOT NULL,
    product_id text NOT NULL
);
CREATE INDEX order_projection_by_external ON order_projection (external_order_id);

CREATE TABLE complaints (
    complaint_id uuid PRIMARY KEY,
    channel text NOT NULL CHECK (channel IN ('phone', 'online', 'email', 'regulator')),
    category text NOT NULL,
    status text NOT NULL CHECK (status IN ('received', 'acknowledged', 'investigating', 'resolved', 'rejected', 'feedback_sent')),
    anchor_id text NOT NULL DEFAULT '',
    product_id text NOT NULL DEFAULT '',
    order_id text NOT NULL DEFAULT '',
    session_id text NOT NULL DEFAULT '',
    agency_id text NOT NULL DEFAULT '',
    merchant_id text NOT NULL DEFAULT '',
    -- References no projection knew at intake (CMP-01: kept and flagged, never refused).
    unresolved text[] NOT NULL DEFAULT '{}',
    description text NOT NULL,
    attachments jsonb NOT NULL DEFAULT '[]',
    -- The complainant's contact, AES-GCM sealed (PLT-06); a whistle-blower's opens for
    -- compliance officers only (CMP-05). Never stored in the clear, anywhere.
    contact_sealed bytea NOT NULL,
    whistle_blower boolean NOT NULL,
    referral_reference text NOT NULL DEFAULT '',
    received_at timestamptz NOT NULL,
    received_by jsonb NOT NULL,
    -- CMP-02: the promised feedback time, from the channel and category.
    promised_by timestamptz NOT NULL,
    escalated_at timestamptz,
    feedback text NOT NULL DEFAULT '',
    version integer NOT NULL
);
CREATE INDEX complaints_by_receipt ON complaints (received_at DESC, complaint_id DESC);
CREATE INDEX complaints_by_status ON complaints (status, received_at DESC, complaint_id DESC);
-- The escalation timer's scan: open, not yet escalated, by deadline.
CREATE INDEX complaints_due ON complaints (promised_by) WHERE status <> 'feedback_sent' AND escalated_at IS NULL;

CREATE TABLE complaint_history (
    seq bigserial PRIMARY KEY,
    complaint_id uuid NOT NULL REFERENCES complaints,
    at timestamptz NOT NULL,
    actor jsonb NOT NULL,
    action text NOT NULL,
    version integer NOT NULL,
    changes jsonb NOT NULL,
    reason text NOT NULL
);
CREATE INDEX complaint_history_by_complaint ON complaint_history (complaint_id, seq);

-- CMP-06: each incident type's plan, one row per published version (version 1 of the types in
-- emergency_plans.toml is the reviewed seed, written when first used).
CREATE TABLE emergency_plans (
    incident_type text NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    steps jsonb NOT NULL,
    published_by jsonb NOT NULL,
    published_at timestamptz NOT NULL,
    note text NOT NULL,
    PRIMARY KEY (incident_type, version)
);

CREATE TABLE incidents (
    incident_id uuid PRIMARY KEY,
    incident_type text NOT NULL,
    plan_version integer NOT NULL,
    status text NOT NULL CHECK (status IN ('open', 'closed')),
    complaint_id uuid REFERENCES complaints,
    session_id text NOT NULL DEFAULT '',
    summary text NOT NULL,
    -- The plan's steps as followed: [{title, done_at, done_by, note}].
    steps jsonb NOT NULL,
    opened_at timestamptz NOT NULL,
    opened_by jsonb NOT NULL,
    archived_at timestamptz,
    version integer NOT NULL,
    FOREIGN KEY (incident_type, plan_version) REFERENCES emergency_plans
);
CREATE INDEX incidents_by_session ON incidents (session_id, opened_at DESC, incident_id DESC);

CREATE TABLE incident_history (
    seq bigserial PRIMARY KEY,
    incident_id uuid NOT NULL REFERENCES incidents,
    at timestamptz NOT NULL,
    actor jsonb NOT NULL,
    action text NOT NULL,
    version integer NOT NULL,
    changes jsonb NOT NULL,
    reason text NOT NULL
);
CREATE INDEX incident_history_by_incident ON incident_history (incident_id, seq);
