-- The service's tables. Plain SQL that MySQL 8, MariaDB 10.11+ and H2 (MySQL mode, the embedded default) all run.

-- The current cluster snapshot and signals, one row per kind, replaced whole by PUT.
CREATE TABLE state_document (
    kind        VARCHAR(32)   NOT NULL PRIMARY KEY,
    body        LONGTEXT      NOT NULL,
    updated_by  VARCHAR(200)  NOT NULL,
    updated_at  DATETIME(3)   NOT NULL
);

-- Every version of the operator's weights (knob id -> value, as JSON), never updated or deleted.
CREATE TABLE weights_version (
    version     BIGINT        NOT NULL PRIMARY KEY,
    weights     LONGTEXT      NOT NULL,
    author      VARCHAR(200)  NOT NULL,
    reason      VARCHAR(2000) NOT NULL,
    created_at  DATETIME(3)   NOT NULL
);

-- Optimization runs: the queue they were given, and their best plan once they have one.
CREATE TABLE optimization_run (
    id              VARCHAR(36)   NOT NULL PRIMARY KEY,
    status          VARCHAR(16)   NOT NULL,
    seconds         INT           NOT NULL,
    job_count       INT           NOT NULL,
    task_count      INT           NOT NULL,
    weights_version BIGINT        NOT NULL,
    jobs_doc        LONGTEXT      NOT NULL,
    score           VARCHAR(200),
    plan            LONGTEXT,
    error           VARCHAR(2000),
    created_at      DATETIME(3)   NOT NULL,
    finished_at     DATETIME(3)
);
CREATE INDEX optimization_run_created ON optimization_run (created_at);
