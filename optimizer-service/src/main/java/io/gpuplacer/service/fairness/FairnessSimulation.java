package io.gpuplacer.service.fairness;

import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.validation.PlanValidator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs one policy online over the workload, hour by hour: the hour's arrivals join the queue, the policy decides,
 * the decisions are checked by the independent plan validator (section 5 and the queue rules of section 9) and
 * carried out, and the hour is measured: GPUs in use, energy and CO2e, waits, preemptions, fairness. Waits are
 * those of work that asked to start now (no deadline): deferrable work waits by design, within its deadline,
 * and its misses are counted apart. Steady state: the arrivals run from a day before the measured week to two days
 * after it, and only the week is measured (its hours, and the jobs that arrive in it, followed to their start), so
 * that neither policy meets an empty cluster at the start nor has its deferred work cut off at the end.
 */
public final class FairnessSimulation {

    /** What one policy achieved over the run. */
    public record Outcome(String policy, double utilization, double jain, Map<String, Double> p95WaitHours,
                   int preemptions, double lostGpuHours, double co2eGramsPerGpuHour, double gpuHours,
                   int deadlineMisses, int jobs, int started, int neverStarted, int brokenRules,
                   List<String> firstBreaks) {
    }

    private final FairnessWorkload workload;

    FairnessSimulation(FairnessWorkload workload) {
        this.workload = workload;
    }

    Outcome run(SchedulingPolicy policy) throws InputException {
        SimState state = new SimState(workload);
        int next = 0;
        List<FairnessWorkload.Arrival> arrivals = workload.arrivals();
        Map<String, List<Double>> waits = new TreeMap<>();
        Map<String, Integer> firstStart = new HashMap<>();
        double gpuHours = 0;
        double co2Grams = 0;
        double lost = 0;
        int preemptions = 0;
        int misses = 0;
        int broken = 0;
        List<String> firstBreaks = new ArrayList<>();
        double jainSum = 0;
        int jainHours = 0;
        int totalGpus = workload.cluster().get("nodes").size() * FairnessWorkload.GPUS_PER_NODE;
        for (int h = 0; h < workload.simulatedHours(); h++) {
            state.hour = h;
            boolean measured = workload.measured(h);
            while (next < arrivals.size() && arrivals.get(next).arrivalHour() == h) {
                FairnessWorkload.Arrival a = arrivals.get(next++);
                state.pending.put(a.id(), new SimState.Waiting(a, a.hours()));
            }
            SchedulingPolicy.Decisions d = policy.decide(state);
            List<String> errors = validate(state, d);
            broken += errors.size();
            errors.stream().limit(3 - Math.min(3, firstBreaks.size())).forEach(e -> firstBreaks.add("hour " + state.hour
                    + ": " + e));
            for (SchedulingPolicy.Preempt p : d.preemptions()) {
                SimState.Live victim = state.running.remove(p.job());
                double loss = (victim.job.checkpointMinutes() / 2 + victim.job.restartMinutes()) / 60.0;
                if (measured) {
                    lost += loss * victim.job.gpus();
                    preemptions++;
                }
                state.pending.put(victim.job.id(), new SimState.Waiting(victim.job, victim.remaining + loss));
            }
            for (SchedulingPolicy.Start s : d.starts()) {
                SimState.Waiting w = state.pending.remove(s.job());
                state.running.put(s.job(), new SimState.Live(w.job, s.node(), s.gpus(), w.remaining, h));
                boolean ours = workload.measured(w.job.arrivalHour());
                if (firstStart.putIfAbsent(s.job(), h) == null && w.job.deadlineHour() < 0 && ours) {
                    waits.computeIfAbsent(w.job.queue(), q -> new ArrayList<>()).add((double) (h - w.job.arrivalHour()));
                }
                if (w.job.deadlineHour() >= 0 && h + Math.ceil(w.remaining) > w.job.deadlineHour() && ours) {
                    misses++;
                }
            }
            double[] hourMeasures = measured ? measureHour(state) : new double[2];
            gpuHours += hourMeasures[0];
            co2Grams += hourMeasures[1];
            double jain = measured ? jain(state) : Double.NaN;
            if (!Double.isNaN(jain)) {
                jainSum += jain;
                jainHours++;
            }
            for (var it = state.running.values().iterator(); it.hasNext(); ) {
                SimState.Live l = it.next();
                l.remaining -= 1;
                if (l.remaining <= 1e-9) {
                    it.remove();
                }
            }
        }
        int neverStarted = 0;
        int jobs = 0;
        int started = 0;
        for (FairnessWorkload.Arrival a : arrivals) {
            if (!workload.measured(a.arrivalHour())) {
                continue;
            }
            jobs++;
            if (firstStart.containsKey(a.id())) {
                started++;
            } else { // censored: waited until the end
                neverStarted++;
                if (a.deadlineHour() < 0) {
                    waits.computeIfAbsent(a.queue(), q -> new ArrayList<>())
                            .add((double) (workload.simulatedHours() - a.arrivalHour()));
                }
            }
        }
        Map<String, Double> p95 = new TreeMap<>();
        waits.forEach((q, list) -> p95.put(q, percentile(list, 0.95)));
        return new Outcome(policy.name(), gpuHours / ((double) totalGpus * workload.hours()),
                jainHours == 0 ? 1.0 : jainSum / jainHours, p95, preemptions, lost,
                gpuHours == 0 ? 0 : co2Grams / gpuHours, gpuHours, misses, jobs, started, neverStarted, broken,
                List.copyOf(firstBreaks));
    }

    /** The hour's decisions as a plan (starts at slot 0, preemptions), judged by the validator. */
    private static List<String> validate(SimState state, SchedulingPolicy.Decisions d) throws InputException {
        Problem problem = new ProblemReader().read(state.clusterDoc(), state.jobsDoc(), state.signalsDoc());
        List<Plan.Placement> placements = new ArrayList<>();
        for (SchedulingPolicy.Start s : d.starts()) {
            placements.add(new Plan.Placement(s.job(), 0, s.node(), Arrays.stream(s.gpus()).boxed().toList(), null,
                    0));
        }
        List<Plan.Preemption> preemptions = new ArrayList<>();
        for (SchedulingPolicy.Preempt p : d.preemptions()) {
            preemptions.add(new Plan.Preemption(p.job(), 0, state.running.get(p.job()).node, p.forJob(),
                    p.reason()));
        }
        Plan plan = new Plan("", true, placements, List.of(), List.of(), null, List.of(), List.of(), List.of())
                .withPreemptions(preemptions);
        return PlanValidator.validate(problem, plan);
    }

    /**
     * GPU-hours in use and grams CO2e of the hour (section 6's model: every node, always on, draws its base; work
     * adds busy watts x utilization per GPU).
     */
    private double[] measureHour(SimState state) {
        Map<String, Double> busyWatts = new HashMap<>();
        state.zoneOf.keySet().forEach(n -> busyWatts.put(n, 0.0));
        double gpus = 0;
        for (SimState.Live l : state.running.values()) {
            gpus += l.job.gpus();
            busyWatts.merge(l.node, 630.0 * SimState.UTILIZATION * l.job.gpus(), Double::sum);
        }
        double grams = 0;
        for (Map.Entry<String, Double> e : busyWatts.entrySet()) {
            String zone = state.zoneOf.get(e.getKey());
            double pue = workload.grid().pue().get(workload.grid().zones().indexOf(zone));
            double kWh = (1800 + e.getValue()) * pue / 1000.0;
            grams += kWh * workload.carbon(zone, state.hour);
        }
        return new double[]{gpus, grams};
    }

    /**
     * Jain's index of the weighted shares (Kueue's: GPUs borrowed above nominal per what the cohort lends, over the
     * weight) among the queues with work waiting that cannot wait longer (no deadline, or one too close to wait:
     * work that may wait and does is not denied anything), or NaN with fewer than two such queues.
     */
    private double jain(SimState state) {
        Map<String, Double> used = new HashMap<>();
        state.running.values().forEach(l -> used.merge(l.job.queue(), (double) l.job.gpus(), Double::sum));
        java.util.Set<String> waiting = new java.util.HashSet<>();
        state.pending.values().stream().filter(w -> !state.deferrable(w)).forEach(w -> waiting.add(w.job.queue()));
        if (waiting.size() < 2) {
            return Double.NaN;
        }
        double lends = 0;
        Map<String, double[]> quota = new HashMap<>();
        for (var q : workload.cluster().get("queues")) {
            double nominal = q.get("quotas").get(0).get("nominalGpus").asDouble();
            quota.put(q.get("id").asText(), new double[]{nominal, q.get("fairShareWeight").asDouble()});
            lends += nominal;
        }
        double sum = 0;
        double squares = 0;
        for (String q : waiting) {
            double[] nw = quota.get(q);
            double share = Math.max(0, used.getOrDefault(q, 0.0) - nw[0]) / lends / nw[1];
            sum += share;
            squares += share * share;
        }
        return squares == 0 ? 1.0 : sum * sum / (waiting.size() * squares);
    }

    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }
}
