-- Retention and legal holds (SES-07, TRD-02, PLT-02; livecommerce/runtime/retention/): in every
-- service's schema, whether or not it purges anything.

-- The retention of each record kind, upserted by the runtime at start-up from its declarations
-- and settings. The DELETE guard below reads it, so "no deletion before the minimum" holds for
-- every path into the database, a psql session included, not only for the purge loop.
CREATE TABLE retention_policies (
    kind text PRIMARY KEY,
    rule text NOT NULL,
    kept boolean NOT NULL,
    minimum interval,
    -- The rows of a DELETE statement (transition table `retention_deleted`) that must not go:
    -- still inside the minimum, not yet started counting, or under a legal hold. Built by the
    -- runtime from the same declaration as the purge query, so the two cannot disagree.
    guard_sql text NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Legal holds (SES-07 "unless under legal hold"): never deleted; a release is recorded on the row.
CREATE TABLE legal_holds (
    hold_id uuid PRIMARY KEY,
    scope_kind text NOT NULL CHECK (scope_kind IN ('session', 'anchor', 'merchant')),
    scope_id text NOT NULL,
    reason text NOT NULL CHECK (reason <> ''),
    placed_by jsonb NOT NULL,
    placed_at timestamptz NOT NULL,
    released_by jsonb,
    released_at timestamptz,
    release_reason text NOT NULL DEFAULT '',
    in_force boolean GENERATED ALWAYS AS (released_at IS NULL) STORED
);
-- What the purge and the guard ask for every candidate row: is its scope held?
CREATE INDEX legal_holds_in_force ON legal_holds (scope_kind, scope_id) WHERE released_at IS NULL;
CREATE INDEX legal_holds_by_placement ON legal_holds (placed_at DESC, hold_id DESC);

-- What retention did, append-only: purge batches, holds placed and released, refused purges.
CREATE TABLE retention_audit (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL,
    action text NOT NULL CHECK (action IN ('purged', 'hold_placed', 'hold_released', 'purge_refused')),
    -- The record kind purged or refused; empty for holds.
    kind text NOT NULL DEFAULT '',
    hold_id uuid,
    -- Who asked; NULL for the purge timer.
    actor jsonb,
    rows bigint NOT NULL DEFAULT 0,
    cutoff timestamptz,
    -- Purges: {"oldest", "newest", "sha256" of the sorted keys, "replica"}; refusals: {"rule", "why", "request_id"}.
    detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX retention_audit_by_time ON retention_audit (at DESC, seq DESC);

-- Holds and the audit are history (PLT-02): no path may delete a hold or rewrite the audit.
CREATE FUNCTION retention_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'PLT-02: % on % refused: legal holds and the retention audit are kept, never rewritten', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER retention_audit_append_only BEFORE UPDATE OR DELETE ON retention_audit
    FOR EACH STATEMENT EXECUTE FUNCTION retention_refuse_rewrite();
CREATE TRIGGER legal_holds_never_deleted BEFORE DELETE ON legal_holds
    FOR EACH STATEMENT EXECUTE FUNCTION retention_refuse_rewrite();

-- The DELETE guard of a purgeable table, one statement-level trigger per table (the service's
-- migration creates it: AFTER DELETE ... REFERENCING OLD TABLE AS retention_deleted FOR EACH
-- STATEMENT EXECUTE FUNCTION retention_guard('<kind>')). It refuses the whole statement when any
-- deleted row is inside its kind's minimum or held, and every DELETE of a kept kind or of a kind
-- with no policy yet. "Now" is the database's clock, or the service's clock when the purge set it
-- (livecommerce.retention_now) and it is earlier: a wrong clock can make the guard stricter, never
-- laxer.
-- `SET search_path FROM CURRENT` pins the function to this service's schema (the migration runs
-- with it as search_path), so the guard finds its policy, holds and joined tables whatever the
-- deleting session's search_path is (a psql session's is "public").
CREATE FUNCTION retention_guard() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    policy retention_policies%ROWTYPE;
    moment timestamptz := now();
    stated text := current_setting('livecommerce.retention_now', true);
    deleted bigint;
    refused bigint;
BEGIN
    -- A statement-level trigger fires for a DELETE that matched nothing too: that deleted nothing.
    EXECUTE 'SELECT count(*) FROM retention_deleted' INTO deleted;
    IF deleted = 0 THEN
        RETURN NULL;
    END IF;
    SELECT * INTO policy FROM retention_policies WHERE kind = TG_ARGV[0];
    IF NOT FOUND THEN
        RAISE EXCEPTION 'retention: no policy for record kind %, so no row of % may be deleted', TG_ARGV[0], TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF policy.kept THEN
        RAISE EXCEPTION '%: % records are kept, never deleted (% rows refused)', policy.rule, TG_ARGV[0], deleted
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF stated IS NOT NULL AND stated <> '' THEN
        moment := least(moment, stated::timestamptz);
    END IF;
    EXECUTE policy.guard_sql INTO refused USING moment - policy.minimum;
    IF refused > 0 THEN
        RAISE EXCEPTION '%: % of the % rows deleted from % are inside the minimum of % or under a legal hold; nothing deleted',
            policy.rule, refused, TG_ARGV[0], TG_TABLE_NAME, policy.minimum
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END
$$;
