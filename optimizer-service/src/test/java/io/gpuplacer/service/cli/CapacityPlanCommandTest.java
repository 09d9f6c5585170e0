package io.gpuplacer.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code capacity-plan} end to end: files in, the plan out; bad input one line, exit 2, nothing written. */
class CapacityPlanCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static Path files(Path dir, String historyRow) throws Exception {
        StringBuilder csv = new StringBuilder("hour,zone,gpuModel,usedGpus,pendingGpus\n");
        Instant start = Instant.parse("2026-09-07T00:00:00Z");
        for (int h = 0; h < 4 * 168; h++) {
            boolean burst = h % 168 >= 9 && h % 168 < 21;
            csv.append(start.plusSeconds(3600L * h)).append(",SE,H100-80GB,").append(burst ? 40 : 10).append(",")
                    .append(burst ? 10 : 0).append('\n');
        }
        csv.append(historyRow);
        Files.writeString(dir.resolve("history.csv"), csv);
        Files.writeString(dir.resolve("cluster.json"), """
                {"zones": [{"id": "SE", "pue": 1.1}], "nodes": [
                  {"id": "h1", "zone": "SE", "gpuModel": "H100-80GB", "gpuCount": 8, "cpuMillis": 192000,
                   "memoryMiB": 2097152, "costPerHour": 30, "baseWatts": 1000, "gpuBusyWatts": 700},
                  {"id": "h2", "zone": "SE", "gpuModel": "H100-80GB", "gpuCount": 8, "cpuMillis": 192000,
                   "memoryMiB": 2097152, "costPerHour": 30, "baseWatts": 1000, "gpuBusyWatts": 700}]}""");
        Files.writeString(dir.resolve("catalogue.json"), """
                {"nodeTypes": [{"id": "dgx-h100", "zone": "SE", "gpuModel": "H100-80GB", "gpuCount": 8,
                  "leadTimeWeeks": 16, "capexUsd": 400000, "lifetimeYears": 5, "baseWatts": 1500,
                  "gpuBusyWatts": 700, "embodiedKgCo2e": 25000}]}""");
        return dir;
    }

    @Test
    void thePlanBuysForTheBurstsAndSaysWhatTheAverageWouldMiss(@TempDir Path dir) throws Exception {
        files(dir, "");
        Path plan = dir.resolve("plan.json");
        int code = run("capacity-plan", "--history", dir.resolve("history.csv").toString(), "--cluster",
                dir.resolve("cluster.json").toString(), "--catalogue", dir.resolve("catalogue.json").toString(),
                "--months", "3", "--out", plan.toString());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode p = new ObjectMapper().readTree(plan.toFile());
        assertThat(p.get("asOf").asText()).isEqualTo("2026-10-05T00:00:00Z"); // the hour after the history's last
        // Bursts of 50 (40 used, 10 pending) against 16 GPUs: 34 short, five nodes, needed now, ordered 16 weeks ago.
        JsonNode buy = p.get("purchases").get(0);
        assertThat(buy.get("nodeType").asText()).isEqualTo("dgx-h100");
        assertThat(buy.get("count").asInt()).isEqualTo(5);
        assertThat(buy.get("orderBy").asText()).isEqualTo("2026-06-15T00:00:00Z");
        assertThat(p.get("averageBased").get("purchases")).isEmpty();
        assertThat(p.get("averageBased").get("shortfallGpuHours").asDouble()).isPositive();
        assertThat(p.get("forecast")).hasSize(3);
        assertThat(p.get("method").asText()).startsWith("Demand is GPUs in use plus GPUs asked for");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("capacity-plan: 5 node(s) to buy in 1 purchase(s)");
        assertThat(p.get("warnings").toString()).contains("zone SE has no price signal (--signals): its energy is "
                + "counted at 0");
    }

    @Test
    void badInputIsOneLineNamingTheFieldAndNothingIsWritten(@TempDir Path dir) throws Exception {
        files(dir, "2026-10-05T00:00:00Z,SE,H100-80GB,many,0\n");
        Path plan = dir.resolve("plan.json");
        int code = run("capacity-plan", "--history", dir.resolve("history.csv").toString(), "--cluster",
                dir.resolve("cluster.json").toString(), "--catalogue", dir.resolve("catalogue.json").toString(),
                "--out", plan.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).endsWith("line 674: usedGpus \"many\" is not a "
                + "number");
        assertThat(plan).doesNotExist();
        err.reset();
        Files.writeString(dir.resolve("typo.csv"), "hour,zone,gpuModel,usedGpus,pendingGpus\n"
                + "2026-10-05T00:00:00Z,SE,H100-80G,4,0\n");
        assertThat(run("capacity-plan", "--history", dir.resolve("typo.csv").toString(), "--cluster",
                dir.resolve("cluster.json").toString(), "--catalogue", dir.resolve("catalogue.json").toString(),
                "--out", plan.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("gpuModel \"H100-80G\" is the model of no node of")
                .contains("(known: H100-80GB)");
        assertThat(plan).doesNotExist();
        err.reset();
        Files.writeString(dir.resolve("bare.json"), "{\"zones\": [{\"id\": \"SE\", \"pue\": 1.1}], \"nodes\": "
                + "[{\"id\": \"h1\", \"zone\": \"SE\", \"gpuModel\": \"H100-80GB\", \"gpuCount\": 8}]}");
        assertThat(run("capacity-plan", "--history", dir.resolve("typo.csv").toString(), "--cluster",
                dir.resolve("bare.json").toString(), "--catalogue", dir.resolve("catalogue.json").toString(),
                "--out", plan.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bare.json: nodes[0].cpuMillis");
        err.reset();
        assertThat(run("capacity-plan", "--history", dir.resolve("history.csv").toString(), "--cluster",
                dir.resolve("cluster.json").toString(), "--catalogue", dir.resolve("catalogue.json").toString(),
                "--months", "99")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--months").contains("99");
    }
}
