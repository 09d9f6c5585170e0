-- The leader's fencing token (issue 22): one row whose epoch grows by one each time a replica becomes the leader.
-- Every leader-only write (action status changes, gate releases, evictions, retention, orphan sweeps) runs in a
-- transaction that first reads this row FOR UPDATE and goes on only while the epoch is still the writer's own: a
-- leader that stalled past its lock's timeout and resumed finds a newer epoch, writes nothing and steps down.
CREATE TABLE leader_epoch (
    id         INT           NOT NULL PRIMARY KEY,
    epoch      BIGINT        NOT NULL,
    holder     VARCHAR(64),
    taken_at   DATETIME(3)
);
INSERT INTO leader_epoch (id, epoch, holder, taken_at) VALUES (1, 0, NULL, NULL);
