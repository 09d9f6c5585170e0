package io.gpuplacer.service.fairness;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The baseline, as Kueue and kube-scheduler would do it: each hour the waiting workloads are considered in Kueue's
 * order (those that would not borrow first, then by priority, then the oldest), each admitted when the cohort's
 * quota allows it (borrowing what others do not use) and started at once on the first node with room (first
 * fit, carbon-agnostic); when the quota does not allow it, victims are preempted as the queues' policies allow
 * (reclaim from borrowing queues; lower priority while borrowing or within the queue), lowest priority and most
 * recently started first, and taken back if the workload still finds no node. BestEffortFIFO: a workload that
 * cannot be admitted does not block the ones behind it.
 */
final class KueueLikePolicy implements SchedulingPolicy {

    private final Map<String, Double> nominal = new LinkedHashMap<>();
    private final double cohortQuota;

    KueueLikePolicy(FairnessWorkload workload) {
        double total = 0;
        for (JsonNode q : workload.cluster().get("queues")) {
            double n = q.get("quotas").get(0).get("nominalGpus").asDouble();
            nominal.put(q.get("id").asText(), n);
            total += n;
        }
        this.cohortQuota = total; // one cohort, every quota lendable (no lending or borrowing limits)
    }

    @Override
    public String name() {
        return "kueue-like";
    }

    @Override
    public Decisions decide(SimState state) {
        Map<String, List<Integer>> free = new LinkedHashMap<>();
        state.zoneOf.keySet().forEach(n -> free.put(n, new ArrayList<>(state.freeGpus(n))));
        Map<String, Double> used = new HashMap<>();
        List<SimState.Live> running = new ArrayList<>(state.running.values());
        running.forEach(l -> used.merge(l.job.queue(), (double) l.job.gpus(), Double::sum));
        List<SimState.Waiting> waiting = new ArrayList<>(state.pending.values());
        List<Start> starts = new ArrayList<>();
        List<Preempt> preemptions = new ArrayList<>();
        while (!waiting.isEmpty()) {
            waiting.sort(Comparator.<SimState.Waiting, Boolean>comparing(w -> borrows(used, w.job, 0))
                    .thenComparingInt(w -> -w.job.priority()).thenComparingInt(w -> w.job.arrivalHour())
                    .thenComparing(w -> w.job.id()));
            SimState.Waiting w = waiting.remove(0);
            admit(w.job, used, free, running, starts, preemptions);
        }
        return new Decisions(starts, preemptions);
    }

    private boolean borrows(Map<String, Double> used, FairnessWorkload.Arrival job, double extra) {
        return used.getOrDefault(job.queue(), 0.0) + job.gpus() + extra > nominal.get(job.queue());
    }

    private double total(Map<String, Double> used) {
        return used.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private void admit(FairnessWorkload.Arrival job, Map<String, Double> used, Map<String, List<Integer>> free,
                       List<SimState.Live> running, List<Start> starts, List<Preempt> preemptions) {
        if (total(used) + job.gpus() <= cohortQuota) {
            Start start = firstFit(job, free);
            if (start != null) {
                commit(job, start, used, free, starts);
            }
            return;
        }
        // The quota is taken: preempt what the policies allow, in Kueue's order, until the quota admits it.
        List<SimState.Live> victims = new ArrayList<>();
        List<SimState.Live> candidates = new ArrayList<>(running);
        candidates.sort(Comparator.<SimState.Live>comparingInt(l -> l.job.priority())
                .thenComparingInt(l -> -l.startedHour));
        for (SimState.Live v : candidates) {
            if (total(used) + job.gpus() <= cohortQuota) {
                break;
            }
            if (reason(v, job, used.getOrDefault(job.queue(), 0.0) + job.gpus(), used.getOrDefault(v.job.queue(),
                    0.0)) != null) {
                victims.add(v);
                used.merge(v.job.queue(), (double) -v.job.gpus(), Double::sum);
                release(free, v);
            }
        }
        Start start = total(used) + job.gpus() <= cohortQuota ? firstFit(job, free) : null;
        List<String> reasons = new ArrayList<>();
        for (SimState.Live v : victims) { // as the contract reads them: the job placed, the victim's queue before
            double before = used.getOrDefault(v.job.queue(), 0.0);
            for (SimState.Live other : victims) {
                before += other.job.queue().equals(v.job.queue()) ? other.job.gpus() : 0;
            }
            reasons.add(reason(v, job, used.getOrDefault(job.queue(), 0.0) + job.gpus(), before));
        }
        if (start == null || reasons.contains(null)) { // no node for it after all: take the preemptions back
            for (SimState.Live v : victims) {
                used.merge(v.job.queue(), (double) v.job.gpus(), Double::sum);
                hold(free, v);
            }
            return;
        }
        commit(job, start, used, free, starts);
        for (int i = 0; i < victims.size(); i++) {
            preemptions.add(new Preempt(victims.get(i).job.id(), job.id(), reasons.get(i)));
            running.remove(victims.get(i));
        }
    }

    /**
     * Kueue's reason for preempting the running job for this one, or null when its queues' policies forbid it:
     * {@code jobQueueUse} is what the job's queue uses with the job placed, {@code victimQueueUse} what the victim's
     * queue uses (it must borrow).
     */
    private String reason(SimState.Live victim, FairnessWorkload.Arrival job, double jobQueueUse,
                          double victimQueueUse) {
        String vq = victim.job.queue();
        boolean lower = victim.job.priority() < job.priority();
        if (vq.equals(job.queue())) {
            return lower ? "InClusterQueue" : null; // withinQueue: LowerPriority
        }
        if (victimQueueUse <= nominal.get(vq)) {
            return null; // only what a queue borrows is reclaimed
        }
        if (jobQueueUse <= nominal.get(job.queue())) {
            return "InCohortReclamation"; // reclaimWithinCohort: Any
        }
        return lower ? "InCohortReclaimWhileBorrowing" : null; // borrowWithinCohort: LowerPriority
    }

    /** First fit: the first node (in cluster order) with the GPUs free, the lowest indices; null when none has. */
    private static Start firstFit(FairnessWorkload.Arrival job, Map<String, List<Integer>> free) {
        for (Map.Entry<String, List<Integer>> e : free.entrySet()) {
            if (e.getValue().size() >= job.gpus()) {
                return new Start(job.id(), e.getKey(), e.getValue().subList(0, job.gpus()).stream()
                        .mapToInt(Integer::intValue).toArray());
            }
        }
        return null;
    }

    private static void commit(FairnessWorkload.Arrival job, Start start, Map<String, Double> used,
                               Map<String, List<Integer>> free, List<Start> starts) {
        for (int g : start.gpus()) {
            free.get(start.node()).remove(Integer.valueOf(g));
        }
        used.merge(job.queue(), (double) job.gpus(), Double::sum);
        starts.add(start);
    }

    private static void release(Map<String, List<Integer>> free, SimState.Live v) {
        for (int g : v.gpus) {
            free.get(v.node).add(g);
        }
        free.get(v.node).sort(null);
    }

    private static void hold(Map<String, List<Integer>> free, SimState.Live v) {
        for (int g : v.gpus) {
            free.get(v.node).remove(Integer.valueOf(g));
        }
    }
}
