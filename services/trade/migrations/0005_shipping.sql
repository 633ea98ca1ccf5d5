-- TRD-03 and SES-10: the promises anchors made in sessions (from the session service's
-- PromiseRecorded events), the logistics the platforms record for their orders, and the alerts
-- raised for shipments that missed their ship-by time (one per order: the key makes the timer's
-- repeat, or a failover's, harmless).

CREATE TABLE promise_projection (
    promise_id text PRIMARY KEY,
    session_id text NOT NULL,
    kind text NOT NULL,
    text text NOT NULL,
    product_id text NOT NULL DEFAULT '',
    responsible text NOT NULL,
    responsible_id text NOT NULL,
    made_at timestamptz,
    -- For a shipping-time promise: the hours it promised from payment (NULL when its words name none).
    ship_within_hours integer
);
CREATE INDEX promise_projection_by_session ON promise_projection (session_id);

CREATE TABLE logistics_events (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id uuid NOT NULL REFERENCES orders,
    kind text NOT NULL CHECK (kind IN ('picked_up', 'in_transit', 'delivered', 'failed')),
    carrier text NOT NULL,
    tracking_number text NOT NULL,
    at timestamptz NOT NULL,
    note text NOT NULL DEFAULT '',
    recorded_at timestamptz NOT NULL,
    recorded_by jsonb NOT NULL
);
CREATE INDEX logistics_events_by_order ON logistics_events (order_id, seq);
ALTER TABLE orders ADD COLUMN delivered_at timestamptz;

CREATE TABLE shipping_alerts (
    order_id uuid PRIMARY KEY REFERENCES orders,
    ship_by timestamptz NOT NULL,
    promised boolean NOT NULL,
    alerted_at timestamptz NOT NULL
);

-- The overdue check reads only the orders paid and not shipped.
CREATE INDEX orders_awaiting_shipment ON orders (paid_at) WHERE status = 'paid';
