package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.model.interchange.DocumentTimes;
import io.gpuplacer.service.bench.ProblemGenerator;
import io.gpuplacer.service.security.Roles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kube-scheduler's extender on a generated 20-node cluster (H100, A100 with MIG, L4, T4; spot, cordoned and
 * unhealthy nodes; running work): every queued job of the generator, of every kind, sent as the pod a user would
 * submit. Each node the filter keeps is one where the independent plan validator accepts the pod now for some choice
 * of devices; each node it drops has a reason, and those dropped for rules or room are ones where no choice is
 * accepted.
 */
class ExtenderTest {

    static TestService service;
    static JsonNode cluster;
    static JsonNode signals;
    static JsonNode queue;
    static String now;
    static List<String> nodeIds = new ArrayList<>();
    static String scheduler;

    @BeforeAll
    static void start() {
        service = new TestService(TestDatabase.fresh(), Map.of("gpuplacer.load-example", false,
                "gpuplacer.kubernetes.extender.gang-ttl", "3s"));
        ProblemGenerator.Documents docs = ProblemGenerator.generate(20, 60, 11);
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Duration shift = Duration.between(ProblemGenerator.NOW, hour);
        DocumentTimes.shift(docs.signals(), shift);
        DocumentTimes.shift(docs.jobs(), shift);
        assertThat(service.put("/v1/cluster", docs.cluster().toString()).status()).isEqualTo(200);
        assertThat(service.put("/v1/signals", docs.signals().toString()).status()).isEqualTo(200);
        cluster = docs.cluster();
        signals = docs.signals();
        queue = docs.jobs().get("jobs");
        now = hour.toString();
        cluster.get("nodes").forEach(n -> nodeIds.add(n.get("id").asText()));
        scheduler = service.tokenFor("kube-scheduler", Roles.SCHEDULER);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static TestService.Reply call(String verb, String body) {
        return service.call("POST", "/v1/k8s/extender/" + verb, body, scheduler);
    }

    private static List<String> candidates() {
        List<String> names = new ArrayList<>(nodeIds);
        names.add("ghost-node");
        return names;
    }

    @Test
    void everyNodeKeptIsFeasibleAndEveryNodeDroppedHasAReason() {
        int kept = 0;
        int dropped = 0;
        Set<String> kinds = new HashSet<>();
        for (int i = 0; i < queue.size(); i++) {
            JsonNode job = queue.get(i);
            if (job.path("tasks").asInt(1) > 1) {
                continue; // gangs: below
            }
            kinds.add(job.get("gpu").get("kind").asText());
            TestService.Reply reply = call("filter", ExtenderPods.args(ExtenderPods.pod(job, "p-" + i, "uid-" + i),
                    candidates()));
            assertThat(reply.status()).as(reply.text()).isEqualTo(200);
            JsonNode result = reply.json();
            assertThat(result.get("Error").asText()).as(job.toString()).isEmpty();
            List<String> passed = new ArrayList<>();
            result.get("NodeNames").forEach(n -> passed.add(n.asText()));
            Set<String> answered = new HashSet<>(passed);
            for (String group : List.of("FailedNodes", "FailedAndUnresolvableNodes")) {
                result.get(group).fields().forEachRemaining(e -> {
                    assertThat(answered.add(e.getKey())).as("%s answered twice", e.getKey()).isTrue();
                    assertThat(e.getValue().asText()).as("reason for %s", e.getKey()).isNotBlank();
                });
            }
            assertThat(answered).as("every candidate answered once").isEqualTo(new HashSet<>(candidates()));
            assertThat(result.get("FailedNodes").get("ghost-node").asText()).contains("not in the optimizer's cluster");
            for (String node : passed) {
                assertThat(ExtenderPods.fits(cluster, signals, now, job, List.of(node)))
                        .as("%s kept for %s", node, job).isTrue();
            }
            for (String node : nodeIds) {
                if (!passed.contains(node)) {
                    assertThat(ExtenderPods.fits(cluster, signals, now, job, List.of(node)))
                            .as("%s dropped for %s: %s", node, job, result).isFalse();
                }
            }
            kept += passed.size();
            dropped += nodeIds.size() - passed.size();
        }
        assertThat(kinds).as("the queue's kinds").contains("WHOLE", "SHARED", "MIG", "NONE");
        assertThat(kept).isPositive();
        assertThat(dropped).isPositive();
    }

    @Test
    void prioritizeScoresTheOraclesBestNodeTenAndNodesThatDoNotFitZero() {
        int checked = 0;
        for (int i = 0; i < queue.size() && checked < 8; i++) {
            JsonNode job = queue.get(i);
            if (job.path("tasks").asInt(1) > 1) {
                continue;
            }
            String args = ExtenderPods.args(ExtenderPods.pod(job, "p-" + i, "uid-" + i), nodeIds);
            JsonNode kept = call("filter", args).json().get("NodeNames");
            JsonNode scores = call("prioritize", args).json();
            assertThat(scores).hasSize(nodeIds.size());
            Set<String> fits = new HashSet<>();
            kept.forEach(n -> fits.add(n.asText()));
            for (JsonNode s : scores) {
                int score = s.get("Score").asInt();
                assertThat(score).isBetween(0, 10);
                if (!fits.contains(s.get("Host").asText())) {
                    assertThat(score).as("%s does not fit", s.get("Host")).isZero();
                }
            }
            if (fits.isEmpty()) {
                continue;
            }
            ObjectNode startNow = job.deepCopy();
            startNow.remove("deadline");
            startNow.remove("earliestStart");
            JsonNode rec = service.post("/v1/recommendations", "{\"job\": " + startNow + ", \"limit\": 1}").json();
            String best = rec.get("recommendations").get(0).get("placements").get(0).get("node").asText();
            for (JsonNode s : scores) {
                if (s.get("Host").asText().equals(best)) {
                    assertThat(s.get("Score").asInt()).as("the oracle's best, %s", best).isEqualTo(10);
                }
            }
            checked++;
        }
        assertThat(checked).isPositive();
    }

    @Test
    void withNodesTheFilterReturnsTheNodeObjectsItKept() {
        JsonNode job = Recommendations.job("nodes-mode", 1, "{\"kind\":\"WHOLE\",\"count\":1}", "ANY");
        ObjectNode args = TestService.JSON.createObjectNode();
        args.set("Pod", ExtenderPods.pod(job, "nodes-mode", "uid-nodes"));
        ObjectNode list = args.putObject("Nodes").put("kind", "NodeList").put("apiVersion", "v1");
        for (String id : nodeIds) {
            list.withArray("items").addObject().putObject("metadata").put("name", id).putObject("labels")
                    .put("sent-by", "test");
        }
        JsonNode names = call("filter", ExtenderPods.args(ExtenderPods.pod(job, "nodes-mode", "uid-nodes"), nodeIds))
                .json().get("NodeNames");
        JsonNode result = call("filter", args.toString()).json();
        assertThat(result.get("NodeNames").isNull()).isTrue();
        List<String> returned = new ArrayList<>();
        for (JsonNode item : result.get("Nodes").get("items")) {
            assertThat(item.get("metadata").get("labels").get("sent-by").asText()).isEqualTo("test");
            returned.add(item.get("metadata").get("name").asText());
        }
        List<String> expected = new ArrayList<>();
        names.forEach(n -> expected.add(n.asText()));
        assertThat(returned).isNotEmpty().isEqualTo(expected);
    }

    @Test
    void aGangReservesItsPlacesAndEachMemberIsSteeredToItsOwn() throws Exception {
        JsonNode pair = Recommendations.job("pair", 2, "{\"kind\":\"WHOLE\",\"count\":1}", "NODE");
        List<String> names = nodeIds;
        JsonNode a = call("filter", ExtenderPods.args(ExtenderPods.pod(pair, "pair-0", "uid-a"), names)).json();
        JsonNode b = call("filter", ExtenderPods.args(ExtenderPods.pod(pair, "pair-1", "uid-b"), names)).json();
        JsonNode again = call("filter", ExtenderPods.args(ExtenderPods.pod(pair, "pair-0", "uid-a"), names)).json();
        assertThat(a.get("NodeNames")).hasSize(1);
        assertThat(b.get("NodeNames")).hasSize(1);
        String node = a.get("NodeNames").get(0).asText();
        assertThat(b.get("NodeNames").get(0).asText()).as("NODE topology: one node").isEqualTo(node);
        assertThat(again.get("NodeNames").get(0).asText()).as("a member keeps its place").isEqualTo(node);
        assertThat(a.get("FailedNodes").size()).isEqualTo(names.size() - 1);
        a.get("FailedNodes").forEach(r -> assertThat(r.asText()).contains("reserved on node " + node));
        assertThat(ExtenderPods.fits(cluster, signals, now, pair, List.of(node, node))).isTrue();

        JsonNode third = call("filter", ExtenderPods.args(ExtenderPods.pod(pair, "pair-2", "uid-c"), names)).json();
        assertThat(third.get("NodeNames")).isEmpty();
        third.get("FailedNodes").forEach(r -> assertThat(r.asText()).contains("claimed by other members"));

        JsonNode scores = call("prioritize", ExtenderPods.args(ExtenderPods.pod(pair, "pair-1", "uid-b"), names))
                .json();
        for (JsonNode s : scores) {
            assertThat(s.get("Score").asInt()).isEqualTo(s.get("Host").asText().equals(node) ? 10 : 0);
        }

        // The places are held against other pods: one that wants every GPU left on the node waits...
        int free = freeGpus(node);
        JsonNode greedy = Recommendations.job("greedy", 1, "{\"kind\":\"WHOLE\",\"count\":" + free + "}", "ANY");
        assertThat(ExtenderPods.fits(cluster, signals, now, greedy, List.of(node))).isTrue();
        JsonNode held = call("filter", ExtenderPods.args(ExtenderPods.pod(greedy, "greedy", "uid-g"), List.of(node)))
                .json();
        assertThat(held.get("NodeNames")).isEmpty();
        assertThat(held.get("FailedNodes").get(node).asText()).contains("held for gang [ml/pair]");
        // ...until the reservation's time to live (3 s here) runs out without the members being bound.
        Thread.sleep(3_200);
        JsonNode released = call("filter", ExtenderPods.args(ExtenderPods.pod(greedy, "greedy", "uid-g"),
                List.of(node))).json();
        assertThat(released.get("NodeNames").toString()).isEqualTo("[\"" + node + "\"]");
    }

    @Test
    void aGangTheGatesReleasedReservesTheNodesItWasPinnedTo() {
        JsonNode trio = Recommendations.job("trio", 2, "{\"kind\":\"WHOLE\",\"count\":1}", "ANY");
        String node = nodeIds.get(nodeIds.size() - 1);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ObjectNode pod = ExtenderPods.pod(trio, "trio-" + i, "uid-trio-" + i);
            ((ObjectNode) pod.get("metadata").get("annotations")).put("gpuplacer.io/gang-nodes", node + "," + node);
            JsonNode result = call("filter", ExtenderPods.args(pod, nodeIds)).json();
            result.get("NodeNames").forEach(n -> seen.add(n.asText()));
        }
        // Whatever the oracle would choose now: the gang goes where its release pinned it.
        assertThat(seen).containsExactly(node, node);
    }

    /** GPUs of the node no running task lists. */
    private static int freeGpus(String node) {
        int count = 0;
        for (JsonNode n : cluster.get("nodes")) {
            if (n.get("id").asText().equals(node)) {
                count = n.get("gpuCount").asInt();
            }
        }
        Set<Integer> used = new HashSet<>();
        for (JsonNode t : cluster.get("running")) {
            if (t.get("node").asText().equals(node)) {
                t.path("gpus").forEach(g -> used.add(g.asInt()));
            }
        }
        return count - used.size();
    }

    @Test
    void aPodThatDoesNotReadIsTheAnswersErrorAndABodyNotInTheShapeA400() {
        JsonNode job = Recommendations.job("bad", 1, "{\"kind\":\"WHOLE\",\"count\":1}", "ANY");
        ObjectNode pod = ExtenderPods.pod(job, "bad", "uid-bad");
        ((ObjectNode) pod.get("metadata").get("annotations")).put("gpuplacer.io/duration-hours", "soon");
        JsonNode result = call("filter", ExtenderPods.args(pod, nodeIds)).json();
        assertThat(result.get("Error").asText()).isEqualTo("pod ml/bad: annotation gpuplacer.io/duration-hours "
                + "\"soon\" is not a number of at least 0");
        assertThat(result.get("NodeNames")).isEmpty();

        TestService.Reply notJson = call("filter", "{\"Pod\": ");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("field").asText()).isEqualTo("body");
        TestService.Reply noPod = call("prioritize", "{\"NodeNames\": []}");
        assertThat(noPod.status()).isEqualTo(400);
        assertThat(noPod.json().get("field").asText()).isEqualTo("Pod");
        TestService.Reply bind = call("bind", "{\"PodName\": \"p\", \"Node\": \"n\"}");
        assertThat(bind.status()).isEqualTo(200);
        assertThat(bind.json().get("Error").asText()).contains("no API server to bind through");
    }

    /**
     * A pod author's long annotation: said once in the answer's error, never repeated per node. Fails without the
     * bound: the whole value was in the reason of every node (a 300 KB annotation on 200 nodes answered 58 MB).
     */
    @Test
    void aLongAnnotationIsOneErrorNotARepeatedReason() {
        List<String> nodes = new ArrayList<>(nodeIds);
        for (int i = nodes.size(); i < 200; i++) {
            nodes.add("elsewhere-" + i);
        }
        JsonNode job = Recommendations.job("long", 1, "{\"kind\":\"WHOLE\",\"count\":1}", "ANY");
        ObjectNode pod = ExtenderPods.pod(job, "long", "uid-long");
        String models = "H100-80GB," + "X".repeat(256 * 1024);
        ((ObjectNode) pod.get("metadata").get("annotations")).put("gpuplacer.io/gpu-models", models);
        TestService.Reply reply = call("filter", ExtenderPods.args(pod, nodes));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("Error").asText()).isEqualTo("pod ml/long: annotation gpuplacer.io/gpu-models has "
                + models.length() + " characters; at most 1024");
        assertThat(reply.text().length()).as("one error, not a reason per node").isLessThan(2_000);

        // Just under the bound: the reason is cut, so 200 nodes answer kilobytes, not a copy each.
        String many = String.join(",", java.util.Collections.nCopies(80, "A100-40GBX"));
        ((ObjectNode) pod.get("metadata").get("annotations")).put("gpuplacer.io/gpu-models", many);
        TestService.Reply listed = call("filter", ExtenderPods.args(pod, nodes));
        assertThat(listed.json().get("Error").isNull() || listed.json().get("Error").asText().isEmpty()).isTrue();
        listed.json().get("FailedNodes").forEach(r -> assertThat(r.asText().length()).isLessThanOrEqualTo(300));
        assertThat(listed.text().length()).isLessThan(200 * 400);
    }

    @Test
    void onlyTheSchedulerAndAdminRolesMayCallIt() {
        String args = ExtenderPods.args(ExtenderPods.pod(Recommendations.job("r", 1, "{\"kind\":\"NONE\"}", "ANY"),
                "r", "uid-r"), nodeIds);
        assertThat(service.call("POST", "/v1/k8s/extender/filter", args, null).status()).isEqualTo(401);
        assertThat(service.call("POST", "/v1/k8s/extender/filter", args,
                service.tokenFor("ops", Roles.OPERATOR)).status()).isEqualTo(403);
        assertThat(service.call("POST", "/v1/k8s/extender/filter", args, service.token()).status()).isEqualTo(200);
    }
}
