-- Active/standby (PLT-03): one row names the replica holding the service's lease and its epoch.
-- Leases are judged by the database clock, the one clock every replica shares.
CREATE TABLE leadership (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    holder text NOT NULL,
    epoch bigint NOT NULL,
    acquired_at timestamptz NOT NULL,
    renewed_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    -- A planned switchover: this replica may not take the lease again until the time given.
    stepping_down text,
    stepping_down_until timestamptz
);

-- Every change of leader, for the SRE's lease history.
CREATE TABLE leadership_history (
    epoch bigint PRIMARY KEY,
    holder text NOT NULL,
    acquired_at timestamptz NOT NULL
);
