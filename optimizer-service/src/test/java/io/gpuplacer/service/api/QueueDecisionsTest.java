package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.service.security.Roles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The oracle and the extender decide within the queues' quotas (section 9) at the hour they answer for, on the
 * worked example of examples/queues: cohort research lends 10 H100 GPUs, 8 are taken above guarantees, so nlp may
 * add 2 now and not 4 (it would have to reclaim: only optimization runs preempt). A queue without room gets no
 * place and a reason that names it.
 */
class QueueDecisionsTest {

    private static final Path QUEUES = Path.of("..", "examples", "queues");
    private static TestService service;
    private static String scheduler;

    @BeforeAll
    static void start() throws Exception {
        service = new TestService(TestDatabase.fresh(), Map.of("gpuplacer.load-example", false));
        TestService.Reply cluster = service.put("/v1/cluster", Files.readString(QUEUES.resolve("cluster.json")));
        assertThat(cluster.status()).as(cluster.text()).isEqualTo(200);
        assertThat(service.put("/v1/signals", Files.readString(QUEUES.resolve("signals.json"))).status())
                .isEqualTo(200);
        scheduler = service.tokenFor("kube-scheduler", Roles.SCHEDULER);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static ObjectNode job(String id, String queue, int gpus) {
        ObjectNode job = Recommendations.job(id, 1, "{\"kind\":\"WHOLE\",\"count\":" + gpus + "}", "ANY");
        job.put("team", queue);
        return job;
    }

    @Test
    void theOracleRecommendsOnlyWhatTheQueueHasRoomForAndSaysWhichLimitStopsTheRest() {
        JsonNode two = service.post("/v1/recommendations", "{\"job\": " + job("n2", "nlp", 2) + "}").json();
        assertThat(two.get("recommendations").size()).as(two.toString()).isPositive();
        assertThat(two.get("recommendations").get(0).get("placements").get(0).get("node").asText())
                .startsWith("h"); // an H100 node: nlp has no quota for the A100 one

        JsonNode four = service.post("/v1/recommendations", "{\"job\": " + job("n4", "nlp", 4) + "}").json();
        assertThat(four.get("recommendations").size()).isZero();
        assertThat(four.get("reasons").get(0).asText()).startsWith("queue nlp needs 4 H100-80GB GPUs in slot 0 above "
                + "its guarantee, and cohort research lends 10: 8 of them are taken");
        // vision has 6 GPUs of its own guarantee left: 4 fit whatever the cohort lends.
        JsonNode vision = service.post("/v1/recommendations", "{\"job\": " + job("v4", "vision", 4) + "}").json();
        assertThat(vision.get("recommendations").size()).isPositive();
    }

    @Test
    void aJobNamingAQueueTheClusterDoesNotHaveIsABadRequest() {
        ObjectNode job = job("x", "nlp", 1).put("queue", "ml");
        TestService.Reply reply = service.post("/v1/recommendations", "{\"job\": " + job + "}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("error").asText()).contains("job.queue", "\"ml\"", "not a queue");
    }

    @Test
    void theExtenderKeepsNoNodeForAPodWhoseQueueIsFullAndNamesTheQueue() {
        List<String> nodes = List.of("h1", "h2", "h3", "h4", "a1");
        // The pods' team label is the queue's id (no gpuplacer.io/queue, no Kueue label): nlp.
        JsonNode small = call(ExtenderPods.args(ExtenderPods.pod(job("pod-2", "nlp", 2), "pod-2", "uid-2"), nodes));
        List<String> kept = new ArrayList<>();
        small.get("NodeNames").forEach(n -> kept.add(n.asText()));
        assertThat(kept).isNotEmpty().doesNotContain("a1");
        assertThat(small.get("FailedAndUnresolvableNodes").get("a1").asText())
                .contains("of a flavor queue nlp has no quota for");

        JsonNode big = call(ExtenderPods.args(ExtenderPods.pod(job("pod-4", "nlp", 4), "pod-4", "uid-4"), nodes));
        assertThat(big.get("NodeNames").size()).isZero();
        assertThat(big.get("FailedNodes").get("h4").asText()).startsWith("queue nlp needs 4 H100-80GB GPUs in slot 0");
    }

    @Test
    void operatorsSeeEachQueuesQuotaUseBorrowingLendingAndWeightedShareAlsoInPrometheus() throws Exception {
        JsonNode report = service.get("/v1/queues").json();
        Map<String, JsonNode> byId = new java.util.HashMap<>();
        report.get("queues").forEach(q -> byId.put(q.get("id").asText(), q));
        assertThat(byId).containsOnlyKeys("nlp", "vision", "lab", "solo");
        JsonNode nlp = byId.get("nlp").get("flavors").get(0);
        assertThat(nlp.get("flavor").asText()).isEqualTo("H100-80GB");
        assertThat(nlp.get("nominalGpus").asDouble()).isEqualTo(8);
        assertThat(nlp.get("borrowingLimitGpus").asDouble()).isEqualTo(4);
        assertThat(nlp.get("usedGpus").asDouble()).isEqualTo(4);
        assertThat(nlp.get("borrowedGpus").asDouble()).isZero();
        // lab borrows 4; nlp's idle lendable 4 and vision's 2 lend them, pro rata.
        assertThat(nlp.get("lentGpus").asDouble()).isEqualTo(2.667);
        assertThat(byId.get("vision").get("flavors").get(0).get("lentGpus").asDouble()).isEqualTo(1.333);
        assertThat(byId.get("lab").get("flavors").get(0).get("borrowedGpus").asDouble()).isEqualTo(4);
        assertThat(byId.get("lab").get("weightedShare").asDouble()).isEqualTo(400); // 4 of 10 lent, weight 1
        assertThat(byId.get("nlp").get("weightedShare").asDouble()).isZero();
        assertThat(byId.get("solo").get("cohort").isNull()).isTrue();
        assertThat(byId.get("solo").get("weightedShare").asDouble()).isEqualTo(1000); // 2 above its 2 lendable
        assertThat(byId.get("nlp").get("pending").isNull()).as("no Kubernetes: pending work is not known").isTrue();
        TestService.Reply waiting = service.get("/v1/queues/nlp/waiting");
        assertThat(waiting.status()).isEqualTo(409);
        assertThat(waiting.json().get("error").asText()).contains("gpuplacer.kubernetes.enabled");

        String line = "gpuplacer_cluster_queue_weighted_share{cluster_queue=\"lab\"} 400.0";
        String metrics = "";
        for (int i = 0; i < 40 && !metrics.contains(line); i++) { // the gauges follow the state every 5 s
            Thread.sleep(250);
            metrics = service.get("/prometheus").text();
        }
        assertThat(metrics).contains(line, "gpuplacer_cluster_queue_resource_usage{cluster_queue=\"nlp\","
                + "flavor=\"H100-80GB\",resource=\"nvidia.com/gpu\"} 4.0");
        // Reporters may look too; schedulers may not.
        assertThat(service.call("GET", "/v1/queues", null, scheduler).status()).isEqualTo(403);
    }

    private static JsonNode call(String args) {
        TestService.Reply reply = service.call("POST", "/v1/k8s/extender/filter", args, scheduler);
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply.json();
    }
}
