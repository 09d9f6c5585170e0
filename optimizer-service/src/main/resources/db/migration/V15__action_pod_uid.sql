-- The gate's "already released" set, shared by replicas: a RELEASE action carries the pod's UID, and a gated pod
-- with a RELEASE APPLIED or DRY_RUN is not planned again (the watcher lists a released pod a moment longer; a dry
-- run leaves the gate), whichever replica leads now.
ALTER TABLE cluster_action ADD COLUMN pod_uid VARCHAR(100);
CREATE INDEX cluster_action_pod_uid ON cluster_action (pod_uid);
