-- Anchor registration files (登记档案), their versions, training, history and PII access.

CREATE TABLE anchors (
    anchor_id uuid PRIMARY KEY,
    -- Keyed HMAC of document type and number: finds duplicates without storing the number in clear (ANC-01, PLT-06).
    identity_digest bytea NOT NULL UNIQUE,
    request_id text UNIQUE,
    agency_id text NOT NULL DEFAULT '',
    display_name text NOT NULL,
    digital_human boolean NOT NULL,
    date_of_birth date NOT NULL,
    latest_version integer NOT NULL,
    approved_version integer,
    registered_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX anchors_by_agency ON anchors (agency_id, registered_at DESC, anchor_id);
CREATE INDEX anchors_by_registration ON anchors (registered_at DESC, anchor_id);

CREATE TABLE anchor_file_versions (
    anchor_id uuid NOT NULL REFERENCES anchors,
    version integer NOT NULL,
    request_id text,
    status text NOT NULL CHECK (status IN ('pending_review', 'approved', 'rejected', 'superseded')),
    -- The whole profile as AES-256-GCM ciphertext bound to (anchor, version) (PLT-06).
    profile_sealed bytea NOT NULL,
    submitted_at timestamptz NOT NULL,
    submitted_by jsonb NOT NULL,
    reviewed_at timestamptz,
    reviewed_by jsonb,
    review_reason text NOT NULL DEFAULT '',
    PRIMARY KEY (anchor_id, version),
    UNIQUE (anchor_id, request_id)
);

-- ANC-02: a reviewed (or superseded) version is immutable; only pending ones may be decided, and
-- nothing is ever deleted. Enforced in the database so no code path can bypass it.
CREATE FUNCTION anchor_file_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'anchor file versions are never deleted (ANC-02)';
    END IF;
    IF OLD.status <> 'pending_review' THEN
        RAISE EXCEPTION 'anchor file version %/% is % and immutable (ANC-02)', OLD.anchor_id, OLD.version, OLD.status;
    END IF;
    IF NEW.profile_sealed <> OLD.profile_sealed OR NEW.version <> OLD.version OR NEW.anchor_id <> OLD.anchor_id THEN
        RAISE EXCEPTION 'a submitted anchor file version never changes its content (ANC-02)';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER anchor_file_versions_guard BEFORE UPDATE OR DELETE ON anchor_file_versions
    FOR EACH ROW EXECUTE FUNCTION anchor_file_versions_guard();

CREATE TABLE anchor_trainings (
    training_id uuid PRIMARY KEY,
    anchor_id uuid NOT NULL REFERENCES anchors,
    request_id text,
    kind text NOT NULL CHECK (kind IN ('onboarding', 'periodic')),
    course_id text NOT NULL,
    completed_at timestamptz NOT NULL,
    passed boolean NOT NULL,
    certificate jsonb,
    recorded_at timestamptz NOT NULL,
    recorded_by jsonb NOT NULL,
    UNIQUE (anchor_id, request_id)
);
CREATE INDEX anchor_trainings_by_anchor ON anchor_trainings (anchor_id, completed_at);

-- PLT-02: who changed what and when. Values of personal fields are stored masked.
CREATE TABLE anchor_history (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    anchor_id uuid NOT NULL REFERENCES anchors,
    at timestamptz NOT NULL,
    actor jsonb NOT NULL,
    action text NOT NULL,
    version integer NOT NULL DEFAULT 0,
    changes jsonb NOT NULL DEFAULT '[]'::jsonb,
    reason text NOT NULL DEFAULT ''
);
CREATE INDEX anchor_history_by_anchor ON anchor_history (anchor_id, seq);

-- PLT-06: every read of personal information in clear.
CREATE TABLE pii_access_log (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    anchor_id uuid NOT NULL,
    at timestamptz NOT NULL,
    actor jsonb NOT NULL,
    method text NOT NULL
);

CREATE FUNCTION append_only_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (PLT-02)', TG_TABLE_NAME;
END $$;
CREATE TRIGGER anchor_history_append_only BEFORE UPDATE OR DELETE ON anchor_history
    FOR EACH ROW EXECUTE FUNCTION append_only_guard();
CREATE TRIGGER pii_access_log_append_only BEFORE UPDATE OR DELETE ON pii_access_log
    FOR EACH ROW EXECUTE FUNCTION append_only_guard();
