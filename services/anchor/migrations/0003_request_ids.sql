-- Retries are safe: the five writes that had no request_id keep the one they now require, so a
-- retry finds its first result instead of taking effect twice. Rows written before stay NULL.

-- RegisterAgency: unique across the service, as anchors.request_id (a stranger's id is refused).
ALTER TABLE agencies ADD COLUMN request_id text UNIQUE;

-- ReviewAnchorFile: the decision's request, per anchor (the revision's is request_id).
ALTER TABLE anchor_file_versions ADD COLUMN review_request_id text;
ALTER TABLE anchor_file_versions ADD CONSTRAINT anchor_file_versions_review_request_id_key UNIQUE (anchor_id, review_request_id);

-- BlacklistAnchor: every transition of the step carries the request (an expiry and the blacklisting).
ALTER TABLE standing_changes ADD COLUMN request_id text;
ALTER TABLE standing_changes ADD CONSTRAINT standing_changes_request_id_key UNIQUE (anchor_id, request_id, kind);

-- DecideCreditRepair: one decision per application, so the application's row holds its request.
ALTER TABLE credit_repairs ADD COLUMN decision_request_id text;

-- AttestRiskPoint: per subject, as credit_repairs.request_id.
ALTER TABLE risk_attestations ADD COLUMN request_id text;
ALTER TABLE risk_attestations ADD CONSTRAINT risk_attestations_request_id_key UNIQUE (subject_kind, subject_id, request_id);
