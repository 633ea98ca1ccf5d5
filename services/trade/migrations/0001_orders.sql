-- Orders docked from merchant trading platforms (TRD-01), one per (platform, external order id),
-- never overwritten by a resend; and the projections of sessions and products (from their
-- services' events) that tell a linked order from an unlinked one.

CREATE TABLE session_projection (
    session_id text PRIMARY KEY,
    merchant_id text NOT NULL,
    anchor_id text NOT NULL
);

CREATE TABLE product_projection (
    product_id text PRIMARY KEY,
    merchant_id text NOT NULL
);

CREATE TABLE orders (
    order_id uuid PRIMARY KEY,
    -- The docking platform: its certificate's tenant, never a field of the request.
    platform text NOT NULL,
    external_order_id text NOT NULL,
    session_id text NOT NULL,
    product_id text NOT NULL,
    merchant_id text NOT NULL,
    amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
    currency text NOT NULL CHECK (currency = 'CNY'),
    quantity integer NOT NULL CHECK (quantity >= 1),
    status text NOT NULL CHECK (status IN ('placed', 'paid', 'completed', 'cancelled')),
    placed_at timestamptz NOT NULL,
    paid_at timestamptz,
    completed_at timestamptz,
    -- Whether the session and product were known (projected) when it was docked.
    linked boolean NOT NULL,
    anchor_id text NOT NULL DEFAULT '',
    docked_at timestamptz NOT NULL,
    docked_by jsonb NOT NULL,
    UNIQUE (platform, external_order_id)
);
CREATE INDEX orders_by_placement ON orders (placed_at DESC, order_id DESC);
CREATE INDEX orders_by_session ON orders (platform, session_id, placed_at DESC, order_id DESC);
CREATE INDEX orders_by_merchant ON orders (merchant_id, placed_at DESC, order_id DESC);
