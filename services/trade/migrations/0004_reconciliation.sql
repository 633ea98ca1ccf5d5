-- PLT-01: the figures a platform gave for a period (ReconcilePlatform), kept so the nightly run
-- compares them again with what was docked by then, and the nightly runs' results, one per
-- platform and day (Beijing calendar): the key makes a run after a failover find the day done.

CREATE TABLE platform_figures (
    platform text NOT NULL,
    period_start timestamptz NOT NULL,
    period_end timestamptz NOT NULL,
    order_count bigint NOT NULL,
    amount_fen bigint NOT NULL,
    sessions jsonb NOT NULL,
    given_at timestamptz NOT NULL,
    PRIMARY KEY (platform, period_start, period_end)
);

CREATE TABLE nightly_reconciliations (
    day date NOT NULL,
    platform text NOT NULL,
    exact boolean NOT NULL,
    platform_reported boolean NOT NULL,
    report jsonb NOT NULL,
    ran_at timestamptz NOT NULL,
    PRIMARY KEY (day, platform)
);
CREATE INDEX nightly_reconciliations_newest ON nightly_reconciliations (day DESC, platform DESC);

-- One row per day the nightly run finished, whether or not any platform had orders that day.
CREATE TABLE nightly_runs (
    day date PRIMARY KEY,
    ran_at timestamptz NOT NULL
);
