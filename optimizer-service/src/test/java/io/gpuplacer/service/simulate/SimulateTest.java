package io.gpuplacer.service.simulate;

import io.gpuplacer.connectors.traces.OpenbTrace;
import io.gpuplacer.service.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The replay on a synthetic trace in the openb format (the real traces are not shipped). */
class SimulateTest {

    @Test
    void arrivalsFollowTheProtocol(@TempDir Path dir) throws Exception {
        TraceGenerator.write(dir.resolve("nodes.csv"), dir.resolve("pods.csv"), 30, 200, 1);
        var nodes = OpenbTrace.readNodes(dir.resolve("nodes.csv"));
        var pods = OpenbTrace.readPods(dir.resolve("pods.csv"));
        long capacity = nodes.stream().mapToLong(n -> n.gpus() * 1000L).sum();
        var arrivals = Arrivals.of(pods, 42, 1.3, capacity);
        long requested = arrivals.stream().mapToLong(OpenbTrace.OpenbPod::requestedMilliGpu).sum();
        assertThat(requested).isLessThanOrEqualTo((long) (1.3 * capacity));
        assertThat(requested).isGreaterThan((long) (1.3 * capacity) - 8000); // stops at the first pod that would pass
        assertThat(Arrivals.of(pods, 42, 1.3, capacity)).isEqualTo(arrivals); // same seed, same order
        assertThat(Arrivals.of(pods, 43, 1.3, capacity)).isNotEqualTo(arrivals);
    }

    @Test
    void everyPolicyReplaysAndWritesFgdsLayoutAndAChart(@TempDir Path dir) throws Exception {
        Path nodes = dir.resolve("synth_node_list.csv");
        Path pods = dir.resolve("synth_pod_list.csv");
        TraceGenerator.write(nodes, pods, 40, 300, 7);
        Path out = dir.resolve("replay.csv");
        // Published results in FGD's layout for this workload: FGD at 80 and 90% (seeds 42, 43) at 100% arrived,
        // 84 and 88% at 130%; BestFit one seed. The summary must show their means beside ours.
        Path published = dir.resolve("published.csv");
        StringBuilder header = new StringBuilder("workload,sc_policy,tune,seed,total_gpus");
        for (int k = 0; k <= 130; k++) {
            header.append(',').append(k);
        }
        Files.writeString(published, header + "\n" + publishedRow("06-FGD", 42, 80, 84) + publishedRow("06-FGD", 43, 90,
                88) + publishedRow("05-BestFit", 42, 70, 71) + publishedRow("06-FGD", 42, 1, 1).replace("synth_pod_list",
                "other_workload"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[]{"simulate", "--node-list", nodes.toString(), "--pod-list", pods.toString(),
                "--seed", "42,43", "--out", out.toString(), "--published", published.toString(),
                "--policy", "oracle,fgd,bestfit,random,batch", "--batch-seconds", "1"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        String log = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as(log).isZero();
        assertThat(log).contains("07-Oracle seed 42: 50% arrived", "| 06-FGD | 2 |", "| 07-Oracle | 2 |",
                "| 08-Batch | 2 |", "batch pass at pod", "| packing bound at 100% | at 130% |",
                "Packing bounds at 100% / 130% arrived for any policy", "| seed | k = 50% |", "| 43 |");
        // Each row: ours, then the published mean of that policy, then the published FGD (85.00 / 86.00).
        String fgdRow = log.lines().filter(l -> l.startsWith("| 06-FGD | 2 |")).findFirst().orElseThrow();
        assertThat(fgdRow.split("\\|")[5].trim()).isEqualTo("85.00");
        assertThat(fgdRow.split("\\|")[6].trim()).isEqualTo("86.00");
        String bestFitRow = log.lines().filter(l -> l.startsWith("| 05-BestFit | 2 |")).findFirst().orElseThrow();
        assertThat(bestFitRow.split("\\|")).extracting(String::trim).containsSubsequence("70.00", "71.00", "85.00",
                "86.00");
        String oracleRow = log.lines().filter(l -> l.startsWith("| 07-Oracle | 2 |")).findFirst().orElseThrow();
        assertThat(oracleRow.split("\\|")[5].trim()).isEqualTo("-"); // not a published policy
        assertThat(oracleRow.split("\\|")[7].trim()).isEqualTo("85.00");
        assertThat(oracleRow.split("\\|")[8].trim()).isEqualTo("86.00");

        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0)).startsWith("workload,sc_policy,tune,seed,total_gpus,0,1,2,").endsWith(",129,130");
        assertThat(lines).hasSize(1 + 5 * 2);
        for (String row : lines.subList(1, lines.size())) {
            String[] f = row.split(",");
            assertThat(f).hasSize(5 + 131);
            assertThat(f[0]).isEqualTo("synth_pod_list");
            double previous = 0;
            for (int k = 0; k <= 130; k++) {
                double v = Double.parseDouble(f[5 + k]);
                assertThat(v).isBetween(previous, 100.0); // pods never leave: allocation only grows
                // Nothing is allocated before it arrives: at most k% plus the pod that crossed k (<= 4 GPUs here).
                assertThat(v).isLessThanOrEqualTo(k + 400_000.0 / totalGpus(f));
                previous = v;
            }
        }
        assertThat(Files.readString(dir.resolve("replay.svg"))).startsWith("<svg").contains("07-Oracle (ours)");
    }

    @Test
    void noPolicyPassesItsPackingBoundAndTheBoundsTightenAsMorePodsMustRun(@TempDir Path dir) throws Exception {
        Path nodes = dir.resolve("nodes.csv");
        Path pods = dir.resolve("pods.csv");
        TraceGenerator.write(nodes, pods, 40, 300, 11);
        Simulator.Run run = new Simulator(new PrintStream(new ByteArrayOutputStream())).run(nodes, pods,
                List.of(42L, 43L), 1.3, List.of(Simulator.Policy.ORACLE, Simulator.Policy.FGD,
                        Simulator.Policy.BESTFIT, Simulator.Policy.RANDOM), java.time.Duration.ofSeconds(1));
        for (Simulator.Row row : run.rows()) {
            assertThat(row.boundAtEnd()).as(row.policy() + " seed " + row.seed())
                    .isGreaterThanOrEqualTo(row.allocation()[130] - 1e-9).isLessThanOrEqualTo(100.0);
            assertThat(row.boundAt100()).isGreaterThanOrEqualTo(row.allocation()[100] - 1e-9);
        }
        // The synthetic shares do strand room (a bound of 100% everywhere would check nothing).
        assertThat(run.rows().stream().filter(r -> r.seed() == 42).mapToDouble(Simulator.Row::boundAtEnd).min()
                .orElseThrow()).isLessThan(100.0);
        for (long seed : List.of(42L, 43L)) {
            List<Simulator.PrefixBound> bounds = run.prefixBounds().stream().filter(b -> b.seed() == seed).toList();
            assertThat(bounds).extracting(Simulator.PrefixBound::arrived).containsExactly(50, 60, 70, 80, 90, 100);
            for (int k = 1; k < bounds.size(); k++) { // more pods that must run can only leave more room unused
                assertThat(bounds.get(k).boundAtEnd()).isLessThanOrEqualTo(bounds.get(k - 1).boundAtEnd() + 1e-9);
                assertThat(bounds.get(k).boundAt100()).isLessThanOrEqualTo(bounds.get(k).boundAtEnd() + 1e-9);
            }
        }
    }

    @Test
    void aBatchPassThatPlacesNothingMovesNothing(@TempDir Path dir) throws Exception {
        // A cluster that never fills, and pods asking for a GPU model it lacks: they fail, every pass finds nothing
        // to place, and batch must then decide exactly as the oracle does.
        Path nodes = dir.resolve("nodes.csv");
        Path pods = dir.resolve("pods.csv");
        TraceGenerator.write(nodes, pods, 40, 300, 3);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(pods));
        for (int i = 0; i < 60; i++) {
            lines.add(String.format(java.util.Locale.ROOT, "absent-%02d,4000,8192,1,1000,H100,LS,Running,0,0,0", i));
        }
        Files.write(pods, lines);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Simulator.Run run = new Simulator(new PrintStream(log, true, StandardCharsets.UTF_8)).run(nodes, pods,
                List.of(42L), 0.6, List.of(Simulator.Policy.ORACLE, Simulator.Policy.BATCH),
                java.time.Duration.ofSeconds(1));

        assertThat(log.toString(StandardCharsets.UTF_8)).contains("nothing placed, moves dropped")
                .doesNotContain("still failed\n");
        assertThat(run.rows().get(1).allocation()).containsExactly(run.rows().get(0).allocation());
    }

    /** A row of FGD's results layout: the value at 100% arrived and at 130% (linear in between, 0 below). */
    private static String publishedRow(String policy, int seed, double at100, double at130) {
        StringBuilder row = new StringBuilder("synth_pod_list," + policy + ",1.3," + seed + ",80");
        for (int k = 0; k <= 130; k++) {
            double v = k < 100 ? at100 * k / 100.0 : at100 + (at130 - at100) * (k - 100) / 30.0;
            row.append(',').append(v);
        }
        return row.append('\n').toString();
    }

    private static double totalGpus(String[] row) {
        return Double.parseDouble(row[4]) * 1000;
    }
}
