-- What the service means to do, or did, to a cluster: gate a pod (the admission webhook), release it at its hour
-- on its nodes. One row per action; its status moves from PLANNED to APPLIED, DRY_RUN (apply is off: nothing was
-- sent), FAILED (with the reason) or SUPERSEDED (the pod went away first). Listed at GET /v1/actions; each action
-- sent to a cluster is also a row of audit_event.
CREATE TABLE cluster_action (
    id          BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at  DATETIME(3)   NOT NULL,
    updated_at  DATETIME(3)   NOT NULL,
    kind        VARCHAR(32)   NOT NULL,
    target      VARCHAR(300)  NOT NULL,
    job         VARCHAR(300),
    nodes       VARCHAR(2000),
    due_at      DATETIME(3),
    status      VARCHAR(32)   NOT NULL,
    reason      VARCHAR(2000),
    attempts    INT           NOT NULL
);
CREATE INDEX cluster_action_status ON cluster_action (status, id);
