package io.gpuplacer.model.validation;

import io.gpuplacer.model.accounting.Occupancy.Occupant;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.PreemptionReason;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.Queue;
import io.gpuplacer.model.problem.Quota;
import io.gpuplacer.model.problem.QuotaUnits;
import io.gpuplacer.model.problem.RunningTask;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The queue rules of interchange section 9 (v1.2), Q1-Q3 and P1-P4, written straight from the text in GPU share
 * (doubles, with {@link QuotaUnits#TOLERANCE_GPUS}), independent of the solver's integer bookkeeping. Every error
 * names the rule, the queue (or cohort), the flavor and the slot.
 */
final class QueueRules {

    private static final double EPS = QuotaUnits.TOLERANCE_GPUS;

    private final Problem problem;
    private final Plan plan;
    private final List<Occupant> occupants;
    private final List<String> errors;
    /** u(q, f, t) of the plan, and of the running work alone as the snapshot gives it (the baseline). */
    private final Map<Queue, Map<String, double[]>> usage = new LinkedHashMap<>();
    private final Map<Queue, Map<String, double[]>> baseline = new LinkedHashMap<>();

    private QueueRules(Problem problem, Plan plan, List<Occupant> occupants, List<String> errors) {
        this.problem = problem;
        this.plan = plan;
        this.occupants = occupants;
        this.errors = errors;
    }

    static void check(Problem problem, Plan plan, List<Occupant> occupants, List<String> errors) {
        QueueRules rules = new QueueRules(problem, plan, occupants, errors);
        rules.measure();
        rules.checkFlavors();
        rules.checkQueueLimits();
        rules.checkCohortLending();
        rules.checkPreemptions();
    }

    private void measure() {
        int horizon = problem.horizonHours();
        for (Occupant o : occupants) {
            add(usage, o.job(), o.node().gpuModel(), o.start(), o.end(), horizon);
        }
        for (RunningTask r : problem.running()) {
            add(baseline, r.job(), r.node().gpuModel(), 0, r.occupiedSlots(), horizon);
        }
    }

    private static void add(Map<Queue, Map<String, double[]>> into, Job job, String flavor, int start, int end,
                            int horizon) {
        Queue queue = job.queue();
        double share = job.gpu().share();
        if (queue == null || share <= 0) {
            return;
        }
        double[] slots = into.computeIfAbsent(queue, q -> new LinkedHashMap<>())
                .computeIfAbsent(flavor, f -> new double[horizon]);
        for (int t = Math.max(0, start); t < Math.min(end, horizon); t++) {
            slots[t] += share;
        }
    }

    private double used(Map<Queue, Map<String, double[]>> of, Queue q, String flavor, int t) {
        double[] slots = of.getOrDefault(q, Map.of()).get(flavor);
        return slots == null ? 0 : slots[t];
    }

    /** Q3: a queue's GPU work is sent only to flavors its quotas list (running work that stays is today's state). */
    private void checkFlavors() {
        for (Occupant o : occupants) {
            Queue q = o.job().queue();
            boolean decided = !o.running() || o.moved();
            if (decided && q != null && o.job().gpu().usesGpu() && q.quota(o.node().gpuModel()) == null) {
                errors.add("Q3: queue " + q.id() + ", flavor " + o.node().gpuModel() + ", slot " + o.start() + ": "
                        + o.job().id() + "#" + o.task() + " on node " + o.node().id() + ", but the queue has no quota"
                        + " for that flavor (it lists " + new TreeSet<>(q.quotas().keySet()) + ")");
            }
        }
    }

    /** Q1: u(q, f, t) <= nominal + borrowingLimit where the limit is set, or the running work's own use. */
    private void checkQueueLimits() {
        for (Queue q : problem.queues()) {
            for (Quota quota : q.quotas().values()) {
                if (quota.borrowingLimit() == null) {
                    continue;
                }
                for (int t = 0; t < problem.horizonHours(); t++) {
                    double limit = Math.max(quota.maxUse(), used(baseline, q, quota.flavor(), t));
                    double u = used(usage, q, quota.flavor(), t);
                    if (u > limit + EPS) {
                        errors.add("Q1: queue " + q.id() + ", flavor " + quota.flavor() + ", slot " + t + ": uses "
                                + gpus(u) + " GPUs, more than nominal " + gpus(quota.nominal()) + " + borrowingLimit "
                                + gpus(quota.borrowingLimit()) + (limit > quota.maxUse()
                                ? " (or the " + gpus(limit) + " its running work already uses)" : ""));
                    }
                }
            }
        }
    }

    /** Q2: per cohort, flavor and slot, what queues use above their guarantee <= what the cohort lends. */
    private void checkCohortLending() {
        Map<String, List<Queue>> cohorts = new LinkedHashMap<>();
        problem.queues().forEach(q -> cohorts.computeIfAbsent(q.cohortKey(), k -> new ArrayList<>()).add(q));
        cohorts.forEach((cohort, queues) -> {
            // Flavors the cohort lists; use of any other is Q3's to report, once.
            Set<String> flavors = new TreeSet<>();
            queues.forEach(q -> flavors.addAll(q.quotas().keySet()));
            for (String f : flavors) {
                double lends = 0;
                for (Queue q : queues) {
                    lends += q.quota(f) == null ? 0 : q.quota(f).lendable();
                }
                for (int t = 0; t < problem.horizonHours(); t++) {
                    double borrowed = 0;
                    double borrowedBefore = 0;
                    List<String> borrowers = new ArrayList<>();
                    for (Queue q : queues) {
                        double guaranteed = q.quota(f) == null ? 0 : q.quota(f).guaranteed();
                        double above = Math.max(0, used(usage, q, f, t) - guaranteed);
                        borrowedBefore += Math.max(0, used(baseline, q, f, t) - guaranteed);
                        if (above > EPS) {
                            borrowers.add(q.id() + " " + gpus(above));
                        }
                        borrowed += above;
                    }
                    double limit = Math.max(lends, borrowedBefore);
                    if (borrowed > limit + EPS) {
                        errors.add("Q2: cohort " + cohort.replaceFirst("^queue:", "of queue ") + ", flavor " + f
                                + ", slot " + t + ": queues use " + gpus(borrowed) + " GPUs above their guarantees ("
                                + String.join(", ", borrowers) + "), but the cohort lends " + gpus(lends)
                                + (limit > lends ? " (or the " + gpus(limit) + " its running work already takes)"
                                : ""));
                    }
                }
            }
        });
    }

    /** P1-P4: who may be preempted, for whom, and why. */
    private void checkPreemptions() {
        List<Plan.Preemption> preemptions = plan.preemptions() == null ? List.of() : plan.preemptions();
        if (preemptions.isEmpty()) {
            return;
        }
        Map<String, RunningTask> running = new HashMap<>();
        Map<String, Integer> gangSizes = new HashMap<>();
        for (RunningTask r : problem.running()) {
            running.put(r.job().id() + "#" + r.task(), r);
            gangSizes.merge(r.job().id(), 1, Integer::sum);
        }
        Map<String, Job> jobs = new HashMap<>();
        problem.jobs().forEach(j -> jobs.put(j.id(), j));
        Map<String, Set<Integer>> startsOf = new HashMap<>();
        for (Plan.Placement p : plan.placements() == null ? List.<Plan.Placement>of() : plan.placements()) {
            startsOf.computeIfAbsent(p.job(), k -> new HashSet<>()).add(p.startSlot());
        }
        Set<String> moved = new HashSet<>();
        (plan.moves() == null ? List.<Plan.Move>of() : plan.moves()).forEach(m -> moved.add(m.job() + "#" + m.task()));
        // What each queue uses of each flavor in slot 0 before the preemptions (Kueue: the victim's queue borrows
        // when the victim is chosen).
        Map<Queue, Map<String, Double>> preemptedUse = new HashMap<>();
        Map<String, Integer> listedPerGang = new HashMap<>();
        Set<String> listed = new HashSet<>();
        for (Plan.Preemption p : preemptions) {
            RunningTask r = running.get(p.job() + "#" + p.task());
            if (r != null && listed.add(p.job() + "#" + p.task())) {
                listedPerGang.merge(p.job(), 1, Integer::sum);
                if (r.job().queue() != null && r.occupiedSlots() > 0) {
                    preemptedUse.computeIfAbsent(r.job().queue(), q -> new HashMap<>())
                            .merge(r.node().gpuModel(), r.job().gpu().share(), Double::sum);
                }
            }
        }
        Set<String> seen = new HashSet<>();
        for (Plan.Preemption p : preemptions) {
            String where = "preemption " + p.job() + "#" + p.task() + " for " + p.forJob() + ": ";
            RunningTask victim = running.get(p.job() + "#" + p.task());
            if (victim == null) {
                errors.add(where + "no such running task (P1)");
                continue;
            }
            if (!seen.add(p.job() + "#" + p.task())) {
                errors.add(where + "listed twice (P1)");
                continue;
            }
            if (!victim.node().id().equals(p.node())) {
                errors.add(where + "node " + p.node() + " is not where it runs (" + victim.node().id() + ") (P1)");
            }
            if (moved.contains(p.job() + "#" + p.task())) {
                errors.add(where + "the task also moves; a task that moves is not preempted (P1)");
            }
            if (listedPerGang.getOrDefault(p.job(), 0) < gangSizes.get(p.job())) {
                errors.add(where + "only " + listedPerGang.get(p.job()) + " of the " + gangSizes.get(p.job())
                        + " running tasks of " + p.job() + " are preempted; a gang is preempted whole (P1)");
            }
            Job job = jobs.get(p.forJob());
            Set<Integer> starts = startsOf.get(p.forJob());
            if (job == null || starts == null || !starts.equals(Set.of(0))) {
                errors.add(where + p.forJob() + " is not a job this plan places at slot 0 (P1)");
                continue;
            }
            Queue vq = victim.job().queue();
            Queue jq = job.queue();
            if (vq == null || jq == null) {
                errors.add(where + (vq == null ? p.job() : p.forJob()) + " has no queue; work of no queue is never"
                        + " preempted and never preempts (P1)");
                continue;
            }
            checkReason(where, p.reason(), victim, job, preemptedUse);
        }
    }

    private void checkReason(String where, String reasonName, RunningTask victim, Job job,
                             Map<Queue, Map<String, Double>> preemptedUse) {
        PreemptionReason reason;
        try {
            reason = PreemptionReason.valueOf(reasonName);
        } catch (IllegalArgumentException e) {
            errors.add(where + "reason \"" + reasonName + "\" is not one of InClusterQueue, InCohortReclamation, "
                    + "InCohortReclaimWhileBorrowing");
            return;
        }
        Queue vq = victim.job().queue();
        Queue jq = job.queue();
        String flavor = victim.node().gpuModel();
        int vp = victim.job().priority();
        String at = "queue " + jq.id() + ", flavor " + flavor + ", slot 0: ";
        if (reason == PreemptionReason.InClusterQueue) {
            if (!vq.equals(jq)) {
                errors.add(where + at + "InClusterQueue, but the victim is of queue " + vq.id() + " (P2)");
            } else if (!jq.preemption().withinQueue().allows(vp, job.priority())) {
                errors.add(where + at + "withinQueue is " + jq.preemption().withinQueue() + " and the victim's "
                        + "priority " + vp + " is not below " + job.priority() + " (P2)");
            }
            return;
        }
        String rule = reason == PreemptionReason.InCohortReclamation ? "P3" : "P4";
        if (vq.equals(jq) || jq.cohort() == null || !jq.cohort().equals(vq.cohort())) {
            errors.add(where + at + reason + ", but the victim's queue " + vq.id() + " is not another queue of "
                    + "the cohort (" + rule + ")");
            return;
        }
        Quota victimQuota = vq.quota(flavor);
        double victimNominal = victimQuota == null ? 0 : victimQuota.nominal();
        double victimUse = used(usage, vq, flavor, 0)
                + preemptedUse.getOrDefault(vq, Map.of()).getOrDefault(flavor, 0.0);
        if (victimUse <= victimNominal + EPS) {
            errors.add(where + at + "the victim's queue " + vq.id() + " uses " + gpus(victimUse) + " of its nominal "
                    + gpus(victimNominal) + ": it does not borrow (" + rule + ")");
        }
        Quota quota = jq.quota(flavor);
        double nominal = quota == null ? 0 : quota.nominal();
        double use = used(usage, jq, flavor, 0);
        boolean borrows = use > nominal + EPS;
        if (reason == PreemptionReason.InCohortReclamation) {
            if (borrows) {
                errors.add(where + at + "uses " + gpus(use) + " GPUs after the placement, above its nominal "
                        + gpus(nominal) + ": that is InCohortReclaimWhileBorrowing, not InCohortReclamation (P3)");
            } else if (!jq.preemption().reclaimWithinCohort().allows(vp, job.priority())) {
                errors.add(where + at + "reclaimWithinCohort is " + jq.preemption().reclaimWithinCohort()
                        + " and the victim's priority " + vp + " is not below " + job.priority() + " (P3)");
            }
        } else if (!borrows) {
            errors.add(where + at + "uses " + gpus(use) + " GPUs after the placement, within its nominal "
                    + gpus(nominal) + ": that is InCohortReclamation, not InCohortReclaimWhileBorrowing (P4)");
        } else if (!jq.preemption().borrowWithinCohort().allows(vp, job.priority())) {
            errors.add(where + at + "borrowWithinCohort is " + jq.preemption().borrowWithinCohort()
                    + " and the victim's priority " + vp + " is not below " + job.priority() + " (P4)");
        }
    }

    private static String gpus(double value) {
        return value == Math.rint(value) ? Long.toString((long) value)
                : String.format(java.util.Locale.ROOT, "%.3f", value);
    }
}
