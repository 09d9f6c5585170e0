-- Capacity planning's history (issue 26): what an arrival asks for, so that the GPUs asked for and not yet placed
-- count hour by hour until the job's first ledger row: its GPU share (every task), the GPU model and zone of its
-- first fit (null where it had none: any), and the ledger's rows of a job found by name.
ALTER TABLE job_arrival ADD COLUMN gpu_share DOUBLE;
ALTER TABLE job_arrival ADD COLUMN gpu_model VARCHAR(100);
ALTER TABLE job_arrival ADD COLUMN zone VARCHAR(100);
CREATE INDEX ledger_row_job ON ledger_row (job, hour_start);
