package io.gpuplacer.connectors.kubernetes.snapshot;

/**
 * The queues in force for snapshots and pending pods: Kueue's, read from the cluster, while the cluster has Kueue's
 * API; else the configured ones (gpuplacer.kubernetes.queues-file). Kueue's objects win: they are what admits the
 * work.
 */
public final class LiveQueues {

    private final SnapshotSettings.Queues configured;
    private volatile SnapshotSettings.Queues kueue;

    public LiveQueues(SnapshotSettings.Queues configured) {
        this.configured = configured;
    }

    public SnapshotSettings.Queues current() {
        SnapshotSettings.Queues k = kueue;
        return k != null ? k : configured;
    }

    /** Kueue's queues as now read (null: the cluster has no Kueue, the configured ones apply). */
    public void fromKueue(SnapshotSettings.Queues queues) {
        this.kueue = queues;
    }

    /** Whether Kueue's objects are the queues in force. */
    public boolean isKueue() {
        return kueue != null;
    }
}
