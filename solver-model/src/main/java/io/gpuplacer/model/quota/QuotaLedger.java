package io.gpuplacer.model.quota;

import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.QuotaUnits;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Quota use as a construction heuristic commits work: per cohort and flavor, units per queue and slot. It admits
 * a gang only where no slot's excess over Q1 or Q2 grows, so the greedy never builds a plan the quota constraints
 * reject (running work already over a limit stays as it is).
 */
public final class QuotaLedger {

    private final QuotaBook book;
    private final Map<CohortFlavor, long[][]> used = new IdentityHashMap<>();

    public QuotaLedger(QuotaBook book) {
        this.book = book;
    }

    /** Counts a task on a node over its slots from {@code start}. */
    public void commit(TaskAssignment task, Node node, int start) {
        add(task, node, start, 1);
    }

    /** The candidates whose flavor has room for one task of this kind from slot {@code start}. */
    public List<Node> withRoom(TaskAssignment task, int start, List<Node> candidates) {
        if (book.isEmpty() || task.getJob().queue() == null) {
            return candidates;
        }
        Map<String, Boolean> room = new HashMap<>();
        List<Node> out = new ArrayList<>(candidates.size());
        for (Node node : candidates) {
            if (room.computeIfAbsent(node.gpuModel(), f -> admits(List.of(task), new Node[]{node}, start))) {
                out.add(node);
            }
        }
        return out;
    }

    /** Whether the gang on these nodes from {@code start} leaves every slot's quota excess as it was. */
    public boolean admits(List<TaskAssignment> gang, Node[] nodes, int start) {
        if (book.isEmpty() || gang.get(0).getJob().queue() == null) {
            return true;
        }
        Map<CohortFlavor, long[]> before = new IdentityHashMap<>();
        for (int i = 0; i < gang.size(); i++) {
            CohortFlavor group = book.group(gang.get(i).getJob(), nodes[i].gpuModel());
            if (group != null) {
                before.computeIfAbsent(group, g -> excess(g, usage(g)));
            }
        }
        for (int i = 0; i < gang.size(); i++) {
            add(gang.get(i), nodes[i], start, 1);
        }
        boolean ok = true;
        for (Map.Entry<CohortFlavor, long[]> e : before.entrySet()) {
            long[] after = excess(e.getKey(), usage(e.getKey()));
            for (int t = 0; t < after.length && ok; t++) {
                ok = after[t] <= e.getValue()[t];
            }
        }
        for (int i = 0; i < gang.size(); i++) {
            add(gang.get(i), nodes[i], start, -1);
        }
        return ok;
    }

    /**
     * Why {@code units} more of the job's queue on the flavor over slots [from, to) would break Q1 or Q2, naming
     * the queue, the flavor, the slot and the limit; null when they fit.
     */
    public String wouldBreak(Job job, String flavor, int from, int to, long units) {
        CohortFlavor group = book.group(job, flavor);
        if (group == null) {
            return null;
        }
        long[][] use = usage(group);
        int i = group.position(job.queue());
        for (int t = Math.max(0, from); t < Math.min(to, group.horizon()); t++) {
            long q1Before = group.queueExcess(i, t, use[i][t]);
            long q2Before = group.cohortExcess(use, t);
            double taken = group.borrowed(use, t);
            use[i][t] += units;
            long q1 = group.queueExcess(i, t, use[i][t]);
            long q2 = group.cohortExcess(use, t);
            use[i][t] -= units;
            if (q1 > q1Before) {
                return String.format(Locale.ROOT, "queue %s may use %s %s GPUs in slot %d and uses %s: %s more do not "
                                + "fit", job.queue().id(), gpus(group.queueLimit(i, t)), flavor, t,
                        gpus(QuotaUnits.gpus(use[i][t])), gpus(QuotaUnits.gpus(units)));
            }
            if (q2 > q2Before) {
                double lends = group.lends(t);
                return String.format(Locale.ROOT, "queue %s needs %s %s GPUs in slot %d above its guarantee, and "
                                + "cohort %s lends %s: %s", job.queue().id(), gpus(QuotaUnits.gpus(units)), flavor, t,
                        group.cohort().replaceFirst("^queue:", "of queue "), lends == 0 ? "none" : gpus(lends),
                        lends == 0 ? "the queue has only its nominal quota"
                                : gpus(Math.min(lends, taken)) + " of them are taken");
            }
        }
        return null;
    }

    private static String gpus(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.3f", value);
    }

    private void add(TaskAssignment task, Node node, int start, int sign) {
        CohortFlavor group = book.group(task.getJob(), node.gpuModel());
        if (group == null) {
            return;
        }
        long[] slots = usage(group)[group.position(task.getJob().queue())];
        long units = sign * task.getJob().quotaUnits();
        for (int t = Math.max(0, start); t < Math.min(task.endSlotFor(start), slots.length); t++) {
            slots[t] += units;
        }
    }

    private long[][] usage(CohortFlavor group) {
        return used.computeIfAbsent(group, g -> new long[g.queues().size()][g.horizon()]);
    }

    /** Per slot, the units by which Q1 (all queues) and Q2 are exceeded. */
    private static long[] excess(CohortFlavor group, long[][] use) {
        long[] out = new long[group.horizon()];
        for (int t = 0; t < out.length; t++) {
            for (int i = 0; i < use.length; i++) {
                out[t] += group.queueExcess(i, t, use[i][t]);
            }
            out[t] += group.cohortExcess(use, t);
        }
        return out;
    }
}
