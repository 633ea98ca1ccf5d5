-- What each write request did, by its client-chosen request_id (livecommerce/runtime/requests.py):
-- a retry of the same request finds its first outcome here and changes nothing more. Written in
-- the request's own transaction, so an outcome is on file exactly when its effects are.
CREATE TABLE request_outcomes (
    request_id text PRIMARY KEY,
    method text NOT NULL,
    principal text NOT NULL,
    outcome text NOT NULL,  -- the id of what the request created or acted on
    at timestamptz NOT NULL DEFAULT now()
);
