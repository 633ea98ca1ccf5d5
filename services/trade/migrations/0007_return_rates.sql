-- TRD-06: return rates per merchant and per anchor over a rolling window, and the warnings raised
-- when one went above the threshold (at most one per subject and window).

CREATE INDEX orders_completed_by_merchant ON orders (merchant_id, completed_at) WHERE completed_at IS NOT NULL;
CREATE INDEX orders_completed_by_anchor ON orders (anchor_id, completed_at) WHERE completed_at IS NOT NULL;
CREATE INDEX after_sales_returns_by_merchant ON after_sales (merchant_id, resolved_at) WHERE kind = 'return' AND state = 'completed';
CREATE INDEX after_sales_returns_by_anchor ON after_sales (anchor_id, resolved_at) WHERE kind = 'return' AND state = 'completed';

CREATE TABLE return_rate_warnings (
    warning_id uuid PRIMARY KEY,
    subject_kind text NOT NULL CHECK (subject_kind IN ('merchant', 'anchor')),
    subject_id text NOT NULL,
    returns bigint NOT NULL,
    orders bigint NOT NULL,
    rate double precision NOT NULL,
    raised_at timestamptz NOT NULL
);
CREATE INDEX return_rate_warnings_by_subject ON return_rate_warnings (subject_kind, subject_id, raised_at DESC);
