-- An admission webhook call may come again for the same request (the API server retries, a proxy replays): the
-- GATE action it records carries the AdmissionReview's request uid, unique, so that a replay adds no second row.
ALTER TABLE cluster_action ADD COLUMN request_key VARCHAR(100);
CREATE UNIQUE INDEX cluster_action_request_key ON cluster_action (request_key);
