-- TRD-02: what hangs off an order is kept as long as the order, 3 years from its completion, and
-- purged just before it; reconciliations (PLT-01) and return-rate warnings (TRD-06) are kept for
-- good (services/trade/retention.py). No DELETE of a row inside its minimum, under a hold or of a
-- kept kind, whoever runs it (the runtime's guard, migration 0006).
CREATE TRIGGER after_sales_history_retention AFTER DELETE ON after_sales_history
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('after_sales_history');
CREATE TRIGGER after_sales_retention AFTER DELETE ON after_sales
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('after_sales');
CREATE TRIGGER order_history_retention AFTER DELETE ON order_history
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('order_history');
CREATE TRIGGER logistics_events_retention AFTER DELETE ON logistics_events
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('logistics_events');
CREATE TRIGGER shipping_alerts_retention AFTER DELETE ON shipping_alerts
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('shipping_alerts');
CREATE TRIGGER promise_outcomes_retention AFTER DELETE ON promise_outcomes
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('promise_outcomes');
CREATE TRIGGER platform_figures_retention AFTER DELETE ON platform_figures
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('platform_figures');
CREATE TRIGGER nightly_reconciliations_retention AFTER DELETE ON nightly_reconciliations
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('nightly_reconciliations');
CREATE TRIGGER nightly_runs_retention AFTER DELETE ON nightly_runs
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('nightly_runs');
CREATE TRIGGER return_rate_warnings_retention AFTER DELETE ON return_rate_warnings
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('return_rate_warnings');
