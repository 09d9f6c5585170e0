package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.connectors.slurm.SlurmCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leader and a real Slurm cluster with the plugins of examples/slurm (apply on): a deferrable GPU job submitted
 * in a dirty hour is held, then handed back to begin at the clean hour on the nodes the oracle chose, which Slurm's
 * own {@code scontrol show job} says; in a clean hour it runs at once on its node; a job without a deadline runs at
 * once untouched. Every decision is an action in GET /v1/actions.
 */
class SlurmDeferralsTest {

    private static final DateTimeFormatter SLURM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static SlurmCluster slurm;
    private static TestDatabase.Credentials db;
    private static Path tokenFile;

    @BeforeAll
    static void start() throws Exception {
        slurm = SlurmCluster.startWithPlugins(List.of(new SlurmCluster.NodeSpec("a1", "a100", 4, 8, 16000),
                new SlurmCluster.NodeSpec("a2", "a100", 4, 8, 16000)), Path.of("..", "examples", "slurm"));
        db = TestDatabase.fresh();
        tokenFile = Files.createTempFile("slurm-token", ".jwt");
        Files.writeString(tokenFile, slurm.token(Duration.ofHours(2)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (slurm != null) {
            slurm.close();
        }
        if (db != null) {
            TestDatabase.drop(db);
        }
        Files.deleteIfExists(tokenFile);
    }

    @Test
    void deferrableJobsBeginAtTheCleanHourOnTheChosenNodes() throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put("gpuplacer.load-example", false);
        props.put("gpuplacer.slurm.enabled", true);
        props.put("gpuplacer.slurm.apply", true);
        props.put("gpuplacer.slurm.url", slurm.url());
        props.put("gpuplacer.slurm.user", "root");
        props.put("gpuplacer.slurm.token-file", tokenFile.toString());
        props.put("gpuplacer.slurm.zone", "DE-LU");
        props.put("gpuplacer.slurm.poll", "1s");
        props.put("gpuplacer.slurm.gpu-models", List.of(Map.of("type", "a100", "model", "A100-80GB")));
        props.put("gpuplacer.kubernetes.node-types", List.of(Map.of("type", "*", "cost-per-hour", 4,
                "base-watts", 500, "gpu-busy-watts", 350)));
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        try (TestService service = new TestService(db, props)) {
            awaitNodes(service);
            TestService.Reply put = service.put("/v1/signals", signals(hour, 3).toString());
            assertThat(put.status()).as(put.text()).isEqualTo(200); // dirty and dear now, clean at slots 3 and 4
            String deadline = SLURM_TIME.format(hour.plus(12, ChronoUnit.HOURS));
            Instant clean = hour.plus(3, ChronoUnit.HOURS);
            Instant submitted = Instant.now();
            String single = slurm.sbatch("-N", "1", "--gres=gpu:a100:1", "--mem=1000", "--time=60",
                    "--deadline=" + deadline, "--output=/dev/null", "--wrap", "sleep 600");
            List<String> cancel = new java.util.ArrayList<>(List.of(single));
            try {
                JsonNode action = awaitAction(service, "slurm job " + single);
                System.out.printf("slurm: job %s decided %d ms after its submission: %s%n", single,
                        Duration.between(submitted, Instant.parse(action.get("createdAt").asText())).toMillis(),
                        action.get("reason").asText());
                assertThat(action.get("status").asText()).as(action.toString()).isEqualTo("APPLIED");
                assertThat(Instant.parse(action.get("dueAt").asText())).isEqualTo(clean);
                String node = action.get("nodes").get(0).asText();
                assertThat(slurm.run("scontrol", "show", "job", single)).contains("StartTime=" + SLURM_TIME.format(clean))
                        .contains("ReqNodeList=" + node).doesNotContain("JobHeldUser");

                // A gang of two nodes of 3 GPUs each (no node holds both): every node of it, distinct.
                String gang = slurm.sbatch("-N", "2", "--gres=gpu:a100:3", "--mem=1000", "--time=60",
                        "--deadline=" + deadline, "--output=/dev/null", "--wrap", "sleep 600");
                cancel.add(gang);
                JsonNode gangAction = awaitAction(service, "slurm job " + gang);
                assertThat(gangAction.get("status").asText()).as(gangAction.toString()).isEqualTo("APPLIED");
                List<String> nodes = java.util.stream.StreamSupport.stream(gangAction.get("nodes").spliterator(),
                        false).map(JsonNode::asText).toList();
                assertThat(nodes).as(gangAction.toString()).containsExactlyInAnyOrder("a1", "a2");
                assertThat(slurm.run("scontrol", "show", "job", gang)).contains("StartTime=" + SLURM_TIME.format(clean))
                        .contains("ReqNodeList=a1,a2");
                System.out.println("slurm: squeue after the decisions:\n" + slurm.run("squeue", "-o",
                        "%.6i %.9T %.12r %.20S %.10N %k"));

                // A GPU job without a deadline is not the service's: it runs at once, nothing decided.
                String plain = slurm.sbatch("-N", "1", "--gres=gpu:a100:1", "--mem=1000", "--time=60",
                        "--output=/dev/null", "--wrap", "sleep 600");
                cancel.add(plain);
                slurm.awaitState(plain, "RUNNING", Duration.ofSeconds(30));
                Thread.sleep(1500); // a poll or more
                assertThat(actions(service)).noneMatch(a -> a.get("target").asText().equals("slurm job " + plain));
                slurm.run("scancel", plain);

                // Clean now: a deferrable job's best hour is now, and it runs at once on its node.
                put = service.put("/v1/signals", signals(hour, 0).toString());
                assertThat(put.status()).as(put.text()).isEqualTo(200);
                String now = slurm.sbatch("-N", "1", "--gres=gpu:a100:2", "--mem=1000", "--time=60",
                        "--deadline=" + deadline, "--output=/dev/null", "--wrap", "sleep 600");
                cancel.add(now);
                JsonNode atOnce = awaitAction(service, "slurm job " + now);
                assertThat(atOnce.get("status").asText()).as(atOnce.toString()).isEqualTo("APPLIED");
                slurm.awaitState(now, "RUNNING", Duration.ofSeconds(30));
                assertThat(slurm.run("squeue", "-h", "-j", now, "-o", "%N").trim())
                        .isEqualTo(atOnce.get("nodes").get(0).asText());
            } finally {
                List<String> command = new java.util.ArrayList<>(List.of("scancel"));
                command.addAll(cancel);
                slurm.run(command.toArray(String[]::new));
            }
        }
    }

    private static List<JsonNode> actions(TestService service) {
        List<JsonNode> out = new java.util.ArrayList<>();
        service.get("/v1/actions?limit=1000").json().forEach(out::add);
        return out;
    }

    private static JsonNode awaitAction(TestService service, String target) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            for (JsonNode a : actions(service)) {
                if (a.get("target").asText().equals(target)) {
                    return a;
                }
            }
            assertThat(System.currentTimeMillis()).as("an action for " + target).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** DE-LU dirty and dear (800 g/kWh, 300 USD/MWh) but for two hours from slot {@code clean} (20 g, 5 USD). */
    private static ObjectNode signals(Instant hour, int clean) {
        ObjectNode signals = TestService.JSON.createObjectNode();
        ObjectNode zone = signals.with("zones").putObject("DE-LU");
        ArrayNode carbon = zone.putArray("carbon");
        ArrayNode price = zone.putArray("price");
        int[][] points = clean == 0 ? new int[][]{{-24, 800, 300}, {0, 20, 5}, {2, 800, 300}}
                : new int[][]{{-24, 800, 300}, {clean, 20, 5}, {clean + 2, 800, 300}};
        for (int[] p : points) {
            carbon.addObject().put("at", hour.plus(p[0], ChronoUnit.HOURS).toString()).put("gPerKWh", p[1]);
            price.addObject().put("at", hour.plus(p[0], ChronoUnit.HOURS).toString()).put("usdPerMWh", p[2]);
        }
        return signals;
    }

    private static void awaitNodes(TestService service) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (service.get("/v1/cluster").json().path("nodes").size() < 2) {
            assertThat(System.currentTimeMillis()).as("the Slurm cluster in force").isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
