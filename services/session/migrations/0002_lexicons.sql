-- SES-04: every patrol lexicon version ever proposed, immutable once stored; at most one live.
-- With no row live, the seed lexicon shipped with the engine is live.
CREATE TABLE lexicon_versions (
    version text PRIMARY KEY,
    -- The version as proposed: a serialized livecommerce.session.v1.Lexicon.
    lexicon bytea NOT NULL,
    term_count integer NOT NULL,
    allow_count integer NOT NULL,
    proposed_at timestamptz NOT NULL,
    proposed_by jsonb NOT NULL,
    live boolean NOT NULL DEFAULT false,
    -- The latest publication of this version (a rollback publishes an earlier one again);
    -- every publication is kept in lexicon_publications (PLT-02).
    published_at timestamptz,
    published_by jsonb,
    publish_reason text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX lexicon_versions_one_live ON lexicon_versions (live) WHERE live;

-- PLT-02: who made which version live, when and why, and what it replaced; append-only.
CREATE TABLE lexicon_publications (
    publication bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version text NOT NULL REFERENCES lexicon_versions (version),
    previous_version text NOT NULL,
    published_at timestamptz NOT NULL,
    published_by jsonb NOT NULL,
    reason text NOT NULL
);
