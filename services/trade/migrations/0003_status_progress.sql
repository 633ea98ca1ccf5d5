-- TRD-01, TRD-04: a docked order's status moves forward as its platform reports it (paid ->
-- shipped -> completed, refunds); its content (session, product, merchant, amount, quantity,
-- placement) never changes. Each move is kept in order_history (PLT-02).

ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check
    CHECK (status IN ('placed', 'paid', 'shipped', 'completed', 'refunded', 'cancelled'));
ALTER TABLE orders ADD COLUMN shipped_at timestamptz;
ALTER TABLE orders ADD COLUMN refunded_fen bigint NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN refunded_at timestamptz;
-- TRD-04: never more back than was paid.
ALTER TABLE orders ADD CONSTRAINT orders_refund_within_amount CHECK (refunded_fen >= 0 AND refunded_fen <= amount_fen);

CREATE TABLE order_history (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id uuid NOT NULL REFERENCES orders,
    at timestamptz NOT NULL,
    actor jsonb NOT NULL,
    action text NOT NULL,
    version integer NOT NULL DEFAULT 0,
    changes jsonb NOT NULL DEFAULT '[]'::jsonb,
    reason text NOT NULL DEFAULT ''
);
CREATE INDEX order_history_by_order ON order_history (order_id, seq);

-- PLT-01 over a period: a platform's orders by placement.
CREATE INDEX orders_by_platform_placement ON orders (platform, placed_at);
