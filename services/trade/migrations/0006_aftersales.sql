-- TRD-04 / TRD-05: after-sales requests (return, exchange, refund) on docked orders, with the
-- response (24 h) and resolution (72 h) deadlines set when opened and one escalation per missed
-- deadline; and the perishables treatment of products (PRD-09) from the product service's events.

ALTER TABLE product_projection ADD COLUMN perishable boolean NOT NULL DEFAULT false;
ALTER TABLE product_projection ADD COLUMN strict_after_sales boolean NOT NULL DEFAULT false;
ALTER TABLE product_projection ADD COLUMN claim_window_hours integer NOT NULL DEFAULT 0;

CREATE TABLE after_sales (
    request_id uuid PRIMARY KEY,
    order_id uuid NOT NULL REFERENCES orders,
    merchant_id text NOT NULL,
    anchor_id text NOT NULL,
    session_id text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('return', 'exchange', 'refund')),
    reason text NOT NULL CHECK (reason IN ('no_reason', 'quality', 'wrong_item', 'not_received', 'other')),
    description text NOT NULL,
    refund_fen bigint NOT NULL CHECK (refund_fen >= 0),
    state text NOT NULL CHECK (state IN ('open', 'responded', 'completed', 'rejected')),
    -- TRD-04: a no-reason return within the window, which the merchant may not refuse.
    honoured boolean NOT NULL,
    opened_at timestamptz NOT NULL,
    opened_by jsonb NOT NULL,
    respond_by timestamptz NOT NULL,
    resolve_by timestamptz NOT NULL,
    responded_at timestamptz,
    response text NOT NULL DEFAULT '',
    resolved_at timestamptz,
    resolution text NOT NULL DEFAULT '',
    response_escalated_at timestamptz,
    resolution_escalated_at timestamptz
);
CREATE INDEX after_sales_by_order ON after_sales (order_id);
CREATE INDEX after_sales_by_merchant ON after_sales (merchant_id, opened_at DESC, request_id DESC);
CREATE INDEX after_sales_awaiting_response ON after_sales (respond_by) WHERE responded_at IS NULL AND response_escalated_at IS NULL;
CREATE INDEX after_sales_awaiting_resolution ON after_sales (resolve_by) WHERE resolved_at IS NULL AND resolution_escalated_at IS NULL;
-- TRD-06: completed returns by when they completed.
CREATE INDEX after_sales_returns ON after_sales (resolved_at) WHERE kind = 'return' AND state = 'completed';

CREATE TABLE after_sales_history (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id uuid NOT NULL REFERENCES after_sales,
    at timestamptz NOT NULL,
    actor jsonb NOT NULL,
    action text NOT NULL,
    version integer NOT NULL DEFAULT 0,
    changes jsonb NOT NULL DEFAULT '[]'::jsonb,
    reason text NOT NULL DEFAULT ''
);
CREATE INDEX after_sales_history_by_request ON after_sales_history (request_id, seq);
