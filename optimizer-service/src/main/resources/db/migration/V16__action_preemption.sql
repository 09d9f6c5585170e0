-- A PREEMPT action (a run's preemption, interchange section 9) names the job it makes room for and Kueue's reason;
-- the leader checks the reason again right before it evicts, and GET /v1/actions shows both.
ALTER TABLE cluster_action ADD COLUMN for_job VARCHAR(300);
ALTER TABLE cluster_action ADD COLUMN preemption_reason VARCHAR(40);
