-- What the extender and the leader hold between calls, shared by every replica (kube-scheduler reaches any of them
-- through the Service): a gang's reserved places and which member claimed which (a claim is a compare-and-set on
-- member IS NULL, so two replicas never give one place to two members), and the steering hints for the
-- replacements of evicted pods.
CREATE TABLE gang_reservation (
    gang        VARCHAR(300)  NOT NULL PRIMARY KEY,
    expires_at  DATETIME(3)   NOT NULL
);
CREATE TABLE gang_place (
    gang        VARCHAR(300)  NOT NULL,
    idx         INT           NOT NULL,
    node        VARCHAR(253)  NOT NULL,
    milli       BIGINT        NOT NULL,
    member      VARCHAR(400),
    bound       BOOLEAN       NOT NULL,
    PRIMARY KEY (gang, idx)
);
CREATE INDEX gang_place_member ON gang_place (member);
-- A hint is used up when the pod steered by it (member: its UID or namespace/name) is bound to its node.
CREATE TABLE steering_hint (
    controller  VARCHAR(400)  NOT NULL PRIMARY KEY,
    node        VARCHAR(253)  NOT NULL,
    until_at    DATETIME(3)   NOT NULL,
    member      VARCHAR(400)
);
