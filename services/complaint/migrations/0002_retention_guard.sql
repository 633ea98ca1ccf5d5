-- CMP-03, CMP-06, PLT-02: the complaint service keeps every complaint, incident and plan for good
-- (services/complaint/retention.py); any DELETE, whoever runs it, is refused by the runtime's guard
-- (runtime migration 0006).
CREATE TRIGGER complaints_retention AFTER DELETE ON complaints
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('complaints');
CREATE TRIGGER complaint_history_retention AFTER DELETE ON complaint_history
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('complaint_history');
CREATE TRIGGER emergency_plans_retention AFTER DELETE ON emergency_plans
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('emergency_plans');
CREATE TRIGGER incidents_retention AFTER DELETE ON incidents
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('incidents');
CREATE TRIGGER incident_history_retention AFTER DELETE ON incident_history
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('incident_history');
