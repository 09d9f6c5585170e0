-- A PREEMPT action (a run's preemption, interchange section 9) names the job it makes room for and Kueue's reason
-- (the leader checks the reason again right before it evicts; GET /v1/actions shows both), the victim's queue and
-- the GPU-hours the preemption loses (half a checkpoint plus the restart, x its GPU share), which the queue report
-- sums.
ALTER TABLE cluster_action ADD COLUMN for_job VARCHAR(300);
ALTER TABLE cluster_action ADD COLUMN preemption_reason VARCHAR(40);
ALTER TABLE cluster_action ADD COLUMN victim_queue VARCHAR(200);
ALTER TABLE cluster_action ADD COLUMN lost_gpu_hours DOUBLE;
