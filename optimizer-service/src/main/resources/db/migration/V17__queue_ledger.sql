-- Queues in the ledger (interchange v1.2 section 9): each task row names its queue, and ledger_queue_hour keeps,
-- for each part of an hour between two snapshots, each queue's nominal quota of a flavor and the GPU share it used,
-- borrowed above its nominal, and lent to the cohort's borrowers (GET /v1/queues' figures at that snapshot), so a
-- report sums quota use, borrowing and lending in GPU-hours.
ALTER TABLE ledger_row ADD COLUMN queue VARCHAR(200);
CREATE TABLE ledger_queue_hour (
    id             BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    snapshot_id    BIGINT        NOT NULL,
    hour_start     DATETIME(3)   NOT NULL,
    hours          DOUBLE        NOT NULL,
    queue          VARCHAR(200)  NOT NULL,
    flavor         VARCHAR(100)  NOT NULL,
    nominal_gpus   DOUBLE        NOT NULL,
    used_gpus      DOUBLE        NOT NULL,
    borrowed_gpus  DOUBLE        NOT NULL,
    lent_gpus      DOUBLE        NOT NULL
);
CREATE INDEX ledger_queue_hour_hour ON ledger_queue_hour (hour_start);
