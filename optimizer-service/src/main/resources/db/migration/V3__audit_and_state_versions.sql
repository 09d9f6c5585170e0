-- Every change: who (the authenticated principal), when, the request, what and its outcome (the HTTP status).
-- Only ever inserted into; in production grant the service's user INSERT and SELECT on it and nothing else.
CREATE TABLE audit_event (
    id          BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    at          DATETIME(3)   NOT NULL,
    principal   VARCHAR(200)  NOT NULL,
    request_id  VARCHAR(64)   NOT NULL,
    action      VARCHAR(200)  NOT NULL,
    target      VARCHAR(200),
    outcome     INT           NOT NULL,
    detail      VARCHAR(2000)
);

-- Every cluster snapshot and signals document the service was given, kept so that any can be read back and
-- restored. The newest of each kind is also in state_document (what a start loads).
CREATE TABLE state_version (
    id            BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind          VARCHAR(32)   NOT NULL,
    body          LONGTEXT      NOT NULL,
    created_by    VARCHAR(200)  NOT NULL,
    created_at    DATETIME(3)   NOT NULL,
    restored_from BIGINT
);
CREATE INDEX state_version_kind ON state_version (kind, id);

INSERT INTO state_version (kind, body, created_by, created_at)
    SELECT kind, body, updated_by, updated_at FROM state_document ORDER BY updated_at;

-- The newest version of each kind is what a start loads; the old table is no longer written.
DROP TABLE state_document;
