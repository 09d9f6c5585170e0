package io.gpuplacer.model.quota;

import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.Queue;
import io.gpuplacer.model.problem.RunningTask;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The quota rules of a problem (section 9): one {@link CohortFlavor} per cohort and flavor its queues list, with
 * the limits the running work alone sets where it already exceeds them. Empty for a problem without queues.
 */
public final class QuotaBook {

    private static final QuotaBook EMPTY = new QuotaBook(Map.of());

    private final Map<String, Map<String, CohortFlavor>> groups; // cohort -> flavor -> rules

    private QuotaBook(Map<String, Map<String, CohortFlavor>> groups) {
        this.groups = groups;
    }

    /** The rules of the problem; none for a problem without queues (or none at all: {@code null}). */
    public static QuotaBook of(Problem problem) {
        if (problem == null || problem.queues().isEmpty()) {
            return EMPTY;
        }
        int horizon = problem.horizonHours();
        Map<String, List<Queue>> cohorts = new LinkedHashMap<>();
        problem.queues().forEach(q -> cohorts.computeIfAbsent(q.cohortKey(), k -> new ArrayList<>()).add(q));
        Map<String, Map<String, CohortFlavor>> groups = new HashMap<>();
        cohorts.forEach((cohort, queues) -> {
            Map<String, CohortFlavor> byFlavor = new LinkedHashMap<>();
            for (Queue q : queues) {
                for (String flavor : q.quotas().keySet()) {
                    byFlavor.computeIfAbsent(flavor, f -> new CohortFlavor(cohort, f, queues, horizon));
                }
            }
            groups.put(cohort, byFlavor);
        });
        QuotaBook book = new QuotaBook(groups);
        Map<CohortFlavor, long[][]> baseline = new HashMap<>();
        for (RunningTask r : problem.running()) {
            CohortFlavor group = book.group(r.job(), r.node().gpuModel());
            if (group != null) {
                long[][] used = baseline.computeIfAbsent(group, g -> new long[g.queues().size()][horizon]);
                int position = group.position(r.job().queue());
                for (int t = 0; t < r.occupiedSlots(horizon); t++) {
                    used[position][t] += r.job().quotaUnits();
                }
            }
        }
        baseline.forEach(CohortFlavor::allowBaseline);
        return book;
    }

    public boolean isEmpty() {
        return groups.isEmpty();
    }

    /** The rules a task of the job on a node of the flavor is counted against, or null (no queue, no GPU share). */
    public CohortFlavor group(Job job, String flavor) {
        Queue queue = job.queue();
        if (queue == null || job.quotaUnits() == 0) {
            return null;
        }
        Map<String, CohortFlavor> byFlavor = groups.get(queue.cohortKey());
        return byFlavor == null ? null : byFlavor.get(flavor);
    }

    /**
     * Keeps the queue within its nominal quota of the flavor in slot 0 (Q1's limit there lowered to it): the
     * promise a reclaiming preemption (P3) makes, so the rest of the plan cannot turn it into borrowing.
     */
    public void keepWithinNominalNow(Queue queue, String flavor) {
        Map<String, CohortFlavor> byFlavor = groups.get(queue.cohortKey());
        CohortFlavor group = byFlavor == null ? null : byFlavor.get(flavor);
        if (group != null) {
            group.capAtNominal(queue, 0);
        }
    }

    /** Every group, for reports and the queue view. */
    public List<CohortFlavor> groups() {
        List<CohortFlavor> all = new ArrayList<>();
        groups.values().forEach(m -> all.addAll(m.values()));
        return all;
    }
}
