-- The replica solving a run: when it dies (its named lock is free) the leader marks the run FAILED.
ALTER TABLE optimization_run ADD COLUMN owner VARCHAR(64);
