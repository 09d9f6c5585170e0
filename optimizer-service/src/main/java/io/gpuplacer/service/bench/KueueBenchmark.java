package io.gpuplacer.service.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.constraints.oracle.SearchBudget;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.service.kueue.CarbonWindow;
import io.gpuplacer.service.state.OracleView;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The carbon-window admission decision timed per Workload, as the check's pass makes it: {@code workloads} pending
 * jobs of a generated cluster (a share with a deadline, so a window to wait in) decided one after another on the
 * same state in force, each against the oracle. Medians over {@code runs} passes.
 */
public final class KueueBenchmark {

    /** Per-Workload decision times (ms) and the pass's total, medians over the runs; the decisions of the last. */
    public record Result(int nodes, int gpus, int workloads, double p50Ms, double p90Ms, double p99Ms,
                         double passSeconds, Map<CarbonWindow.State, Integer> states, int held) {
    }

    private KueueBenchmark() {
    }

    public static Result run(int nodes, int workloads, int runs, long seed, int budgetMillis, PrintStream progress)
            throws InputException {
        // Jobs of one to several tasks: twice the tasks make at least as many jobs as Workloads asked for.
        ProblemGenerator.Documents docs = ProblemGenerator.generate(nodes, 2 * workloads, seed);
        ObjectNode empty = docs.jobs().deepCopy();
        List<JsonNode> jobs = new ArrayList<>();
        docs.jobs().get("jobs").forEach(j -> {
            if (jobs.size() < workloads) {
                jobs.add(j);
            }
        });
        empty.putArray("jobs");
        OracleView view = OracleView.of(new ProblemReader().read(docs.cluster(), empty, docs.signals()));
        int gpus = 0;
        for (JsonNode n : docs.cluster().get("nodes")) {
            gpus += n.path("gpuCount").asInt();
        }
        double[] p50 = new double[runs];
        double[] p90 = new double[runs];
        double[] p99 = new double[runs];
        double[] pass = new double[runs];
        Map<CarbonWindow.State, Integer> states = new EnumMap<>(CarbonWindow.State.class);
        int held = 0;
        for (JsonNode job : jobs.subList(0, Math.min(20, jobs.size()))) { // warm-up: the JIT, the oracle's caches
            CarbonWindow.decide(view, job, 0.1, SearchBudget.ofMillis(budgetMillis));
        }
        for (int r = 0; r < runs; r++) {
            double[] ms = new double[jobs.size()];
            states.clear();
            held = 0;
            long start = System.nanoTime();
            for (int i = 0; i < jobs.size(); i++) {
                long t = System.nanoTime();
                CarbonWindow.Decision d = CarbonWindow.decide(view, jobs.get(i), 0.1,
                        SearchBudget.ofMillis(budgetMillis));
                ms[i] = (System.nanoTime() - t) / 1e6;
                states.merge(d.state(), 1, Integer::sum);
                held += d.state() == CarbonWindow.State.PENDING ? 1 : 0;
            }
            pass[r] = (System.nanoTime() - start) / 1e9;
            Arrays.sort(ms);
            p50[r] = percentile(ms, 0.5);
            p90[r] = percentile(ms, 0.9);
            p99[r] = percentile(ms, 0.99);
            progress.printf(Locale.ROOT, "run %d/%d: %d Workloads in %.2f s, p50 %.2f ms%n", r + 1, runs, jobs.size(),
                    pass[r], p50[r]);
        }
        return new Result(nodes, gpus, jobs.size(), median(p50), median(p90), median(p99), median(pass),
                Map.copyOf(states), held);
    }

    private static double percentile(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
