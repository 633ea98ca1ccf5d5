-- TRD-02: trade records are kept at least 3 years from completion, no deletion before; then
-- purged unless under a legal hold (services/trade/retention.py). An order never completed
-- (placed, paid, cancelled) has no completed_at and is never purged.
CREATE INDEX orders_by_completion ON orders (completed_at) WHERE completed_at IS NOT NULL;

-- No DELETE of an order inside its minimum or under a hold, whoever runs it (runtime migration 0006).
CREATE TRIGGER orders_retention AFTER DELETE ON orders
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('orders');
