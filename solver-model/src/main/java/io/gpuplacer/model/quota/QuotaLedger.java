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
        return change(gang, nodes, start).excessUnits() == 0;
    }

    /**
     * What the gang on these nodes from {@code start} would change, without changing anything (so callers may ask
     * from several threads between commits): the growth of the Q1 and Q2 excess in units x slots (adding use
     * never lowers it), and per cohort and flavor touched, its totals before and after.
     */
    public Change change(List<TaskAssignment> gang, Node[] nodes, int start) {
        if (book.isEmpty() || gang.get(0).getJob().queue() == null) {
            return Change.NONE;
        }
        Map<CohortFlavor, long[][]> after = new IdentityHashMap<>();
        for (int i = 0; i < gang.size(); i++) {
            TaskAssignment task = gang.get(i);
            CohortFlavor group = book.group(task.getJob(), nodes[i].gpuModel());
            if (group != null) {
                long[][] use = after.computeIfAbsent(group, g -> copy(peek(g)));
                long[] slots = use[group.position(task.getJob().queue())];
                for (int t = Math.max(0, start); t < Math.min(task.endSlotFor(start), slots.length); t++) {
                    slots[t] += task.getJob().quotaUnits();
                }
            }
        }
        long excess = 0;
        List<Touched> touched = new ArrayList<>(after.size());
        for (Map.Entry<CohortFlavor, long[][]> e : after.entrySet()) {
            CohortFlavor.Totals before = e.getKey().totals(peek(e.getKey()));
            CohortFlavor.Totals then = e.getKey().totals(e.getValue());
            excess += then.excessUnits() - before.excessUnits();
            touched.add(new Touched(e.getKey(), before, then));
        }
        return new Change(excess, touched);
    }

    /** What a placement changes of the quota rules: see {@link #change}. */
    public record Change(long excessUnits, List<Touched> touched) {
        static final Change NONE = new Change(0, List.of());
    }

    /** One cohort and flavor's totals before and after a placement. */
    public record Touched(CohortFlavor group, CohortFlavor.Totals before, CohortFlavor.Totals after) {
    }

    private static long[][] copy(long[][] use) {
        long[][] out = new long[use.length][];
        for (int i = 0; i < use.length; i++) {
            out[i] = use[i].clone();
        }
        return out;
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
        long[][] use = copy(peek(group)); // changed below and put back: never the ledger's own
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

    /** The group's use without recording anything (readers may run concurrently between commits). */
    private long[][] peek(CohortFlavor group) {
        long[][] use = used.get(group);
        return use != null ? use : new long[group.queues().size()][group.horizon()];
    }

}
