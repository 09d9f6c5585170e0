package io.gpuplacer.service.actions;

import io.gpuplacer.service.state.OracleView;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * One pass's disruption budget, which moves and preemptions share: the GPU nodes with an eviction in the last hour,
 * and how many may have one ({@code gpuplacer.kubernetes.disruption.max-node-share} of the GPU nodes, at least one).
 */
final class DisruptionBudget {

    private final Set<String> disrupted;
    private final int allowed;
    private final double share;
    private final long gpuNodes;

    private DisruptionBudget(Set<String> disrupted, int allowed, double share, long gpuNodes) {
        this.disrupted = disrupted;
        this.allowed = allowed;
        this.share = share;
        this.gpuNodes = gpuNodes;
    }

    static DisruptionBudget of(ActionLog log, OracleView view, Instant now, double share) {
        long gpuNodes = view.base().nodes().stream().filter(n -> n.gpuCount() > 0).count();
        return new DisruptionBudget(new HashSet<>(log.evictedNodesSince(now.minus(Duration.ofHours(1)))),
                (int) Math.max(1, Math.floor(share * gpuNodes)), share, gpuNodes);
    }

    /** Whether evictions on these nodes fit: a node already disrupted this hour does not count again. */
    boolean allows(Collection<String> nodes) {
        Set<String> fresh = new HashSet<>(nodes);
        fresh.removeAll(disrupted);
        return fresh.isEmpty() || disrupted.size() + fresh.size() <= allowed;
    }

    /** An eviction on the node was carried out. */
    void disrupt(String node) {
        disrupted.add(node);
    }

    /** Why an eviction waits for the next tick. */
    String refusal() {
        return ActionReason.DISRUPTION_BUDGET.text(disrupted.size(), allowed, share, gpuNodes);
    }
}
