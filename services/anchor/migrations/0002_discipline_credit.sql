-- Agencies, sessions, violations, the sanction ladder, credit archives, warnings, repair and
-- Annex A attestations (ANC-06..13, RSK-01, RSK-02). Facts are append-only; current state lives
-- in one row per anchor or subject, locked while a rule is applied to it.

CREATE TABLE agencies (
    agency_id text PRIMARY KEY,
    legal_name text NOT NULL,
    -- 统一社会信用代码 (GB 32100).
    credit_code text NOT NULL UNIQUE,
    contact_email text NOT NULL DEFAULT '',
    registered_at timestamptz NOT NULL,
    registered_by jsonb NOT NULL
);

-- Live sessions the service knows of: the session service's events, or RecordSessionOutcome.
CREATE TABLE anchor_sessions (
    session_id text PRIMARY KEY,
    anchor_id uuid NOT NULL REFERENCES anchors,
    started_at timestamptz NOT NULL,
    ended_at timestamptz NOT NULL,
    violating boolean NOT NULL,
    request_id text UNIQUE,
    recorded_at timestamptz NOT NULL
);
CREATE INDEX anchor_sessions_by_anchor ON anchor_sessions (anchor_id, ended_at);

-- ANC-06: type, severity, evidence and the session it happened in.
CREATE TABLE violations (
    violation_id uuid PRIMARY KEY,
    anchor_id uuid NOT NULL REFERENCES anchors,
    session_id text NOT NULL REFERENCES anchor_sessions,
    -- The caller's request id or the session service's violation id: a retry finds its first result.
    source_key text UNIQUE,
    category text NOT NULL,
    severity text NOT NULL CHECK (severity IN ('minor', 'major', 'severe')),
    description text NOT NULL,
    evidence jsonb NOT NULL,
    occurred_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL,
    recorded_by jsonb NOT NULL
);
CREATE INDEX violations_by_anchor ON violations (anchor_id, recorded_at, violation_id);

-- The ladder's state (ANC-07..09): one row per anchor, locked while a step is taken.
CREATE TABLE anchor_standing (
    anchor_id uuid PRIMARY KEY REFERENCES anchors,
    standing text NOT NULL CHECK (standing IN ('good', 'suspended', 'banned', 'terminated', 'blacklisted')),
    until timestamptz,
    streak integer NOT NULL,
    suspended_before boolean NOT NULL,
    updated_at timestamptz NOT NULL,
    CHECK ((until IS NOT NULL) = (standing IN ('suspended', 'banned')))
);
CREATE INDEX anchor_standing_due ON anchor_standing (until) WHERE until IS NOT NULL;

CREATE TABLE standing_changes (
    change_id uuid PRIMARY KEY,
    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    anchor_id uuid NOT NULL REFERENCES anchors,
    kind text NOT NULL,
    rule_id text NOT NULL,
    at timestamptz NOT NULL,
    before text NOT NULL,
    after text NOT NULL,
    until timestamptz,
    choice text,
    choice_was_default boolean NOT NULL DEFAULT false,
    reason text NOT NULL,
    session_id text,
    actor jsonb NOT NULL
);
CREATE INDEX standing_changes_by_anchor ON standing_changes (anchor_id, seq);

-- ANC-08: the anchor's record sent to the market regulator.
CREATE TABLE regulator_notifications (
    notification_id uuid PRIMARY KEY,
    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    anchor_id uuid NOT NULL REFERENCES anchors,
    change_id uuid NOT NULL UNIQUE REFERENCES standing_changes,
    created_at timestamptz NOT NULL
);

-- ANC-10: the facts of every credit archive, one row each, never changed.
CREATE TABLE credit_items (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject_kind text NOT NULL CHECK (subject_kind IN ('anchor', 'agency')),
    subject_id text NOT NULL,
    kind text NOT NULL,
    at timestamptz NOT NULL,
    severity text,
    category text,
    -- What put it here (violation id, standing change id, event id): a fact is counted once.
    source text NOT NULL,
    UNIQUE (subject_kind, subject_id, kind, source)
);
CREATE INDEX credit_items_by_subject ON credit_items (subject_kind, subject_id, at);

CREATE TABLE credit_archives (
    subject_kind text NOT NULL,
    subject_id text NOT NULL,
    score double precision NOT NULL,
    level text NOT NULL,
    parts jsonb NOT NULL,
    orders bigint NOT NULL DEFAULT 0,
    returns bigint NOT NULL DEFAULT 0,
    repaired_at timestamptz,
    -- Counts approved repairs: a threshold warns once per epoch (ANC-11 after ANC-12).
    repair_epoch integer NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (subject_kind, subject_id)
);

-- PLT-02 for archives: every change of score, with its cause.
CREATE TABLE credit_history (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject_kind text NOT NULL,
    subject_id text NOT NULL,
    at timestamptz NOT NULL,
    cause text NOT NULL,
    detail text NOT NULL,
    old_score double precision NOT NULL,
    new_score double precision NOT NULL,
    old_level text NOT NULL,
    new_level text NOT NULL
);
CREATE INDEX credit_history_by_subject ON credit_history (subject_kind, subject_id, seq);

-- ANC-11, RSK-02: a threshold fires once per subject and repair epoch.
CREATE TABLE credit_warnings (
    warning_id uuid PRIMARY KEY,
    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    subject_kind text NOT NULL,
    subject_id text NOT NULL,
    -- The agency the subject belongs to, so an agency sees its anchors' warnings.
    agency_id text NOT NULL DEFAULT '',
    threshold_id text NOT NULL,
    repair_epoch integer NOT NULL,
    rule_id text NOT NULL,
    description text NOT NULL,
    value double precision NOT NULL,
    limit_value double precision NOT NULL,
    responsible_roles text[] NOT NULL,
    raised_at timestamptz NOT NULL,
    UNIQUE (subject_kind, subject_id, threshold_id, repair_epoch)
);

-- ANC-12: applications and decisions; at most one pending per subject.
CREATE TABLE credit_repairs (
    repair_id uuid PRIMARY KEY,
    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    subject_kind text NOT NULL,
    subject_id text NOT NULL,
    request_id text,
    status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    statement text NOT NULL,
    applied_at timestamptz NOT NULL,
    applied_by jsonb NOT NULL,
    decided_at timestamptz,
    decided_by jsonb,
    reason text NOT NULL DEFAULT '',
    UNIQUE (subject_kind, subject_id, request_id)
);
CREATE UNIQUE INDEX credit_repairs_one_pending ON credit_repairs (subject_kind, subject_id) WHERE status = 'pending';

-- RSK-01: compliance officers' findings on Annex A points; the newest per point counts, all are kept.
CREATE TABLE risk_attestations (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject_kind text NOT NULL,
    subject_id text NOT NULL,
    point_number integer NOT NULL CHECK (point_number BETWEEN 1 AND 21),
    level text NOT NULL CHECK (level IN ('low', 'medium', 'high')),
    note text NOT NULL,
    attested_at timestamptz NOT NULL,
    attested_by jsonb NOT NULL
);
CREATE INDEX risk_attestations_by_subject ON risk_attestations (subject_kind, subject_id, point_number, seq);

CREATE TRIGGER violations_append_only BEFORE UPDATE OR DELETE ON violations
    FOR EACH ROW EXECUTE FUNCTION append_only_guard();
CREATE TRIGGER standing_changes_append_only BEFORE UPDATE OR DELETE ON standing_changes
    FOR EACH ROW EXECUTE FUNCTION append_only_guard();
CREATE TRIGGER credit_items_append_only BEFORE UPDATE OR DELETE ON credit_items
    FOR EACH ROW EXECUTE FUNCTION append_only_guard();
CREATE TRIGGER credit_history_append_only BEFORE UPDATE OR DELETE ON credit_history
    FOR EACH ROW EXECUTE FUNCTION append_only_guard();
CREATE TRIGGER risk_attestations_append_only BEFORE UPDATE OR DELETE ON risk_attestations
    FOR EACH ROW EXECUTE FUNCTION append_only_guard();
