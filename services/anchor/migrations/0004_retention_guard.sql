-- PLT-02, ANC-12: the anchor service keeps every record for good (services/anchor/retention.py);
-- any DELETE, whoever runs it, is refused by the runtime's guard (runtime migration 0006).
CREATE TRIGGER anchors_retention AFTER DELETE ON anchors
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('anchors');
CREATE TRIGGER anchor_file_versions_retention AFTER DELETE ON anchor_file_versions
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('anchor_file_versions');
CREATE TRIGGER anchor_trainings_retention AFTER DELETE ON anchor_trainings
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('anchor_trainings');
CREATE TRIGGER anchor_history_retention AFTER DELETE ON anchor_history
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('anchor_history');
CREATE TRIGGER pii_access_log_retention AFTER DELETE ON pii_access_log
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('pii_access_log');
CREATE TRIGGER agencies_retention AFTER DELETE ON agencies
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('agencies');
CREATE TRIGGER anchor_sessions_retention AFTER DELETE ON anchor_sessions
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('anchor_sessions');
CREATE TRIGGER violations_retention AFTER DELETE ON violations
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('violations');
CREATE TRIGGER anchor_standing_retention AFTER DELETE ON anchor_standing
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('anchor_standing');
CREATE TRIGGER standing_changes_retention AFTER DELETE ON standing_changes
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('standing_changes');
CREATE TRIGGER regulator_notifications_retention AFTER DELETE ON regulator_notifications
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('regulator_notifications');
CREATE TRIGGER credit_items_retention AFTER DELETE ON credit_items
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('credit_items');
CREATE TRIGGER credit_archives_retention AFTER DELETE ON credit_archives
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('credit_archives');
CREATE TRIGGER credit_history_retention AFTER DELETE ON credit_history
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('credit_history');
CREATE TRIGGER credit_warnings_retention AFTER DELETE ON credit_warnings
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('credit_warnings');
CREATE TRIGGER credit_repairs_retention AFTER DELETE ON credit_repairs
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('credit_repairs');
CREATE TRIGGER risk_attestations_retention AFTER DELETE ON risk_attestations
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('risk_attestations');
