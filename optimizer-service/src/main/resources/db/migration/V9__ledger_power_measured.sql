-- A ledger row whose busy watts are its GPUs' measured draw (DCGM power, less the configured idle watts of the GPU
-- model), not the model's gpuBusyWatts x utilisation x share. Rows recorded before: modelled.
ALTER TABLE ledger_row ADD COLUMN power_measured BOOLEAN NOT NULL DEFAULT FALSE;

-- Names as long as the interchange takes them (400 characters: a Kubernetes namespace/name fits, with a suffix), so that no job,
-- team or node id a snapshot may carry fails the ledger's insert.
ALTER TABLE ledger_row MODIFY job VARCHAR(400);
ALTER TABLE ledger_row MODIFY team VARCHAR(400);
ALTER TABLE ledger_row MODIFY node VARCHAR(400);
ALTER TABLE ledger_row MODIFY zone VARCHAR(400);
ALTER TABLE ledger_row MODIFY gpu_model VARCHAR(400);
ALTER TABLE ledger_zone_hour MODIFY zone VARCHAR(400) NOT NULL;
ALTER TABLE job_arrival MODIFY job VARCHAR(400) NOT NULL;
ALTER TABLE job_arrival MODIFY team VARCHAR(400);
ALTER TABLE cluster_action MODIFY target VARCHAR(800) NOT NULL;
ALTER TABLE cluster_action MODIFY job VARCHAR(400);
