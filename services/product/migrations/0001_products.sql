-- Products' registration archive (登记档案, PRD-04, PLT-02): products, every version of their
-- file, their history; the licences (PRD-02) and IP authorizations (PRD-03) merchants file;
-- quality sampling inspections (PRD-07); and the versioned prohibited-goods list (PRD-06).

CREATE TABLE products (
    product_id uuid PRIMARY KEY,
    merchant_id text NOT NULL,
    state text NOT NULL CHECK (state IN ('pending_review', 'rejected', 'approved', 'listed', 'delisted')),
    latest_version integer NOT NULL,
    approved_version integer NOT NULL DEFAULT 0,
    -- The take-down in force (PRD-10): cause, reason, operator, moment, session, list entry.
    delisting jsonb,
    -- The next moment the clock may take the product down (PRD-01..03), while it is listed.
    next_deadline timestamptz,
    -- The newest version's title, category and specification, folded: one product per goods per
    -- merchant (a second submission of the same goods is a duplicate; revise the first instead).
    goods_key text NOT NULL,
    submitted_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (merchant_id, goods_key),
    CHECK ((state = 'delisted') = (delisting IS NOT NULL))
);
CREATE INDEX products_by_merchant ON products (merchant_id, submitted_at DESC, product_id DESC);
CREATE INDEX products_by_submission ON products (submitted_at DESC, product_id DESC);
CREATE INDEX products_by_state ON products (state, submitted_at DESC, product_id DESC);
CREATE INDEX products_due ON products (next_deadline) WHERE state = 'listed' AND next_deadline IS NOT NULL;

CREATE TABLE product_versions (
    product_id uuid NOT NULL REFERENCES products,
    version integer NOT NULL,
    status text NOT NULL CHECK (status IN ('pending_review', 'approved', 'rejected', 'superseded')),
    -- The file as submitted: a serialized livecommerce.product.v1.ProductDetails.
    details bytea NOT NULL,
    submitted_at timestamptz NOT NULL,
    submitted_by jsonb NOT NULL,
    reviewed_at timestamptz,
    reviewed_by jsonb,
    review_reason text NOT NULL DEFAULT '',
    PRIMARY KEY (product_id, version)
);

-- PRD-04: a decided (or superseded) version is immutable and nothing is deleted, enforced in the
-- database so no code path can bypass it (the anchor files' rule, ANC-02).
CREATE FUNCTION product_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'product versions are never deleted (PRD-04)';
    END IF;
    IF OLD.status <> 'pending_review' THEN
        RAISE EXCEPTION 'product version %/% is % and immutable (PRD-04)', OLD.product_id, OLD.version, OLD.status;
    END IF;
    IF NEW.details <> OLD.details OR NEW.version <> OLD.version OR NEW.product_id <> OLD.product_id THEN
        RAISE EXCEPTION 'a submitted product version never changes its content (PRD-04)';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER product_versions_guard BEFORE UPDATE OR DELETE ON product_versions
    FOR EACH ROW EXECUTE FUNCTION product_versions_guard();

-- PLT-02: who changed what and when.
CREATE TABLE product_history (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product_id uuid NOT NULL REFERENCES products,
    at timestamptz NOT NULL,
    actor jsonb NOT NULL,
    action text NOT NULL,
    version integer NOT NULL DEFAULT 0,
    changes jsonb NOT NULL DEFAULT '[]'::jsonb,
    reason text NOT NULL DEFAULT ''
);
CREATE INDEX product_history_by_product ON product_history (product_id, seq);

CREATE TABLE licences (
    licence_id uuid PRIMARY KEY,
    merchant_id text NOT NULL,
    kind text NOT NULL,
    number text NOT NULL,
    issuer text NOT NULL,
    holder text NOT NULL,
    valid_from timestamptz NOT NULL,
    valid_until timestamptz NOT NULL CHECK (valid_until > valid_from),
    document jsonb NOT NULL,
    recorded_at timestamptz NOT NULL,
    recorded_by jsonb NOT NULL,
    UNIQUE (merchant_id, kind, number, valid_from)
);
CREATE INDEX licences_by_merchant ON licences (merchant_id, recorded_at DESC, licence_id DESC);
CREATE INDEX licences_by_recording ON licences (recorded_at DESC, licence_id DESC);

CREATE TABLE ip_authorizations (
    authorization_id uuid PRIMARY KEY,
    merchant_id text NOT NULL,
    holder text NOT NULL,
    right_numbers text[] NOT NULL,
    valid_from timestamptz NOT NULL,
    valid_until timestamptz NOT NULL CHECK (valid_until > valid_from),
    document jsonb NOT NULL,
    recorded_at timestamptz NOT NULL,
    recorded_by jsonb NOT NULL
);
CREATE INDEX ip_authorizations_by_merchant ON ip_authorizations (merchant_id, recorded_at DESC, authorization_id DESC);
CREATE INDEX ip_authorizations_by_recording ON ip_authorizations (recorded_at DESC, authorization_id DESC);

CREATE TABLE inspections (
    inspection_id uuid PRIMARY KEY,
    -- Breaks ties between samples of the same moment: the one recorded later decides (PRD-07).
    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    product_id uuid NOT NULL REFERENCES products,
    lab text NOT NULL,
    sampled_at timestamptz NOT NULL,
    passed boolean NOT NULL,
    report jsonb NOT NULL,
    findings text NOT NULL DEFAULT '',
    recorded_at timestamptz NOT NULL,
    recorded_by jsonb NOT NULL
);
CREATE INDEX inspections_by_product ON inspections (product_id, sampled_at DESC, seq DESC);

-- PRD-06: every version of the prohibited-goods list ever proposed; at most one is live.
CREATE TABLE prohibited_lists (
    version text PRIMARY KEY,
    -- The list as proposed: a serialized livecommerce.product.v1.ProhibitedList.
    list bytea NOT NULL,
    entry_count integer NOT NULL,
    live boolean NOT NULL DEFAULT false,
    proposed_at timestamptz NOT NULL,
    proposed_by jsonb NOT NULL,
    published_at timestamptz,
    published_by jsonb,
    publish_reason text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX prohibited_lists_one_live ON prohibited_lists (live) WHERE live;
