-- PRD-04, PLT-02: the product service keeps every record for good (services/product/retention.py);
-- any DELETE, whoever runs it, is refused by the runtime's guard (runtime migration 0006).
CREATE TRIGGER products_retention AFTER DELETE ON products
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('products');
CREATE TRIGGER product_versions_retention AFTER DELETE ON product_versions
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('product_versions');
CREATE TRIGGER licences_retention AFTER DELETE ON licences
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('licences');
CREATE TRIGGER ip_authorizations_retention AFTER DELETE ON ip_authorizations
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('ip_authorizations');
CREATE TRIGGER inspections_retention AFTER DELETE ON inspections
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('inspections');
CREATE TRIGGER product_history_retention AFTER DELETE ON product_history
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('product_history');
CREATE TRIGGER prohibited_lists_retention AFTER DELETE ON prohibited_lists
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('prohibited_lists');
