-- SES-10: whether a session's promise was kept for each of its orders, as reported by the order's
-- platform or customer service (a gift in the parcel, a price guarantee paid) or found by the
-- clock (a promised shipping time missed). One outcome per promise and order.

CREATE TABLE promise_outcomes (
    promise_id text NOT NULL REFERENCES promise_projection,
    order_id uuid NOT NULL REFERENCES orders,
    kept boolean NOT NULL,
    detail text NOT NULL DEFAULT '',
    at timestamptz NOT NULL,
    by jsonb NOT NULL,
    PRIMARY KEY (promise_id, order_id)
);
CREATE INDEX promise_outcomes_by_order ON promise_outcomes (order_id);
