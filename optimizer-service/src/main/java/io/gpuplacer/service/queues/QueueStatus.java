package io.gpuplacer.service.queues;

import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.Queue;
import io.gpuplacer.model.problem.Quota;
import io.gpuplacer.model.problem.QuotaUnits;
import io.gpuplacer.model.problem.RunningTask;
import io.gpuplacer.model.quota.CohortFlavor;
import io.gpuplacer.model.quota.QuotaBook;
import io.gpuplacer.connectors.kubernetes.snapshot.PendingPods;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queues now (contract section 9), from the cluster state in force: per queue and flavor its quota, what it
 * uses, borrows and lends, and its weighted share, with Kueue's meanings. "Now" is slot 0: the running work. With a
 * Kubernetes connection also its pending demand: the pods waiting for a node, their GPUs and the oldest wait.
 */
public final class QueueStatus {

    @Schema(name = "Queues", description = "Every queue of the cluster state now")
    public record Report(String now, List<QueueView> queues) {
    }

    @Schema(name = "QueueStatus")
    public record QueueView(String id, String cohort, double fairShareWeight,
                            @Schema(description = "Kueue's weighted share: the most it borrows of any flavor, per "
                                    + "1000 of what its cohort lends of it, over its fairShareWeight")
                            double weightedShare,
                            List<FlavorView> flavors,
                            @Schema(description = "its pods waiting for a node now; null without a Kubernetes "
                                    + "connection (the service sees no queue of pending work otherwise)",
                                    type = "object", nullable = true)
                            PendingView pending) {
    }

    @Schema(name = "QueuePending")
    public record PendingView(@Schema(description = "pods waiting for a node (phase Pending), gated or not") int pods,
                              @Schema(description = "their GPU share") double gpus,
                              @Schema(description = "when the longest-waiting one was created; null: none waits",
                                      nullable = true) String oldestSince,
                              @Schema(description = "hours it has waited", nullable = true) Double oldestWaitHours) {
    }

    @Schema(name = "QueueFlavorStatus")
    public record FlavorView(String flavor, double nominalGpus, Double borrowingLimitGpus, Double lendingLimitGpus,
                             @Schema(description = "GPU share its running work holds of the flavor")
                             double usedGpus,
                             @Schema(description = "what it uses above its nominal quota") double borrowedGpus,
                             @Schema(description = "its part of what others borrow: the cohort's borrowing shared "
                                     + "over its queues' idle lendable quota") double lentGpus) {
    }

    private QueueStatus() {
    }

    public static Report of(Problem problem) {
        return of(problem, null, null);
    }

    /**
     * With the pods waiting now ({@code waiting}, null when unknown) counted per queue as pending demand and the
     * oldest wait at {@code now}.
     */
    public static Report of(Problem problem, List<PendingPods.Waiting> waiting, Instant now) {
        Map<String, PendingView> pending = waiting == null ? null : pending(problem, waiting, now);
        QuotaBook book = QuotaBook.of(problem);
        Map<CohortFlavor, long[][]> used = new HashMap<>();
        for (RunningTask r : problem.running()) {
            CohortFlavor group = book.group(r.job(), r.node().gpuModel());
            if (group != null && r.occupiedSlots() > 0) {
                used.computeIfAbsent(group, g -> new long[g.queues().size()][1])
                        [group.position(r.job().queue())][0] += r.job().quotaUnits();
            }
        }
        Map<Queue, List<FlavorView>> flavors = new LinkedHashMap<>();
        Map<Queue, Double> shares = new HashMap<>();
        problem.queues().forEach(q -> flavors.put(q, new ArrayList<>()));
        for (CohortFlavor group : book.groups()) {
            long[][] use = used.getOrDefault(group, new long[group.queues().size()][1]);
            List<Queue> queues = group.queues();
            double lends = 0;
            double borrowedTotal = 0;
            double idleTotal = 0;
            double[] idle = new double[queues.size()];
            for (int i = 0; i < queues.size(); i++) {
                Quota quota = queues.get(i).quota(group.flavor());
                double u = QuotaUnits.gpus(use[i][0]);
                double lendable = quota == null ? 0 : quota.lendable();
                lends += lendable;
                borrowedTotal += group.borrowedBy(i, use, 0);
                double guaranteed = quota == null ? 0 : quota.guaranteed();
                idle[i] = Math.max(0, lendable - Math.max(0, u - guaranteed));
                idleTotal += idle[i];
            }
            for (int i = 0; i < queues.size(); i++) {
                Queue q = queues.get(i);
                Quota quota = q.quota(group.flavor());
                if (quota == null) {
                    continue;
                }
                double borrowed = group.borrowedBy(i, use, 0);
                double lent = idleTotal == 0 ? 0 : idle[i] * Math.min(1, borrowedTotal / idleTotal);
                flavors.get(q).add(new FlavorView(group.flavor(), quota.nominal(), quota.borrowingLimit(),
                        quota.lendingLimit(), round(QuotaUnits.gpus(use[i][0])), round(borrowed), round(lent)));
                double share = lends == 0 ? 0 : borrowed * 1000 / lends / q.fairShareWeight();
                shares.merge(q, share, Math::max);
            }
        }
        List<QueueView> out = new ArrayList<>();
        flavors.forEach((q, f) -> out.add(new QueueView(q.id(), q.cohort(), q.fairShareWeight(),
                round(shares.getOrDefault(q, 0.0)), List.copyOf(f), pending == null ? null : pending.get(q.id()))));
        return new Report(problem.now().toString(), List.copyOf(out));
    }

    private static Map<String, PendingView> pending(Problem problem, List<PendingPods.Waiting> waiting, Instant now) {
        Map<String, int[]> pods = new HashMap<>();
        Map<String, Double> gpus = new HashMap<>();
        Map<String, Instant> oldest = new HashMap<>();
        for (PendingPods.Waiting w : waiting) {
            if (w.queue() == null) {
                continue;
            }
            pods.computeIfAbsent(w.queue(), q -> new int[1])[0]++;
            gpus.merge(w.queue(), w.gpus(), Double::sum);
            if (w.since() != null) {
                oldest.merge(w.queue(), w.since(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        Map<String, PendingView> out = new HashMap<>();
        for (Queue q : problem.queues()) {
            Instant since = oldest.get(q.id());
            out.put(q.id(), new PendingView(pods.getOrDefault(q.id(), new int[1])[0],
                    round(gpus.getOrDefault(q.id(), 0.0)), since == null ? null : since.toString(),
                    since == null ? null : round(Math.max(0, java.time.Duration.between(since, now).toMillis())
                            / 3_600_000.0)));
        }
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
