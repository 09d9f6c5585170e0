-- A run is cancelled through whichever replica the DELETE reaches: one that does not solve it marks it here, and
-- the replica that does (its owner) stops it within gpuplacer.sync-seconds.
ALTER TABLE optimization_run ADD COLUMN cancel_requested BOOLEAN NOT NULL DEFAULT FALSE;
