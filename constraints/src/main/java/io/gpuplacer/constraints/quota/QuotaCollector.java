package io.gpuplacer.constraints.quota;

import ai.timefold.solver.core.api.score.stream.uni.UniConstraintCollector;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.QuotaUnits;
import io.gpuplacer.model.quota.CohortFlavor;

import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Collects the tasks of one cohort and flavor into usage per queue and slot, incrementally (a task added or
 * removed touches only its own slots), and finishes into the {@link QuotaExcess} of rules Q1 and Q2: the cost of
 * a move is its own slots plus one pass over queues x slots, not a pass over every task of the cohort.
 */
public final class QuotaCollector implements UniConstraintCollector<TaskAssignment, QuotaCollector.Usage, QuotaExcess> {

    /** Units used per queue position and slot, for the group of the first task collected. */
    public static final class Usage {
        private CohortFlavor group;
        private long[][] used;

        private void add(CohortFlavor of, int position, int from, int to, long units) {
            if (group == null) {
                group = of;
                used = new long[of.queues().size()][of.horizon()];
            }
            for (int t = from; t < to; t++) {
                used[position][t] += units;
            }
        }
    }

    @Override
    public Supplier<Usage> supplier() {
        return Usage::new;
    }

    @Override
    public BiFunction<Usage, TaskAssignment, Runnable> accumulator() {
        return (usage, task) -> {
            CohortFlavor group = task.getQuotaGroup();
            int position = group.position(task.getJob().queue());
            int from = task.isRunning() ? 0 : task.getStartSlot();
            int to = Math.min(task.getEndSlot(), group.horizon());
            long units = task.getJob().quotaUnits();
            usage.add(group, position, from, to, units);
            return () -> usage.add(group, position, from, to, -units);
        };
    }

    @Override
    public Function<Usage, QuotaExcess> finisher() {
        return usage -> excess(usage.group, usage.used);
    }

    static QuotaExcess excess(CohortFlavor group, long[][] used) {
        CohortFlavor.Totals totals = group.totals(used);
        String queueBreak = null;
        String cohortBreak = null;
        for (int t = 0; t < group.horizon() && (totals.excessUnits() > 0); t++) {
            for (int i = 0; i < group.queues().size() && queueBreak == null; i++) {
                if (group.queueExcess(i, t, used[i][t]) > 0) {
                    queueBreak = String.format(Locale.ROOT, "queue %s at its %s limit in slot %d: %s of %s GPUs",
                            group.queues().get(i).id(), group.flavor(), t, gpus(QuotaUnits.gpus(used[i][t])),
                            gpus(group.queueLimit(i, t)));
                }
            }
            if (cohortBreak == null && group.cohortExcess(used, t) > 0) {
                cohortBreak = String.format(Locale.ROOT, "cohort %s lends %s %s GPUs in slot %d; its queues use %s"
                                + " above their guarantees", group.cohort(), gpus(group.lends(t)), group.flavor(), t,
                        gpus(group.borrowed(used, t)));
            }
        }
        return new QuotaExcess(group, totals.queueUnits(), queueBreak, totals.cohortUnits(), cohortBreak,
                totals.fairShareUnits());
    }

    static String gpus(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.3f", value);
    }
}
