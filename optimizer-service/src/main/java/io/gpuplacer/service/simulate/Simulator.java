package io.gpuplacer.service.simulate;

import io.gpuplacer.connectors.traces.OpenbTrace;
import io.gpuplacer.connectors.traces.OpenbTrace.OpenbNode;
import io.gpuplacer.connectors.traces.OpenbTrace.OpenbPod;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.problem.GpuDemand;
import io.gpuplacer.model.problem.WorkloadProfile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/** Replays an openb trace under several policies and seeds, in FGD's CSV layout, with a summary and a chart. */
public final class Simulator {

    /** The policies, with the names their rows carry (the published ones as in FGD's results). */
    public enum Policy {
        RANDOM("01-Random"), BESTFIT("05-BestFit"), FGD("06-FGD"), ORACLE("07-Oracle"), BATCH("08-Batch");

        final String rowName;

        Policy(String rowName) {
            this.rowName = rowName;
        }

        public static Policy parse(String name) {
            for (Policy p : values()) {
                if (p.name().equalsIgnoreCase(name)) {
                    return p;
                }
            }
            return null;
        }
    }

    /** The rows of one run, the cluster's GPU count (a column of every row) and each seed's prefix bounds. */
    public record Run(List<Row> rows, long totalGpus, List<PrefixBound> prefixBounds) {
    }

    /**
     * One policy and seed's row, with the packing bounds (percent) for the pods it ran at 100% arrived and at the
     * end: what no repacking of them, with any of the failed pods added, could exceed.
     */
    public record Row(Policy policy, long seed, double[] allocation, double p50Micros, double p99Micros,
                      double seconds, int failed, double boundAt100, double boundAtEnd) {
    }

    /**
     * The packing bounds at 100% arrived and at the end for any policy that runs every GPU-sharing pod arrived by
     * {@code arrived}% (percent; NaN at 100% when {@code arrived} is beyond it).
     */
    public record PrefixBound(long seed, int arrived, double boundAt100, double boundAtEnd) {
    }

    /** The arrived demand (percent of capacity) up to which the prefix bounds take every shared pod as running. */
    static final int[] PREFIX_POINTS = {50, 60, 70, 80, 90, 100};

    private final PrintStream log;

    public Simulator(PrintStream log) {
        this.log = log;
    }

    public Run run(Path nodeList, Path podList, List<Long> seeds, double tune, List<Policy> policies,
                         java.time.Duration batchPass) throws InputException {
        List<OpenbNode> nodes = OpenbTrace.readNodes(nodeList);
        List<OpenbPod> trace = OpenbTrace.readPods(podList);
        long capacity = nodes.stream().mapToLong(n -> n.gpus() * 1000L).sum();
        log.printf(Locale.ROOT, "simulate: %d nodes (%d GPUs), %d pods in %s, tune %.2f%n", nodes.size(),
                capacity / 1000, trace.size(), podList.getFileName(), tune);
        List<Row> rows = new ArrayList<>();
        List<PrefixBound> prefixBounds = new ArrayList<>();
        for (long seed : seeds) {
            List<OpenbPod> arrivals = Arrivals.of(trace, seed, tune, capacity);
            prefixBounds.addAll(prefixBounds(seed, arrivals, capacity));
            WorkloadProfile shapes = profileOf(arrivals);
            WorkloadProfile oracleProfile = oracleProfileOf(arrivals, nodes);
            for (Policy policy : policies) {
                SimPolicy implementation = switch (policy) {
                    case RANDOM -> BaselinePolicies.random(seed);
                    case BESTFIT -> BaselinePolicies.bestFit();
                    case FGD -> BaselinePolicies.fgd(shapes);
                    case ORACLE -> new OraclePolicy(nodes, arrivals, oracleProfile);
                    case BATCH -> new BatchPolicy(nodes, arrivals, oracleProfile, batchPass, 10, capacity, log);
                };
                long t0 = System.nanoTime();
                Replay.Result result = Replay.run(nodes, arrivals, implementation, k -> log.printf(Locale.ROOT,
                        "  %s seed %d: %d%% arrived%n", policy.rowName, seed, k));
                double seconds = (System.nanoTime() - t0) / 1e9;
                long[] sorted = result.decisionNanos().clone();
                Arrays.sort(sorted);
                Row row = new Row(policy, seed, result.allocation(), sorted[sorted.length / 2] / 1000.0,
                        sorted[(int) (sorted.length * 0.99)] / 1000.0, seconds, result.failed(),
                        PackingBound.of(capacity, arrivals, result.arrivedAt100(), result.runningAt100()::get)
                                .maxAllocationPercent(),
                        PackingBound.of(capacity, arrivals, arrivals.size(), result.runningAtEnd()::get)
                                .maxAllocationPercent());
                log.printf(Locale.ROOT, "  %s seed %d: %d pods in %.1f s (p50 %.0f us, p99 %.0f us per decision), "
                                + "allocation %.2f%% at 100%% arrived, %.2f%% at 130%% (packing bounds %s%% and "
                                + "%s%%)%n", policy.rowName, seed, arrivals.size(), seconds, row.p50Micros(),
                        row.p99Micros(), row.allocation()[100], row.allocation()[130], percent(row.boundAt100()),
                        percent(row.boundAtEnd()));
                rows.add(row);
            }
        }
        return new Run(rows, capacity / 1000, prefixBounds);
    }

    private static List<PrefixBound> prefixBounds(long seed, List<OpenbPod> arrivals, long capacity) {
        int[] upTo = new int[PREFIX_POINTS.length]; // the arrivals up to the one that takes the demand to k%
        Arrays.fill(upTo, arrivals.size());
        int at100 = arrivals.size();
        long arrived = 0;
        for (int i = 0, k = 0; i < arrivals.size() && k < upTo.length; i++) {
            arrived += arrivals.get(i).requestedMilliGpu();
            while (k < upTo.length && arrived >= PREFIX_POINTS[k] / 100.0 * capacity) {
                upTo[k++] = i + 1;
            }
            if (at100 == arrivals.size() && arrived >= capacity) {
                at100 = i + 1;
            }
        }
        List<PrefixBound> out = new ArrayList<>();
        for (int k = 0; k < upTo.length; k++) {
            int count = upTo[k];
            double atHundred = count > at100 ? Double.NaN
                    : PackingBound.ofPrefix(capacity, arrivals, count, at100).maxAllocationPercent();
            out.add(new PrefixBound(seed, PREFIX_POINTS[k], atHundred,
                    PackingBound.ofPrefix(capacity, arrivals, count, arrivals.size()).maxAllocationPercent()));
        }
        return out;
    }

    /**
     * The workload's demand classes for our FGD baseline: every distinct (CPU, GPU) shape of the arrivals with its
     * frequency, as FGD's typical pods.
     */
    static WorkloadProfile profileOf(List<OpenbPod> pods) {
        return WorkloadProfile.fromShapes(shapesOf(pods, false), Integer.MAX_VALUE, 1);
    }

    /**
     * The oracle's profile: the shapes with the GPU models each may use, plus the stranding ratio and the pressure
     * on each GPU model of the cluster (what FGD's measure lacks: see {@code FragmentationMeter.fragmentationOf}).
     */
    static WorkloadProfile oracleProfileOf(List<OpenbPod> pods, List<OpenbNode> nodes) {
        Map<String, Long> capacity = new java.util.LinkedHashMap<>();
        for (OpenbNode node : nodes) {
            if (node.gpus() > 0) {
                capacity.merge(node.model(), node.gpus() * 1000L, Long::sum);
            }
        }
        List<WorkloadProfile.Shape> shapes = shapesOf(pods, true);
        return WorkloadProfile.fromShapes(shapes, Integer.MAX_VALUE, 1).withDemand(shapes, capacity);
    }

    private static List<WorkloadProfile.Shape> shapesOf(List<OpenbPod> pods, boolean models) {
        List<WorkloadProfile.Shape> shapes = new ArrayList<>();
        for (OpenbPod pod : pods) {
            GpuDemand demand = pod.numGpu() == 0 ? GpuDemand.none()
                    : pod.numGpu() > 1 || pod.gpuMilli() >= 1000 ? GpuDemand.whole(pod.numGpu())
                    : GpuDemand.shared(pod.gpuMilli());
            shapes.add(new WorkloadProfile.Shape(demand, pod.cpuMilli(),
                    models && pod.numGpu() > 0 ? pod.gpuSpec() : List.of(), 1));
        }
        return shapes;
    }

    public static String csvHeader() {
        StringBuilder sb = new StringBuilder("workload,sc_policy,tune,seed,total_gpus");
        for (int k = 0; k < Replay.POINTS; k++) {
            sb.append(',').append(k);
        }
        return sb.toString();
    }

    public static String csvRow(String workload, double tune, long totalGpus, Row row) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s,%s,%s,%d,%d", workload,
                row.policy().rowName, tune, row.seed(), totalGpus));
        for (double v : row.allocation()) {
            sb.append(String.format(Locale.ROOT, ",%.4f", v));
        }
        return sb.toString();
    }

    /** The summary against the published means, and the chart, for rows of one workload. */
    public static String summary(String workload, Run run, Path published) throws IOException {
        List<Row> rows = run.rows();
        PublishedResults paper = published != null && Files.isRegularFile(published)
                ? PublishedResults.read(published) : null;
        StringBuilder out = new StringBuilder();
        out.append("| policy | seeds | ours at 100% | ours at 130% | published mean at 100% | at 130% "
                + "| published FGD at 100% | at 130% | packing bound at 100% | at 130% | decision p50 us | p99 us "
                + "| replay s |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        double[] fgd = paper == null ? null : paper.mean(workload, Policy.FGD.rowName);
        for (Policy policy : Policy.values()) {
            List<Row> mine = rows.stream().filter(r -> r.policy() == policy).toList();
            if (mine.isEmpty()) {
                continue;
            }
            double[] mean = mean(mine);
            double[] theirs = paper == null ? null : paper.mean(workload, policy.rowName);
            out.append(String.format(Locale.ROOT,
                    "| %s | %d | %.2f | %.2f | %s | %s | %s | %s | %s | %s | %.0f | %.0f | %.1f |%n",
                    policy.rowName, mine.size(), mean[100], mean[130], cell(theirs, 100), cell(theirs, 130),
                    cell(fgd, 100), cell(fgd, 130),
                    percent(mine.stream().mapToDouble(Row::boundAt100).average().orElse(Double.NaN)),
                    percent(mine.stream().mapToDouble(Row::boundAtEnd).average().orElse(Double.NaN)),
                    mine.stream().mapToDouble(Row::p50Micros).average().orElse(0),
                    mine.stream().mapToDouble(Row::p99Micros).average().orElse(0),
                    mine.stream().mapToDouble(Row::seconds).average().orElse(0)));
        }
        out.append("\nPacking bounds at 100% / 130% arrived for any policy that runs every GPU-sharing pod arrived "
                + "by k% (CPU, memory, nodes and models left out):\n\n| seed |");
        for (int k : PREFIX_POINTS) {
            out.append(" k = ").append(k).append("% |");
        }
        out.append("\n|---|").append("---|".repeat(PREFIX_POINTS.length)).append('\n');
        for (long seed : run.prefixBounds().stream().map(PrefixBound::seed).distinct().toList()) {
            out.append("| ").append(seed).append(" |");
            run.prefixBounds().stream().filter(b -> b.seed() == seed)
                    .forEach(b -> out.append(" ").append(percent(b.boundAt100())).append(" / ")
                            .append(percent(b.boundAtEnd())).append(" |"));
            out.append('\n');
        }
        out.append("\n(-: no placement runs them all, or more than ").append(PackingBound.MAX_PATTERNS)
                .append(" ways to fill a GPU with these shares.)\n");
        return out.toString();
    }

    public static String chart(String workload, List<Row> rows, Path published) throws IOException {
        PublishedResults paper = published != null && Files.isRegularFile(published)
                ? PublishedResults.read(published) : null;
        List<Chart.Line> lines = new ArrayList<>();
        for (Policy policy : Policy.values()) {
            List<Row> mine = rows.stream().filter(r -> r.policy() == policy).toList();
            if (!mine.isEmpty()) {
                lines.add(new Chart.Line(policy.rowName + " (ours)", mean(mine), false));
            }
        }
        if (paper != null) {
            for (Policy policy : List.of(Policy.BESTFIT, Policy.FGD)) {
                double[] theirs = paper.mean(workload, policy.rowName);
                if (theirs != null) {
                    lines.add(new Chart.Line(policy.rowName + " (paper)", theirs, true));
                }
            }
        }
        return Chart.svg(workload + ": GPU allocation ratio", lines);
    }

    /** A percentage with two decimals, or "-" when not known. */
    private static String percent(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String cell(double[] values, int k) {
        return values == null ? "-" : String.format(Locale.ROOT, "%.2f", values[k]);
    }

    static double[] mean(List<Row> rows) {
        double[] sum = new double[Replay.POINTS];
        for (Row r : rows) {
            for (int k = 0; k < sum.length; k++) {
                sum[k] += r.allocation()[k];
            }
        }
        return Arrays.stream(sum).map(v -> v / rows.size()).toArray();
    }
}
