-- SES-07: session content and patrol records are kept at least 60 days from the session's end,
-- then purged unless under a legal hold (services/session/retention.py declares the kinds). The
-- purge walks ended sessions oldest end first, then each one's rows by their primary keys.
CREATE INDEX sessions_by_end ON sessions (ended_at) WHERE ended_at IS NOT NULL;

-- No DELETE of a row inside its minimum or under a hold, whoever runs it (runtime migration 0006).
CREATE TRIGGER room_updates_retention AFTER DELETE ON room_updates
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('room_updates');
CREATE TRIGGER session_hits_retention AFTER DELETE ON session_hits
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('session_hits');
CREATE TRIGGER session_chunks_retention AFTER DELETE ON session_chunks
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('session_chunks');
-- Kept for good (PLT-02): any DELETE is refused.
CREATE TRIGGER sessions_retention AFTER DELETE ON sessions
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('sessions');
CREATE TRIGGER promises_retention AFTER DELETE ON promises
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('promises');
CREATE TRIGGER session_history_retention AFTER DELETE ON session_history
    REFERENCING OLD TABLE AS retention_deleted FOR EACH STATEMENT EXECUTE FUNCTION retention_guard('session_history');
