-- SES-08: the peak concurrent viewers of each session and of the platform, checkpointed by the
-- active replica before anyone is shown them, so a peak never goes down across a failover
-- (current counts are not stored: the new active replica rebuilds them from heartbeats).
-- Written only upwards (ON CONFLICT ... WHERE the stored peak is lower).
CREATE TABLE viewer_peaks (
    session_id uuid PRIMARY KEY REFERENCES sessions (session_id) ON DELETE CASCADE,
    peak bigint NOT NULL CHECK (peak >= 0),
    peak_at timestamptz NOT NULL
);

-- One row: the platform-wide peak (the sum over live sessions at its highest).
CREATE TABLE platform_viewer_peak (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    peak bigint NOT NULL CHECK (peak >= 0),
    peak_at timestamptz NOT NULL
);
