package io.gpuplacer.service.solve;

import ai.timefold.solver.core.api.score.analysis.ConstraintAnalysis;
import ai.timefold.solver.core.api.score.analysis.MatchAnalysis;
import ai.timefold.solver.core.api.score.analysis.ScoreAnalysis;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.score.stream.ConstraintJustification;
import io.gpuplacer.constraints.Justifications;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.SignalSeries;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Per-job explanations from Timefold's score analysis: every match is justified with the job (or the node and
 * the jobs on it, with each job's part of the node's use), so each job gets the score terms that concern it. A
 * placed job also gets where and when in words, with the hours it avoided for a job that could wait; an
 * unplaced job gets the rule that blocked it.
 */
final class PlanExplainer {

    private PlanExplainer() {
    }

    static List<Plan.Explanation> explain(Problem problem, Plan plan, ScoreAnalysis<HardMediumSoftLongScore> analysis) {
        Map<String, Map<String, double[]>> terms = new LinkedHashMap<>(); // job -> constraint -> {hard, medium, soft}
        Map<String, Map<String, String>> details = new LinkedHashMap<>();
        for (ConstraintAnalysis<HardMediumSoftLongScore> constraint : analysis.constraintAnalyses()) {
            if (constraint.matches() == null) {
                continue;
            }
            for (MatchAnalysis<HardMediumSoftLongScore> match : constraint.matches()) {
                ConstraintJustification j = match.justification();
                HardMediumSoftLongScore score = match.score();
                Map<String, Double> parts;
                String detail;
                if (j instanceof Justifications.TaskMatch t) {
                    parts = Map.of(t.job(), 1.0);
                    detail = t.description();
                } else if (j instanceof Justifications.JobMatch m) {
                    parts = Map.of(m.job(), 1.0);
                    detail = m.description();
                } else if (j instanceof Justifications.NodeMatch n) {
                    parts = n.jobParts();
                    detail = n.description();
                } else {
                    continue;
                }
                String id = constraint.constraintName();
                parts.forEach((job, part) -> {
                    double[] sum = terms.computeIfAbsent(job, k -> new LinkedHashMap<>())
                            .computeIfAbsent(id, k -> new double[3]);
                    sum[0] += score.hardScore() * part;
                    sum[1] += score.mediumScore() * part;
                    sum[2] += score.softScore() * part;
                    details.computeIfAbsent(job, k -> new LinkedHashMap<>()).merge(id, detail,
                            (a, b) -> a.length() > 160 ? a : a + "; " + b);
                });
            }
        }
        Map<String, List<Plan.Placement>> placed = new LinkedHashMap<>();
        plan.placements().forEach(p -> placed.computeIfAbsent(p.job(), k -> new ArrayList<>()).add(p));
        Map<String, Job> jobs = new java.util.HashMap<>();
        problem.jobs().forEach(j -> jobs.put(j.id(), j));
        Map<String, List<Plan.Placement>> byNode = new java.util.HashMap<>();
        plan.placements().forEach(p -> byNode.computeIfAbsent(p.node(), k -> new ArrayList<>()).add(p));
        List<Plan.Explanation> out = new ArrayList<>();
        for (Job job : problem.jobs()) {
            List<Plan.Term> jobTerms = toTerms(terms.getOrDefault(job.id(), Map.of()),
                    details.getOrDefault(job.id(), Map.of()));
            List<Plan.Placement> placements = placed.get(job.id());
            if (placements == null) {
                String reason = plan.unplaced().stream().filter(u -> u.job().equals(job.id()) && u.task() == null)
                        .map(Plan.Unplaced::reason).findFirst().orElse("not placed");
                out.add(new Plan.Explanation(job.id(), false, "unplaced: " + reason, jobTerms));
            } else {
                out.add(new Plan.Explanation(job.id(), true, placedSummary(problem, job, placements)
                        + backfill(problem, job, placements, byNode, jobs), jobTerms));
            }
        }
        return out;
    }

    private static List<Plan.Term> toTerms(Map<String, double[]> sums, Map<String, String> details) {
        List<Plan.Term> out = new ArrayList<>();
        sums.forEach((id, s) -> {
            long hard = Math.round(s[0]);
            long medium = Math.round(s[1]);
            long soft = Math.round(s[2]);
            if (hard == 0 && medium == 0 && soft == 0) {
                return;
            }
            String score = hard != 0 ? hard + "hard" : medium != 0 ? medium + "medium" : soft + "soft";
            Double usd = hard == 0 && medium == 0 ? Math.round(-soft / 1e4) / 100.0 : null;
            out.add(new Plan.Term(id, score, usd, details.get(id)));
        });
        out.sort(Comparator.comparingLong((Plan.Term t) -> t.usd() == null ? Long.MIN_VALUE
                : -Math.round(Math.abs(t.usd()) * 100)));
        return out;
    }

    private static final java.time.format.DateTimeFormatter CLOCK = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC);

    /**
     * "; backfilled until <when>, before <job>" when the job runs on whole GPUs that a job starting later holds
     * only from its start, and ends by then: the earliest such start; else nothing.
     */
    static String backfill(Problem problem, Job job, List<Plan.Placement> placements,
                           Map<String, List<Plan.Placement>> byNode, Map<String, Job> jobs) {
        if (job.gpu().kind() != io.gpuplacer.model.problem.GpuKind.WHOLE) {
            return "";
        }
        int start = placements.get(0).startSlot();
        int end = start + Problem.occupiedSlots(job);
        Plan.Placement before = null;
        for (Plan.Placement mine : placements) {
            for (Plan.Placement other : byNode.getOrDefault(mine.node(), List.of())) {
                if (other.job().equals(job.id()) || other.startSlot() <= start
                        || other.startSlot() < end || other.gpus().stream().noneMatch(mine.gpus()::contains)
                        || (before != null && before.startSlot() <= other.startSlot())) {
                    continue;
                }
                Job later = jobs.get(other.job());
                if (later != null && later.gpu().kind() == io.gpuplacer.model.problem.GpuKind.WHOLE) {
                    before = other;
                }
            }
        }
        return before == null ? "" : String.format(Locale.ROOT, "; backfilled until %s (slot %d), before %s",
                CLOCK.format(problem.now().plusSeconds(3600L * before.startSlot())), before.startSlot(), before.job());
    }

    /** Where and when, and for work that could wait, what its hours look like against starting at once. */
    private static String placedSummary(Problem problem, Job job, List<Plan.Placement> placements) {
        Set<String> nodes = new LinkedHashSet<>();
        placements.forEach(p -> nodes.add(p.node()));
        int start = placements.get(0).startSlot();
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%d task%s on %s from slot %d",
                placements.size(), placements.size() == 1 ? "" : "s", String.join(", ", nodes), start));
        int earliest = problem.earliestStartSlot(job);
        int latest = problem.latestStartSlot(job);
        Node first = problem.node(placements.get(0).node());
        if (first == null) {
            return text.toString();
        }
        SignalSeries signals = first.zone().signals();
        int hours = Problem.occupiedSlots(job);
        int end = start + hours;
        if (latest > earliest) {
            int earliestEnd = earliest + hours;
            text.append(String.format(Locale.ROOT, " (window %d..%d); in %s its hours average %.0f g/kWh and %.1f "
                            + "USD/MWh%s, against %.0f g/kWh and %.1f USD/MWh from slot %d%s", earliest, latest,
                    first.zone().id(), signals.carbonSum(start, end) / hours, signals.priceSum(start, end) / hours,
                    signals.estimateNote(start, end), signals.carbonSum(earliest, earliestEnd) / hours,
                    signals.priceSum(earliest, earliestEnd) / hours, earliest, signals.estimateNote(earliest, earliestEnd)));
        } else if (!signals.estimateNote(start, end).isEmpty()) {
            text.append("; the signals of its hours in ").append(first.zone().id()).append(" are partly estimated")
                    .append(signals.estimateNote(start, end));
        }
        return text.toString();
    }
}
