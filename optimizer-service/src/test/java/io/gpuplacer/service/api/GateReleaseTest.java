package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpuplacer.service.actions.ActionSchedule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Time shifting through the scheduling gate, on fabric8's mock API server (CRUD mode) with the connectors'
 * fixtures: gated pods planned at the oracle's hour, released at that hour (the release pass run at injected
 * instants) with required node affinity and the gate removed, a gang released together; the webhook gating a GPU
 * pod; with apply off (the default) every action DRY_RUN and nothing changed on the cluster.
 */
class GateReleaseTest {

    KubernetesMockServer server;
    KubernetesClient admin;
    TestDatabase.Credentials db;
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);

    private Pod gated(String name, String annotations, int gpus) {
        return Serialization.unmarshal("""
                {"apiVersion": "v1", "kind": "Pod",
                 "metadata": {"name": "%s", "namespace": "nlp", "uid": "uid-%s", "annotations": {%s}},
                 "spec": {"schedulingGates": [{"name": "gpuplacer.io/placement"}],
                   "containers": [{"name": "c", "image": "x",
                     "resources": {"requests": {"cpu": "1", "memory": "1Gi", "nvidia.com/gpu": "%d"}}}]}}
                """.formatted(name, name, annotations, gpus), Pod.class);
    }

    @BeforeEach
    void cluster() throws Exception {
        server = KubernetesFixtures.server(new KubernetesCrudDispatcher());
        admin = server.createClient();
        db = TestDatabase.fresh();
        KubernetesFixtures.load(admin, java.util.Set.of("train-1")); // four of gpu-h100-a's GPUs free
        // One job with a window (a 1-hour job due in 10 hours), a gang of two that must start now.
        admin.pods().inNamespace("nlp").resource(gated("shift", "\"gpuplacer.io/duration-hours\": \"1\", "
                + "\"gpuplacer.io/deadline\": \"" + hour.plusSeconds(10 * 3600) + "\"", 2)).create();
        for (String name : List.of("pair-0", "pair-1")) {
            admin.pods().inNamespace("nlp").resource(gated(name, "\"gpuplacer.io/gang-size\": \"2\", "
                    + "\"gpuplacer.io/job\": \"pair\", \"gpuplacer.io/topology\": \"NODE\"", 1)).create();
        }
    }

    @AfterEach
    void stop() {
        admin.close();
        server.destroy();
        TestDatabase.drop(db);
    }

    private TestService start(boolean apply) throws Exception {
        // Always on: the node's hours are paid whenever the job runs, so only energy and carbon tell the hours apart
        // (a node that could be off would rather run the job while other work keeps it on anyway).
        Map<String, Object> props = KubernetesFixtures.properties(server, true);
        props.put("gpuplacer.kubernetes.apply", apply);
        props.put("gpuplacer.kubernetes.gates.tick", "1h"); // the passes are run by the test
        TestService service = new TestService(db, props);
        KubernetesFixtures.awaitNode(service, "gpu-h100-a");
        KubernetesFixtures.cleanFromSlot3(service, hour); // DE-LU dirty and dear but for two hours from slot 3
        return service;
    }

    private static Map<String, JsonNode> actions(TestService service, String kind) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode a : service.get("/v1/actions").json()) {
            if (a.get("kind").asText().equals(kind)) {
                out.putIfAbsent(a.get("target").asText(), a); // newest first
            }
        }
        return out;
    }

    private Pod pod(String name) {
        return admin.pods().inNamespace("nlp").withName(name).get();
    }

    private static boolean gatedNow(Pod p) {
        return p.getSpec().getSchedulingGates() != null && p.getSpec().getSchedulingGates().stream()
                .anyMatch(g -> g.getName().equals("gpuplacer.io/placement"));
    }

    private static List<String> pinnedTo(Pod p) {
        List<String> nodes = new ArrayList<>();
        p.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms().forEach(t -> t.getMatchFields().forEach(f -> nodes.addAll(f.getValues())));
        return nodes;
    }

    /** The informer sees the release's update a moment later. */
    private void awaitUngated(TestService service, String name) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (gatedNow(pod(name))) {
            assertThat(System.currentTimeMillis()).isLessThan(deadline);
            Thread.sleep(50);
        }
        Thread.sleep(500);
    }

    @Test
    void gatedPodsAreReleasedAtTheirHourOnTheirNodes() throws Exception {
        try (TestService service = start(true)) {
            ActionSchedule gates = service.context().getBean(ActionSchedule.class);
            gates.tick(hour.plusSeconds(60));
            Map<String, JsonNode> planned = actions(service, "RELEASE");
            assertThat(planned.keySet()).containsExactlyInAnyOrder("nlp/shift", "nlp/pair-0", "nlp/pair-1");
            JsonNode shift = planned.get("nlp/shift");
            assertThat(shift.get("status").asText()).isEqualTo("PLANNED");
            assertThat(Instant.parse(shift.get("dueAt").asText())).as("the clean hours").isEqualTo(hour.plusSeconds(3 * 3600));
            assertThat(shift.get("nodes").toString()).isEqualTo("[\"gpu-h100-a\"]");
            assertThat(Instant.parse(planned.get("nlp/pair-0").get("dueAt").asText())).isEqualTo(hour);

            gates.tick(hour.plusSeconds(120)); // the gang is due, the shifted job is not
            awaitUngated(service, "pair-1");
            Map<String, JsonNode> second = actions(service, "RELEASE");
            assertThat(second.get("nlp/pair-0").get("status").asText()).isEqualTo("APPLIED");
            assertThat(second.get("nlp/pair-1").get("status").asText()).isEqualTo("APPLIED");
            assertThat(second.get("nlp/shift").get("status").asText()).isEqualTo("PLANNED");
            for (String name : List.of("pair-0", "pair-1")) {
                Pod p = pod(name);
                assertThat(gatedNow(p)).isFalse();
                assertThat(pinnedTo(p)).containsExactly("gpu-h100-a");
                assertThat(p.getMetadata().getAnnotations()).containsEntry("gpuplacer.io/gang-nodes",
                        "gpu-h100-a,gpu-h100-a");
            }
            assertThat(gatedNow(pod("shift"))).as("not before its hour").isTrue();

            gates.tick(hour.plusSeconds(3 * 3600 + 1));
            awaitUngated(service, "shift");
            assertThat(actions(service, "RELEASE").get("nlp/shift").get("status").asText()).isEqualTo("APPLIED");
            assertThat(pinnedTo(pod("shift"))).containsExactly("gpu-h100-a");

            List<String> audit = new ArrayList<>();
            service.get("/v1/audit?limit=20").json().forEach(e -> audit.add(e.get("principal").asText() + " "
                    + e.get("action").asText() + " " + e.get("target").asText()));
            assertThat(audit).contains("gpuplacer (leader) kubernetes RELEASE nlp/shift to gpu-h100-a",
                    "gpuplacer (leader) kubernetes RELEASE nlp/pair-1 to gpu-h100-a");
            assertThat(service.get("/v1/actions?status=PLANNED").json()).isEmpty();
            TestService.Reply bad = service.get("/v1/actions?status=LATER");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().get("field").asText()).isEqualTo("status");

            // The webhook gates a GPU pod created now, and records it.
            String review = new String(GateReleaseTest.class.getResourceAsStream(
                    "/kubernetes/extender/admission-review.json").readAllBytes(), StandardCharsets.UTF_8);
            JsonNode answer = service.post("/v1/k8s/webhook/gate", review).json().get("response");
            assertThat(answer.get("allowed").asBoolean()).isTrue();
            assertThat(new String(Base64.getDecoder().decode(answer.get("patch").asText()), StandardCharsets.UTF_8))
                    .contains("gpuplacer.io/placement");
            assertThat(actions(service, "GATE").get("nlp/finetune-*").get("status").asText()).isEqualTo("APPLIED");
            // The same review again (a retry, a replay): the same answer, and no second row (fails without V12).
            for (int i = 0; i < 3; i++) {
                assertThat(service.post("/v1/k8s/webhook/gate", review).json().get("response")).isEqualTo(answer);
            }
            int gateRows = 0;
            for (JsonNode a : service.get("/v1/actions?limit=1000").json()) {
                gateRows += a.get("kind").asText().equals("GATE") ? 1 : 0;
            }
            assertThat(gateRows).isOne();
        }
    }

    @Test
    void withApplyOffNothingIsSentAndEveryActionIsADryRun() throws Exception {
        try (TestService service = start(false)) {
            ActionSchedule gates = service.context().getBean(ActionSchedule.class);
            gates.tick(hour.plusSeconds(60));
            gates.tick(hour.plusSeconds(120));
            Map<String, JsonNode> actions = actions(service, "RELEASE");
            assertThat(actions.get("nlp/pair-0").get("status").asText()).isEqualTo("DRY_RUN");
            assertThat(actions.get("nlp/pair-0").get("reason").asText()).contains("would pin to gpu-h100-a");
            assertThat(actions.get("nlp/shift").get("status").asText()).isEqualTo("PLANNED");
            gates.tick(hour.plusSeconds(180)); // a dry run is not planned again while the pod stays gated
            int pairRows = 0;
            for (JsonNode a : service.get("/v1/actions").json()) {
                pairRows += a.get("target").asText().equals("nlp/pair-0") ? 1 : 0;
            }
            assertThat(pairRows).isEqualTo(1);
            for (String name : List.of("pair-0", "pair-1", "shift")) {
                assertThat(gatedNow(pod(name))).as(name + " untouched").isTrue();
                assertThat(pod(name).getSpec().getAffinity()).isNull();
            }
            String review = new String(GateReleaseTest.class.getResourceAsStream(
                    "/kubernetes/extender/admission-review.json").readAllBytes(), StandardCharsets.UTF_8);
            JsonNode answer = service.post("/v1/k8s/webhook/gate", review).json().get("response");
            assertThat(answer.get("allowed").asBoolean()).isTrue();
            assertThat(answer.has("patch")).isFalse();
            assertThat(actions(service, "GATE").get("nlp/finetune-*").get("status").asText()).isEqualTo("DRY_RUN");
        }
    }
}
