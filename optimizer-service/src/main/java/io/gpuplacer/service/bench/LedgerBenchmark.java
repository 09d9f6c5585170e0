package io.gpuplacer.service.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.service.ledger.ArrivalStore;
import io.gpuplacer.service.ledger.LedgerWriter;
import io.gpuplacer.service.persistence.StateStore;
import io.gpuplacer.service.state.ClusterState;
import io.gpuplacer.service.persistence.LedgerInterval;
import io.gpuplacer.service.reports.EmissionReport;
import io.gpuplacer.service.reports.ReportQuery;
import io.gpuplacer.service.reports.SavingsReport;
import io.micronaut.context.ApplicationContext;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How long an emission report takes on a month of hourly snapshots: the ledger of a generated cluster is written
 * hour by hour (the rows the service writes for it), then each report is run several times; medians reported.
 */
public final class LedgerBenchmark {

    public record Result(int nodes, int hours, long rows, double writeSeconds, List<String> lines) {
    }

    private LedgerBenchmark() {
    }

    /** The generated cluster with every free GPU of its non-MIG nodes running a one-GPU task: the most rows. */
    static JsonNode everyGpuBusy(com.fasterxml.jackson.databind.node.ObjectNode cluster) {
        java.util.Map<String, java.util.Set<Integer>> held = new java.util.HashMap<>();
        for (JsonNode r : cluster.path("running")) {
            r.path("gpus").forEach(g -> held.computeIfAbsent(r.path("node").asText(), k -> new java.util.HashSet<>())
                    .add(g.asInt()));
        }
        var running = (com.fasterxml.jackson.databind.node.ArrayNode) cluster.get("running");
        int n = 0;
        for (JsonNode node : cluster.path("nodes")) {
            if (node.path("migEnabled").asBoolean(false)) {
                continue;
            }
            String id = node.path("id").asText();
            for (int g = 0; g < node.path("gpuCount").asInt(); g++) {
                if (held.getOrDefault(id, java.util.Set.of()).contains(g)) {
                    continue;
                }
                var r = running.addObject();
                r.put("job", "fill-" + n).put("task", 0).put("node", id);
                r.putArray("gpus").add(g);
                r.putNull("migStart");
                r.put("remainingHours", 24).put("team", "team" + (n % 7)).put("priority", 10);
                r.putObject("gpu").put("kind", "WHOLE").put("count", 1);
                r.put("cpuMillis", 2000).put("memoryMiB", 8192).put("utilization", 0.3 + 0.6 * ((n * 37) % 100) / 100.0);
                n++;
            }
        }
        return cluster;
    }

    public static Result run(ApplicationContext context, int nodes, int hours, int runs, PrintStream progress,
                             boolean reuse) {
        ProblemGenerator.Documents docs = ProblemGenerator.generate(nodes, 1, 7);
        JsonNode cluster = everyGpuBusy(docs.cluster());
        JsonNode signals = docs.signals();
        LedgerWriter writer = context.getBean(LedgerWriter.class);
        StateStore store = context.getBean(StateStore.class);
        Instant start = ProblemGenerator.NOW;
        int arrivals = reuse ? cluster.path("running").size()
                : recordArrivals(context.getBean(ArrivalStore.class), cluster, start);
        long[] rows = {0};
        long began = System.nanoTime();
        String body = cluster.toString();
        // Each hour's snapshot stored as the service stores a PUT: its version, its ledger snapshot and the rows of
        // the hour before it, in one transaction (StateStore.storeCluster); the first one opens the month.
        for (int h = 0; h <= (reuse ? -1 : hours); h++) {
            Instant at = start.plus(h, ChronoUnit.HOURS);
            store.storeCluster(ClusterState.CLUSTER, body, "ledger-benchmark", at, at, null, (previous, until) -> {
                LedgerInterval interval = writer.rows(cluster, previous.observedAt(), until, signals);
                rows[0] += interval.rows().size();
                return interval;
            });
            if (h > 0 && h % 168 == 0) {
                progress.printf(Locale.ROOT, "ledger-benchmark: %d of %d hours written (%d rows)%n", h, hours, rows[0]);
            }
        }
        double writeSeconds = (System.nanoTime() - began) / 1e9;
        EmissionReport report = context.getBean(EmissionReport.class);
        List<String> lines = new ArrayList<>();
        for (String groupBy : new String[]{"", "team", "team,zone", "hour", "node,day", "job,month"}) {
            ReportQuery q;
            try {
                q = ReportQuery.read(start.toString(), start.plus(hours, ChronoUnit.HOURS).toString(), groupBy);
            } catch (io.gpuplacer.model.interchange.InputException e) {
                throw new IllegalStateException(e);
            }
            double[] ms = new double[runs];
            int groups = 0;
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                groups = report.run(q).rows().size();
                ms[i] = (System.nanoTime() - t) / 1e6;
            }
            Arrays.sort(ms);
            lines.add(String.format(Locale.ROOT, "groupBy=%-10s %6d groups  median %7.1f ms  min %7.1f  max %7.1f",
                    groupBy.isEmpty() ? "(none)" : groupBy, groups, ms[runs / 2], ms[0], ms[runs - 1]));
        }
        SavingsReport savings = context.getBean(SavingsReport.class);
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            savings.of(start, start.plus(hours, ChronoUnit.HOURS));
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        lines.add(String.format(Locale.ROOT, "savings alone (%d jobs with arrivals; read beside every report above) "
                + "median %7.1f ms  min %7.1f  max %7.1f", arrivals, ms[runs / 2], ms[0], ms[runs - 1]));
        return new Result(nodes, hours, rows[0], writeSeconds, lines);
    }

    /**
     * An arrival for every job of the cluster half an hour before the month starts, with a window of a day: the
     * first fit on the next node of its zone (drawing 10% more), the bound the same node drawing 10% less; so every
     * report's savings count every job, for the whole month (the worst case for their cost).
     */
    private static int recordArrivals(ArrivalStore store, JsonNode cluster, Instant start) {
        Map<String, JsonNode> nodes = new HashMap<>();
        cluster.path("nodes").forEach(n -> nodes.put(n.path("id").asText(), n));
        int n = 0;
        for (JsonNode r : cluster.path("running")) {
            JsonNode node = nodes.get(r.path("node").asText());
            double pue = 1.2;
            double a = node.path("baseWatts").asDouble() / Math.max(1, node.path("gpuCount").asInt()) * pue / 1000;
            double b = node.path("gpuBusyWatts").asDouble() * pue / 1000;
            String zone = node.path("zone").asText();
            String place = "{\"node\":\"%s\",\"zone\":\"%s\",\"a\":%s,\"b\":%s,\"c\":%s}";
            String firstFit = "[" + String.format(Locale.ROOT, place, node.path("id").asText(), zone, a * 1.1, b * 1.1,
                    node.path("costPerHour").asDouble() / 8) + "]";
            String bound = "[" + String.format(Locale.ROOT, place, node.path("id").asText(), zone, a * 0.9, b * 0.9,
                    node.path("costPerHour").asDouble() / 8) + "]";
            Instant arrived = start.minus(30, ChronoUnit.MINUTES);
            store.record(r.path("job").asText(), r.path("team").asText(), "benchmark", arrived, arrived,
                    arrived.plus(24, ChronoUnit.HOURS), 1, 0, firstFit, bound, new io.gpuplacer.service.ledger
                            .ArrivalStore.Demand(r.path("gpu").path("count").asDouble(1), node.path("gpuModel")
                            .asText(), zone));
            n++;
        }
        return n;
    }
}
